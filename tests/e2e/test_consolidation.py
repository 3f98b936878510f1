"""The consolidated report in Chromium: the office compiles a period and watches it finish without reloading,
edits a section and sends it for approval; the Director approves; the office issues it with the portal's
register and marks it sent; the final PDF downloads with its number.

The job is held back (the broker takes it, no worker runs it) until the page shows it waiting, then run
here as the worker would, so the test sees the page pick up the new state by itself.
"""

import re
from io import BytesIO

import pytest
from playwright.sync_api import expect
from pypdf import PdfReader

from campaign.models import ReportingPeriod
from documents import stored
from reports.models import ConsolidatedReport
from reports.tasks import compile_consolidated_report
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, RENDER_TIMEOUT_MS, at_home
from tests.e2e.menu import open_menu_item

PERIOD_CODE = "2026-H1"  # the demo's units all have accepted reports for it
# The second test's own half-year period (the tests of a module share the demo): accepted reports too.
OTHER_PERIOD_CODE = "2025-H1"
CAUSES = "Một số đơn vị chưa chủ động cập nhật số liệu giải ngân theo tháng."
CHANNEL = "Hệ thống quản lý văn bản và điều hành"


@pytest.fixture
def held_jobs(demo, monkeypatch):
    """Report ids the compile task was sent for; the task waits until the test runs it."""
    sent = []
    monkeypatch.setattr(compile_consolidated_report, "delay", lambda report_id: sent.append(report_id))
    return sent


def _person(person, demo, username):
    return at_home(person(username, accept_downloads=True), demo)


def _open_list(page):
    open_menu_item(page, "Báo cáo tổng hợp")
    expect(page.get_by_role("heading", name="Báo cáo tổng hợp", exact=True)).to_be_visible()


def _period_row(page, period):
    return page.get_by_test_id("consolidated-table").get_by_role("row").filter(has_text=period.label)


def _confirm_and_click(page, button):
    page.once("dialog", lambda dialog: dialog.accept())
    button.click()


def _alert(page, text):
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


def test_office_compiles_edits_sends_director_approves_office_issues_and_downloads(person, demo, held_jobs):
    period = ReportingPeriod.objects.get(code=PERIOD_CODE)

    # The office asks for the compile; the page shows the job waiting.
    office = _person(person, demo, "vanphong")
    _open_list(office)
    _period_row(office, period).get_by_role("button", name="Tổng hợp báo cáo").click()
    expect(office.get_by_role("heading", name=f"Báo cáo tổng hợp {period.label}")).to_be_visible()
    expect(office.get_by_role("status")).to_contain_text("Đang chờ tổng hợp")
    report = ConsolidatedReport.objects.get(period=period)
    assert held_jobs == [report.pk]

    # The worker runs the job; the page notices by itself and shows the ready draft.
    assert compile_consolidated_report(report.pk) == ConsolidatedReport.Status.READY
    expect(office.get_by_test_id("consolidated-status")).to_have_text("Dự thảo", timeout=3 * DEFAULT_TIMEOUT_MS)
    expect(office.get_by_test_id("office-only")).to_be_visible()

    # The office edits a section and sends the report for approval.
    office.get_by_label("3. Nguyên nhân").fill(CAUSES)
    office.get_by_role("button", name="Lưu nội dung").click()
    _alert(office, "Đã lưu nội dung báo cáo tổng hợp.")
    expect(office.get_by_label("3. Nguyên nhân")).to_have_value(CAUSES)
    _confirm_and_click(office, office.get_by_role("button", name="Trình lãnh đạo duyệt"))
    _alert(office, "Đã trình lãnh đạo duyệt")
    expect(office.get_by_test_id("consolidated-status")).to_have_text("Chờ lãnh đạo duyệt")

    # The Director opens it from the list and approves.
    director = _person(person, demo, "giamdoc")
    _open_list(director)
    row = _period_row(director, period)
    expect(row).to_contain_text("Chờ lãnh đạo duyệt")
    row.get_by_role("link", name="Xem").click()
    expect(director.get_by_test_id("consolidated-content")).to_contain_text(CAUSES)
    _confirm_and_click(director, director.get_by_role("button", name="Duyệt", exact=True))
    _alert(director, "Đã duyệt báo cáo tổng hợp")

    # The office takes the next number of the portal's register, then records the sending.
    office.reload()
    issue = office.get_by_test_id("issue-register")
    expect(issue.get_by_label("Ngày ban hành")).to_have_value(re.compile(r"^\d\d/\d\d/\d{4}$"))
    _confirm_and_click(office, issue.get_by_role("button", name="Lấy số tự động"))
    _alert(office, "Đã vào số và ban hành báo cáo tổng hợp.")
    expect(office.get_by_test_id("issued-number")).to_contain_text("Số: 01/BC-SKHCN")
    sent = office.get_by_test_id("mark-sent")
    sent.get_by_label("Hình thức gửi").fill(CHANNEL)
    sent.get_by_role("button", name="Đã gửi").click()
    _alert(office, "Đã ghi nhận gửi báo cáo.")
    expect(office.get_by_test_id("sent")).to_contain_text(CHANNEL)

    # The issue queued the final files' render; a worker runs it (here, in the test's thread), then the final
    # PDF downloads as stored, with its number, no longer a draft.
    queued = stored.stored_files(report)
    assert queued.render_status == queued.RenderStatus.QUEUED
    assert stored.render(stored_id=queued.pk).final
    office.reload()
    expect(office.get_by_test_id("stored-files")).to_contain_text("không bao giờ thay đổi")
    with office.expect_download(timeout=RENDER_TIMEOUT_MS) as downloaded:
        office.get_by_test_id("download-pdf").click(timeout=RENDER_TIMEOUT_MS)
    with open(downloaded.value.path(), "rb") as pdf:
        reader = PdfReader(BytesIO(pdf.read()))
    text = " ".join(" ".join(page.extract_text() for page in reader.pages).split())
    assert "Số: 01/BC-SKHCN" in text
    assert "DỰ THẢO" not in text
    assert CAUSES in text

    report.refresh_from_db()
    assert report.status == ConsolidatedReport.Status.ISSUED
    assert list(report.transitions.values_list("action", flat=True)) == [
        "request",
        "compile",
        "edit",
        "send_for_approval",
        "approve",
        "issue",
        "send",
    ]


def test_sending_for_approval_right_after_typing_keeps_the_edit(person, demo, held_jobs):
    """An edit typed but not saved goes with "Trình lãnh đạo duyệt": the confirmation names it, the server saves it."""
    period = ReportingPeriod.objects.get(code=OTHER_PERIOD_CODE)
    office = _person(person, demo, "vanphong")
    _open_list(office)
    _period_row(office, period).get_by_role("button", name="Tổng hợp báo cáo").click()
    report = ConsolidatedReport.objects.get(period=period)
    assert compile_consolidated_report(report.pk) == ConsolidatedReport.Status.READY
    expect(office.get_by_test_id("consolidated-status")).to_have_text("Dự thảo", timeout=3 * DEFAULT_TIMEOUT_MS)

    office.get_by_label("3. Nguyên nhân").fill(CAUSES)  # and no "Lưu nội dung"
    questions = []

    def answer(dialog):
        questions.append(dialog.message)
        dialog.accept()

    office.once("dialog", answer)
    office.get_by_role("button", name="Trình lãnh đạo duyệt").click()
    _alert(office, "Đã lưu các mục vừa sửa và trình lãnh đạo duyệt báo cáo tổng hợp.")
    expect(office.get_by_test_id("consolidated-status")).to_have_text("Chờ lãnh đạo duyệt")
    expect(office.get_by_test_id("consolidated-content")).to_contain_text(CAUSES)
    assert "chưa lưu" in questions[0]
    assert "3. Nguyên nhân" in questions[0]

    report.refresh_from_db()
    assert next(item["text"] for item in report.sections["items"] if item["key"] == "causes") == CAUSES
    assert list(report.transitions.values_list("action", flat=True)) == [
        "request",
        "compile",
        "edit",
        "send_for_approval",
    ]
