"""`manage.py load_demo`: the plan, sample units and one demo account per role."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from campaign.plan_loader import PlanFileError, load_plan
from demo.data import load_demo
from demo.emulation import load_emulation
from demo.history import load_history


class Command(BaseCommand):
    help = (
        "Nạp dữ liệu trình diễn: kế hoạch thi đua, các đơn vị mẫu và tài khoản trình diễn cho từng vai trò "
        "(loads the plan, sample units and demo accounts). Chạy lại nhiều lần không tạo bản trùng."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Chạy cả khi DEBUG tắt (run even with DEBUG off). Mọi tài khoản trình diễn dùng chung một mật khẩu.",
        )

    def handle(self, *args, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Không nạp dữ liệu trình diễn khi DEBUG tắt: mọi tài khoản trình diễn dùng chung một mật khẩu "
                "công khai, không được có trên máy chủ thật. Nếu chắc chắn, chạy lại với --force.\n"
                "Refusing to load demo data with DEBUG off: every demo account shares a published password. "
                "Use --force if you really mean it."
            )
        # The plan first: it creates the Department and the units it names, which the demo then finds.
        try:
            plan_result = load_plan()
        except PlanFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(plan_result.summary)
        summary = load_demo(awards=True, issued=True)
        years = load_emulation()
        history = load_history()
        self._write_summary(summary, years, history)

    def _write_summary(self, summary, years, history=()):
        write = self.stdout.write
        write("Dữ liệu trình diễn:")
        write(f"- Đơn vị: tạo mới {len(summary.units_created)}, đã có sẵn {len(summary.units_existing)} (giữ nguyên).")
        write(
            f"- Tài khoản trình diễn: tạo mới {len(summary.accounts_created)}, "
            f"cập nhật {len(summary.accounts_updated)} (đặt lại mật khẩu, đơn vị, chức vụ và quyền)."
        )
        write(f"- Báo cáo của đơn vị: tạo mới {len(summary.reports_created)}.")
        if summary.awards_created:
            write("- Khen thưởng: " + "; ".join(summary.awards_created) + ".")
        else:
            write("- Khen thưởng: đã có đợt xét khen thưởng (hoặc chưa nạp kế hoạch), không thêm dữ liệu.")
        if summary.consolidated_issued:
            write("- Báo cáo tổng hợp đã ban hành: " + "; ".join(summary.consolidated_issued) + ".")
        write("- Thi đua hằng năm (đăng ký, bình xét, chấm điểm, xếp hạng): năm " + ", ".join(map(str, years)) + ".")
        if history:
            write("- Báo cáo các kỳ trước nhập từ tệp (đã tiếp nhận): " + "; ".join(history) + ".")
        write(f"- Mật khẩu chung của mọi tài khoản trình diễn: {summary.password}")
        width = max(len(account.username) for account in summary.accounts)
        for account in summary.accounts:
            capabilities = ", ".join(str(capability.label) for capability in account.capabilities)
            line = f"  {account.username:<{width}}  {account.full_name} — {account.position_title}, {account.unit_code}"
            write(f"{line}; {capabilities}" if capabilities else line)
        self.stdout.write(self.style.SUCCESS("Đã nạp xong dữ liệu trình diễn."))
