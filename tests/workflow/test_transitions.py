"""The one way to change state (workflow.transitions.StateMachine), seen on the simplest workflow, a round's.

The domain tests (reports, awards) check each workflow's moves; these check what every one of them
inherits: the state is read again under the row lock, a refused move changes and records nothing, and
each move or event leaves one append-only row.
"""

import datetime

import pytest
from django.db import transaction
from django.utils import timezone

from awards.models import AwardRound, RoundTransition
from tests.factories import UserFactory
from workflow.errors import InvalidTransition

WORKFLOW = AwardRound.WORKFLOW
Status = AwardRound.Status


@pytest.fixture
def office(db):
    return UserFactory(username="vanphong.workflow")


@pytest.fixture
def draft_round(plan, office):
    today = timezone.localdate()
    return AwardRound.objects.create(
        campaign=plan,
        kind=AwardRound.Kind.ANNUAL,
        title=f"Xét khen thưởng năm {today.year}",
        year=today.year,
        deadline=today + datetime.timedelta(days=10),
        created_by=office,
    )


def test_a_move_changes_the_state_and_records_who_when_from_to_and_why(draft_round, office):
    locked, record = WORKFLOW.move(draft_round, "open", actor=office, comment="Mở nhận hồ sơ.")
    assert locked.status == Status.OPEN
    assert AwardRound.objects.get(pk=draft_round.pk).status == Status.OPEN
    assert list(RoundTransition.objects.filter(round=draft_round).values_list("pk", flat=True)) == [record.pk]
    assert (record.action, record.from_status, record.to_status) == ("open", Status.DRAFT, Status.OPEN)
    assert (record.actor, record.comment) == (office, "Mở nhận hồ sơ.")
    assert abs((timezone.now() - record.at).total_seconds()) < 60


def test_the_state_is_read_again_under_the_lock_so_a_stale_copy_cannot_move_twice(draft_round, office):
    stale = AwardRound.objects.get(pk=draft_round.pk)  # read before someone else opened the round
    WORKFLOW.move(draft_round, "open", actor=office)
    assert stale.status == Status.DRAFT
    assert WORKFLOW.allows(stale, "open")
    with pytest.raises(InvalidTransition, match="Chỉ mở được đợt xét đang chuẩn bị."):
        WORKFLOW.move(stale, "open", actor=office)
    assert RoundTransition.objects.filter(round=draft_round).count() == 1


def test_a_refused_move_changes_and_records_nothing(draft_round, office):
    with pytest.raises(InvalidTransition, match="Chỉ đóng được đợt xét đang nhận hồ sơ."):
        WORKFLOW.move(draft_round, "close", actor=office)
    assert AwardRound.objects.get(pk=draft_round.pk).status == Status.DRAFT
    assert not RoundTransition.objects.filter(round=draft_round).exists()


def test_an_event_is_recorded_without_changing_the_state(draft_round, office):
    record = WORKFLOW.record(draft_round, "edit", actor=office, comment="Sửa hạn nộp.")
    assert (record.from_status, record.to_status) == (Status.DRAFT, Status.DRAFT)
    assert AwardRound.objects.get(pk=draft_round.pk).status == Status.DRAFT


def test_the_possible_next_states_follow_the_declared_moves(draft_round, office):
    assert WORKFLOW.targets(draft_round) == {Status.OPEN}
    with transaction.atomic():
        locked = WORKFLOW.lock(draft_round)
        WORKFLOW.apply(locked, "open", actor=office)
        WORKFLOW.apply(locked, "close", actor=office)
    assert WORKFLOW.targets(locked) == {Status.FINISHED}
    assert list(RoundTransition.objects.filter(round=draft_round).values_list("action", flat=True)) == [
        "open",
        "close",
    ]


@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_move_outside_a_transaction_is_a_programming_error(draft_round, office):
    # Without a transaction the lock would end with the SELECT and the check would guard nothing.
    with pytest.raises(RuntimeError, match="transaction.atomic"):
        WORKFLOW.apply(draft_round, "open", actor=office)
    assert AwardRound.objects.get(pk=draft_round.pk).status == Status.DRAFT
