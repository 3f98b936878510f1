"""A nomination in Chromium: a unit head nominates a new person, writes the achievement, uploads the required
dossier parts, watches the eligibility panel turn green and submits; the office returns it with a reason; the
unit sees the reason.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from awards.models import AwardForm, AwardRound, Nomination
from awards.services import rounds
from campaign.models import Campaign, ReportingPeriod
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, sign_in
from units.models import User

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
ROUND_TITLE = "Xét khen thưởng năm 2026 (thử nghiệm trình duyệt)"
NOMINEE = "Đinh Thị Phương Thảo"
ACHIEVEMENT = "Chủ trì số hóa 100% hồ sơ thủ tục hành chính của phòng, tiết kiệm 12% chi thường xuyên."
REASON = "Biên bản bình xét chưa có chữ ký của Chủ tịch Công đoàn."


@pytest.fixture
def open_round(demo_data):
    """An open annual round offering Lao động tiên tiến, requiring the accepted 2026-H1 reports of the demo."""
    office = User.objects.get(username="vanphong")
    award_round = rounds.round_create(
        actor=office,
        campaign=Campaign.objects.order_by("pk").first(),
        kind=AwardRound.Kind.ANNUAL,
        title=ROUND_TITLE,
        year=2026,
        deadline=timezone.localdate() + datetime.timedelta(days=10),
        offers={AwardForm.objects.get(code="lao-dong-tien-tien"): None},
        periods=[ReportingPeriod.objects.get(code="2026-H1")],
    )
    return rounds.round_open(award_round=award_round, actor=office)


def _person(new_context, live_server, username):
    page = new_context().new_page()
    page.set_default_timeout(DEFAULT_TIMEOUT_MS)
    sign_in(page, live_server, username)
    expect(page).to_have_url(f"{live_server.url}/")
    return page


def _alert(page, text):
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


def _upload(page, part_label, filename):
    form = page.get_by_test_id("dossier-upload")
    form.get_by_label("Thành phần hồ sơ").select_option(label=part_label)
    form.get_by_label("Tệp").set_input_files({"name": filename, "mimeType": "application/pdf", "buffer": PDF})
    form.get_by_role("button", name="Tải lên").click()
    _alert(page, f"Đã tải lên “{filename}”.")


def test_head_nominates_submits_office_returns_unit_sees_reason(new_context, live_server, open_round):
    head = _person(new_context, live_server, "truongphong.cds")

    # "Khen thưởng" shows the open round; the head starts a nomination of a person not yet on file.
    head.get_by_role("link", name="Khen thưởng").first.click()
    expect(head.get_by_role("heading", name="Khen thưởng", exact=True)).to_be_visible()
    card = head.get_by_test_id("open-rounds").locator(".card").filter(has_text=ROUND_TITLE)
    card.get_by_role("link", name="Lập đề nghị").click()
    head.get_by_label("Hình thức khen thưởng").select_option(label="Lao động tiên tiến")
    head.get_by_label("Cá nhân", exact=True).check()
    head.get_by_label("Họ và tên (người mới)").fill(NOMINEE)
    head.get_by_label("Chức vụ (người mới)").fill("Chuyên viên")
    head.get_by_role("button", name="Lập đề nghị").click()
    _alert(head, "Đã lập đề nghị.")

    # The eligibility panel says what is missing.
    panel = head.get_by_test_id("eligibility")
    expect(panel).to_contain_text("Chưa tải lên thành phần hồ sơ bắt buộc: Báo cáo thành tích.")
    expect(panel).to_contain_text("Chưa nhập phần “II. Thành tích đạt được trong phong trào thi đua”")

    # The achievement and the two required parts.
    head.get_by_label("II. Thành tích đạt được trong phong trào thi đua").fill(ACHIEVEMENT)
    head.get_by_role("button", name="Lưu tóm tắt thành tích").click()
    _alert(head, "Đã lưu tóm tắt thành tích.")
    expect(head.get_by_label("II. Thành tích đạt được trong phong trào thi đua")).to_have_value(ACHIEVEMENT)
    _upload(head, "Báo cáo thành tích (bắt buộc)", "Báo cáo thành tích Phương Thảo.pdf")
    _upload(head, "Biên bản bình xét của đơn vị (bắt buộc)", "Biên bản bình xét.pdf")
    expect(head.get_by_test_id("eligible")).to_have_text("Đề nghị đã đủ điều kiện để gửi.")

    # Submit (the page asks first).
    head.once("dialog", lambda dialog: dialog.accept())
    head.get_by_role("button", name="Gửi đề nghị").first.click()
    _alert(head, "Đã gửi đề nghị.")
    expect(head.get_by_test_id("nomination-status")).to_have_text("Đã gửi")
    expect(head.get_by_role("link", name="Sửa hồ sơ")).to_have_count(0)

    # The office finds it among the submitted ones and returns it with a reason.
    office = _person(new_context, live_server, "vanphong")
    office.get_by_role("link", name="Khen thưởng").first.click()
    office.get_by_test_id("nomination-table").get_by_role("link", name=NOMINEE).click()
    expect(office.get_by_test_id("achievement")).to_contain_text(ACHIEVEMENT)
    check = office.get_by_test_id("check-dossier")
    check.get_by_role("button", name="Trả lại đơn vị").click()
    _alert(office, "Vui lòng nêu lý do trả lại")
    check = office.get_by_test_id("check-dossier")
    check.get_by_label("Lý do trả lại").fill(REASON)
    check.get_by_role("button", name="Trả lại đơn vị").click()
    _alert(office, "Đã trả lại đề nghị cho đơn vị để bổ sung.")

    # The unit sees the reason and may edit again.
    head.reload()
    expect(head.get_by_test_id("return-reason")).to_contain_text(REASON)
    expect(head.get_by_test_id("nomination-status")).to_have_text("Trả lại để bổ sung")
    expect(head.get_by_role("link", name="Sửa hồ sơ")).to_be_visible()

    nomination = Nomination.objects.get(nominee_name=NOMINEE)
    assert nomination.status == Nomination.Status.RETURNED
    assert nomination.dossier_files.count() == 2
