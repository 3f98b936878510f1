"""`python manage.py compile_consolidated_report <period-code> [--wait] [--actor <username>]`.

Does what the office's "Tổng hợp báo cáo" button does — consolidation_request as an office reviewer —
and, with --wait, waits for the job (running it here when Celery is eager, i.e. without Redis) and
writes the PDF, DOCX and XLSX under var/exports/, printing their paths.
"""

import time
from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.text import slugify

from campaign.models import ReportingPeriod
from documents.render import render_docx, render_pdf, render_xlsx
from portal.celery import app as celery_app
from reports.documents.consolidated import consolidated_document
from reports.models import ConsolidatedReport
from reports.services.consolidation import LIVE_JOB, consolidation_compile, consolidation_request
from units.capabilities import Capability
from units.models import User
from workflow.errors import Refused

Status = ConsolidatedReport.Status
POLL_SECONDS = 1.0


def exports_dir():
    return Path(settings.VAR_DIR) / "exports"


def write_documents(report, directory=None):
    """Render the report's PDF, DOCX and XLSX from its snapshot into `directory`; their paths."""
    directory = Path(directory or exports_dir())
    directory.mkdir(parents=True, exist_ok=True)
    document = consolidated_document(report)
    stem = f"bao-cao-tong-hop-{slugify(report.period.code) or report.period.pk}-ban-{report.version}"
    paths = []
    for suffix, render in ((".pdf", render_pdf), (".docx", render_docx), (".xlsx", render_xlsx)):
        path = directory / f"{stem}{suffix}"
        path.write_bytes(render(document))
        paths.append(path.resolve())
    return paths


class Command(BaseCommand):
    help = (
        "Tổng hợp báo cáo của một kỳ như nút “Tổng hợp báo cáo” của Văn phòng; với --wait, chờ tổng hợp xong "
        "rồi ghi tệp PDF, DOCX, XLSX vào var/exports/. / Compile a period's consolidated report as the office's "
        "button does; with --wait, wait for it and write the PDF, DOCX and XLSX under var/exports/."
    )

    def add_arguments(self, parser):
        parser.add_argument("period_code", help="Mã kỳ báo cáo, ví dụ 2025-FY / the period's code, e.g. 2025-FY.")
        parser.add_argument(
            "--wait",
            action="store_true",
            help="Chờ tổng hợp xong rồi ghi các tệp / wait for the compile, then write the files.",
        )
        parser.add_argument(
            "--actor",
            help=(
                "Tên đăng nhập của người yêu cầu (cán bộ Văn phòng rà soát, tổng hợp); mặc định: người đầu tiên "
                "còn hoạt động / username of the office reviewer asking; default: the first active one."
            ),
        )
        parser.add_argument(
            "--timeout",
            type=float,
            default=600.0,
            help="Số giây chờ tối đa với --wait (mặc định 600) / seconds to wait at most with --wait.",
        )

    def handle(self, *args, period_code, wait, actor, timeout, **options):
        period = ReportingPeriod.objects.filter(code=period_code).first()
        if period is None:
            raise CommandError(
                f"Không có kỳ báo cáo mã “{period_code}”. / There is no reporting period with code “{period_code}”."
            )
        user = self.actor(actor)
        try:
            report = consolidation_request(period=period, actor=user)
        except Refused as error:
            raise CommandError(error.message) from error
        report.refresh_from_db()
        if not wait:
            self.stdout.write(self.describe(report))
            return
        report = self.wait_for(report, timeout)
        if report.status == Status.FAILED:
            raise CommandError(
                f"Tổng hợp báo cáo {period.label} bị lỗi: {report.error} / The compile failed: {report.error}"
            )
        self.stdout.write(self.describe(report))
        if report.status != Status.READY:
            # A recompile never returns an approved or issued report, but be explicit about what we print.
            raise CommandError(f"Báo cáo ở trạng thái {report.status}; không ghi tệp. / Report is {report.status}.")
        if report.error:  # the warning of a recompile that carried the office's edits forward
            self.stdout.write(f"Lưu ý / Note: {report.error}")
        paths = write_documents(report)
        self.stdout.write(self.style.SUCCESS("Đã ghi các tệp / Files written:"))
        for path in paths:
            self.stdout.write(str(path))

    def actor(self, username):
        if username:
            user = User.objects.filter(username=username).first()
            if user is None:
                raise CommandError(f"Không có tài khoản “{username}”. / There is no user “{username}”.")
            if not user.is_active:
                raise CommandError(f"Tài khoản “{username}” đã bị khóa. / User “{username}” is inactive.")
            return user
        user = User.objects.filter(is_active=True, groups__name=Capability.OFFICE_REVIEWER).order_by("pk").first()
        if user is None:
            raise CommandError(
                "Chưa có cán bộ nào được giao rà soát, tổng hợp báo cáo; dùng --actor. "
                "/ No active office reviewer: pass --actor."
            )
        return user

    def describe(self, report):
        return (
            f"Báo cáo tổng hợp #{report.pk} — {report.period.label}, bản {report.version}: "
            f"{report.get_status_display()} / consolidated report #{report.pk}, version {report.version}: "
            f"{report.status}"
        )

    def wait_for(self, report, timeout):
        """Poll the row until its job has finished; run the job here when Celery runs tasks inline."""
        deadline = time.monotonic() + timeout
        said_waiting = False
        while True:
            report.refresh_from_db()
            if report.status not in LIVE_JOB:
                return report
            # Tasks run inline (no broker): nothing else will run the job; the claim keeps it to one run anyway.
            if celery_app.conf.task_always_eager and consolidation_compile(report_id=report.pk) is not None:
                continue
            if time.monotonic() > deadline:
                raise CommandError(
                    f"Đã chờ {timeout:.0f} giây, báo cáo #{report.pk} vẫn {report.get_status_display().lower()}; "
                    "công việc vẫn tiếp tục trên worker. / Still not finished after waiting; the job goes on."
                )
            if not said_waiting:
                self.stderr.write(
                    f"Đang chờ worker tổng hợp báo cáo #{report.pk}… / Waiting for the worker to compile it…"
                )
                said_waiting = True
            time.sleep(POLL_SECONDS)
