"""The consolidation job, run inline: gather, snapshot, first sections, documents."""

from decimal import Decimal
from io import BytesIO

import pytest
from django.db.models import Q
from docx import Document as WordDocument
from openpyxl import load_workbook
from pypdf import PdfReader

from campaign.models import AssessmentLevel, Criterion, CriterionApplicability, ReportingPeriod
from demo.scale import REVIEWER_USERNAME, seed_scale
from documents.render import render_docx, render_pdf, render_xlsx
from documents.stored import document_digest
from reports import services
from reports.documents.consolidated import consolidated_document
from reports.models import ConsolidatedReport, UnitReport
from reports.services.compile import QUOTED_UNITS
from reports.services.consolidation import consolidation_compile, consolidation_request
from reports.services.synthesis import QUOTE_CHARS
from tests import factories
from tests.conftest import renders_left_queued
from tests.factories import UnitFactory, UserFactory
from tests.pdf_text import text_layer
from tests.plan_data import move_open_period
from tests.reports.conftest import complete
from tests.shared_data import built_once


@pytest.fixture(scope="module")
def accepted_pair_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """Two accepted reports: own unit 50/100 and the other unit 300/300 on disbursement; built once for the module
    (their files left queued: no test here reads them), each test rolling back to them."""

    def build():
        with renders_left_queued():
            period = move_open_period()
            levels = {level.code: level for level in AssessmentLevel.objects.all()}
            own_unit, other_unit = factories.own_unit(), factories.other_unit()
            staff, head = factories.staff_of_own_unit(), factories.head_of_own_unit()
            other_staff, reviewer = factories.staff_of_other_unit(), factories.office_reviewer()
            disbursement = Criterion.objects.get(plan_key="criterion-III.1.1.5")
            for unit in (own_unit, other_unit):  # both have investment projects: the criterion applies to them
                CriterionApplicability.objects.create(criterion=disbursement, unit=unit, applies=True)
            other_head = UserFactory(username="truongkhac", unit=other_unit, position="head")
            reports = []
            for unit, drafter, submitter, planned, disbursed in (
                (own_unit, staff, head, "100", "50"),
                (other_unit, other_staff, other_head, "300", "300"),
            ):
                report = services.report_start(unit=unit, period=period, actor=drafter)
                complete(report, drafter, levels, planned=planned, disbursed=disbursed)
                services.report_submit(report=report, actor=submitter)
                services.report_accept(report=report, actor=reviewer)
                reports.append(report.pk)
        return {"period": period.pk, "reports": reports}

    with built_once(django_db_blocker, build, MEDIA_ROOT=tmp_path_factory.mktemp("consolidation-compile")) as ids:
        yield ids


@pytest.fixture
def open_period(accepted_pair_once, db):
    return ReportingPeriod.objects.get(pk=accepted_pair_once["period"])


@pytest.fixture
def accepted_pair(accepted_pair_once, open_period, reviewer):
    return [UnitReport.objects.get(pk=pk) for pk in accepted_pair_once["reports"]]


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


# The PDFs this module rendered, by the digest of their Document: a render reads nothing but its Document, and equal
# digests print equal files (documents/stored.py), so the tests whose reports say the same share one render.
PDFS = {}


def pdf_of(document):
    digest = document_digest(document)
    if digest not in PDFS:
        PDFS[digest] = render_pdf(document)
    return PDFS[digest]


def render_pdf_text(report):
    return text_layer(pdf_of(consolidated_document(report)))


def test_documents_hold_the_same_vietnamese_text_and_figures(
    accepted_pair, open_period, reviewer, django_capture_on_commit_callbacks
):
    report = compiled(open_period, reviewer, django_capture_on_commit_callbacks)
    document = consolidated_document(report)
    content = pdf_of(document)
    pdf = PdfReader(BytesIO(content))
    text = " ".join(text_layer(content).split())
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
    assert 0.875 in cells  # 87,50%, kept a number
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


# --- Section II: a synthesis bounded in size, the units' data in the annexes -------------------------------


def section(report, key):
    return next(item["text"] for item in report.sections["items"] if item["key"] == key)


def test_section_ii_states_the_departments_figure_and_the_units_counts_per_criterion(
    accepted_pair, open_period, reviewer, django_capture_on_commit_callbacks
):
    report = compiled(open_period, reviewer, django_capture_on_commit_callbacks)
    results = section(report, "results")
    # The criterion by its text (the plan numbers none), its figures in grammatical Vietnamese.
    assert "- Tiêu chí “Phấn đấu giải ngân 100% kế hoạch vốn đầu tư công được giao hàng năm" in results
    assert "- Tiêu chí III.1.1.5" not in results
    assert (
        "Chỉ số “Tỷ lệ giải ngân kế hoạch vốn đầu tư công được giao” của toàn Sở đạt 87,50% "
        "(tổng vốn đã giải ngân 350 đồng ÷ tổng kế hoạch vốn đầu tư công được giao 400 đồng); "
        "chỉ tiêu 100,00%, chưa đạt chỉ tiêu; 1/2 phòng, đơn vị đạt chỉ tiêu."
    ) in results
    assert (
        "Có 2 phòng, đơn vị báo cáo kết quả thực hiện; trong đó 2 phòng, đơn vị tự đánh giá hoàn thành tốt."
    ) in results
    assert "+ Phòng Kế hoạch - Tài chính: Đã triển khai tiêu chí III.1.1.5. Kết quả tốt." in results
    text = render_pdf_text(report)
    assert "của toàn Sở đạt 87,50%" in " ".join(text.split())


def test_the_annexes_hold_each_units_figures_and_self_assessment(
    accepted_pair, open_period, reviewer, django_capture_on_commit_callbacks
):
    report = compiled(open_period, reviewer, django_capture_on_commit_callbacks)
    document = consolidated_document(report)
    assert [annex.label for annex in document.annexes] == ["Phụ lục I", "Phụ lục II"]
    matrix = document.annexes[1].tables[0]
    # Criteria by their short labels (the plan gives them no numbers).
    assert matrix.header[:3] == ["STT", "Đơn vị", "Quy hoạch, cơ chế, chính sách"]
    assert [row[1] for row in matrix.rows] == ["Phòng Quản lý khoa học", "Phòng Kế hoạch - Tài chính"]
    only_ttud = matrix.header.index("Đổi mới Trung tâm Ứng dụng và Dịch vụ")  # for one other unit: blank, not a mark
    assert [row[only_ttud] for row in matrix.rows] == ["", ""]
    assert {mark for row in matrix.rows for index, mark in enumerate(row[2:], start=2) if index != only_ttud} == {"HTT"}
    assert matrix.title.startswith("Ký hiệu: HTT: Hoàn thành tốt")
    text = " ".join(render_pdf_text(report).split())
    assert "KẾT QUẢ TỰ ĐÁNH GIÁ THEO TIÊU CHÍ CỦA CÁC PHÒNG, ĐƠN VỊ" in text
    workbook = load_workbook(BytesIO(render_xlsx(document)))
    legend = workbook["Chú giải"]
    assert ("PL II. Tự đánh giá", "HTT", "Hoàn thành tốt") in list(legend.iter_rows(values_only=True))


def test_a_report_compiled_before_the_self_assessment_annex_renders_as_it_did(
    accepted_pair, open_period, reviewer, django_capture_on_commit_callbacks
):
    report = compiled(open_period, reviewer, django_capture_on_commit_callbacks)
    del report.snapshot["assessment_matrix"]
    document = consolidated_document(report)
    assert [(annex.label, len(annex.tables)) for annex in document.annexes] == [("Phụ lục", 2)]


def compile_scale(units):
    """seed_scale's synthetic Department of `units` units, compiled as the job does."""
    from campaign.models import ReportingPeriod
    from units.models import User

    seed_scale(units=units, period_codes=["2025-FY"])
    period = ReportingPeriod.objects.get(code="2025-FY")
    ConsolidatedReport.objects.filter(period=period).update(status=ConsolidatedReport.Status.SUPERSEDED)
    version = ConsolidatedReport.objects.filter(period=period).count() + 1
    row = ConsolidatedReport.objects.create(
        period=period, version=version, requested_by=User.objects.get(username=REVIEWER_USERNAME)
    )
    return consolidation_compile(report_id=row.pk)


@pytest.mark.django_db
def test_quoted_units_are_capped_per_criterion_and_narratives_are_grouped_by_theme():
    report = compile_scale(units=QUOTED_UNITS + 4)
    for criterion in report.snapshot["criteria"]:
        assert len(criterion["quotes"]) <= QUOTED_UNITS
        assert all(len(entry["text"]) <= QUOTE_CHARS for entry in criterion["quotes"])
    assert max(len(criterion["quotes"]) for criterion in report.snapshot["criteria"]) == QUOTED_UNITS
    criteria = section(report, "results").split("Kết quả theo các nội dung thi đua của Kế hoạch")[0]
    results = criteria.split("\n- Tiêu chí ")[1:]
    assert results
    for criterion in results:
        assert sum(line.startswith("+ ") for line in criterion.split("\n")) <= QUOTED_UNITS
    strengths = section(report, "strengths").split("\n")
    assert strengths[0] == f"Tổng hợp từ báo cáo của {QUOTED_UNITS + 4} phòng, đơn vị:"
    themes = strengths[1:]
    assert themes
    assert all(line.startswith("- ") and line.endswith(".") for line in themes)
    # At most two examples per theme, each a whole sentence in quotation marks with its unit.
    assert all(line.count("”") <= 2 for line in themes)
    assert "…" not in section(report, "results")  # nothing is cut: whole sentences only


def body_pages(report):
    """The pages of the report without its annexes: the text sent to UBND tỉnh, up to the signature."""
    document = consolidated_document(report)
    annexes = document.annexes
    document.annexes = []
    return len(PdfReader(BytesIO(render_pdf(document))).pages), sum(
        len(table.rows) for annex in annexes for table in annex.tables
    )


@pytest.mark.django_db
def test_the_body_of_the_report_does_not_grow_with_the_number_of_units():
    # From 60 units on every criterion has its QUOTED_UNITS quotes (the rarest applies to one unit in ten).
    small, large = compile_scale(units=60), compile_scale(units=180)
    # The same paragraphs whatever the number of units; whole-sentence quotes differ in length by a few lines.
    assert [item["text"].count("\n") for item in large.sections["items"]] == [
        item["text"].count("\n") for item in small.sections["items"]
    ]
    small_body, small_rows = body_pages(small)
    large_body, large_rows = body_pages(large)
    assert large_body <= small_body + 1
    assert large_rows > small_rows  # the annexes hold one row per unit
