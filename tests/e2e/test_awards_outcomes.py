"""Award outcomes in Chromium: the Director approves two recommended nominations in bulk; the office drafts the
decision, sees it rendered (eager Celery), issues it with the portal's number and downloads the PDF.
"""

import datetime

import pytest
from django.utils import timezone
from playwright.sync_api import expect

from awards.models import AwardForm, AwardRound, Nomination, RoundForm
from campaign.models import Campaign
from tests.awards.conftest import make_nomination
from tests.awards.test_outcomes_support import pdf_text
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, sign_in
from units.models import Person, Unit, User

ROUND_TITLE = "Đợt kiểm thử khen thưởng trên trình duyệt"
NAMES = ("Hoàng Thị Thử Nghiệm", "Đặng Văn Kiểm Tra")


@pytest.fixture
def recommended_pair(demo_data, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "private"
    office = User.objects.get(username="vanphong")
    today = timezone.localdate()
    award_round = AwardRound.objects.create(
        campaign=Campaign.objects.get(),
        kind=AwardRound.Kind.ANNUAL,
        title=ROUND_TITLE,
        year=today.year,
        deadline=today + datetime.timedelta(days=5),
        status=AwardRound.Status.CLOSED,
        created_by=office,
    )
    form = AwardForm.objects.get(code="lao-dong-tien-tien")
    RoundForm.objects.create(round=award_round, form=form)
    units = list(Unit.objects.filter(kind=Unit.Kind.DIVISION).order_by("sort_order")[:2])
    nominations = []
    for name, unit in zip(NAMES, units, strict=True):
        person = Person.objects.create(full_name=name, position_title="Chuyên viên", unit=unit)
        head = User.objects.filter(unit=unit, position=User.Position.HEAD).first()
        nominations.append(
            make_nomination(
                award_round, form, unit=unit, person=person, status=Nomination.Status.RECOMMENDED, actor=head
            )
        )
    return award_round, nominations


def _person(new_context, live_server, username):
    page = new_context(accept_downloads=True).new_page()
    page.set_default_timeout(DEFAULT_TIMEOUT_MS)
    sign_in(page, live_server, username)
    expect(page).to_have_url(f"{live_server.url}/")
    return page


def _alert(page, text):
    expect(page.get_by_role("alert").filter(has_text=text)).to_be_visible()


def test_director_bulk_approves_office_issues_the_decision_and_downloads_it(new_context, live_server, recommended_pair):
    award_round, nominations = recommended_pair

    # The Director ticks both recommendations of the round and approves them at once.
    director = _person(new_context, live_server, "giamdoc")
    director.goto(f"{live_server.url}/awards/approvals/?round={award_round.pk}")
    expect(director.get_by_role("heading", name="Duyệt đề nghị khen thưởng")).to_be_visible()
    for name in NAMES:
        director.get_by_label(name).check()
    director.get_by_role("button", name="Đồng ý khen thưởng").click()
    _alert(director, "Đã đồng ý 2 đề nghị khen thưởng.")
    expect(director.get_by_test_id("approvals-empty")).to_be_visible()
    assert {Nomination.objects.get(pk=n.pk).status for n in nominations} == {Nomination.Status.APPROVED}

    # The office drafts the decision for the round; the render job has finished when the page shows.
    office = _person(new_context, live_server, "vanphong")
    office.goto(f"{live_server.url}/awards/documents/")
    office.get_by_role("link", name="Lập quyết định khen thưởng").click()
    office.get_by_label("Đợt xét khen thưởng").select_option(label=ROUND_TITLE)
    office.get_by_role("button", name="Lập dự thảo quyết định").click()
    _alert(office, "Đã lập quyết định khen thưởng (dự thảo)")
    expect(office.get_by_test_id("render-status")).to_have_text("Đã tạo văn bản")
    for name in NAMES:
        expect(office.get_by_test_id("nominee-table")).to_contain_text(name)

    # It takes the next number of the portal's register, signed by the Director.
    director_user = User.objects.get(username="giamdoc")
    issue = office.get_by_test_id("issue-form")
    issue.get_by_label("Người ký").select_option(value=str(director_user.pk))
    expect(issue.get_by_label("Lấy số tiếp theo trong sổ đăng ký văn bản đi của Cổng")).to_be_checked()
    office.once("dialog", lambda dialog: dialog.accept())
    issue.get_by_role("button", name="Vào số, ban hành").click()
    _alert(office, "Đã vào số và ban hành văn bản")
    expect(office.get_by_test_id("issued-number")).to_contain_text("Số: 01/QĐ-SKHCN")
    expect(office.get_by_test_id("render-status")).to_have_text("Đã tạo văn bản")

    # The PDF downloads with its number, the names and no draft mark.
    with office.expect_download() as downloaded:
        office.get_by_test_id("download-pdf").click()
    with open(downloaded.value.path(), "rb") as pdf:
        content = pdf.read()
    text = pdf_text(content)
    assert "QUYẾT ĐỊNH" in text
    assert "Số: 01/QĐ-SKHCN" in text
    assert "DỰ THẢO" not in text
    for name in NAMES:
        assert name in text
    assert {Nomination.objects.get(pk=n.pk).status for n in nominations} == {Nomination.Status.CONFERRED}
