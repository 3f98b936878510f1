"""`python manage.py backup [--to DIR] [--keep N]`: one archive of the database and the private files."""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from portal.backup import BackupError, contents_text, create_backup, prune_backups, seconds_text, size_text


class Command(BaseCommand):
    help = (
        "Sao lưu cơ sở dữ liệu và các tệp riêng tư vào một tệp .tar.gz kèm bản kê (số dòng từng bảng, SHA-256 "
        "từng tệp, phiên bản). Backs up the database and the private files into one archive with a manifest."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--to",
            dest="directory",
            default=None,
            help="Thư mục chứa bản sao lưu (mặc định: BACKUP_DIR). Directory for the archive.",
        )
        parser.add_argument(
            "--keep",
            type=int,
            default=None,
            help="Chỉ giữ N bản sao lưu mới nhất trong thư mục, xóa các bản cũ hơn. Keep the N newest archives.",
        )

    def handle(self, *args, directory=None, keep=None, **options):
        directory = Path(directory or settings.BACKUP_DIR)
        started = time.perf_counter()
        try:
            result = create_backup(directory)
        except BackupError as error:
            raise CommandError(f"Sao lưu thất bại: {error}\nBackup failed; no archive was written.") from error
        manifest = result.manifest
        self.stdout.write(
            f"Bản sao lưu: {result.path} ({size_text(result.path.stat().st_size)}, "
            f"{seconds_text(time.perf_counter() - started)})"
        )
        self.stdout.write(f"- Nội dung: {contents_text(manifest)}.")
        self.stdout.write(
            f"- {manifest['versions']['database']}, Django {manifest['versions']['django']}, "
            f"Python {manifest['versions']['python']}; {len(manifest['migrations'])} ứng dụng có migration."
        )
        missing = manifest["missing_references"]
        if missing:
            self.stdout.write(
                self.style.WARNING(
                    f"- Cảnh báo: {len(missing)} tệp được dữ liệu nhắc tới nhưng không có trong thư mục tệp riêng tư "
                    f"(ghi trong bản kê, mục missing_references), ví dụ {missing[0]}."
                )
            )
        if keep is not None:
            removed = prune_backups(directory, keep)
            self.stdout.write(f"- Giữ {keep} bản mới nhất; đã xóa {len(removed)} bản cũ.")
        self.stdout.write(self.style.SUCCESS("Đã sao lưu xong. Backup complete."))
