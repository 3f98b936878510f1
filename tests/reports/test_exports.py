"""Excel exports of the status matrix and the indicator values: open, hold the figures as numbers and dates, and
text stays text."""

import zipfile
from decimal import Decimal
from io import BytesIO

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from documents.xlsx import workbook_bytes
from reports import services
from reports.parts import digest
from reports.services.editing import part_objects, values_of
from tests.reports.conftest import complete
from tests.spreadsheets import assert_amounts, assert_dates, assert_rates, column, header, records, title_lines

HYPERLINK = '=HYPERLINK("http://x","y")'
FORMULA_LIKE = [HYPERLINK, "+1+1 vượt kế hoạch", "-2 công trình chậm tiến độ", "@SUM(A1:A2)"]


def set_activities(report, actor, texts):
    edits = {}
    for key, part in part_objects(report).items():
        code = getattr(part, "criterion_code", None)
        if code in texts:
            values = {**values_of(part), "activities": texts[code]}
            edits[key] = {"values": values, "revision": part.revision, "original": digest(values_of(part))}
    services.report_save_parts(report=report, actor=actor, edits=edits)


def submit_with(draft, staff, head, levels, texts):
    complete(draft, staff, levels, planned="2000000000", disbursed="1500000000")
    set_activities(draft, staff, texts)
    services.report_submit(report=draft, actor=head)
    return draft


@pytest.fixture
def submitted_with_formulas(invests, draft, staff, head, levels):
    return submit_with(draft, staff, head, levels, {"III.1.1.5": HYPERLINK, "III.1.2.3": "+1+1"})


def get_xlsx(client, user, name, period):
    client.force_login(user)
    return client.get(reverse(f"reports:{name}"), {"period": period.code})


def open_sheet(response):
    """The first sheet: the matrix, or the indicators' first (disbursement)."""
    assert response.status_code == 200
    assert response["Content-Type"] == "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    return openpyxl.load_workbook(BytesIO(response.content)).worksheets[0]


def sheet_xml(response):
    with zipfile.ZipFile(BytesIO(response.content)) as archive:
        return archive.read("xl/worksheets/sheet1.xml").decode()


def by_unit(sheet):
    return {record["Đơn vị"].value: {label: cell.value for label, cell in record.items()} for record in records(sheet)}


def test_matrix_xlsx_lists_every_unit_with_its_status(client, reviewer, other_unit, submitted_with_formulas):
    period = submitted_with_formulas.period
    response = get_xlsx(client, reviewer, "matrix_xlsx", period)
    sheet = open_sheet(response)
    assert sheet.title == "Tình hình nộp báo cáo"
    assert header(sheet) == ["STT", "Đơn vị", "Trạng thái", "Đúng hạn / muộn", "Nộp lúc"]
    assert title_lines(sheet)[:2] == [
        "Tình hình nộp báo cáo của các phòng, đơn vị",
        f"Kỳ báo cáo: {period.label} (hạn đơn vị nộp {period.unit_due_date:%d/%m/%Y})",
    ]
    rows = by_unit(sheet)
    assert rows["Phòng Quản lý khoa học"]["Trạng thái"] == "Đã nộp"
    assert rows["Phòng Kế hoạch - Tài chính"]["Trạng thái"] == "Chưa lập"
    assert rows["Phòng Hành chính - Tổng hợp"]["Trạng thái"] == "Chưa lập"
    assert f"tinh-hinh-nop-bao-cao-{period.code}.xlsx" in response["Content-Disposition"]


def test_matrix_xlsx_says_on_time_as_the_page_does_and_when_it_was_submitted(
    client, reviewer, other_unit, submitted_with_formulas
):
    period = submitted_with_formulas.period
    client.force_login(reviewer)
    page = client.get(reverse("reports:matrix"), {"period": period.code}).content.decode()
    sheet = open_sheet(get_xlsx(client, reviewer, "matrix_xlsx", period))
    rows = by_unit(sheet)
    assert "Đúng hạn" in page
    assert rows["Phòng Quản lý khoa học"]["Đúng hạn / muộn"] == "Đúng hạn"
    assert rows["Phòng Kế hoạch - Tài chính"]["Đúng hạn / muộn"] is None  # nothing submitted, nothing said
    submitted_with_formulas.refresh_from_db()
    submitted_at = timezone.localtime(submitted_with_formulas.submitted_at).replace(tzinfo=None)
    assert rows["Phòng Quản lý khoa học"]["Nộp lúc"] == submitted_at.replace(microsecond=0)
    assert_dates(column(sheet, "Nộp lúc"), with_time=True)


def test_matrix_xlsx_says_late_for_a_late_report(client, reviewer, submitted_with_formulas):
    submitted_with_formulas.is_late = True
    submitted_with_formulas.save(update_fields=["is_late"])
    rows = by_unit(open_sheet(get_xlsx(client, reviewer, "matrix_xlsx", submitted_with_formulas.period)))
    assert rows["Phòng Quản lý khoa học"]["Đúng hạn / muộn"] == "Muộn"


def test_indicator_xlsx_holds_the_quantities_by_their_names_and_the_rates(client, reviewer, submitted_with_formulas):
    response = get_xlsx(client, reviewer, "indicators_xlsx", submitted_with_formulas.period)
    workbook = openpyxl.load_workbook(BytesIO(response.content))
    assert workbook.sheetnames == ["Giải ngân vốn đầu tư công", "Tỷ trọng chi thường xuyên"]
    sheet = workbook.worksheets[0]
    assert header(sheet) == [
        "STT",
        "Đơn vị",
        "Kế hoạch vốn đầu tư công được giao (đồng)",
        "Vốn đã giải ngân (đồng)",
        "Tỷ lệ giải ngân kế hoạch vốn đầu tư công được giao",
        "Trạng thái báo cáo",
        "Nộp lúc",
        "Kết quả thực hiện",
    ]
    disbursement = by_unit(sheet)["Phòng Quản lý khoa học"]
    assert disbursement["Kế hoạch vốn đầu tư công được giao (đồng)"] == 2_000_000_000
    assert disbursement["Vốn đã giải ngân (đồng)"] == 1_500_000_000
    assert Decimal(str(disbursement["Tỷ lệ giải ngân kế hoạch vốn đầu tư công được giao"])) == Decimal("0.75")
    assert disbursement["Trạng thái báo cáo"] == "Đã nộp"
    assert_amounts(
        column(sheet, "Vốn đã giải ngân (đồng)") + column(sheet, "Kế hoạch vốn đầu tư công được giao (đồng)")
    )
    assert_rates(column(sheet, "Tỷ lệ giải ngân kế hoạch vốn đầu tư công được giao"))
    assert_dates(column(sheet, "Nộp lúc"), with_time=True)
    share = workbook.worksheets[1]
    assert "Chi thường xuyên (đồng)" in header(share)
    assert "Tổng chi ngân sách nhà nước (đồng)" in header(share)
    assert not any("Đại lượng" in label for name in workbook.sheetnames for label in header(workbook[name]))


@pytest.mark.parametrize("text", FORMULA_LIKE)
def test_narratives_that_look_like_formulas_stay_text(client, reviewer, invests, draft, staff, head, levels, text):
    submit_with(draft, staff, head, levels, {"III.1.1.5": text})
    response = get_xlsx(client, reviewer, "indicators_xlsx", draft.period)
    sheet = open_sheet(response)
    [narrative] = column(sheet, "Kết quả thực hiện")
    assert narrative.value == text
    assert narrative.data_type == "s"
    assert narrative.quotePrefix  # Excel keeps it text even when someone edits the cell
    xml = sheet_xml(response)
    assert "<f>" not in xml
    assert "<f " not in xml


def test_every_formula_trigger_is_written_as_quoted_text():
    # A leading carriage return is no trigger: portal.text.clean_text makes it a newline first.
    texts = ["=1+1", "+1", "-1", "@A1", "\t=1", "Bình thường"]
    sheet = openpyxl.load_workbook(BytesIO(workbook_bytes("Thử", ["Nội dung"], [(text,) for text in texts]))).active
    cells = [row[0] for row in sheet.iter_rows(min_row=2)]
    assert [cell.value for cell in cells] == texts
    assert {cell.data_type for cell in cells} == {"s"}
    assert [bool(cell.quotePrefix) for cell in cells] == [True] * 5 + [False]


def test_control_characters_pasted_from_word_do_not_break_the_export(
    client, reviewer, invests, draft, staff, head, levels
):
    complete(draft, staff, levels)
    set_activities(draft, staff, {"III.1.1.5": "Giải ngân\x0bđạt\x01 kế hoạch"})
    services.report_submit(report=draft, actor=head)
    sheet = open_sheet(get_xlsx(client, reviewer, "indicators_xlsx", draft.period))
    # Word's manual line break (a vertical tab) is a line break in the cell.
    assert [cell.value for cell in column(sheet, "Kết quả thực hiện")] == ["Giải ngân\nđạt kế hoạch"]


def test_indicator_xlsx_leaves_out_drafts(client, reviewer, invests, draft, staff, levels):
    complete(draft, staff, levels)
    set_activities(draft, staff, {"III.1.1.5": "Bản nháp chưa nộp"})
    workbook = openpyxl.load_workbook(BytesIO(get_xlsx(client, reviewer, "indicators_xlsx", draft.period).content))
    assert [records(sheet) for sheet in workbook.worksheets] == [[], []]


def test_leadership_gets_both_exports(client, leader, submitted_with_formulas):
    for name in ("matrix_xlsx", "indicators_xlsx"):
        open_sheet(get_xlsx(client, leader, name, submitted_with_formulas.period))


@pytest.mark.parametrize("persona", ["staff", "head", "other_staff", "administrator"])
@pytest.mark.parametrize("name", ["matrix_xlsx", "indicators_xlsx"])
def test_others_get_404(client, request, persona, name, submitted_with_formulas):
    response = get_xlsx(client, request.getfixturevalue(persona), name, submitted_with_formulas.period)
    assert response.status_code == 404


def test_anonymous_is_sent_to_sign_in(client, open_period):
    response = client.get(reverse("reports:matrix_xlsx"), {"period": open_period.code})
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))
