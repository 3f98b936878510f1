"""Awards in Chromium, from a unit's proposal to the public list, as one journey (it was four tests sharing one
set-up, merged with every assertion kept).

A unit head proposes a person, sees the eligibility panel say what is missing, completes the dossier and sends
it; the office returns it with a reason, the unit sees the reason and sends it again. The office convenes the
council (paper ballot), puts that nomination and a unit's collective one on the agenda, records attendance,
has a mistaken tally refused and enters the right one, and closes the meeting: both are recommended. The
public pages show the person under notice. The Director approves both at once; the office drafts the
Department's decision, issues it with the portal's number and downloads its PDF; the public list of the year
shows the award with its decision number, and the unit sees its nomination conferred.
"""

import datetime

import pytest
from django.core.cache import caches
from django.utils import timezone
from playwright.sync_api import expect

from awards.models import AwardForm, AwardRecord, AwardRound, CouncilMember, Nomination
from awards.services import rounds
from awards.services.council import council_member_add
from campaign.models import Campaign, ReportingPeriod
from tests.awards.conftest import classified, make_nomination
from tests.awards.test_outcomes_support import pdf_text
from tests.e2e.conftest import at_home
from tests.e2e.menu import open_menu_item
from units.models import Person, Unit, User

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"
ROUND_TITLE = "Xét khen thưởng năm 2026 (hành trình một đề nghị)"
MEETING_TITLE = "Phiên họp Hội đồng xét danh hiệu Lao động tiên tiến"
NOMINEE = "Võ Thị Hành Trình"
ACHIEVEMENT = "Triển khai hóa đơn điện tử cho toàn bộ hợp đồng dịch vụ, tiết kiệm 8% chi phí văn phòng phẩm."
REASON = "Biên bản bình xét chưa có chữ ký của Chủ tịch Công đoàn."
COLLECTIVE_UNIT = "QLKH"  # its collective nomination for Tập thể lao động tiên tiến waits for the council
SEATS = (
    ("giamdoc", "chair"),
    ("phogiamdoc", "vice_chair"),
    ("vanphong", "secretary"),
    ("truongphong.qlkh", "member"),
    ("truongphong.khtc", "member"),
)


@pytest.fixture
def open_round(demo, settings, tmp_path):
    """An open round offering Lao động tiên tiến and Tập thể lao động tiên tiến, its public notice window running,
    a seated council, and QLKH's collective nomination already sent."""
    settings.MEDIA_ROOT = tmp_path / "private"
    settings.CACHES = {
        **settings.CACHES,
        settings.PUBLIC_RATE_LIMIT_CACHE: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "e2e-journey-rate-limit",
        },
    }
    caches[settings.PUBLIC_RATE_LIMIT_CACHE].clear()
    office = User.objects.get(username="vanphong")
    for username, role in SEATS:
        user = User.objects.get(username=username)
        if not CouncilMember.objects.filter(user=user, is_active=True).exists():
            council_member_add(user=user, role=role, actor=office)
    today = timezone.localdate()
    collective = AwardForm.objects.get(code="tap-the-lao-dong-tien-tien")
    award_round = rounds.round_create(
        actor=office,
        campaign=Campaign.objects.order_by("pk").first(),
        kind=AwardRound.Kind.ANNUAL,
        title=ROUND_TITLE,
        year=today.year,
        deadline=today + datetime.timedelta(days=10),
        offers={AwardForm.objects.get(code="lao-dong-tien-tien"): None, collective: None},
        periods=[ReportingPeriod.objects.get(code="2026-H1")],
        notice_starts_on=today,
        notice_ends_on=today + datetime.timedelta(days=10),
    )
    award_round = rounds.round_open(award_round=award_round, actor=office)
    unit = Unit.objects.get(code=COLLECTIVE_UNIT)
    # The collective's rule reads its members' titles of the year: the register holds this year's Lao động tiên tiến
    # of the unit's two people (an earlier decision); the nominee of the journey is the third member.
    lao_dong = AwardForm.objects.get(code="lao-dong-tien-tien")
    for person in Person.objects.filter(unit=unit, is_active=True):
        AwardRecord.objects.create(
            year=today.year,
            form=lao_dong,
            form_name=lao_dong.name,
            recipient_kind="individual",
            recipient_name=person.full_name,
            person=person,
            unit=unit,
            decision_number="05/QĐ-SKHCN",
            source=AwardRecord.Source.DEPARTMENT,
        )
    make_nomination(award_round, collective, unit=unit, actor=User.objects.get(username="truongphong.qlkh"))
    return award_round


def _alert(page, text):
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


def _upload(page, part_label, filename):
    form = page.get_by_test_id("dossier-upload")
    form.get_by_label("Thành phần hồ sơ").select_option(label=part_label)
    form.get_by_label("Tệp").set_input_files({"name": filename, "mimeType": "application/pdf", "buffer": PDF})
    form.get_by_role("button", name="Tải lên").click()
    _alert(page, f"Đã tải lên “{filename}”.")


def _send(head):
    head.once("dialog", lambda dialog: dialog.accept())
    head.get_by_role("button", name="Gửi đề nghị").first.click()
    _alert(head, "Đã gửi đề nghị.")
    expect(head.get_by_test_id("nomination-status")).to_have_text("Đã gửi")
    expect(head.get_by_role("link", name="Sửa hồ sơ")).to_have_count(0)


def _unit_nominates(head):
    # "Khen thưởng" shows the open round; the head starts a nomination of a person not yet on file.
    open_menu_item(head, "Đề nghị khen thưởng")
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
    # A person new to the portal has no record: Lao động tiên tiến asks for the year's classification.
    expect(panel).to_contain_text(
        "Hoàn thành tốt nhiệm vụ trở lên trong năm xét: Chưa đạt xếp loại “Hoàn thành tốt nhiệm vụ” trở lên"
    )
    # The office enters the classification the Director decided (its own page: tests/awards/test_records.py).
    classified(Person.objects.get(full_name=NOMINEE))

    # The achievement and the two required parts.
    head.get_by_label("II. Thành tích đạt được trong phong trào thi đua").fill(ACHIEVEMENT)
    head.get_by_role("button", name="Lưu tóm tắt thành tích").click()
    _alert(head, "Đã lưu tóm tắt thành tích.")
    expect(head.get_by_label("II. Thành tích đạt được trong phong trào thi đua")).to_have_value(ACHIEVEMENT)
    _upload(head, "Báo cáo thành tích (bắt buộc)", "Báo cáo thành tích.pdf")
    _upload(head, "Biên bản bình xét của đơn vị (bắt buộc)", "Biên bản bình xét.pdf")
    # Sendable; the registration for the title (đăng ký thi đua) is a warning of the rules, not a condition.
    expect(head.get_by_test_id("eligible")).to_have_text("Đề nghị đủ điều kiện để gửi; lưu ý:")
    expect(head.get_by_test_id("eligibility")).to_contain_text("đăng ký thi đua")
    _send(head)


def _office_returns_and_the_unit_sends_again(office, head):
    # The office finds it among the submitted ones and returns it with a reason.
    open_menu_item(office, "Đề nghị khen thưởng")
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

    # The dossier was complete: the unit sends it again as it is.
    # Sendable; the registration for the title (đăng ký thi đua) is a warning of the rules, not a condition.
    expect(head.get_by_test_id("eligible")).to_have_text("Đề nghị đủ điều kiện để gửi; lưu ý:")
    expect(head.get_by_test_id("eligibility")).to_contain_text("đăng ký thi đua")
    _send(head)


def _council_recommends(office, collective_name):
    # The office convenes the meeting from the council's page; the paper ballot is the default.
    open_menu_item(office, "Hội đồng TĐKT")
    expect(office.get_by_role("heading", name="Hội đồng Thi đua - Khen thưởng", exact=True)).to_be_visible()
    office.get_by_role("link", name="Triệu tập cuộc họp").click()
    office.get_by_label("Đợt xét khen thưởng").select_option(label=ROUND_TITLE)
    office.get_by_label("Tên cuộc họp").fill(MEETING_TITLE)
    # Convened for tomorrow (a meeting is never convened for a time already past), held today, a day early.
    tomorrow = (timezone.localdate() + datetime.timedelta(days=1)).strftime("%d/%m/%Y")
    office.get_by_label("Thời gian họp").fill(f"{tomorrow} 14:00")
    office.get_by_label("Địa điểm").fill("Phòng họp Sở")
    expect(office.get_by_label("Bỏ phiếu kín bằng giấy", exact=False)).to_be_checked()
    office.get_by_role("button", name="Triệu tập").click()
    expect(office.get_by_role("heading", name=MEETING_TITLE)).to_be_visible()
    expect(office.get_by_test_id("meeting-status")).to_have_text("Đã lên lịch")
    expect(office.get_by_text(f"14:00 {tomorrow}")).to_be_visible()

    # Both nominations go on the agenda.
    office.get_by_role("link", name="Đưa hồ sơ vào chương trình").click()
    office.get_by_label(NOMINEE, exact=False).check()
    office.get_by_label(collective_name, exact=False).check()
    office.get_by_role("button", name="Đưa vào chương trình").click()
    _alert(office, "Đã đưa 2 đề nghị vào chương trình họp.")
    agenda = office.get_by_test_id("agenda-table")
    expect(agenda.get_by_role("link", name=NOMINEE)).to_be_visible()
    expect(agenda.get_by_role("link", name=collective_name)).to_be_visible()

    # Everyone attends: the meeting is held with its quorum.
    office.get_by_role("link", name="Ghi danh sách có mặt").click()
    # Counted only once the attendance page is there: counting at once could still read the meeting's page (none).
    expect(office.get_by_role("heading", name="Thành viên có mặt")).to_be_visible()
    checkboxes = office.locator("input[name=present]")
    expect(checkboxes).to_have_count(5)
    for index in range(5):
        checkboxes.nth(index).check()
    office.get_by_role("button", name="Lưu danh sách có mặt").click()
    expect(office.get_by_test_id("meeting-status")).to_have_text("Đang họp")
    expect(office.get_by_test_id("quorum")).to_contain_text("Có mặt 5/5 thành viên")
    # Opened before its scheduled time: the page (and later the minutes) keep the time it really began.
    today = timezone.localdate().strftime("%d/%m/%Y")
    expect(office.get_by_test_id("meeting-started")).to_contain_text(today)

    # A mistake in the tally is refused and the numbers typed stay.
    office.get_by_role("link", name="Nhập kết quả kiểm phiếu").click()
    office.get_by_label(f"Số phiếu đồng ý — {NOMINEE}").fill("5")
    office.get_by_label(f"Số phiếu không đồng ý — {NOMINEE}").fill("0")
    agree = office.get_by_label(f"Số phiếu đồng ý — {collective_name}")
    disagree = office.get_by_label(f"Số phiếu không đồng ý — {collective_name}")
    agree.fill("6")
    disagree.fill("0")
    office.get_by_role("button", name="Lưu kết quả").click()
    expect(office.get_by_text("vượt quá số thành viên được bỏ phiếu có mặt: 5")).to_be_visible()
    expect(agree).to_have_value("6")

    agree.fill("4")
    disagree.fill("1")
    office.get_by_role("button", name="Lưu kết quả").click()
    _alert(office, "Đã lưu kết quả kiểm phiếu.")
    collective_row = office.get_by_test_id("agenda-row").filter(has_text=collective_name)
    expect(collective_row.get_by_role("cell").nth(3)).to_have_text("4")
    expect(collective_row.get_by_role("cell").nth(4)).to_have_text("1")

    # Closing decides both: 5 against 0, and 4 against 1, a simple majority. The end time goes in the minutes; it
    # follows the actual start, now.
    ended = timezone.localtime() + datetime.timedelta(minutes=30)
    office.get_by_label("Thời gian kết thúc").fill(ended.strftime("%d/%m/%Y %H:%M"))
    office.get_by_label("Ý kiến tại cuộc họp", exact=False).fill("Hội đồng thống nhất cao.")
    office.once("dialog", lambda dialog: dialog.accept())
    office.get_by_role("button", name="Kết thúc cuộc họp").click()
    expect(office.get_by_test_id("meeting-status")).to_have_text("Đã kết thúc")
    expect(office.get_by_test_id("meeting-ended")).to_have_text(ended.strftime("%H:%M %d/%m/%Y"))
    for name in (NOMINEE, collective_name):
        row = office.get_by_test_id("agenda-row").filter(has_text=name)
        expect(row).to_contain_text("Hội đồng đề nghị khen thưởng")
        expect(row).to_contain_text("Đạt")
    assert set(Nomination.objects.filter(round__title=ROUND_TITLE).values_list("status", flat=True)) == {
        Nomination.Status.RECOMMENDED
    }


def _director_approves_both(director, names):
    # The Director ticks both recommendations of the round and approves them at once.
    open_menu_item(director, "Duyệt khen thưởng")
    expect(director.get_by_role("heading", name="Duyệt đề nghị khen thưởng")).to_be_visible()
    for name in names:
        director.get_by_label(name).check()
    director.get_by_role("button", name="Đồng ý khen thưởng").click()
    _alert(director, "Đã đồng ý 2 đề nghị khen thưởng.")
    expect(director.get_by_test_id("approvals-empty")).to_be_visible()
    statuses = Nomination.objects.filter(round__title=ROUND_TITLE).values_list("status", flat=True)
    assert set(statuses) == {Nomination.Status.APPROVED}


def _office_issues_the_decision(office, names):
    # The office drafts the decision for the round: both forms are annual titles, so one decision, and the page
    # is that draft's; the render job has finished when the page shows.
    open_menu_item(office, "Văn bản khen thưởng")
    office.get_by_role("link", name="Lập quyết định khen thưởng").click()
    office.get_by_label("Đợt xét khen thưởng").select_option(label=ROUND_TITLE)
    office.get_by_role("button", name="Lập dự thảo quyết định").click()
    _alert(office, "Đã lập 1 dự thảo quyết định khen thưởng: “Về việc công nhận danh hiệu thi đua năm")
    expect(office.get_by_test_id("render-status")).to_have_text("Đã tạo văn bản")
    # One table of individuals, one of collectives.
    for name in names:
        expect(office.get_by_test_id("nominee-table").filter(has_text=name)).to_be_visible()

    # It takes the next number of the portal's register, signed by the Director (the same issue step as the
    # consolidated report's: the register's card, or the clerk's number with the signed PDF).
    issue = office.get_by_test_id("issue-register")
    expect(issue.get_by_role("heading", name="Lấy số tự động")).to_be_visible()
    issue.get_by_label("Người ký").select_option(value=str(User.objects.get(username="giamdoc").pk))
    office.once("dialog", lambda dialog: dialog.accept())
    issue.get_by_role("button", name="Lấy số tự động").click()
    _alert(office, "Đã vào số và ban hành văn bản")
    expect(office.get_by_test_id("issued-number")).to_contain_text("Số: 01/QĐ-SKHCN")
    expect(office.get_by_test_id("render-status")).to_have_text("Đã tạo văn bản")
    with office.expect_download() as downloaded:
        office.get_by_test_id("download-pdf").click()
    with open(downloaded.value.path(), "rb") as pdf:
        return pdf_text(pdf.read())


def test_one_nomination_from_the_unit_to_the_decision_and_the_public_list(person, demo, open_round):
    collective_name = Unit.objects.get(code=COLLECTIVE_UNIT).name
    head = at_home(person("truongphong.cds", accept_downloads=True), demo)
    _unit_nominates(head)

    office = at_home(person("vanphong", accept_downloads=True), demo)
    _office_returns_and_the_unit_sends_again(office, head)
    _council_recommends(office, collective_name)

    # Recommended by the council: under public notice (name, position, unit, form — nothing more).
    visitor = person()
    visitor.goto(f"{demo.url}/accounts/login/")
    visitor.get_by_role("link", name="Trang công khai").click()
    visitor.get_by_role("link", name="Xem danh sách công khai").click()
    notice = visitor.get_by_test_id("notice-table").get_by_role("row").filter(has_text=NOMINEE)
    expect(notice).to_contain_text("Lao động tiên tiến")
    expect(visitor.get_by_text(ACHIEVEMENT)).to_have_count(0)

    director = at_home(person("giamdoc"), demo)
    _director_approves_both(director, (NOMINEE, collective_name))

    # The PDF has its number, the names and no draft mark; annual titles, it names no campaign.
    text = _office_issues_the_decision(office, (NOMINEE, collective_name))
    assert "QUYẾT ĐỊNH" in text
    assert "Số: 01/QĐ-SKHCN" in text
    assert "DỰ THẢO" not in text
    assert NOMINEE in text
    assert collective_name in text
    assert f"Về việc công nhận danh hiệu thi đua năm {timezone.localdate().year}" in text
    assert "Phong trào" not in text

    nominations = Nomination.objects.filter(round__title=ROUND_TITLE)
    assert set(nominations.values_list("status", flat=True)) == {Nomination.Status.CONFERRED}
    nomination = nominations.get(nominee_name=NOMINEE)
    assert AwardRecord.objects.get(nomination=nomination).decision_number == "01/QĐ-SKHCN"

    # The conferred award on the public list of the year, with its decision number.
    visitor.goto(f"{demo.url}/cong-khai/")
    visitor.get_by_role("link", name="Xem khen thưởng theo năm").click()
    conferred = visitor.get_by_role("row").filter(has_text=NOMINEE)
    expect(conferred).to_contain_text("01/QĐ-SKHCN")
    expect(conferred).to_contain_text("Lao động tiên tiến")

    # The unit sees its nomination conferred.
    head.reload()
    expect(head.get_by_test_id("nomination-status")).to_have_text("Đã khen thưởng")
