"""The council in Chromium: the office convenes a meeting, puts a submitted nomination on its agenda,
records who attended, enters the paper ballot's tally and closes the meeting; the nomination is then
recommended ("Hội đồng đề nghị khen thưởng").
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from awards.models import AwardForm, AwardRound, CouncilMember, Nomination, RoundForm
from awards.services.council import council_member_add
from campaign.models import Campaign
from tests.e2e.conftest import sign_in
from units.models import Unit, User

ROUND_TITLE = "Xét khen thưởng năm (kiểm thử Hội đồng)"
MEETING_TITLE = "Phiên họp Hội đồng xét danh hiệu tập thể"
# The demo's council: the Director chairs, the office clerk is secretary (seated through the service,
# which gives the office clerk the council's menu entry).
SEATS = (
    ("giamdoc", "chair"),
    ("phogiamdoc", "vice_chair"),
    ("vanphong", "secretary"),
    ("truongphong.qlkh", "member"),
    ("truongphong.khtc", "member"),
)


@pytest.fixture
def submitted_nomination(demo_data):
    """An open round with a collective nomination of Phòng Quản lý khoa học, submitted; a seated council."""
    office = User.objects.get(username="vanphong")
    if not CouncilMember.objects.filter(is_active=True, role="chair").exists():
        for username, role in SEATS:
            user = User.objects.get(username=username)
            if not CouncilMember.objects.filter(user=user, is_active=True).exists():
                council_member_add(user=user, role=role, actor=office)
    form = AwardForm.objects.get(code="tap-the-lao-dong-tien-tien")
    today = timezone.localdate()
    award_round = AwardRound.objects.create(
        campaign=Campaign.objects.get(),
        kind=AwardRound.Kind.ANNUAL,
        title=ROUND_TITLE,
        year=today.year,
        deadline=today + datetime.timedelta(days=10),
        status=AwardRound.Status.OPEN,
        created_by=office,
    )
    RoundForm.objects.create(round=award_round, form=form)
    unit = Unit.objects.get(code="QLKH")
    head = User.objects.get(username="truongphong.qlkh")
    return Nomination.objects.create(
        round=award_round,
        form=form,
        unit=unit,
        nominee_kind=Nomination.NomineeKind.COLLECTIVE,
        nominee_unit=unit,
        nominee_name=unit.name,
        nominee_unit_name=unit.name,
        achievement={"achievements": "Hoàn thành xuất sắc nhiệm vụ năm."},
        status=Nomination.Status.SUBMITTED,
        created_by=head,
        submitted_by=head,
        submitted_at=timezone.now(),
    )


def test_office_convenes_sets_the_agenda_records_attendance_enters_the_tally_and_closes(
    page, live_server, submitted_nomination
):
    nomination = submitted_nomination
    sign_in(page, live_server, "vanphong")
    expect(page).to_have_url(f"{live_server.url}/")

    # The office convenes the meeting from the council's page; the paper ballot is the default.
    page.get_by_role("link", name="Hội đồng TĐKT").first.click()
    expect(page.get_by_role("heading", name="Hội đồng Thi đua - Khen thưởng", exact=True)).to_be_visible()
    page.get_by_role("link", name="Triệu tập cuộc họp").click()
    page.get_by_label("Đợt xét khen thưởng").select_option(label=ROUND_TITLE)
    page.get_by_label("Tên cuộc họp").fill(MEETING_TITLE)
    page.get_by_label("Thời gian họp").fill("05/12/2026 14:00")
    page.get_by_label("Địa điểm").fill("Phòng họp tầng 2")
    expect(page.get_by_label("Bỏ phiếu kín bằng giấy", exact=False)).to_be_checked()
    page.get_by_role("button", name="Triệu tập").click()
    expect(page.get_by_role("heading", name=MEETING_TITLE)).to_be_visible()
    expect(page.get_by_test_id("meeting-status")).to_have_text("Đã lên lịch")
    expect(page.get_by_text("14:00 05/12/2026")).to_be_visible()

    # The nomination goes on the agenda.
    page.get_by_role("link", name="Đưa hồ sơ vào chương trình").click()
    page.get_by_label(nomination.nominee_name, exact=False).check()
    page.get_by_role("button", name="Đưa vào chương trình").click()
    expect(page.get_by_role("alert").filter(has_text="Đã đưa 1 đề nghị vào chương trình họp.")).to_be_visible()
    agenda = page.get_by_test_id("agenda-table")
    expect(agenda.get_by_role("link", name=nomination.nominee_name)).to_be_visible()

    # Everyone attends: the meeting is held with its quorum.
    page.get_by_role("link", name="Ghi danh sách có mặt").click()
    checkboxes = page.locator("input[name=present]")
    for index in range(checkboxes.count()):
        checkboxes.nth(index).check()
    page.get_by_role("button", name="Lưu danh sách có mặt").click()
    expect(page.get_by_test_id("meeting-status")).to_have_text("Đang họp")
    expect(page.get_by_test_id("quorum")).to_contain_text("Có mặt 5/5 thành viên")

    # A mistake in the tally is refused and the numbers typed stay.
    page.get_by_role("link", name="Nhập kết quả kiểm phiếu").click()
    agree = page.get_by_label(f"Số phiếu đồng ý — {nomination.nominee_name}")
    disagree = page.get_by_label(f"Số phiếu không đồng ý — {nomination.nominee_name}")
    agree.fill("6")
    disagree.fill("0")
    page.get_by_role("button", name="Lưu kết quả").click()
    expect(page.get_by_text("vượt quá số thành viên được bỏ phiếu có mặt: 5")).to_be_visible()
    expect(agree).to_have_value("6")

    agree.fill("4")
    disagree.fill("1")
    page.get_by_role("button", name="Lưu kết quả").click()
    expect(page.get_by_role("alert").filter(has_text="Đã lưu kết quả kiểm phiếu.")).to_be_visible()
    row = page.get_by_test_id("agenda-row").filter(has_text=nomination.nominee_name)
    expect(row.get_by_role("cell").nth(3)).to_have_text("4")
    expect(row.get_by_role("cell").nth(4)).to_have_text("1")

    # Closing decides the nomination: 4 against 1 is a simple majority.
    page.get_by_label("Ý kiến tại cuộc họp", exact=False).fill("Hội đồng thống nhất cao.")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Kết thúc cuộc họp").click()
    expect(page.get_by_test_id("meeting-status")).to_have_text("Đã kết thúc")
    expect(row).to_contain_text("Hội đồng đề nghị khen thưởng")
    expect(row).to_contain_text("Đạt")
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.RECOMMENDED
