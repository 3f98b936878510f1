"""Issue 15's friction in Chromium, on the demo's draft of TDC: a refused upload's message where the person looks,
an amount typed with dots coming back with dots, a negative amount refused while typing (never "-0,00%"), and the
texts left from last period listed, in view, when the head submits."""

import re

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from reports.models import UnitReport
from reports.services import prefill_check
from tests.e2e.conftest import at_home

SAVED = re.compile(r"Đã lưu lúc \d\d:\d\d")
STAFF = "canbo.tdc"
HEAD = "truongphong.tdc"
SHARE = "III.1.2.3"


@pytest.fixture
def draft(demo):
    return UnitReport.objects.get(unit__code="TDC", status=UnitReport.Status.DRAFT)


def open_editor(person, demo, username, report):
    page = at_home(person(username), demo)
    page.goto(demo.url + reverse("reports:edit", args=[report.pk]))
    return page


def share_card(page):
    return page.locator("fieldset", has=page.get_by_label(f"Kết quả thực hiện tiêu chí {SHARE}"))


def test_a_refused_upload_shows_its_message_focused_in_the_criterions_card(person, demo, draft):
    page = open_editor(person, demo, STAFF, draft)
    card = share_card(page)
    card.get_by_label(f"Chọn tệp minh chứng cho tiêu chí {SHARE}").set_input_files(
        {"name": "Biên bản.docx", "mimeType": "application/pdf", "buffer": b"%PDF-1.4\n"}
    )
    card.get_by_role("button", name="Tải lên").click()

    message = card.locator("[data-upload-messages] .alert")
    expect(message).to_have_text(
        re.compile("Không tải lên được “Biên bản.docx”: Nội dung tệp không khớp với phần mở rộng .docx.")
    )
    expect(message).to_be_in_viewport(ratio=1)
    expect(message).to_be_focused()
    expect(page.locator(".portal-messages .alert")).to_have_count(0)


def test_an_amount_comes_back_with_dots_and_a_negative_one_is_refused_while_typing(person, demo, draft):
    page = open_editor(person, demo, STAFF, draft)
    card = share_card(page)
    recurrent = card.get_by_label(re.compile(rf"^Chi thường xuyên .*{re.escape(SHARE)}$"))
    total = card.get_by_label(re.compile(rf"^Tổng chi ngân sách nhà nước .*{re.escape(SHARE)}$"))

    total.fill("1.050.000.000")
    recurrent.fill("-3")
    expect(recurrent).to_have_class(re.compile(r"\bis-invalid\b"))
    expect(card.locator(f"#{recurrent.get_attribute('id')}-error")).to_have_text("Số liệu không được âm.")
    expect(card.get_by_test_id("indicator-value")).to_have_text("—")

    recurrent.fill("3")
    expect(recurrent).not_to_have_class(re.compile(r"\bis-invalid\b"))
    expect(card.get_by_test_id("indicator-value")).to_have_text("0,00%")
    expect(page.locator("#autosave-status")).to_have_text(SAVED)

    page.reload()
    expect(total).to_have_value("1.050.000.000")
    expect(recurrent).to_have_value("3")


def test_a_refused_save_brings_the_person_to_the_field_it_marked(person, demo, draft):
    page = open_editor(person, demo, STAFF, draft)
    total = share_card(page).get_by_label(re.compile(rf"^Tổng chi ngân sách nhà nước .*{re.escape(SHARE)}$"))
    total.fill("khoảng 4 tỷ")
    page.get_by_role("button", name="Lưu nháp").click()

    expect(page.locator(".portal-messages .alert-danger")).to_contain_text("Có số liệu chưa hợp lệ")
    expect(total).to_have_value("khoảng 4 tỷ")
    expect(total).to_be_focused()
    expect(total).to_be_in_viewport(ratio=1)


def test_the_head_sees_the_texts_left_from_last_period_when_submitting(person, demo, draft):
    assert prefill_check.stale_texts(draft), "the demo's draft starts as a copy of the unit's previous report"
    page = open_editor(person, demo, HEAD, draft)
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Nộp báo cáo", exact=True).click()

    panel = page.get_by_test_id("stale-texts")
    expect(panel).to_contain_text("Giống hệt báo cáo")
    expect(panel).to_be_in_viewport(ratio=1)
    expect(panel).to_be_focused()
    draft.refresh_from_db()
    assert draft.status == UnitReport.Status.DRAFT
