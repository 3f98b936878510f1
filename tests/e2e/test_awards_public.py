"""The public pages in Chromium: an anonymous visitor goes from the login page to the list under public
notice and sends a comment on a nominee; the office signs in, follows its notification to the comment and
marks it handled.
"""

import datetime

import pytest
from django.core.cache import caches
from django.utils import timezone
from playwright.sync_api import expect

from awards.models import AwardForm, AwardRound, PublicComment
from campaign.models import Campaign
from tests.awards.conftest import make_nomination
from tests.e2e.conftest import at_home
from units.models import Person, Unit, User

NOMINEE = "Phan Thị Công Khai"
COMMENT = "Tôi đề nghị Hội đồng xác minh lại số ngày công của chị trong năm."


@pytest.fixture
def nominee_under_notice(demo, settings):
    # The live server runs in this process: counters in a local cache, empty for this test.
    settings.CACHES = {
        **settings.CACHES,
        settings.PUBLIC_RATE_LIMIT_CACHE: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "e2e-public-rate-limit",
        },
    }
    caches[settings.PUBLIC_RATE_LIMIT_CACHE].clear()
    today = timezone.localdate()
    office = User.objects.get(username="vanphong")
    award_round = AwardRound.objects.create(
        campaign=Campaign.objects.get(),
        kind=AwardRound.Kind.ANNUAL,
        title=f"Xét khen thưởng năm {today.year} (thử nghiệm công khai)",
        year=today.year,
        deadline=today - datetime.timedelta(days=10),
        notice_starts_on=today - datetime.timedelta(days=1),
        notice_ends_on=today + datetime.timedelta(days=6),
        status=AwardRound.Status.CLOSED,
        created_by=office,
    )
    unit = Unit.objects.get(code="QLCN")
    person = Person.objects.create(full_name=NOMINEE, position_title="Chuyên viên", unit=unit)
    form = AwardForm.objects.get(code="lao-dong-tien-tien")
    return make_nomination(award_round, form, unit=unit, person=person, status="recommended")


def test_visitor_comments_on_a_nominee_and_the_office_reads_it(person, demo, nominee_under_notice):
    visitor = person()

    # From the login page, without signing in, to the list under notice.
    visitor.goto(f"{demo.url}/accounts/login/")
    visitor.get_by_role("link", name="Trang công khai").click()
    expect(visitor.get_by_role("heading", name="Công khai thi đua, khen thưởng")).to_be_visible()
    visitor.get_by_role("link", name="Xem danh sách công khai").click()
    row = visitor.get_by_test_id("notice-table").get_by_role("row").filter(has_text=NOMINEE)
    expect(row).to_contain_text("Phòng Quản lý công nghệ và Đổi mới sáng tạo")
    expect(row).to_contain_text("Lao động tiên tiến")

    # A comment on the nominee; the first try lacks the contact and keeps what was typed.
    row.get_by_role("link", name="Góp ý").click()
    expect(visitor.get_by_test_id("comment-nominee")).to_contain_text(NOMINEE)
    visitor.get_by_label("Họ và tên").fill("Ngô Văn Người Dân")
    visitor.get_by_label("Nội dung góp ý").fill(COMMENT)
    visitor.get_by_role("button", name="Gửi góp ý").click()
    expect(visitor.get_by_text("Vui lòng nhập số điện thoại hoặc địa chỉ thư điện tử.")).to_be_visible()
    expect(visitor.get_by_label("Nội dung góp ý")).to_have_value(COMMENT)
    visitor.get_by_label("Điện thoại hoặc thư điện tử").fill("0905 111 222")
    visitor.get_by_role("button", name="Gửi góp ý").click()
    expect(visitor.get_by_role("alert").filter(has_text="Cảm ơn bạn đã góp ý.")).to_be_visible()
    assert PublicComment.objects.get().nomination == nominee_under_notice

    # The office signs in, follows the notification and marks the comment handled.
    office = at_home(person("vanphong"), demo)
    office.get_by_test_id("nav-notifications").click()
    office.get_by_role("link", name=f"Có ý kiến góp ý của công chúng về {NOMINEE}").click()
    expect(office.get_by_role("heading", name="Ý kiến góp ý của công chúng")).to_be_visible()
    comment = office.get_by_test_id("public-comments")
    expect(comment).to_contain_text(COMMENT)
    expect(comment).to_contain_text("Ngô Văn Người Dân")
    comment.get_by_role("button", name="Đánh dấu đã xử lý").click()
    expect(
        office.get_by_role("alert").filter(has_text="Đã đánh dấu đã xử lý ý kiến của Ngô Văn Người Dân.")
    ).to_be_visible()
    assert PublicComment.objects.get().handled_by.username == "vanphong"
