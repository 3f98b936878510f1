"""The consolidation job, run inline: gather, snapshot, first sections, documents."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.db.models import Q
from docx import Document as WordDocument
from openpyxl import load_workbook
from pypdf import PdfReader

from reports import services
from reports.documents import render_docx, render_pdf, render_xlsx
from reports.documents.consolidated import consolidated_document
from reports.models import ConsolidatedReport
from reports.services.consolidation import consolidation_request
from tests.factories import UnitFactory, UserFactory
from tests.reports.conftest import complete


@pytest.fixture
def accepted_pair(open_period, own_unit, other_unit, staff, head, other_staff, reviewer, levels, invests):
    """Two accepted reports: own unit 50/100 and the other unit 300/300 on disbursement."""
    from campaign.models import Criterion, CriterionApplicability

    CriterionApplicability.objects.create(
        criterion=Criterion.objects.get(plan_key="criterion-III.1.1.5"), unit=other_unit, applies=True
    )
    other_head = UserFactory(username="truongkhac", unit=other_unit, position="head")
    reports = []
    for unit, drafter, submitter, planned, disbursed in (
        (own_unit, staff, head, "100", "50"),
        (other_unit, other_staff, other_head, "300", "300"),
    ):
        report = services.report_start(unit=unit, period=open_period, actor=drafter)
        complete(report, drafter, levels, planned=planned, disbursed=disbursed)
        services.report_submit(report=report, actor=submitter)
        services.report_accept(report=report, actor=reviewer)
        reports.append(report)
    return reports


def compiled(period, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        report = consolidation_request(period=period, actor=reviewer)
    return ConsolidatedReport.objects.get(pk=report.pk)


def test_department_disbursement_rate_is_sum_over_sum(
    accepted_pair, open_period, reviewer, django_capture_on_commit_callbacks
):
    report = compiled(open_period, reviewer, django_capture_on_commit_callbacks)
    assert report.status == ConsolidatedReport.Status.READY
    disbursement = next(item for item in report.snapshot["indicators"] if item["code"] == "disbursement-rate")
    assert Decimal(disbursement["department"]["value"]) == Decimal("87.50")  # 350/400, not the mean 75
    assert {row["unit"]: Decimal(row["value"]) for row in disbursement["rows"]} == {
        "Phòng Quản lý khoa học": Decimal("50.00"),
        "Phòng Kế hoạch - Tài chính": Decimal("100.00"),
    }


def test_snapshot_does_not_change_when_a_unit_report_changes_afterwards(
    accepted_pair, open_period, reviewer, django_capture_on_commit_callbacks
):
    report = compiled(open_period, reviewer, django_capture_on_commit_callbacks)
    before = report.snapshot
    accepted_pair[0].results.update(activities="Nội dung sửa sau khi tổng hợp.")
    report.refresh_from_db()
    assert report.snapshot == before
    assert "Nội dung sửa sau khi tổng hợp." not in render_pdf_text(report)


def render_pdf_text(report):
    reader = PdfReader(BytesIO(render_pdf(consolidated_document(report))))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_documents_hold_the_same_vietnamese_text_and_figures(
    accepted_pair, open_period, reviewer, django_capture_on_commit_callbacks
):
    report = compiled(open_period, reviewer, django_capture_on_commit_callbacks)
    document = consolidated_document(report)
    pdf = PdfReader(BytesIO(render_pdf(document)))
    text = " ".join(" ".join(page.extract_text() for page in pdf.pages).split())
    for expected in (
        "UBND TỈNH QUẢNG NGÃI",
        "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Kính gửi: Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ).",
        "I. CÔNG TÁC CHỈ ĐẠO, TỔ CHỨC TRIỂN KHAI",
        "Phấn đấu giải ngân 100% kế hoạch vốn đầu tư công được giao hàng năm",
        "87,50%",
        "DỰ THẢO",
        "Nơi nhận:",
    ):
        assert expected in text, expected
    fonts = {
        font.get_object()["/BaseFont"].split("+")[-1]
        for page in pdf.pages
        for font in page["/Resources"].get("/Font", {}).values()
    }
    assert fonts
    assert all(name.startswith("Liberation-Serif") for name in fonts), fonts
    width, height = float(pdf.pages[0].mediabox.width), float(pdf.pages[0].mediabox.height)
    assert (round(width / 72 * 25.4), round(height / 72 * 25.4)) == (210, 297)

    word = WordDocument(BytesIO(render_docx(document)))
    word_text = "\n".join(paragraph.text for paragraph in word.paragraphs)
    word_text += "\n".join(cell.text for table in word.tables for row in table.rows for cell in row.cells)
    assert "I. CÔNG TÁC CHỈ ĐẠO, TỔ CHỨC TRIỂN KHAI" in word_text
    assert "87,50%" in word_text
    assert {run.font.name for paragraph in word.paragraphs for run in paragraph.runs} == {"Times New Roman"}

    workbook = load_workbook(BytesIO(render_xlsx(document)))
    cells = [cell.value for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert "87,50%" in cells
    assert "Phòng Kế hoạch - Tài chính" in cells


def test_units_not_accepted_stay_out_of_the_document(
    accepted_pair, open_period, reviewer, django_capture_on_commit_callbacks
):
    late = UnitFactory(code="LATE", name="Phòng Nộp Muộn")
    UserFactory(username="canbomuon", unit=late)
    report = compiled(open_period, reviewer, django_capture_on_commit_callbacks)
    assert "Phòng Nộp Muộn" in report.snapshot["office_only"]["missing"]
    assert "Phòng Nộp Muộn" not in render_pdf_text(report)


def test_one_live_report_per_period_is_a_database_rule(accepted_pair, open_period, reviewer):
    from django.db import IntegrityError, transaction

    ConsolidatedReport.objects.create(period=open_period, requested_by=reviewer)
    with pytest.raises(IntegrityError), transaction.atomic():
        ConsolidatedReport.objects.create(period=open_period, requested_by=reviewer, version=2)
    assert ConsolidatedReport.objects.filter(~Q(status="superseded"), period=open_period).count() == 1
