"""`manage.py compile_consolidated_report`: the office's button from the command line, writing the three files."""

from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document as WordDocument
from openpyxl import load_workbook
from pypdf import PdfReader

from reports.models import ConsolidatedReport, ConsolidatedTransition
from tests.celery_worker import celery_eager  # noqa: F401 — autouse: tasks run inline whatever REDIS_URL says
from tests.factories import Capability, UserFactory
from tests.reports.test_consolidation_reliability import accepted_report

Status = ConsolidatedReport.Status


@pytest.fixture
def accepted(open_period, own_unit, staff, head, reviewer, levels):
    return accepted_report(open_period, own_unit, staff, head, reviewer, levels)


@pytest.fixture
def exports(settings, tmp_path):
    settings.VAR_DIR = tmp_path
    return tmp_path / "exports"


def run(*args):
    out, err = StringIO(), StringIO()
    call_command("compile_consolidated_report", *args, stdout=out, stderr=err)
    return out.getvalue()


def test_wait_writes_the_pdf_docx_and_xlsx_and_prints_their_paths(accepted, open_period, reviewer, exports):
    output = run(open_period.code, "--wait")
    paths = [Path(line) for line in output.splitlines() if line.endswith((".pdf", ".docx", ".xlsx"))]
    assert [path.suffix for path in paths] == [".pdf", ".docx", ".xlsx"]
    assert all(path.is_file() and path.parent == exports for path in paths), paths

    report = ConsolidatedReport.objects.get(period=open_period)
    assert report.status == Status.READY
    assert report.requested_by == reviewer  # the first active office reviewer
    assert f"#{report.pk}" in output

    pdf_text = " ".join(" ".join(page.extract_text() for page in PdfReader(paths[0]).pages).split())
    assert "Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)." in pdf_text
    assert "Phòng Quản lý khoa học" in pdf_text
    word_text = "\n".join(paragraph.text for paragraph in WordDocument(paths[1]).paragraphs)
    assert "I. CÔNG TÁC CHỈ ĐẠO, TỔ CHỨC TRIỂN KHAI" in word_text
    cells = [cell.value for sheet in load_workbook(paths[2]).worksheets for row in sheet.iter_rows() for cell in row]
    assert "Phòng Quản lý khoa học" in cells

    again = run(open_period.code, "--wait")  # a second run recompiles: a new version, its own files
    assert "ban-2.pdf" in again
    assert ConsolidatedReport.objects.exclude(status=Status.SUPERSEDED).get(period=open_period).version == 2


def test_without_wait_it_prints_the_row_and_its_status(
    accepted, open_period, reviewer, exports, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=False):  # the enqueue happens after the command's commit
        output = run(open_period.code)
    report = ConsolidatedReport.objects.get(period=open_period)
    assert report.status == Status.QUEUED
    assert f"Báo cáo tổng hợp #{report.pk}" in output
    assert "Đang chờ tổng hợp" in output
    assert "queued" in output
    assert not exports.exists()


def test_actor_names_the_office_reviewer(accepted, open_period, reviewer, exports):
    second = UserFactory(username="vanphong2", unit=reviewer.unit, capabilities=[Capability.OFFICE_REVIEWER])
    run(open_period.code, "--actor", "vanphong2")
    assert ConsolidatedReport.objects.get(period=open_period).requested_by == second


def test_an_unknown_period_is_an_error(db, exports):
    with pytest.raises(CommandError, match="Không có kỳ báo cáo mã “2099-FY”"):
        run("2099-FY", "--wait")


def test_someone_who_may_not_compile_is_refused(accepted, open_period, staff, exports):
    with pytest.raises(CommandError, match="Chỉ Phòng Hành chính - Tổng hợp được tổng hợp báo cáo."):
        run(open_period.code, "--actor", staff.username)
    with pytest.raises(CommandError, match="Không có tài khoản “khongco”"):
        run(open_period.code, "--actor", "khongco")
    assert not ConsolidatedReport.objects.exists()


def test_a_failed_compile_is_an_error_with_its_reason(accepted, open_period, exports, monkeypatch):
    from reports.services import consolidation

    def broken(period):
        raise RuntimeError("Không đọc được báo cáo của đơn vị")

    monkeypatch.setattr(consolidation, "gather", broken)
    with pytest.raises(CommandError, match="RuntimeError: Không đọc được báo cáo của đơn vị"):
        run(open_period.code, "--wait")
    assert ConsolidatedReport.objects.get(period=open_period).status == Status.FAILED
    assert ConsolidatedTransition.objects.filter(action="fail").count() == 1
    assert not exports.exists()
