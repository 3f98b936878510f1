"""`python manage.py seed_scale --units N [--periods CODE,...]`: synthetic units with accepted reports (benchmarks).

The work is in demo/scale.py, which explains what is created and why it writes rows in bulk.
"""

import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from demo.scale import seed_scale


class Command(BaseCommand):
    help = (
        "Tạo dữ liệu thử tải: N đơn vị mẫu (SCALE0001, …) với báo cáo đã tiếp nhận cho mọi kỳ từ ngày bắt đầu thu "
        "báo cáo trên cổng (hoặc các kỳ chỉ định). Chạy lại không tạo trùng. Synthetic load-test data."
    )

    def add_arguments(self, parser):
        parser.add_argument("--units", type=int, required=True, help="Số đơn vị (number of units).")
        parser.add_argument(
            "--periods",
            default="",
            help="Mã kỳ, cách nhau bởi dấu phẩy, ví dụ 2025-H1,2025-FY (mặc định: mọi kỳ đã bắt đầu).",
        )
        parser.add_argument(
            "--force",
            action="store_true",
            help="Chạy cả khi DEBUG tắt (run even with DEBUG off): thêm đơn vị giả vào cơ sở dữ liệu.",
        )

    def handle(self, *args, units, periods, force=False, **options):
        if not settings.DEBUG and not force:
            raise CommandError(
                "Không tạo dữ liệu thử tải khi DEBUG tắt: lệnh thêm hàng loạt đơn vị và báo cáo giả vào cơ sở dữ "
                "liệu. Nếu chắc chắn, chạy lại với --force.\n"
                "Refusing to seed synthetic units with DEBUG off. Use --force if you really mean it."
            )
        if units < 1:
            raise CommandError("--units phải từ 1 trở lên.")
        codes = [code.strip() for code in periods.split(",") if code.strip()]
        started = time.perf_counter()
        try:
            summary = seed_scale(units=units, period_codes=codes or None)
        except ValueError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(f"{summary.describe()} ({time.perf_counter() - started:.1f} s)")
