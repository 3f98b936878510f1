"""Rounds: the office creates, edits, opens and closes them; units see open rounds; others are refused."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.errors import AwardError, InvalidTransition, NotAllowed
from awards.models import AwardRound, RoundForm
from awards.services import rounds
from campaign.models import Phase, ReportingPeriod
from notifications.models import Notification
from tests.awards.conftest import make_nomination
from tests.query_budget import PAGE, WAITING_OFFICE


@pytest.fixture
def campaign(plan, open_period):
    return plan


def create(actor, campaign, forms, **overrides):
    values = {
        "actor": actor,
        "campaign": campaign,
        "kind": AwardRound.Kind.ANNUAL,
        "title": "Xét khen thưởng năm 2026",
        "year": 2026,
        "deadline": timezone.localdate() + datetime.timedelta(days=20),
        "offers": {forms["lao-dong-tien-tien"]: None, forms["chien-si-thi-dua-co-so"]: 3},
    }
    values.update(overrides)
    return rounds.round_create(**values)


@pytest.fixture
def draft_round(reviewer, campaign, forms):
    return create(reviewer, campaign, forms)


def test_the_office_creates_an_annual_round_with_the_years_annual_period(draft_round, forms):
    assert draft_round.status == AwardRound.Status.DRAFT
    assert [period.code for period in draft_round.periods.all()] == ["2026-FY"]
    offers = {offer.form.code: offer.quota for offer in draft_round.round_forms.select_related("form")}
    assert offers == {"lao-dong-tien-tien": None, "chien-si-thi-dua-co-so": 3}


def test_a_phase_review_defaults_to_the_phases_periods_the_portal_collects(reviewer, campaign, forms):
    phase = Phase.objects.get(campaign=campaign, number=2)
    award_round = create(reviewer, campaign, forms, kind=AwardRound.Kind.PHASE_REVIEW, phase=phase, year=2030)
    codes = set(award_round.periods.values_list("code", flat=True))
    assert "2026-2030" in codes
    assert "2026-FY" in codes
    assert not any(code.endswith("-H1") for code in codes)
    assert codes <= set(ReportingPeriod.objects.owed(campaign).values_list("code", flat=True))


def test_chosen_periods_replace_the_default(reviewer, campaign, forms):
    h1 = ReportingPeriod.objects.get(code="2026-H1")
    award_round = create(reviewer, campaign, forms, periods=[h1])
    assert list(award_round.periods.all()) == [h1]


def test_a_phase_review_without_a_phase_is_refused(reviewer, campaign, forms):
    with pytest.raises(AwardError, match="phải chọn giai đoạn"):
        create(reviewer, campaign, forms, kind=AwardRound.Kind.PHASE_REVIEW)
    assert not AwardRound.objects.exists()


def test_a_round_without_forms_is_refused(reviewer, campaign, forms):
    with pytest.raises(AwardError, match="ít nhất một hình thức"):
        create(reviewer, campaign, forms, offers={})


@pytest.mark.parametrize("persona", ["head", "leader", "council_member"])
def test_only_the_office_creates_rounds(persona, request, campaign, forms):
    with pytest.raises(NotAllowed):
        create(request.getfixturevalue(persona), campaign, forms)
    assert not AwardRound.objects.exists()


def test_opening_tells_every_units_managers_and_closing_stops_intake(draft_round, reviewer, head, staff):
    opened = rounds.round_open(award_round=draft_round, actor=reviewer)
    assert opened.status == AwardRound.Status.OPEN
    notification = Notification.objects.get(recipient=head)
    assert "Xét khen thưởng năm 2026" in notification.message
    assert not Notification.objects.filter(recipient=staff).exists()
    with pytest.raises(InvalidTransition):
        rounds.round_open(award_round=draft_round, actor=reviewer)
    assert rounds.round_close(award_round=draft_round, actor=reviewer).status == AwardRound.Status.CLOSED
    assert rounds.round_finish(award_round=draft_round, actor=reviewer).status == AwardRound.Status.FINISHED


def test_a_round_whose_deadline_passed_cannot_be_opened(draft_round, reviewer):
    AwardRound.objects.filter(pk=draft_round.pk).update(deadline=timezone.localdate() - datetime.timedelta(days=1))
    with pytest.raises(AwardError, match="đã qua"):
        rounds.round_open(award_round=draft_round, actor=reviewer)
    draft_round.refresh_from_db()
    assert draft_round.status == AwardRound.Status.DRAFT


def test_a_form_some_unit_nominated_for_cannot_be_dropped(draft_round, reviewer, forms, own_unit, person):
    make_nomination(draft_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person, status="draft")
    with pytest.raises(AwardError, match="Không bỏ được hình thức"):
        rounds.round_update(
            award_round=draft_round,
            actor=reviewer,
            kind=draft_round.kind,
            title=draft_round.title,
            year=draft_round.year,
            deadline=draft_round.deadline,
            offers={forms["chien-si-thi-dua-co-so"]: 3},
        )
    assert RoundForm.objects.filter(round=draft_round).count() == 2


def test_editing_changes_quota_and_adds_a_form(draft_round, reviewer, forms):
    rounds.round_update(
        award_round=draft_round,
        actor=reviewer,
        kind=draft_round.kind,
        title="Đổi tên",
        year=draft_round.year,
        deadline=draft_round.deadline,
        offers={forms["lao-dong-tien-tien"]: 10, forms["tap-the-lao-dong-tien-tien"]: None},
        notice_starts_on=datetime.date(2026, 12, 1),
        notice_ends_on=datetime.date(2026, 12, 15),
    )
    draft_round.refresh_from_db()
    assert draft_round.title == "Đổi tên"
    assert draft_round.notice_ends_on == datetime.date(2026, 12, 15)
    offers = {offer.form.code: offer.quota for offer in draft_round.round_forms.select_related("form")}
    assert offers == {"lao-dong-tien-tien": 10, "tap-the-lao-dong-tien-tien": None}


# --- views ---------------------------------------------------------------------------------------


def post_round(client, forms, **overrides):
    data = {
        "kind": "annual",
        "title": "Xét khen thưởng năm 2026",
        "year": "2026",
        "deadline": "25/06/2026",
        "notice_starts_on": "05/07/2026",
        "notice_ends_on": "20/07/2026",
        f"offer_{forms['lao-dong-tien-tien'].pk}": "on",
        f"quota_{forms['lao-dong-tien-tien'].pk}": "12",
    }
    data.update(overrides)
    return client.post(reverse("awards:round_create"), data)


def test_the_office_creates_a_round_in_the_browser_with_vietnamese_dates(client, reviewer, campaign, forms):
    client.force_login(reviewer)
    page = client.get(reverse("awards:round_create")).content.decode()
    assert "Lao động tiên tiến" in page
    assert "Các kỳ báo cáo phải được tiếp nhận" in page
    response = post_round(client, forms)
    award_round = AwardRound.objects.get()
    assert response.status_code == 302
    assert response.url == award_round.get_absolute_url()
    # 25/06 is 25 June and 05/07 is 5 July, never 7 May.
    assert award_round.deadline == datetime.date(2026, 6, 25)
    assert award_round.notice_starts_on == datetime.date(2026, 7, 5)
    assert award_round.round_forms.get().quota == 12


def test_a_refused_round_keeps_what_was_typed(client, reviewer, campaign, forms):
    client.force_login(reviewer)
    response = post_round(client, forms, deadline="31/02/2026", title="Đợt của tôi")
    assert response.status_code == 400
    assert not AwardRound.objects.exists()
    content = response.content.decode()
    assert "Ngày không hợp lệ" in content
    assert 'value="Đợt của tôi"' in content


def test_a_round_without_a_form_is_refused_in_the_browser(client, reviewer, campaign, forms):
    client.force_login(reviewer)
    response = post_round(client, forms, **{f"offer_{forms['lao-dong-tien-tien'].pk}": ""})
    assert response.status_code == 400
    assert "ít nhất một hình thức" in response.content.decode()


@pytest.mark.parametrize(("persona", "status"), [("reviewer", 200), ("leader", 200), ("head", 404), ("staff", 404)])
def test_who_sees_the_round_list(client, request, campaign, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("awards:round_list")).status_code == status


@pytest.mark.parametrize(("persona", "status"), [("leader", 403), ("head", 404), ("council_member", 404)])
def test_only_the_office_opens_the_create_page(client, request, campaign, persona, status):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("awards:round_create")).status_code == status


def test_units_see_an_open_round_but_not_a_draft(client, draft_round, reviewer, head):
    client.force_login(head)
    url = reverse("awards:round_detail", args=[draft_round.pk])
    assert client.get(url).status_code == 404
    rounds.round_open(award_round=draft_round, actor=reviewer)
    response = client.get(url)
    assert response.status_code == 200
    assert "Lập đề nghị" in response.content.decode()
    assert "Đóng đợt" not in response.content.decode()


def test_open_and_close_are_post_only_and_office_only(client, draft_round, reviewer, leader):
    open_url = reverse("awards:round_open", args=[draft_round.pk])
    client.force_login(leader)
    assert client.post(open_url).status_code == 403
    client.force_login(reviewer)
    assert client.get(open_url).status_code == 405
    assert client.post(open_url).status_code == 302
    draft_round.refresh_from_db()
    assert draft_round.status == AwardRound.Status.OPEN
    client.post(reverse("awards:round_close", args=[draft_round.pk]))
    draft_round.refresh_from_db()
    assert draft_round.status == AwardRound.Status.CLOSED


def test_editing_a_round_in_the_browser(client, draft_round, reviewer, forms):
    client.force_login(reviewer)
    url = reverse("awards:round_edit", args=[draft_round.pk])
    page = client.get(url).content.decode()
    assert 'value="Xét khen thưởng năm 2026"' in page
    response = client.post(
        url,
        {
            "kind": "annual",
            "title": "Đợt đã sửa",
            "year": "2026",
            "deadline": draft_round.deadline.strftime("%d/%m/%Y"),
            f"offer_{forms['lao-dong-tien-tien'].pk}": "on",
            f"offer_{forms['chien-si-thi-dua-co-so'].pk}": "on",
            f"quota_{forms['chien-si-thi-dua-co-so'].pk}": "5",
        },
    )
    assert response.status_code == 302
    draft_round.refresh_from_db()
    assert draft_round.title == "Đợt đã sửa"
    assert draft_round.round_forms.get(form=forms["chien-si-thi-dua-co-so"]).quota == 5


# +15: the waiting list behind the menu's counts (overview/waiting.py).
ROUND_LIST_QUERIES = PAGE + 2 + WAITING_OFFICE


@pytest.mark.parametrize("number", [2, 10])
def test_the_round_list_query_count_does_not_grow_with_rounds(
    client, reviewer, campaign, forms, number, django_assert_num_queries
):
    for index in range(number):
        create(reviewer, campaign, forms, title=f"Đợt số {index}")
    client.force_login(reviewer)
    with django_assert_num_queries(ROUND_LIST_QUERIES):
        response = client.get(reverse("awards:round_list"))
    assert response.content.decode().count("Đợt số") == number
