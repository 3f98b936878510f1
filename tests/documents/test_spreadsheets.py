"""Every export's workbook as the office opens it: in every sheet each amount and rate is a number with its
format and each date a date; sheet names within Excel's 31 characters say what they hold; a title block and a
frozen header on every sheet; and a SUM recalculated by LibreOffice equals the total the PDF prints.

Built once for the module (tests/shared_data.py): the demo with its awards — accepted reports for the past
periods, a mix for the open one, the award register, a round under public notice — and a consolidated report
compiled for the first half of 2026.
"""

import re
from decimal import Decimal
from io import BytesIO
from types import SimpleNamespace

import pytest
from django.core.cache import caches
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from campaign.models import ReportingPeriod
from demo.data import load_demo
from documents.model import Amount, Rate
from documents.render import render_pdf, render_xlsx
from reports.documents.consolidated import consolidated_document
from reports.models import ConsolidatedReport, UnitReport
from reports.services.consolidation import consolidation_compile
from tests.demo.story import TODAY
from tests.libreoffice import convert
from tests.pdf_text import pdf_text
from tests.shared_data import built_once
from tests.spreadsheets import (
    assert_amounts,
    assert_dates,
    assert_no_figure_is_text,
    assert_rates,
    assert_sheet_names_are_meaningful,
    body,
    column,
    header,
    header_row,
    records,
    title_lines,
)
from units.models import User

pytestmark = pytest.mark.django_db

PAST_PERIOD = "2026-H1"
OPEN_PERIOD = "2026-FY"
REVIEWER = "vanphong"
DISBURSEMENT_SHEET = "PL I. Giải ngân vốn đầu tư công"
PLANNED = "Kế hoạch vốn đầu tư công được giao (đồng)"
DISBURSED = "Vốn đã giải ngân (đồng)"
DISBURSEMENT_RATE = "Tỷ lệ giải ngân kế hoạch vốn đầu tư công được giao"


def _build():
    load_demo(awards=True)
    period = ReportingPeriod.objects.get(code=PAST_PERIOD)
    row = ConsolidatedReport.objects.create(
        period=period,
        version=ConsolidatedReport.objects.filter(period=period).count() + 1,
        requested_by=User.objects.get(username=REVIEWER),
    )
    return consolidation_compile(report_id=row.pk).pk


@pytest.fixture(scope="module")
def consolidated_pk(django_db_setup, django_db_blocker, tmp_path_factory):
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: TODAY)
        media = tmp_path_factory.mktemp("spreadsheets")
        with built_once(django_db_blocker, _build, MEDIA_ROOT=media) as pk:
            yield pk


@pytest.fixture(scope="module")
def consolidated(consolidated_pk, django_db_blocker):
    """The consolidated report's document, its workbook and its PDF's text, rendered once."""
    with django_db_blocker.unblock():
        document = consolidated_document(ConsolidatedReport.objects.get(pk=consolidated_pk))
    # pdftotext reads the 14 pages in a twentieth of pypdf's time.
    text = pdf_text(render_pdf(document), layout=True)
    return SimpleNamespace(document=document, xlsx=render_xlsx(document), pdf_text=text)


@pytest.fixture
def office(client, consolidated_pk):
    client.force_login(User.objects.get(username=REVIEWER))
    return client


@pytest.fixture
def public_client(client, settings, consolidated_pk):
    """The public pages' rate limits counted in this process, never in a shared Redis (tests/awards/test_public.py)."""
    settings.CACHES = {
        **settings.CACHES,
        settings.PUBLIC_RATE_LIMIT_CACHE: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "tests-spreadsheets-rate-limit",
        },
    }
    caches[settings.PUBLIC_RATE_LIMIT_CACHE].clear()
    return client


def download(client, name, **params):
    response = client.get(reverse(name), params)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return load_workbook(BytesIO(response.content))


# --- Every export ------------------------------------------------------------------------------------------

EXPORTS = {
    "matrix, open period": ("reports:matrix_xlsx", {"period": OPEN_PERIOD}),
    "matrix, past period": ("reports:matrix_xlsx", {"period": PAST_PERIOD}),
    "indicators": ("reports:indicators_xlsx", {"period": PAST_PERIOD}),
    "award register": ("awards:register_export", {}),
    "award register template": ("awards:register_template", {}),
    "public notice": ("public:export_notice", {}),
    "public awards": ("public:export_awards", {}),
}


@pytest.fixture(params=["consolidated report", *EXPORTS])
def workbook(request, consolidated):
    if request.param == "consolidated report":
        return load_workbook(BytesIO(consolidated.xlsx))
    client = request.getfixturevalue("public_client")
    client.force_login(User.objects.get(username=REVIEWER))
    name, params = EXPORTS[request.param]
    return download(client, name, **params)


def test_every_sheet_of_every_export_has_a_title_block_a_frozen_header_and_no_figure_as_text(workbook):
    assert_sheet_names_are_meaningful(workbook)
    for sheet in workbook.worksheets:
        assert header_row(sheet) > 1, sheet.title  # a title block above the header
        assert title_lines(sheet), sheet.title
        assert all(cell.font.bold for cell in sheet[header_row(sheet)] if cell.value), sheet.title
        assert all(sheet.column_dimensions[letter].width for letter in "AB"), sheet.title
    assert_no_figure_is_text(workbook)


# --- The consolidated report -------------------------------------------------------------------------------


def test_consolidated_sheets_are_named_for_what_they_hold(consolidated):
    workbook = load_workbook(BytesIO(consolidated.xlsx))
    assert_sheet_names_are_meaningful(
        workbook,
        [
            "BC. Giải ngân vốn đầu tư công",
            "BC. Tỷ trọng chi thường xuyên",
            DISBURSEMENT_SHEET,
            "PL I. Tỷ trọng chi thường xuyên",
            "PL II. Tự đánh giá",
            "Chú giải",
        ],
    )
    lines = title_lines(workbook[DISBURSEMENT_SHEET])
    assert lines[0].startswith("Báo cáo kết quả thực hiện Phong trào thi đua “")
    assert lines[1:3] == ["Dự thảo, chưa có số và ngày ban hành", "Kỳ báo cáo: 6 tháng đầu năm 2026"]
    assert lines[3] == "Phụ lục I: SỐ LIỆU CÁC CHỈ SỐ THI ĐUA CỦA CÁC PHÒNG, ĐƠN VỊ"
    assert lines[4].startswith("Chỉ số: Tỷ lệ giải ngân kế hoạch vốn đầu tư công được giao")


def test_consolidated_amounts_and_rates_are_numbers_equal_to_the_documents(consolidated):
    workbook = load_workbook(BytesIO(consolidated.xlsx))
    tables = {table.sheet_name: table for table in _tables(consolidated.document)}
    for sheet in workbook.worksheets[:4]:
        labels = header(sheet)
        amounts = [label for label in labels if label.endswith("(đồng)")]
        assert len(amounts) == 2, sheet.title
        for label in amounts:
            assert_amounts(column(sheet, label))
        assert_rates(column(sheet, labels[-1]))
        # Cell for cell, the figures the PDF and DOCX print.
        for row, cells in zip(tables[sheet.title].rows, body(sheet), strict=True):
            for value, cell in zip(row, cells, strict=True):
                if isinstance(value, Amount):
                    assert cell.value == value.value, (sheet.title, cell.coordinate)
                    assert str(value) in consolidated.pdf_text
                elif isinstance(value, Rate):
                    assert Decimal(str(cell.value)) == value.value / 100, (sheet.title, cell.coordinate)
                    assert str(value) in consolidated.pdf_text


def test_the_self_assessment_marks_are_explained_on_the_legend_sheet(consolidated):
    workbook = load_workbook(BytesIO(consolidated.xlsx))
    legend = {
        (record["Bảng"].value, record["Ký hiệu"].value): record["Ý nghĩa"].value
        for record in records(workbook["Chú giải"])
    }
    assert legend[("PL II. Tự đánh giá", "HTT")] == "Hoàn thành tốt"
    assert legend[("PL II. Tự đánh giá", "(để trống)")] == "Tiêu chí không áp dụng đối với đơn vị"
    marks = {cell.value for row in body(workbook["PL II. Tự đánh giá"]) for cell in row[2:] if cell.value}
    assert marks
    assert marks <= {mark for _, mark in legend}


def test_a_sum_recalculated_by_libreoffice_equals_the_total_the_pdf_prints(consolidated, tmp_path):
    workbook = load_workbook(BytesIO(consolidated.xlsx))
    sheet = workbook[DISBURSEMENT_SHEET]
    rows = records(sheet)
    units, department = rows[:-1], rows[-1]
    assert department["Đơn vị"].value == "Toàn Sở"
    first, last = units[0][DISBURSED].row, units[-1][DISBURSED].row
    disbursed, planned = units[0][DISBURSED].column_letter, units[0][PLANNED].column_letter
    total_row = sheet.max_row + 2
    sheet[f"{disbursed}{total_row}"] = f"=SUM({disbursed}{first}:{disbursed}{last})"
    sheet[f"{planned}{total_row}"] = f"=SUM({planned}{first}:{planned}{last})"
    sheet[f"A{total_row + 1}"] = f"=SUM({disbursed}{first}:{disbursed}{last})/SUM({planned}{first}:{planned}{last})"
    source = tmp_path / "tong-hop.xlsx"
    workbook.save(source)
    outdir = tmp_path / "recalculated"
    outdir.mkdir()

    [recalculated] = convert([source], "xlsx", outdir)

    sheet = load_workbook(recalculated, data_only=True)[DISBURSEMENT_SHEET]
    # The Department's totals as the PDF prints them (Phụ lục I's "Toàn Sở" row and section II's table).
    printed_disbursed = _printed(consolidated.document, DISBURSED)
    printed_planned = _printed(consolidated.document, PLANNED)
    printed_rate = _printed(consolidated.document, DISBURSEMENT_RATE)
    for printed in (printed_disbursed, printed_planned, printed_rate):
        assert printed in consolidated.pdf_text
    assert sheet[f"{disbursed}{total_row}"].value == int(printed_disbursed.replace(".", ""))
    assert sheet[f"{planned}{total_row}"].value == int(printed_planned.replace(".", ""))
    # Σ disbursed ÷ Σ planned, the rule of the plan, to the two decimals the PDF prints.
    rate = Decimal(printed_rate.rstrip("%").replace(",", ".")) / 100
    assert round(Decimal(str(sheet[f"A{total_row + 1}"].value)), 4) == rate


def _tables(document):
    def walk(sections):
        for section in sections:
            yield from section.tables
            yield from walk(section.subsections)

    yield from walk(document.sections)
    for annex in document.annexes:
        yield from annex.tables


def _printed(document, label):
    """The text the PDF prints in Phụ lục I's disbursement table, "Toàn Sở" row, column `label`."""
    table = next(table for table in _tables(document) if table.sheet_name == DISBURSEMENT_SHEET)
    department = table.rows[-1]
    assert department[1] == "Toàn Sở"
    index = next(index for index, text in enumerate(table.header) if text == label)
    return str(department[index])


# --- The office's exports ----------------------------------------------------------------------------------


def test_matrix_says_on_time_or_late_as_the_page_does_and_when_each_report_came(office):
    sheet = download(office, "reports:matrix_xlsx", period=PAST_PERIOD).worksheets[0]
    assert sheet.title == "Tình hình nộp báo cáo"
    assert {cell.value for cell in column(sheet, "Đúng hạn / muộn")} == {"Đúng hạn"}
    assert len(column(sheet, "Đúng hạn / muộn")) == len(records(sheet))
    assert_dates(column(sheet, "Nộp lúc"), with_time=True)
    report = UnitReport.objects.filter(period__code=PAST_PERIOD).select_related("unit").first()
    [row] = [record for record in records(sheet) if record["Đơn vị"].value == report.unit.name]
    assert row["Nộp lúc"].value == timezone.localtime(report.submitted_at).replace(tzinfo=None, microsecond=0)


def test_matrix_of_the_open_period_leaves_blank_only_the_reports_never_submitted(office):
    sheet = download(office, "reports:matrix_xlsx", period=OPEN_PERIOD).worksheets[0]
    for record in records(sheet):
        submitted = record["Nộp lúc"].value is not None
        assert (record["Đúng hạn / muộn"].value == "Đúng hạn") == submitted, record["Đơn vị"].value


def test_indicators_name_their_quantities_and_keep_figures_and_times_typed(office):
    workbook = download(office, "reports:indicators_xlsx", period=PAST_PERIOD)
    assert workbook.sheetnames == ["Giải ngân vốn đầu tư công", "Tỷ trọng chi thường xuyên"]
    disbursement, share = workbook.worksheets
    assert header(disbursement)[2:5] == [PLANNED, DISBURSED, DISBURSEMENT_RATE]
    assert header(share)[2:5] == [
        "Chi thường xuyên (đồng)",
        "Tổng chi ngân sách nhà nước (đồng)",
        "Tỷ trọng chi thường xuyên trong tổng chi ngân sách nhà nước",
    ]
    for sheet in workbook.worksheets:
        labels = header(sheet)
        assert_amounts(column(sheet, labels[2]) + column(sheet, labels[3]))
        assert_rates(column(sheet, labels[4]))
        assert_dates(column(sheet, "Nộp lúc"), with_time=True)
        assert "Tiêu chí: " in " ".join(title_lines(sheet))


def test_award_register_export_keeps_years_numbers_and_decision_dates_dates(office):
    sheet = download(office, "awards:register_export").worksheets[0]
    assert sheet.title == "Sổ theo dõi khen thưởng"
    years = column(sheet, "Năm")
    assert years
    assert all(cell.data_type == "n" and cell.number_format == "General" for cell in years)
    assert_dates(column(sheet, "Ngày quyết định (dd/mm/yyyy)"))


def test_public_exports_keep_years_numbers_and_decision_dates_dates(public_client):
    awards = download(public_client, "public:export_awards").worksheets[0]
    assert re.fullmatch(r"Khen thưởng năm \d{4}", awards.title)
    assert all(cell.data_type == "n" for cell in column(awards, "Năm"))
    assert_dates(column(awards, "Ngày quyết định"))
    notice = download(public_client, "public:export_notice").worksheets[0]
    assert notice.title == "Danh sách công khai"
    assert records(notice)
    assert title_lines(notice)[0] == "Danh sách cá nhân, tập thể được đề nghị khen thưởng đang công khai"
