"""The whole unit-report loop in Chromium: staff drafts, the head submits, the office returns it with a
reason, the unit revises and resubmits, the office sees what changed and accepts.

The demo leaves the open period's report of QLCN not started, so the loop starts from nothing.
"""

import datetime
import hashlib
import re

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from demo.data import OPEN_PERIOD_STATES, demo_open_period
from reports.models import ReportTransition, UnitReport
from reports.selectors import TODO_WINDOW_DAYS
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, at_home
from tests.e2e.menu import open_menu_item

UNIT_CODE = "QLCN"
UNIT_NAME = "Phòng Quản lý công nghệ và Đổi mới sáng tạo"
RETURN_REASON = "Đề nghị bổ sung số liệu hồ sơ xử lý trực tuyến tại tiêu chí III.1.1.2."
REVISED_WORDS = "98% hồ sơ được xử lý trực tuyến toàn trình"
QUANTITIES = {
    "recurrent": "2.750.000.000",
    "total": "4.100.000.000",
    "planned": "900.000.000",
    "disbursed": "850.000.000",
}
SAVED = re.compile(r"Đã lưu lúc \d\d:\d\d")


@pytest.fixture
def open_period(demo):
    """The demo's open period, due soon enough to be in the unit's to-do list whatever day the tests run."""
    period = demo_open_period()
    today = timezone.localdate()
    if period.days_left(today) > TODO_WINDOW_DAYS:
        period.unit_due_date = today + datetime.timedelta(days=20)
        period.department_due_date = max(period.department_due_date, period.unit_due_date)
        period.save()
    return period


def _person(person, demo, username):
    """A browser of its own for one person, signed in and on the home page."""
    return at_home(person(username), demo)


def _all_saved(page):
    """Every part typed so far reached the server: the editor keeps a browser copy only of unsaved parts.

    The parts are saved one after the other, so a whole report may take longer than one expect() timeout.
    """
    page.wait_for_function(
        "() => !Object.keys(window.localStorage).some((key) => key.startsWith('thidua-report-'))",
        timeout=3 * DEFAULT_TIMEOUT_MS,
    )
    expect(page.locator("#autosave-status")).to_have_text(SAVED)


def _fill_every_part(page):
    for part in page.locator("fieldset[data-part^='criterion-']").all():
        code = part.locator("legend").inner_text().split()[0]
        part.locator("textarea[name$='-activities']").fill(
            f"Trong kỳ này, phòng đã:\n- Triển khai tiêu chí {code} đúng kế hoạch.\n- Không có vướng mắc."
        )
        for quantity in part.locator("input[name*='-q-']").all():
            quantity.fill(QUANTITIES[quantity.get_attribute("name").rsplit("-q-", 1)[1]])
        part.locator("select[name$='-assessment']").select_option(label="Hoàn thành tốt")
    for section in page.locator("fieldset[data-part^='section-']").all():
        title = section.locator("legend").inner_text()
        if section.get_attribute("data-part") == "section-recommendations":
            # Proposals are rows, each saying whom it asks: the empty row gets one.
            row = section.locator("[data-proposal-row]").last
            row.locator("textarea").fill(f"{title} của phòng trong kỳ này.")
            row.locator("select").select_option(label="UBND tỉnh, các sở, ngành của tỉnh")
            continue
        section.locator("textarea").fill(f"{title} của phòng trong kỳ này.\n- Ý thứ nhất.\n- Ý thứ hai.")
    _all_saved(page)


def _open_todo_report(page, period):
    page.get_by_role("link", name="Việc cần làm").first.click()
    expect(page.get_by_role("heading", name="Việc cần làm")).to_be_visible()
    return page.get_by_test_id("owed-table").get_by_role("row").filter(has_text=_starting_with(period.label))


def _starting_with(text):
    return re.compile(rf"^\s*{re.escape(text)}(\s|$)")


def _submit(page):
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Nộp báo cáo").click()
    expect(page.get_by_role("alert").filter(has_text="Đã nộp báo cáo")).to_be_visible()


def _open_in_matrix(page, period):
    open_menu_item(page, "Theo dõi báo cáo")
    expect(page.get_by_role("heading", name="Tình hình nộp báo cáo")).to_be_visible()
    page.get_by_label("Kỳ báo cáo").select_option(label=period.label)
    page.get_by_role("button", name="Lọc").click()
    expect(page.get_by_text(f"{period.label} · hạn đơn vị nộp")).to_be_visible()
    return _matrix_row(page)


def _matrix_row(page):
    return page.get_by_test_id("matrix-table").get_by_role("row").filter(has_text=UNIT_NAME)


def test_unit_drafts_submits_revises_and_the_office_returns_then_accepts(person, demo, open_period):
    assert UNIT_CODE not in OPEN_PERIOD_STATES  # the demo leaves this unit's open-period report not started
    code = UNIT_CODE.lower()

    # Staff start the report from "Việc cần làm" and fill every criterion and section; autosave keeps it.
    staff = _person(person, demo, f"canbo.{code}")
    row = _open_todo_report(staff, open_period)
    expect(row).to_contain_text("Chưa lập")
    row.get_by_role("button", name="Lập báo cáo").click()
    expect(staff.get_by_role("heading", name=f"Báo cáo {open_period.label}", exact=True)).to_be_visible()
    _fill_every_part(staff)
    report = UnitReport.objects.get(unit__code=UNIT_CODE, period=open_period)
    assert report.status == UnitReport.Status.DRAFT
    assert all(result.activities.startswith("Trong kỳ này") for result in report.results.all())

    # The head opens it and submits.
    head = _person(person, demo, f"truongphong.{code}")
    _open_todo_report(head, open_period).get_by_role("link", name="Soạn báo cáo").click()
    expect(head.get_by_label("Kết quả thực hiện tiêu chí III.1.1.2")).to_have_value(re.compile("Trong kỳ này"))
    _submit(head)
    expect(head.locator(".badge", has_text="Đã nộp")).to_be_visible()

    # The office finds it in the matrix, opens the review and returns it with a reason.
    office = _person(person, demo, "vanphong")
    office_row = _open_in_matrix(office, open_period)
    expect(office_row).to_contain_text("Đã nộp")
    office_row.get_by_role("link", name="Xem, rà soát").click()
    expect(office.get_by_role("heading", name=f"Rà soát báo cáo {open_period.label}", exact=True)).to_be_visible()
    office.get_by_label("Lý do trả lại").fill(RETURN_REASON)
    office.get_by_role("button", name="Trả lại").click()
    expect(office.get_by_role("alert").filter(has_text="Đã trả lại báo cáo")).to_be_visible()
    expect(_open_in_matrix(office, open_period)).to_contain_text("Trả lại để bổ sung")

    # The head sees the reason, revises the criterion and resubmits.
    row = _open_todo_report(head, open_period)
    expect(row).to_contain_text("Trả lại để bổ sung")
    row.get_by_role("link", name="Soạn báo cáo").click()
    expect(head.get_by_test_id("return-reason")).to_contain_text(RETURN_REASON)
    activities = head.get_by_label("Kết quả thực hiện tiêu chí III.1.1.2")
    activities.press("Control+End")
    activities.press_sequentially(f"\n- Bổ sung: {REVISED_WORDS}.")
    expect(head.locator("#autosave-status")).to_have_text(SAVED)
    _submit(head)

    # The office sees exactly what changed, then accepts.
    _open_in_matrix(office, open_period).get_by_role("link", name="Xem, rà soát").click()
    office.get_by_role("link", name="Xem thay đổi so với lần nộp trước").click()
    change = office.get_by_test_id("change").filter(has_text="III.1.1.2")
    expect(change).to_have_count(1)
    expect(change.locator("ins.diff-added")).to_contain_text(REVISED_WORDS)
    expect(office.get_by_test_id("change")).to_have_count(1)
    office.get_by_role("link", name="Quay lại rà soát").click()
    office.once("dialog", lambda dialog: dialog.accept())
    office.get_by_role("button", name="Tiếp nhận").click()
    expect(office.get_by_role("alert").filter(has_text="Đã tiếp nhận báo cáo")).to_be_visible()
    expect(_open_in_matrix(office, open_period)).to_contain_text("Đã tiếp nhận")

    report.refresh_from_db()
    assert report.status == UnitReport.Status.ACCEPTED
    assert report.submission_count == 2
    assert list(report.transitions.values_list("action", flat=True)) == [
        ReportTransition.Action.CREATE,
        ReportTransition.Action.SUBMIT,
        ReportTransition.Action.OPEN_REVIEW,
        ReportTransition.Action.RETURN,
        ReportTransition.Action.SUBMIT,
        ReportTransition.Action.OPEN_REVIEW,
        ReportTransition.Action.ACCEPT,
    ]


@pytest.mark.usefixtures("stored_rendering")
def test_a_unit_makes_its_reports_files_once_and_downloads_the_stored_pdf(person, demo, open_period):
    """The files are made by the job when asked (never on download); the page shows each file's SHA-256."""
    report = UnitReport.objects.get(unit__code="TDC", period=open_period)  # a draft no one has moved yet
    staff = at_home(person("canbo.tdc", accept_downloads=True), demo)
    staff.goto(f"{demo.url}{report.get_absolute_url()}")
    files = staff.get_by_test_id("stored-files")
    expect(files).to_contain_text("Chưa có tệp của văn bản này.")
    files.get_by_role("button", name="Tạo tệp").click()
    expect(staff.get_by_text("Đã yêu cầu tạo tệp theo nội dung hiện tại")).to_be_visible()
    shown = staff.get_by_test_id("sha256-pdf").inner_text().strip()
    with staff.expect_download() as downloaded:
        staff.get_by_role("link", name="Tải PDF").click()
    with open(downloaded.value.path(), "rb") as pdf:
        content = pdf.read()
    assert content.startswith(b"%PDF")
    assert hashlib.sha256(content).hexdigest() == shown
