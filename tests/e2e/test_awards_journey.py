"""One nomination's whole way in Chromium: a unit head proposes a person, the office puts the dossier on a
council meeting's agenda, the council's paper ballot recommends it, the Director approves it, the office
issues the Department's decision and downloads its PDF, and the public pages show the nominee under notice
and then the award with its decision number.
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
from tests.awards.test_outcomes_support import pdf_text
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, sign_in
from units.models import User

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"
ROUND_TITLE = "Xét khen thưởng năm 2026 (hành trình một đề nghị)"
MEETING_TITLE = "Phiên họp Hội đồng xét danh hiệu Lao động tiên tiến"
NOMINEE = "Võ Thị Hành Trình"
ACHIEVEMENT = "Triển khai hóa đơn điện tử cho toàn bộ hợp đồng dịch vụ, tiết kiệm 8% chi phí văn phòng phẩm."
SEATS = (
    ("giamdoc", "chair"),
    ("phogiamdoc", "vice_chair"),
    ("vanphong", "secretary"),
    ("truongphong.qlkh", "member"),
    ("truongphong.khtc", "member"),
)


@pytest.fixture
def open_round(demo_data, settings, tmp_path):
    """An open round offering Lao động tiên tiến with a public notice window running, and a seated council."""
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
    award_round = rounds.round_create(
        actor=office,
        campaign=Campaign.objects.order_by("pk").first(),
        kind=AwardRound.Kind.ANNUAL,
        title=ROUND_TITLE,
        year=today.year,
        deadline=today + datetime.timedelta(days=10),
        offers={AwardForm.objects.get(code="lao-dong-tien-tien"): None},
        periods=[ReportingPeriod.objects.get(code="2026-H1")],
        notice_starts_on=today,
        notice_ends_on=today + datetime.timedelta(days=10),
    )
    return rounds.round_open(award_round=award_round, actor=office)


def _person(new_context, live_server, username=None):
    page = new_context(accept_downloads=True).new_page()
    page.set_default_timeout(DEFAULT_TIMEOUT_MS)
    if username:
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


def _unit_nominates(head):
    head.get_by_role("link", name="Khen thưởng").first.click()
    card = head.get_by_test_id("open-rounds").locator(".card").filter(has_text=ROUND_TITLE)
    card.get_by_role("link", name="Lập đề nghị").click()
    head.get_by_label("Hình thức khen thưởng").select_option(label="Lao động tiên tiến")
    head.get_by_label("Cá nhân", exact=True).check()
    head.get_by_label("Họ và tên (người mới)").fill(NOMINEE)
    head.get_by_label("Chức vụ (người mới)").fill("Chuyên viên")
    head.get_by_role("button", name="Lập đề nghị").click()
    _alert(head, "Đã lập đề nghị.")
    head.get_by_label("II. Thành tích đạt được trong phong trào thi đua").fill(ACHIEVEMENT)
    head.get_by_role("button", name="Lưu tóm tắt thành tích").click()
    _alert(head, "Đã lưu tóm tắt thành tích.")
    _upload(head, "Báo cáo thành tích (bắt buộc)", "Báo cáo thành tích.pdf")
    _upload(head, "Biên bản bình xét của đơn vị (bắt buộc)", "Biên bản bình xét.pdf")
    expect(head.get_by_test_id("eligible")).to_have_text("Đề nghị đã đủ điều kiện để gửi.")
    head.once("dialog", lambda dialog: dialog.accept())
    head.get_by_role("button", name="Gửi đề nghị").first.click()
    _alert(head, "Đã gửi đề nghị.")


def _council_recommends(office):
    office.get_by_role("link", name="Hội đồng TĐKT").first.click()
    office.get_by_role("link", name="Triệu tập cuộc họp").click()
    office.get_by_label("Đợt xét khen thưởng").select_option(label=ROUND_TITLE)
    office.get_by_label("Tên cuộc họp").fill(MEETING_TITLE)
    office.get_by_label("Thời gian họp").fill(timezone.localtime().strftime("%d/%m/%Y 14:00"))
    office.get_by_label("Địa điểm").fill("Phòng họp Sở")
    office.get_by_role("button", name="Triệu tập").click()
    expect(office.get_by_role("heading", name=MEETING_TITLE)).to_be_visible()
    office.get_by_role("link", name="Đưa hồ sơ vào chương trình").click()
    office.get_by_label(NOMINEE, exact=False).check()
    office.get_by_role("button", name="Đưa vào chương trình").click()
    _alert(office, "Đã đưa 1 đề nghị vào chương trình họp.")
    office.get_by_role("link", name="Ghi danh sách có mặt").click()
    checkboxes = office.locator("input[name=present]")
    for index in range(checkboxes.count()):
        checkboxes.nth(index).check()
    office.get_by_role("button", name="Lưu danh sách có mặt").click()
    office.get_by_role("link", name="Nhập kết quả kiểm phiếu").click()
    office.get_by_label(f"Số phiếu đồng ý — {NOMINEE}").fill("5")
    office.get_by_label(f"Số phiếu không đồng ý — {NOMINEE}").fill("0")
    office.get_by_role("button", name="Lưu kết quả").click()
    _alert(office, "Đã lưu kết quả kiểm phiếu.")
    office.once("dialog", lambda dialog: dialog.accept())
    office.get_by_role("button", name="Kết thúc cuộc họp").click()
    expect(office.get_by_test_id("meeting-status")).to_have_text("Đã kết thúc")
    row = office.get_by_test_id("agenda-row").filter(has_text=NOMINEE)
    expect(row).to_contain_text("Hội đồng đề nghị khen thưởng")


def _director_approves(director, live_server):
    director.get_by_role("link", name="Duyệt khen thưởng").first.click()
    expect(director.get_by_role("heading", name="Duyệt đề nghị khen thưởng")).to_be_visible()
    director.get_by_label(NOMINEE).check()
    director.get_by_role("button", name="Đồng ý khen thưởng").click()
    _alert(director, "Đã đồng ý 1 đề nghị khen thưởng.")


def _office_issues_the_decision(office):
    office.get_by_role("link", name="Văn bản khen thưởng").first.click()
    office.get_by_role("link", name="Lập quyết định khen thưởng").click()
    office.get_by_label("Đợt xét khen thưởng").select_option(label=ROUND_TITLE)
    office.get_by_role("button", name="Lập dự thảo quyết định").click()
    expect(office.get_by_test_id("render-status")).to_have_text("Đã tạo văn bản")
    issue = office.get_by_test_id("issue-form")
    issue.get_by_label("Người ký").select_option(value=str(User.objects.get(username="giamdoc").pk))
    office.once("dialog", lambda dialog: dialog.accept())
    issue.get_by_role("button", name="Vào số, ban hành").click()
    _alert(office, "Đã vào số và ban hành văn bản")
    expect(office.get_by_test_id("issued-number")).to_contain_text("Số: 01/QĐ-SKHCN")
    expect(office.get_by_test_id("render-status")).to_have_text("Đã tạo văn bản")
    with office.expect_download() as downloaded:
        office.get_by_test_id("download-pdf").click()
    with open(downloaded.value.path(), "rb") as pdf:
        return pdf_text(pdf.read())


def test_one_nomination_from_the_unit_to_the_decision_and_the_public_list(new_context, live_server, open_round):
    head = _person(new_context, live_server, "truongphong.cds")
    _unit_nominates(head)

    office = _person(new_context, live_server, "vanphong")
    _council_recommends(office)

    # Recommended by the council: under public notice (name, position, unit, form — nothing more).
    visitor = _person(new_context, live_server)
    visitor.goto(f"{live_server.url}/accounts/login/")
    visitor.get_by_role("link", name="Trang công khai").click()
    visitor.get_by_role("link", name="Xem danh sách công khai").click()
    notice = visitor.get_by_test_id("notice-table").get_by_role("row").filter(has_text=NOMINEE)
    expect(notice).to_contain_text("Lao động tiên tiến")
    expect(visitor.get_by_text(ACHIEVEMENT)).to_have_count(0)

    director = _person(new_context, live_server, "giamdoc")
    _director_approves(director, live_server)

    text = _office_issues_the_decision(office)
    assert "QUYẾT ĐỊNH" in text
    assert "Số: 01/QĐ-SKHCN" in text
    assert NOMINEE in text
    assert "DỰ THẢO" not in text

    nomination = Nomination.objects.get(nominee_name=NOMINEE)
    assert nomination.status == Nomination.Status.CONFERRED
    assert AwardRecord.objects.get(nomination=nomination).decision_number == "01/QĐ-SKHCN"

    # The conferred award on the public list of the year, with its decision number.
    visitor.goto(f"{live_server.url}/cong-khai/")
    visitor.get_by_role("link", name="Xem khen thưởng theo năm").click()
    conferred = visitor.get_by_role("row").filter(has_text=NOMINEE)
    expect(conferred).to_contain_text("01/QĐ-SKHCN")
    expect(conferred).to_contain_text("Lao động tiên tiến")

    # The unit sees its nomination conferred.
    head.reload()
    expect(head.get_by_test_id("nomination-status")).to_have_text("Đã khen thưởng")
