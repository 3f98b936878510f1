"""Import past award decisions into the register from an xlsx file in the template's columns."""

from pathlib import Path

from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management.base import BaseCommand, CommandError

from awards.services.register import RegisterFileInvalid, register_import
from units.models import User
from workflow.errors import Refused


class Command(BaseCommand):
    help = "Nhập sổ theo dõi khen thưởng từ tệp Excel theo mẫu (cùng quy tắc với trang nhập của Cổng)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="tệp .xlsx theo mẫu")
        parser.add_argument("--user", required=True, help="tên đăng nhập của cán bộ Phòng HC-TH thực hiện việc nhập")

    def handle(self, *args, file, user, **options):
        try:
            actor = User.objects.get(username=user, is_active=True)
        except User.DoesNotExist:
            raise CommandError(f"Không có người dùng “{user}”.") from None
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"Không có tệp {path}.")
        upload = SimpleUploadedFile(path.name, path.read_bytes())
        try:
            result = register_import(upload=upload, actor=actor)
        except RegisterFileInvalid as error:
            for problem in error.problems:
                self.stderr.write(problem)
            raise CommandError(error.message) from None
        except Refused as error:
            raise CommandError(error.message) from None
        done = result.register_import
        self.stdout.write(
            self.style.SUCCESS(
                f"Đã nhập {done.rows_created} khen thưởng; bỏ qua {done.rows_skipped} dòng đã có; "
                f"liên kết {result.persons_linked} cá nhân (tạo mới {result.persons_created})."
            )
        )
