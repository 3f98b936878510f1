"""The office brings a past period's reports in, in Chromium: from the matrix to the import page, the period's template
downloaded and filled, a bad level shown by sheet, row and column with nothing written, then the corrected file
previewed and imported whole, its source file listed."""

from io import BytesIO

from openpyxl import load_workbook
from playwright.sync_api import expect

from reports.models import HistoryImport, UnitReport
from tests.e2e.conftest import at_home

UNIT = "Phòng Quản lý khoa học"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _filled(template, level):
    """The template with the unit's criteria answered (`level` on the first one), the other rows left empty."""
    book = load_workbook(BytesIO(template))
    sheet = book["Tiêu chí"]
    first = True
    for row in sheet.iter_rows(min_row=4):
        if row[0].value == UNIT:
            row[3].value = level if first else "Hoàn thành tốt"
            row[4].value = "Đã triển khai theo kế hoạch năm 2023."
            first = False
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _upload(office, content):
    form = office.get_by_test_id("history-upload")
    form.get_by_label("Kỳ báo cáo").select_option(label="Năm 2023")
    form.locator("input[type=file]").set_input_files({"name": "bao-cao-2023.xlsx", "mimeType": XLSX, "buffer": content})
    form.get_by_role("button", name="Xem trước").click()


def test_the_office_imports_a_past_year_from_its_template(demo, person):
    office = at_home(person("vanphong", accept_downloads=True), demo)
    office.goto(f"{demo.url}/reports/matrix/")
    office.get_by_test_id("history-import-link").click()
    expect(office.get_by_role("heading", name="Nhập báo cáo các kỳ trước")).to_be_visible()
    periods = office.get_by_test_id("history-periods")
    row = periods.get_by_role("row").filter(has=office.get_by_role("cell", name="Năm 2023", exact=True))
    with office.expect_download() as downloaded:
        row.get_by_role("link", name="Tải mẫu (Excel)").click()
    template = downloaded.value.path().read_bytes()

    _upload(office, _filled(template, "Xuất sắc"))

    problems = office.get_by_test_id("history-problems")
    expect(problems).to_contain_text("Có 1 lỗi; chưa báo cáo nào được ghi.")
    expect(problems.get_by_role("row").nth(1)).to_contain_text("Tiêu chí")
    expect(problems.get_by_role("row").nth(1)).to_contain_text("Mức tự đánh giá")
    expect(problems).to_contain_text("mức tự đánh giá “Xuất sắc” không có trong thang")
    expect(office.get_by_test_id("history-apply")).to_have_count(0)
    assert not UnitReport.objects.filter(period__code="2023-FY").exists()

    _upload(office, _filled(template, "Hoàn thành"))
    office.get_by_test_id("history-apply").get_by_role("button", name="Nhập").click()

    expect(office.get_by_role("alert").filter(has_text="Đã nhập 1 báo cáo Năm 2023")).to_be_visible()
    expect(office.get_by_test_id("history-imports")).to_contain_text("bao-cao-2023.xlsx")
    report = UnitReport.objects.get(period__code="2023-FY")
    assert (report.unit_name, report.status) == (UNIT, UnitReport.Status.ACCEPTED)
    assert report.history_import == HistoryImport.objects.get()
