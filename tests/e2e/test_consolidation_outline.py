"""The consolidated report's outline in Chromium: the office renames a heading of the half-year outline and
adds a section it writes itself, saves, compiles a half-year period and finds both in the report.
"""

import pytest
from playwright.sync_api import expect

from campaign.models import ReportingPeriod
from reports.models import ConsolidatedOutline, ConsolidatedReport
from reports.tasks import compile_consolidated_report
from tests.e2e.conftest import at_home
from tests.e2e.menu import open_menu_item

PERIOD_CODE = "2026-H1"  # a half-year period; the demo's units all have accepted reports for it
AWARDS = "III. CÔNG TÁC THI ĐUA, KHEN THƯỞNG"
ADDED = "VI. TỔ CHỨC THỰC HIỆN"
ADDED_TEXT = "Giao các phòng, đơn vị triển khai kế hoạch kỳ tới."


@pytest.fixture
def held_jobs(demo, monkeypatch):
    """Report ids the compile task was sent for; the test runs the task as the worker would."""
    sent = []
    monkeypatch.setattr(compile_consolidated_report, "delay", lambda report_id: sent.append(report_id))
    return sent


def test_office_edits_the_outline_and_the_next_compile_follows_it(person, demo, held_jobs):
    period = ReportingPeriod.objects.get(code=PERIOD_CODE)
    assert period.kind == ReportingPeriod.Kind.HALF_YEAR
    page = at_home(person("vanphong"), demo)

    # From the consolidated reports to the half-year outline.
    open_menu_item(page, "Báo cáo tổng hợp")
    page.get_by_role("link", name="Đề cương báo cáo tổng hợp").click()
    expect(page.get_by_test_id("outline-half_year")).to_contain_text("Đề cương mặc định")
    page.get_by_role("link", name="Sửa đề cương báo cáo 6 tháng").click()
    expect(page.get_by_role("heading", name="Sửa đề cương báo cáo 6 tháng")).to_be_visible()
    expect(page.get_by_test_id("applies-next")).to_contain_text("áp dụng từ lần tổng hợp tiếp theo")

    # Rename the awards section's heading; add a section the office writes, with its default text.
    sections = page.get_by_test_id("outline-section")
    expect(sections).to_have_count(8)
    awards = sections.nth(2).get_by_label("Tiêu đề mục")
    expect(awards).to_have_value("III. CÔNG TÁC KHEN THƯỞNG")
    awards.fill(AWARDS)
    page.get_by_role("button", name="Thêm mục").click()
    expect(sections).to_have_count(9)
    added = sections.nth(8)
    expect(added.get_by_label("Nội dung lấy từ")).to_have_value("text")
    added.get_by_label("Tiêu đề mục").fill(ADDED)
    added.get_by_label("Nội dung mặc định").fill(ADDED_TEXT)
    # ▲ moves it above "VI. ĐỀ XUẤT, KIẾN NGHỊ", renumbering the order fields.
    added.get_by_role("button", name="Chuyển lên").click()
    expect(sections.nth(7).get_by_label("Tiêu đề mục")).to_have_value(ADDED)
    expect(sections.nth(7).get_by_label("Thứ tự")).to_have_value("8")
    expect(sections.nth(8).get_by_label("Thứ tự")).to_have_value("9")
    page.get_by_role("button", name="Lưu đề cương").click()
    expect(page.get_by_role("alert").filter(has_text="Đã lưu đề cương báo cáo 6 tháng.")).to_be_visible()
    expect(page.get_by_test_id("outline-half_year")).to_contain_text(AWARDS)
    expect(page.get_by_test_id("outline-half_year")).to_contain_text(ADDED)
    keys = [item["key"] for item in ConsolidatedOutline.objects.get(period_kind="half_year").sections]
    assert keys[-2:] == ["to_chuc_thuc_hien", "recommendations"]

    # Compile the half-year period; the report has the new heading and the office's section.
    page.get_by_role("link", name="Báo cáo tổng hợp", exact=True).last.click()
    page.get_by_test_id("consolidated-table").get_by_role("row").filter(has_text=period.label).get_by_role(
        "button", name="Tổng hợp báo cáo"
    ).click()
    expect(page.get_by_role("heading", name=f"Báo cáo tổng hợp {period.label}")).to_be_visible()
    report = ConsolidatedReport.objects.get(period=period)
    assert held_jobs == [report.pk]
    assert compile_consolidated_report(report.pk) == ConsolidatedReport.Status.READY
    page.reload()
    expect(page.get_by_test_id("consolidated-status")).to_have_text("Dự thảo")
    expect(page.get_by_label(AWARDS)).to_be_visible()
    expect(page.get_by_label(ADDED)).to_have_value(ADDED_TEXT)
