"""The editor tells the truth when a save fails: a lost server or network is not an ended session.

A 5xx (the HTML error page or the autosave's JSON 503), no network or no answer says the connection is lost,
keeps the text in the browser and sends it again after 2, 4, 8… seconds and at once when the browser comes
back online; a 403 that is not the autosave's own answer still says the session ended. The page's clock is
Playwright's (paused), so the waits between tries are stepped through, not slept; the server's answers during
an outage come from page.route. Works on the demo's draft of TDC, a section per test.
"""

import datetime
import json
import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reports.models import ReportSection, UnitReport

STAFF = "canbo.tdc"
LOST = "Mất kết nối tới máy chủ — nội dung vẫn được giữ trên máy này và sẽ tự lưu khi kết nối lại"
SAVED = re.compile(r"Đã lưu lúc \d\d:\d\d")
AUTOSAVE = "**/autosave/"


@pytest.fixture
def draft(demo):
    return UnitReport.objects.get(unit__code="TDC", status=UnitReport.Status.DRAFT)


@pytest.fixture
def editor(person, demo, draft):
    """The staff member's editor of the draft, its clock Playwright's and stopped: timers fire when stepped."""
    page = person(STAFF)
    page.clock.install()
    page.goto(demo.url + reverse("reports:edit", args=[draft.pk]))
    expect(page.get_by_role("heading", name=re.compile("^Báo cáo "))).to_be_visible()
    page.clock.pause_at(datetime.datetime.now() + datetime.timedelta(seconds=2))
    return page


def _status(page):
    return page.locator("#autosave-status")


def _kept_in_browser(page):
    """The texts the browser keeps for the report, by field name."""
    key = page.locator("#report-form").get_attribute("data-storage-key")
    kept = json.loads(page.evaluate("key => window.localStorage.getItem(key) || '{}'", key))
    return {name: value for entry in kept.values() for name, value in entry["values"].items()}


def _saved_text(report, key):
    return ReportSection.objects.get(report=report, key=key).text


def _type(page, label, text):
    """Type, then let the editor's short wait before saving pass (REPORT_AUTOSAVE_DELAY_MS, 0.2 s here)."""
    page.get_by_label(label).fill(text)
    page.clock.run_for(300)


def _until(page, condition):
    for _ in range(100):
        if condition():
            return
        page.wait_for_timeout(50)
    raise AssertionError("the editor did not send what was expected")


def test_a_server_outage_keeps_the_text_retries_later_each_time_and_saves_when_it_is_back(editor, draft):
    answers = []
    down = ["html-500", "json-503"]  # the page the server's error handler gives, then the autosave's own answer

    def server(route):
        if not down:
            answers.append("through")
            route.continue_()
            return
        failure = down.pop(0)
        answers.append(failure)
        if failure == "html-500":
            route.fulfill(status=500, content_type="text/html", body="<h1>Server Error (500)</h1>")
        else:
            route.fulfill(status=503, json={"error": "Máy chủ tạm thời không kết nối được cơ sở dữ liệu."})

    editor.route(AUTOSAVE, server)
    before = _saved_text(draft, "highlights")
    text = "- Gõ khi máy chủ mất kết nối cơ sở dữ liệu."
    _type(editor, "Kết quả nổi bật", text)

    expect(_status(editor)).to_have_text(LOST)
    expect(_status(editor).get_by_role("link")).to_have_count(0)  # no sign-in offered: it would fail too
    assert answers == ["html-500"]
    expect(editor.get_by_label("Kết quả nổi bật")).to_have_value(text)
    assert _kept_in_browser(editor) == {"section-highlights-text": text}
    assert _saved_text(draft, "highlights") == before

    editor.clock.run_for(2_000)  # the first wait: 2 s
    _until(editor, lambda: len(answers) == 2)
    expect(_status(editor)).to_have_text(LOST)
    editor.clock.run_for(3_900)  # the next wait is 4 s: not yet
    editor.wait_for_timeout(300)
    assert answers == ["html-500", "json-503"]
    editor.clock.run_for(100)

    expect(_status(editor)).to_have_text(SAVED)
    assert answers == ["html-500", "json-503", "through"]
    assert _saved_text(draft, "highlights") == text
    assert _kept_in_browser(editor) == {}


def test_without_network_the_text_waits_and_is_saved_as_soon_as_the_browser_is_online(editor, draft):
    text = "- Gõ khi mạng nội bộ bị ngắt."
    editor.context.set_offline(True)
    _type(editor, "Phương hướng, nhiệm vụ kỳ tới", text)
    expect(_status(editor)).to_have_text(LOST)
    assert _kept_in_browser(editor) == {"section-next_steps-text": text}

    # The clock stays stopped: only the browser's "online" event can send it now.
    editor.context.set_offline(False)

    expect(_status(editor)).to_have_text(SAVED)
    assert _saved_text(draft, "next_steps") == text
    assert _kept_in_browser(editor) == {}


def test_a_server_that_never_answers_counts_as_a_lost_connection(editor, draft):
    held = []
    editor.route(AUTOSAVE, lambda route: held.append(route))  # taken, never answered
    _type(editor, "Kết quả nổi bật", "- Gõ khi máy chủ treo.")
    _until(editor, lambda: len(held) == 1)
    expect(_status(editor)).to_have_text("Đang lưu…")

    editor.clock.run_for(20_000)

    expect(_status(editor)).to_have_text(LOST)
    assert _kept_in_browser(editor) == {"section-highlights-text": "- Gõ khi máy chủ treo."}


def test_a_forbidden_answer_that_is_not_the_autosaves_still_says_the_session_ended(editor, draft):
    # The CSRF failure page of a session that ended elsewhere: signing in again is what helps.
    editor.route(AUTOSAVE, lambda route: route.fulfill(status=403, content_type="text/html", body="<h1>403</h1>"))
    _type(editor, "Tồn tại, hạn chế và nguyên nhân", "- Gõ sau khi phiên hết hạn.")

    expect(_status(editor)).to_contain_text("Phiên đăng nhập đã hết hạn")
    expect(_status(editor).get_by_role("link", name="Đăng nhập lại để lưu tiếp")).to_be_visible()
    assert _kept_in_browser(editor) == {"section-shortcomings-text": "- Gõ sau khi phiên hết hạn."}
