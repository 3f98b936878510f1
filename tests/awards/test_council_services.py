"""The council's services: members, meetings, the agenda, attendance, quorum, the paper tally and closing."""

import datetime

import pytest
from django.utils import timezone

from awards.ballot_rules import DEFAULT_QUORUM_PERCENT
from awards.errors import AwardError, InvalidTransition, NotAllowed
from awards.models import (
    AgendaItem,
    AwardRound,
    CouncilMeeting,
    CouncilMember,
    MeetingMember,
    Nomination,
    NominationTransition,
)
from awards.services import council as services
from notifications.models import Notification
from tests.awards.conftest import make_meeting, make_nomination, put_on_agenda
from tests.factories import UserFactory
from units.capabilities import Capability
from units.models import Person

Status = Nomination.Status
# A meeting is convened for a time to come (one in the past is refused): 14:00 three days from now.
MEETING_TIME = (timezone.localtime() + datetime.timedelta(days=3)).replace(hour=14, minute=0, second=0, microsecond=0)


def convene(award_round, reviewer, **kwargs):
    return services.meeting_create(
        award_round=award_round,
        title="Phiên họp xét khen thưởng năm",
        scheduled_at=MEETING_TIME,
        place="Phòng họp số 1",
        voting=kwargs.pop("voting", CouncilMeeting.Voting.PAPER),
        actor=reviewer,
        **kwargs,
    )


def state(*objects):
    """What a refused call must leave untouched."""
    return [type(obj).objects.filter(pk=obj.pk).values().first() for obj in objects] + [
        NominationTransition.objects.count(),
        AgendaItem.objects.count(),
        Notification.objects.count(),
    ]


# --- members ---------------------------------------------------------------------------------------------


def test_office_seats_a_member_and_grants_the_capability(reviewer, other_staff):
    assert not other_staff.is_council_member
    seat = services.council_member_add(user=other_staff, role="member", actor=reviewer)
    other_staff.refresh_from_db()
    assert seat.is_active
    assert seat.role == "member"
    assert other_staff.groups.filter(name=Capability.COUNCIL_MEMBER).exists()
    assert Notification.objects.filter(recipient=other_staff).exists()


def test_only_the_office_seats_members(leader, other_staff):
    with pytest.raises(NotAllowed):
        services.council_member_add(user=other_staff, role="member", actor=leader)
    assert not CouncilMember.objects.exists()
    assert not other_staff.groups.exists()


def test_a_second_active_chair_is_refused(council, reviewer, other_staff):
    with pytest.raises(AwardError, match="Hội đồng đã có Chủ tịch"):
        services.council_member_add(user=other_staff, role="chair", actor=reviewer)
    assert CouncilMember.objects.filter(role="chair").count() == 1


def test_one_active_chair_is_a_database_constraint(council, other_staff):
    from django.db import IntegrityError, transaction

    with pytest.raises(IntegrityError), transaction.atomic():
        CouncilMember.objects.create(user=other_staff, role="chair")


def test_a_new_chair_once_the_old_seat_ended(council, reviewer, other_staff):
    chair = council[0]
    services.council_member_end(seat=chair, actor=reviewer)
    seat = services.council_member_add(user=other_staff, role="chair", actor=reviewer)
    assert seat.role == "chair"


def test_a_seated_member_is_not_seated_twice(council, reviewer, council_member):
    with pytest.raises(AwardError, match="đã là thành viên"):
        services.council_member_add(user=council_member, role="vice_chair", actor=reviewer)
    assert CouncilMember.objects.filter(user=council_member).count() == 1


def test_ending_a_seat_keeps_the_row(council, reviewer):
    seat = council[2]
    services.council_member_end(seat=seat, actor=reviewer)
    seat.refresh_from_db()
    assert not seat.is_active
    assert seat.until == timezone.localdate()
    with pytest.raises(InvalidTransition):
        services.council_member_end(seat=seat, actor=reviewer)


def test_ending_a_seat_takes_the_council_member_capability_with_it(reviewer, other_staff):
    seat = services.council_member_add(user=other_staff, role="member", actor=reviewer)
    assert other_staff.groups.filter(name=Capability.COUNCIL_MEMBER).exists()
    services.council_member_end(seat=seat, actor=reviewer)
    assert not other_staff.groups.filter(name=Capability.COUNCIL_MEMBER).exists()
    assert not other_staff.is_council_member


# --- meetings --------------------------------------------------------------------------------------------


def test_meeting_records_the_active_members_as_they_stand(annual_round, council, reviewer):
    ended = council[4]
    services.council_member_end(seat=ended, actor=reviewer)
    meeting = convene(annual_round, reviewer)
    assert meeting.status == CouncilMeeting.Status.PLANNED
    assert meeting.voting == CouncilMeeting.Voting.PAPER
    assert meeting.member_count == 4
    members = {member.user_id: member for member in meeting.members.all()}
    assert set(members) == {seat.user_id for seat in council[:4]}
    assert members[council[0].user_id].role == "chair"
    assert members[council[0].user_id].name == council[0].user.full_name
    assert not any(member.attended for member in members.values())
    # Members hear about it, the convener does not.
    assert Notification.objects.filter(recipient=council[2].user).count() == 1
    assert not Notification.objects.filter(recipient=reviewer).exists()


def test_the_paper_ballot_is_the_default_voting(annual_round):
    assert CouncilMeeting._meta.get_field("voting").default == CouncilMeeting.Voting.PAPER


def test_only_the_office_convenes(annual_round, council, leader, council_member):
    for actor in (leader, council_member):
        with pytest.raises(NotAllowed):
            convene(annual_round, actor)
    assert not CouncilMeeting.objects.exists()


def test_no_meeting_without_a_chair(annual_round, council, reviewer):
    services.council_member_end(seat=council[0], actor=reviewer)
    with pytest.raises(AwardError, match="chưa có Chủ tịch"):
        convene(annual_round, reviewer)
    assert not CouncilMeeting.objects.exists()


def test_no_meeting_for_a_draft_round(annual_round, council, reviewer):
    AwardRound.objects.filter(pk=annual_round.pk).update(status=AwardRound.Status.DRAFT)
    annual_round.refresh_from_db()
    with pytest.raises(AwardError):
        convene(annual_round, reviewer)
    assert not CouncilMeeting.objects.exists()


# --- the agenda ------------------------------------------------------------------------------------------


@pytest.fixture
def planned(annual_round, council, reviewer):
    return convene(annual_round, reviewer)


@pytest.fixture
def submitted(annual_round, forms, own_unit, person, head):
    return make_nomination(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person, actor=head)


def test_office_puts_a_submitted_nomination_on_the_agenda(planned, submitted, reviewer, head):
    items = services.agenda_add(meeting=planned, nominations=[submitted], actor=reviewer)
    submitted.refresh_from_db()
    assert submitted.status == Status.ON_AGENDA
    assert [item.nomination_id for item in items] == [submitted.pk]
    transition = submitted.transitions.get()
    assert (transition.from_status, transition.to_status, transition.actor) == ("submitted", "on_agenda", reviewer)
    assert Notification.objects.filter(recipient=head, message__contains="Hội đồng").exists()


def test_agenda_refuses_a_nomination_not_submitted_and_changes_nothing(
    planned, submitted, annual_round, forms, own_unit, reviewer
):
    draft = make_nomination(annual_round, forms["tap-the-lao-dong-tien-tien"], unit=own_unit, status=Status.DRAFT)
    before = state(submitted, draft)
    with pytest.raises(InvalidTransition):
        services.agenda_add(meeting=planned, nominations=[submitted, draft], actor=reviewer)
    assert state(submitted, draft) == before


def test_office_does_not_put_its_own_units_dossier_on_the_agenda(planned, annual_round, forms, office_unit, reviewer):
    own = make_nomination(annual_round, forms["tap-the-lao-dong-tien-tien"], unit=office_unit)
    with pytest.raises(NotAllowed):
        services.agenda_add(meeting=planned, nominations=[own], actor=reviewer)
    own.refresh_from_db()
    assert own.status == Status.SUBMITTED


def test_agenda_refuses_a_nomination_of_another_round(planned, plan, forms, other_unit, reviewer):
    other_round = AwardRound.objects.create(
        campaign=plan,
        kind="annual",
        title="Xét khen thưởng năm trước",
        year=2020,
        deadline=datetime.date(2020, 12, 1),
        status="open",
        created_by=reviewer,
    )
    stray = make_nomination(other_round, forms["tap-the-lao-dong-tien-tien"], unit=other_unit)
    with pytest.raises(AwardError, match="không thuộc đợt xét"):
        services.agenda_add(meeting=planned, nominations=[stray], actor=reviewer)
    assert not AgendaItem.objects.exists()


def test_only_the_office_sets_the_agenda(planned, submitted, council_member):
    with pytest.raises(NotAllowed):
        services.agenda_add(meeting=planned, nominations=[submitted], actor=council_member)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED


def test_office_takes_a_nomination_off_before_the_meeting(planned, submitted, reviewer):
    [item] = services.agenda_add(meeting=planned, nominations=[submitted], actor=reviewer)
    services.agenda_remove(item=item, actor=reviewer)
    submitted.refresh_from_db()
    assert submitted.status == Status.SUBMITTED
    assert not AgendaItem.objects.exists()
    assert list(submitted.transitions.values_list("to_status", flat=True)) == ["on_agenda", "submitted"]


def test_nothing_leaves_the_agenda_once_the_meeting_is_held(planned, submitted, reviewer, council):
    [item] = services.agenda_add(meeting=planned, nominations=[submitted], actor=reviewer)
    services.meeting_record_attendance(meeting=planned, present_user_ids=[s.user_id for s in council], actor=reviewer)
    with pytest.raises(InvalidTransition):
        services.agenda_remove(item=item, actor=reviewer)
    with pytest.raises(InvalidTransition):
        services.agenda_add(meeting=planned, nominations=[submitted], actor=reviewer)
    submitted.refresh_from_db()
    assert submitted.status == Status.ON_AGENDA


# --- attendance and quorum -------------------------------------------------------------------------------


def test_attendance_holds_the_meeting(planned, council, reviewer):
    present = [seat.user_id for seat in council[:4]]
    meeting = services.meeting_record_attendance(meeting=planned, present_user_ids=present, actor=reviewer)
    assert meeting.status == CouncilMeeting.Status.HELD
    assert set(MeetingMember.objects.filter(meeting=meeting, attended=True).values_list("user_id", flat=True)) == set(
        present
    )
    assert services.quorum_status(meeting)["met"]


def test_a_plain_member_does_not_record_attendance(planned, council, council_member):
    with pytest.raises(NotAllowed):
        services.meeting_record_attendance(meeting=planned, present_user_ids=[], actor=council_member)
    planned.refresh_from_db()
    assert planned.status == CouncilMeeting.Status.PLANNED


def test_a_secretary_who_is_not_the_office_records_attendance(annual_round, council, reviewer, other_staff):
    services.council_member_end(seat=council[1], actor=reviewer)
    services.council_member_add(user=other_staff, role="secretary", actor=reviewer)
    meeting = convene(annual_round, reviewer)
    other_staff.refresh_from_db()
    services.meeting_record_attendance(meeting=meeting, present_user_ids=[other_staff.pk], actor=other_staff)
    assert meeting.members.get(user=other_staff).attended


def test_quorum_is_two_thirds_of_all_members(annual_round, council, reviewer):
    three = make_meeting(annual_round, council, created_by=reviewer, attended=[s.user for s in council[:3]])
    four = make_meeting(annual_round, council, created_by=reviewer, attended=[s.user for s in council[:4]])
    assert services.quorum_status(three) == {
        "percent": DEFAULT_QUORUM_PERCENT,
        "needed": 4,
        "attended": 3,
        "met": False,
    }
    assert services.quorum_status(four)["met"]


# --- the paper tally -------------------------------------------------------------------------------------


@pytest.fixture
def held(annual_round, council, reviewer):
    return make_meeting(annual_round, council, created_by=reviewer)


@pytest.fixture
def csts_item(held, annual_round, forms, own_unit, person):
    """Chiến sĩ thi đua cơ sở: a council ballot with 80% of all members."""
    nomination = make_nomination(annual_round, forms["chien-si-thi-dua-co-so"], unit=own_unit, person=person)
    return put_on_agenda(held, nomination)


@pytest.fixture
def majority_item(held, annual_round, forms, other_unit):
    """Tập thể lao động tiên tiến: simple majority, the chair breaks ties."""
    nomination = make_nomination(annual_round, forms["tap-the-lao-dong-tien-tien"], unit=other_unit)
    return put_on_agenda(held, nomination)


def test_secretary_enters_the_tally(held, csts_item, reviewer):
    services.tally_enter(meeting=held, counts={csts_item.pk: {"agree": 4, "disagree": 1}}, actor=reviewer)
    csts_item.refresh_from_db()
    assert (csts_item.agree, csts_item.disagree, csts_item.tally_entered_by) == (4, 1, reviewer)


def test_tally_above_the_members_present_is_refused_and_saves_nothing(held, csts_item, majority_item, reviewer):
    with pytest.raises(services.TallyInvalid) as refused:
        services.tally_enter(
            meeting=held,
            counts={majority_item.pk: {"agree": 3, "disagree": 1}, csts_item.pk: {"agree": 5, "disagree": 1}},
            actor=reviewer,
        )
    assert set(refused.value.problems) == {csts_item.pk}
    assert "vượt quá" in refused.value.problems[csts_item.pk]
    assert AgendaItem.objects.filter(agree__isnull=False).count() == 0


def test_the_nominee_does_not_vote_on_themself(held, annual_round, forms, own_unit, council_member, reviewer):
    nominee = Person.objects.create(full_name=council_member.full_name, unit=own_unit, user=council_member)
    item = put_on_agenda(
        held, make_nomination(annual_round, forms["chien-si-thi-dua-co-so"], unit=own_unit, person=nominee)
    )
    with pytest.raises(services.TallyInvalid, match="chưa lưu"):
        services.tally_enter(meeting=held, counts={item.pk: {"agree": 5, "disagree": 0}}, actor=reviewer)
    services.tally_enter(meeting=held, counts={item.pk: {"agree": 4, "disagree": 0}}, actor=reviewer)
    item.refresh_from_db()
    assert item.agree == 4


def test_negative_and_missing_counts_are_refused(held, csts_item, reviewer):
    for values in ({"agree": -1, "disagree": 2}, {"agree": 3, "disagree": None}):
        with pytest.raises(services.TallyInvalid):
            services.tally_enter(meeting=held, counts={csts_item.pk: values}, actor=reviewer)
    csts_item.refresh_from_db()
    assert csts_item.agree is None


def test_no_tally_below_quorum(annual_round, council, reviewer, forms, own_unit, person):
    meeting = make_meeting(annual_round, council, created_by=reviewer, attended=[s.user for s in council[:3]])
    item = put_on_agenda(
        meeting, make_nomination(annual_round, forms["chien-si-thi-dua-co-so"], unit=own_unit, person=person)
    )
    with pytest.raises(AwardError, match="Chưa đủ số thành viên dự họp"):
        services.tally_enter(meeting=meeting, counts={item.pk: {"agree": 3, "disagree": 0}}, actor=reviewer)
    with pytest.raises(AwardError, match="Chưa đủ số thành viên dự họp"):
        services.meeting_close(meeting=meeting, actor=reviewer)
    item.refresh_from_db()
    assert item.agree is None
    assert item.nomination.status == Status.ON_AGENDA


def test_a_plain_member_does_not_enter_the_tally(held, csts_item, council_member):
    with pytest.raises(NotAllowed):
        services.tally_enter(meeting=held, counts={csts_item.pk: {"agree": 4, "disagree": 0}}, actor=council_member)


def test_attendance_is_fixed_once_counts_are_in(held, csts_item, council, reviewer):
    services.tally_enter(meeting=held, counts={csts_item.pk: {"agree": 4, "disagree": 1}}, actor=reviewer)
    with pytest.raises(InvalidTransition):
        services.meeting_record_attendance(meeting=held, present_user_ids=[council[0].user_id], actor=reviewer)
    assert held.members.filter(attended=True).count() == 5


# --- closing ---------------------------------------------------------------------------------------------


def test_closing_decides_every_item_and_moves_the_nominations(held, csts_item, majority_item, reviewer, leader):
    managers = [UserFactory(unit=csts_item.nomination.unit, position="head")]
    services.tally_enter(
        meeting=held,
        counts={csts_item.pk: {"agree": 3, "disagree": 2}, majority_item.pk: {"agree": 3, "disagree": 2}},
        actor=reviewer,
    )
    services.meeting_close(meeting=held, actor=reviewer, notes="Thống nhất cao.")
    held.refresh_from_db()
    csts_item.refresh_from_db()
    majority_item.refresh_from_db()
    assert held.status == CouncilMeeting.Status.CLOSED
    assert held.notes == "Thống nhất cao."
    # 3 of 5 is below 80% of all members; 3 against 2 is a simple majority.
    assert csts_item.outcome == AgendaItem.Outcome.FAILED
    assert csts_item.nomination.status == Status.NOT_RECOMMENDED
    assert majority_item.outcome == AgendaItem.Outcome.PASSED
    assert majority_item.nomination.status == Status.RECOMMENDED
    assert csts_item.nomination.transitions.last().action == "not_recommend"
    assert Notification.objects.filter(recipient=managers[0]).exists()
    assert Notification.objects.filter(recipient=leader, url=held.get_absolute_url()).exists()


def test_closing_records_the_end_time(held, csts_item, reviewer):
    services.tally_enter(meeting=held, counts={csts_item.pk: {"agree": 4, "disagree": 1}}, actor=reviewer)
    ended = held.scheduled_at + datetime.timedelta(hours=2, minutes=30)
    services.meeting_close(meeting=held, actor=reviewer, ended_at=ended)
    held.refresh_from_db()
    assert held.ended_at == ended


def test_closing_without_an_end_time_ends_now(held, csts_item, reviewer):
    services.tally_enter(meeting=held, counts={csts_item.pk: {"agree": 4, "disagree": 1}}, actor=reviewer)
    before = timezone.now()
    services.meeting_close(meeting=held, actor=reviewer)
    held.refresh_from_db()
    assert before <= held.ended_at <= timezone.now()


def test_an_end_before_the_start_is_refused_and_changes_nothing(held, csts_item, reviewer):
    services.tally_enter(meeting=held, counts={csts_item.pk: {"agree": 4, "disagree": 1}}, actor=reviewer)
    before = state(held, csts_item.nomination)
    with pytest.raises(AwardError, match="không được trước thời gian bắt đầu cuộc họp"):
        services.meeting_close(
            meeting=held, actor=reviewer, notes="Ý kiến", ended_at=held.scheduled_at - datetime.timedelta(minutes=1)
        )
    assert state(held, csts_item.nomination) == before


def test_closing_with_an_item_without_tally_is_refused(held, csts_item, majority_item, reviewer):
    services.tally_enter(meeting=held, counts={csts_item.pk: {"agree": 4, "disagree": 1}}, actor=reviewer)
    before = state(held, csts_item.nomination)
    with pytest.raises(AwardError, match="Chưa nhập kết quả kiểm phiếu"):
        services.meeting_close(meeting=held, actor=reviewer)
    assert state(held, csts_item.nomination) == before


def test_a_tie_waits_for_the_chairs_casting_vote(held, majority_item, reviewer):
    services.tally_enter(meeting=held, counts={majority_item.pk: {"agree": 2, "disagree": 2}}, actor=reviewer)
    with pytest.raises(AwardError, match="ngang nhau"):
        services.meeting_close(meeting=held, actor=reviewer)
    services.tally_enter(
        meeting=held,
        counts={majority_item.pk: {"agree": 2, "disagree": 2, "chair_casting_vote": True}},
        actor=reviewer,
    )
    services.meeting_close(meeting=held, actor=reviewer)
    majority_item.refresh_from_db()
    assert majority_item.outcome == AgendaItem.Outcome.PASSED
    assert majority_item.chair_casting_vote is True


def test_the_chair_does_not_break_a_tie_on_a_ballot_form(held, csts_item, reviewer):
    services.tally_enter(
        meeting=held, counts={csts_item.pk: {"agree": 2, "disagree": 2, "chair_casting_vote": True}}, actor=reviewer
    )
    csts_item.refresh_from_db()
    assert csts_item.chair_casting_vote is None
    services.meeting_close(meeting=held, actor=reviewer)
    csts_item.refresh_from_db()
    assert csts_item.outcome == AgendaItem.Outcome.FAILED


def test_a_closed_meeting_is_not_closed_again(held, csts_item, reviewer):
    services.tally_enter(meeting=held, counts={csts_item.pk: {"agree": 4, "disagree": 1}}, actor=reviewer)
    services.meeting_close(meeting=held, actor=reviewer)
    transitions = NominationTransition.objects.count()
    with pytest.raises(InvalidTransition):
        services.meeting_close(meeting=held, actor=reviewer)
    assert NominationTransition.objects.count() == transitions
    csts_item.refresh_from_db()
    assert csts_item.nomination.status == Status.RECOMMENDED


def test_closing_an_empty_agenda_is_refused(held, reviewer):
    with pytest.raises(AwardError, match="chưa có đề nghị"):
        services.meeting_close(meeting=held, actor=reviewer)
    held.refresh_from_db()
    assert held.status == CouncilMeeting.Status.HELD
