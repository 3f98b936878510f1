"""Leadership's overview in Chromium (issue 15): the Director signs in, sees what waits for them on the home page and
its count in the menu, opens "Tổng quan", reads its figures, follows the waiting item from the overview to the
consolidated report and approves it; the item and the count are gone and the office is told. A unit's head reads
their own unit's page and no other.

The consolidated report of the demo's open period is set up through the services, as the office would through its
pages (tests/e2e/test_consolidation.py walks those): requested, compiled here as the worker would, sent for approval.
"""

import pytest
from playwright.sync_api import expect

from demo.data import demo_open_period
from notifications.models import Notification
from reports.models import ConsolidatedReport
from reports.services import consolidation
from reports.tasks import compile_consolidated_report
from tests.e2e.conftest import at_home, sign_in
from tests.e2e.menu import open_menu_item
from units.models import Unit, User


@pytest.fixture
def sent_for_approval(demo, monkeypatch):
    """The open period's consolidated report, compiled by the office and sent for approval."""
    office = User.objects.get(username="vanphong")
    held = []
    monkeypatch.setattr(compile_consolidated_report, "delay", lambda report_id: held.append(report_id))
    report = consolidation.consolidation_request(period=demo_open_period(), actor=office)
    assert held == [report.pk]
    report = consolidation.consolidation_compile(report_id=report.pk)
    return consolidation.consolidation_send_for_approval(report=report, actor=office)


def _menu_item(page, label):
    return page.locator("header").locator(f'[data-menu-item="{label}"]')


def test_director_sees_what_waits_opens_the_overview_and_approves_from_it(page, demo, sent_for_approval):
    report = sent_for_approval
    label = report.period.label
    item_text = f"Duyệt báo cáo tổng hợp {label}"

    sign_in(page, demo.url, "giamdoc")
    expect(page).to_have_url(f"{demo.url}/")
    waiting = page.locator('[data-panel="waiting"]')
    expect(waiting.locator('[data-kind="consolidated_pending_approval"]').get_by_role("link")).to_have_text(item_text)
    expect(_menu_item(page, "Báo cáo tổng hợp").locator(".portal-menu-count")).to_have_text("1 việc chờ")

    open_menu_item(page, "Tổng quan")
    expect(page.get_by_role("heading", name="Tổng quan phong trào thi đua")).to_be_visible()
    expect(_menu_item(page, "Tổng quan")).to_have_attribute("aria-current", "page")
    # The submissions across periods: a chart and the table of its numbers.
    section = page.locator("#nop-bao-cao")
    expect(section.locator("canvas.overview-chart")).to_be_visible()
    expect(section.locator("table caption")).to_be_visible()
    # The open period's row leads to the units still owing its report, named: of the demo's seven, KHTC's report is
    # accepted, QLKH's submitted and CDS's returned after it was submitted; HCTH and TDC hold drafts, QLCN and TTUD
    # have not started.
    section.get_by_role("link", name=label, exact=True).click()
    missing = page.locator("#thieu")
    expect(missing.get_by_role("heading")).to_have_text(f"Đơn vị chưa nộp báo cáo {label}")
    expect(missing.locator("tbody tr")).to_have_count(4)
    owing = missing.locator("tbody")
    expect(owing).to_contain_text("Phòng Hành chính - Tổng hợp")
    expect(owing).to_contain_text("Trung tâm Ứng dụng và Dịch vụ khoa học công nghệ")
    expect(owing).not_to_contain_text("Phòng Chuyển đổi số")

    strip = page.locator('[data-panel="waiting-strip"]')
    strip.get_by_role("link", name=item_text).click()
    expect(page).to_have_url(f"{demo.url}/reports/consolidated/{report.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Duyệt", exact=True).click()
    expect(page.get_by_role("alert").filter(has_text="Đã duyệt báo cáo tổng hợp")).to_be_visible()

    at_home(page, demo)
    expect(page.locator('[data-panel="waiting"] [data-kind="consolidated_pending_approval"]')).to_have_count(0)
    expect(_menu_item(page, "Báo cáo tổng hợp").locator(".portal-menu-count")).to_have_count(0)
    report.refresh_from_db()
    assert report.status == ConsolidatedReport.Status.APPROVED
    assert Notification.objects.filter(
        recipient__username="vanphong", message__contains=f"Báo cáo tổng hợp {label} đã được lãnh đạo duyệt"
    ).exists()


def test_a_unit_head_reads_their_own_units_page_and_no_other(person, demo):
    head = at_home(person("truongphong.qlkh"), demo)
    head.get_by_test_id("overview-unit-link").click()
    own = Unit.objects.get(code="QLKH")
    expect(head).to_have_url(f"{demo.url}/tong-quan/don-vi/{own.pk}/")
    expect(head.get_by_role("heading", level=1)).to_contain_text(own.name)
    other = Unit.objects.get(code="CDS")
    response = head.goto(f"{demo.url}/tong-quan/don-vi/{other.pk}/")
    assert response.status == 404
