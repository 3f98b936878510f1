"""`python manage.py restore ARCHIVE`: a backup into an empty database and empty storage, verified afterwards."""

import time

from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, RestoreRefused, contents_text, created_text, restore_backup, seconds_text


class Command(BaseCommand):
    help = (
        "Khôi phục một bản sao lưu (của lệnh backup) vào cơ sở dữ liệu trống (DATABASE_URL) và thư mục tệp riêng "
        "tư trống, rồi kiểm tra lại số dòng từng bảng và SHA-256 từng tệp. Restores an archive into an empty "
        "database and empty storage, then verifies counts and hashes."
    )

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Tệp sao lưu (.tar.gz). The archive.")

    def handle(self, *args, archive, **options):
        started = time.perf_counter()
        try:
            result = restore_backup(archive)
        except RestoreRefused as error:
            raise CommandError(f"Từ chối khôi phục: {error}\nRestore refused; nothing was changed.") from error
        except BackupError as error:
            raise CommandError(f"Khôi phục thất bại: {error}\nRestore failed.") from error
        manifest = result.manifest
        versions = manifest["versions"]
        self.stdout.write(
            f"Đã khôi phục bản sao lưu tạo lúc {created_text(manifest)} ({versions['database']}, Django "
            f"{versions['django']}) trong {seconds_text(time.perf_counter() - started)}: {contents_text(manifest)}."
        )
        self.stdout.write("- Đã kiểm tra lại: số dòng của mọi bảng và mã SHA-256 của mọi tệp khớp với bản kê.")
        if result.pending_migrations:
            self.stdout.write(
                self.style.WARNING(
                    f"- Mã nguồn có {len(result.pending_migrations)} migration mới hơn bản sao lưu: chạy "
                    "`python manage.py migrate` trước khi mở Cổng."
                )
            )
        self.stdout.write(self.style.SUCCESS("Khôi phục xong. Restore complete and verified."))
