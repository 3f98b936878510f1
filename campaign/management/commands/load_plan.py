"""`python manage.py load_plan`: load the plan's data file (campaign/data/plan.toml) into the database."""

from django.core.management.base import BaseCommand, CommandError

from campaign.plan_loader import DEFAULT_PLAN_PATH, PlanFileError, load_plan


class Command(BaseCommand):
    help = (
        "Nạp Kế hoạch thi đua (phong trào, giai đoạn, nội dung, tiêu chí, chỉ số, kỳ báo cáo, hình thức khen thưởng) "
        "từ tệp dữ liệu. Chạy lại nhiều lần được: các dòng quản trị viên đã sửa được giữ nguyên."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--path",
            default=str(DEFAULT_PLAN_PATH),
            help=f"Đường dẫn tệp kế hoạch TOML (mặc định: {DEFAULT_PLAN_PATH}).",
        )

    def handle(self, *args, path, **options):
        try:
            result = load_plan(path=path)
        except PlanFileError as error:
            raise CommandError(str(error)) from error
        self.stdout.write(result.summary)
