"""The electronic secret ballot: one vote per member and item, never on oneself, and nothing ties a vote to a voter."""

import pytest
from django.contrib import admin
from django.db import models
from django.urls import reverse

from awards.ballot_seal import unseal
from awards.errors import AwardError, InvalidTransition, NotAllowed
from awards.models import AgendaItem, BallotCast, BallotTally, CouncilMeeting, Nomination
from awards.services import council as services
from tests.awards.conftest import make_meeting, make_nomination, put_on_agenda
from units.models import Person

ELECTRONIC = CouncilMeeting.Voting.ELECTRONIC


@pytest.fixture
def meeting(annual_round, council, reviewer):
    return make_meeting(annual_round, council, created_by=reviewer, voting=ELECTRONIC)


@pytest.fixture
def item(meeting, annual_round, forms, own_unit, person):
    nomination = make_nomination(annual_round, forms["chien-si-thi-dua-co-so"], unit=own_unit, person=person)
    return put_on_agenda(meeting, nomination)


def vote(item, user, choice="agree"):
    services.ballot_cast(item=item, choice=choice, actor=user)


def counts(item):
    return unseal(item.pk, BallotTally.objects.get(item=item).sealed)


def test_a_vote_writes_who_voted_and_rewrites_the_items_one_tally(item, council_member, leader):
    vote(item, council_member, "disagree")
    vote(item, leader, "agree")
    assert sorted(BallotCast.objects.values_list("item_id", "user_id")) == sorted(
        [(item.pk, council_member.pk), (item.pk, leader.pk)]
    )
    assert list(BallotTally.objects.values_list("item_id", "closed")) == [(item.pk, False)]
    assert counts(item) == (1, 1)


def test_a_second_vote_is_refused(item, council_member):
    vote(item, council_member)
    with pytest.raises(InvalidTransition, match="đã bỏ phiếu"):
        vote(item, council_member, "disagree")
    assert counts(item) == (1, 0)
    assert BallotCast.objects.count() == 1


def test_a_member_does_not_vote_on_themself(meeting, annual_round, forms, own_unit, council_member):
    me = Person.objects.create(full_name=council_member.full_name, unit=own_unit, user=council_member)
    mine = put_on_agenda(
        meeting, make_nomination(annual_round, forms["chien-si-thi-dua-co-so"], unit=own_unit, person=me)
    )
    with pytest.raises(NotAllowed, match="chính mình"):
        vote(mine, council_member)
    assert not BallotTally.objects.exists()
    assert not BallotCast.objects.exists()


def test_an_absent_member_does_not_vote(annual_round, council, reviewer, forms, own_unit, person, council_member):
    present = [seat.user for seat in council if seat.user != council_member]
    meeting = make_meeting(annual_round, council, created_by=reviewer, attended=present, voting=ELECTRONIC)
    item = put_on_agenda(
        meeting, make_nomination(annual_round, forms["chien-si-thi-dua-co-so"], unit=own_unit, person=person)
    )
    with pytest.raises(NotAllowed):
        vote(item, council_member)
    assert not BallotTally.objects.exists()


def test_someone_outside_the_meeting_does_not_vote(item, staff):
    with pytest.raises(NotAllowed):
        vote(item, staff)
    assert not BallotTally.objects.exists()


def test_no_vote_below_quorum(annual_round, council, reviewer, forms, own_unit, person):
    present = [seat.user for seat in council[:3]]
    meeting = make_meeting(annual_round, council, created_by=reviewer, attended=present, voting=ELECTRONIC)
    item = put_on_agenda(
        meeting, make_nomination(annual_round, forms["chien-si-thi-dua-co-so"], unit=own_unit, person=person)
    )
    with pytest.raises(AwardError, match="Chưa đủ"):
        vote(item, present[0])
    assert not BallotTally.objects.exists()


def test_no_electronic_vote_at_a_paper_meeting(annual_round, council, reviewer, forms, own_unit, person, leader):
    meeting = make_meeting(annual_round, council, created_by=reviewer)
    item = put_on_agenda(
        meeting, make_nomination(annual_round, forms["chien-si-thi-dua-co-so"], unit=own_unit, person=person)
    )
    with pytest.raises(AwardError, match="bằng giấy"):
        vote(item, leader)
    assert not BallotTally.objects.exists()


def test_the_tally_is_counted_from_the_ballots_when_the_meeting_closes(item, meeting, council, reviewer):
    for seat in council[:4]:
        vote(item, seat.user, "agree")
    vote(item, council[4].user, "disagree")
    services.meeting_close(meeting=meeting, actor=reviewer)
    item.refresh_from_db()
    assert (item.agree, item.disagree, item.outcome) == (4, 1, AgendaItem.Outcome.PASSED)
    assert item.nomination.status == Nomination.Status.RECOMMENDED


def test_no_vote_after_the_count(item, meeting, council, reviewer):
    vote(item, council[0].user)
    services.ballot_count(meeting=meeting, actor=reviewer)
    with pytest.raises(InvalidTransition):
        vote(item, council[2].user)
    item.refresh_from_db()
    assert (item.agree, item.disagree) == (1, 0)


def test_the_paper_tally_is_refused_for_an_electronic_meeting(item, meeting, reviewer):
    with pytest.raises(AwardError, match="điện tử"):
        services.tally_enter(meeting=meeting, counts={item.pk: {"agree": 5, "disagree": 0}}, actor=reviewer)


def test_the_tally_names_nobody_and_keeps_no_time():
    user_model = BallotCast._meta.get_field("user").related_model
    for field in BallotTally._meta.get_fields():
        assert getattr(field, "related_model", None) in (None, AgendaItem), field.name
        assert not isinstance(field, (models.DateTimeField, models.DateField)), field.name
    for field in BallotCast._meta.get_fields():
        assert getattr(field, "related_model", None) in (None, AgendaItem, user_model), field.name
        assert not isinstance(field, (models.DateTimeField, models.DateField)), field.name
    assert BallotTally._meta.pk.name == "item"  # one row per agenda item, no id of its own


def test_ballots_are_not_in_the_admin():
    assert BallotTally not in admin.site._registry
    assert BallotCast not in admin.site._registry


def test_meeting_page_shows_who_voted_but_no_counts_until_the_count(client, item, meeting, council, reviewer):
    vote(item, council[0].user, "agree")
    vote(item, council[2].user, "disagree")
    client.force_login(reviewer)
    response = client.get(reverse("awards:meeting_detail", args=[meeting.pk]))
    [shown] = response.context["items"]
    assert not shown.counted
    assert shown.voters == sorted([council[0].user.full_name, council[2].user.full_name])
    body = response.content.decode()
    assert council[2].user.full_name in body
    assert "Không đồng ý</span>" not in body
    assert "Đồng ý</span>" not in body

    services.meeting_close(meeting=meeting, actor=reviewer)
    response = client.get(reverse("awards:meeting_detail", args=[meeting.pk]))
    [shown] = response.context["items"]
    assert shown.counted
    assert (shown.agree, shown.disagree) == (1, 1)


def test_the_ballot_page_does_not_say_what_one_voted(client, item, meeting, council_member):
    vote(item, council_member, "disagree")
    client.force_login(council_member)
    body = client.get(reverse("awards:ballot", args=[meeting.pk])).content.decode()
    assert "Bạn đã bỏ phiếu" in body
    assert "Không đồng ý</button>" not in body


def test_double_vote_through_the_page_is_refused(client, item, meeting, council_member):
    client.force_login(council_member)
    url = reverse("awards:ballot", args=[meeting.pk])
    assert client.post(url, {"item": item.pk, "choice": "agree"}).status_code == 302
    response = client.post(url, {"item": item.pk, "choice": "disagree"}, follow=True)
    assert "mỗi thành viên chỉ bỏ một phiếu" in response.content.decode()
    assert counts(item) == (1, 0)


def test_someone_not_at_the_meeting_cannot_open_the_ballot(client, item, meeting, reviewer, other_staff):
    client.force_login(other_staff)
    assert client.get(reverse("awards:ballot", args=[meeting.pk])).status_code == 404
