"""Fixtures for the awards tests: the real catalogue, an open annual round, people, a council.

`make_nomination` builds a nomination directly in any state, for tests of later steps; the tests
of the nominating flow itself go through the services.
"""

import datetime

import pytest
from django.utils import timezone

from awards.models import (
    AgendaItem,
    AwardForm,
    AwardRound,
    ClassificationRecord,
    CouncilMeeting,
    CouncilMember,
    MeetingMember,
    Nomination,
    RoundForm,
)
from tests.factories import UserFactory
from units.capabilities import Capability
from units.models import Person


@pytest.fixture
def forms(plan):
    return {form.code: form for form in AwardForm.objects.all()}


@pytest.fixture
def annual_round(plan, forms, reviewer):
    """The annual round of this year, open, offering the annual titles and the Director's Giấy khen."""
    today = timezone.localdate()
    award_round = AwardRound.objects.create(
        campaign=plan,
        kind=AwardRound.Kind.ANNUAL,
        title=f"Xét khen thưởng năm {today.year}",
        year=today.year,
        deadline=today + datetime.timedelta(days=10),
        status=AwardRound.Status.OPEN,
        created_by=reviewer,
    )
    for form in forms.values():
        if form.is_annual_title or form.code == "giay-khen-giam-doc-so":
            RoundForm.objects.create(round=award_round, form=form)
    return award_round


def classified(person, year=None, classification="good"):
    """The person's classification of the year (this year by default): Lao động tiên tiến needs "good" or better."""
    ClassificationRecord.objects.create(
        person=person, year=year or timezone.localdate().year, classification=classification
    )
    return person


@pytest.fixture
def person(own_unit):
    """Classified "hoàn thành tốt nhiệm vụ" this year, as Lao động tiên tiến requires (Luật Thi đua, khen thưởng
    2022, Điều 24): the nominating tests start from a nominee the award rules accept."""
    return classified(Person.objects.create(full_name="Nguyễn Thị Đề Cử", position_title="Chuyên viên", unit=own_unit))


@pytest.fixture
def other_person(other_unit):
    return Person.objects.create(full_name="Huỳnh Văn Đơn Vị Khác", position_title="Chuyên viên", unit=other_unit)


@pytest.fixture
def council(leader, reviewer, council_member, own_unit, other_unit):
    """Five members: the Director chairs, the office reviewer is secretary, three members."""
    extra = [
        UserFactory(
            username=f"uyvien{number}",
            full_name=f"Ủy Viên Số {number}",
            unit=other_unit if number == 1 else own_unit,
            position="staff",
            capabilities=[Capability.COUNCIL_MEMBER],
        )
        for number in (1, 2)
    ]
    seats = [
        CouncilMember.objects.create(user=leader, role="chair"),
        CouncilMember.objects.create(user=reviewer, role="secretary"),
        CouncilMember.objects.create(user=council_member, role="member"),
        *(CouncilMember.objects.create(user=user, role="member") for user in extra),
    ]
    return seats


def make_nomination(award_round, form, *, unit, person=None, status=Nomination.Status.SUBMITTED, actor=None):
    """A nomination in any state, built directly (the services are tested on their own)."""
    actor = actor or UserFactory(unit=unit, position="head")
    individual = person is not None
    nomination = Nomination.objects.create(
        round=award_round,
        form=form,
        unit=unit,
        nominee_kind=Nomination.NomineeKind.INDIVIDUAL if individual else Nomination.NomineeKind.COLLECTIVE,
        person=person,
        nominee_unit=None if individual else unit,
        nominee_name=person.full_name if individual else unit.name,
        nominee_position=person.position_title if individual else "",
        nominee_unit_name=unit.name,
        achievement={"achievements": "Hoàn thành xuất sắc nhiệm vụ năm."},
        status=status,
        created_by=actor,
        submitted_by=None if status == Nomination.Status.DRAFT else actor,
        submitted_at=None if status == Nomination.Status.DRAFT else timezone.now(),
    )
    return nomination


def make_meeting(award_round, council, *, created_by, attended=None, voting=CouncilMeeting.Voting.PAPER):
    """A held meeting recording the council's members; `attended` lists users present (all by default)."""
    meeting = CouncilMeeting.objects.create(
        round=award_round,
        title=f"Phiên họp Hội đồng Thi đua - Khen thưởng — {award_round.title}",
        scheduled_at=timezone.now(),
        place="Phòng họp Sở",
        voting=voting,
        status=CouncilMeeting.Status.HELD,
        member_count=len(council),
        created_by=created_by,
    )
    present = {user.pk for user in attended} if attended is not None else None
    for seat in council:
        MeetingMember.objects.create(
            meeting=meeting,
            user=seat.user,
            role=seat.role,
            name=seat.user.full_name,
            attended=present is None or seat.user.pk in present,
        )
    return meeting


def put_on_agenda(meeting, nomination):
    nomination.status = Nomination.Status.ON_AGENDA
    nomination.save(update_fields=["status"])
    return AgendaItem.objects.create(meeting=meeting, nomination=nomination, position=meeting.agenda.count() + 1)
