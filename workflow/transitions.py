"""One way to change state: a guarded transition under a row lock, with an append-only record of it.

Each model with a workflow declares beside it one `StateMachine`: its moves (action → the states it may
start from and the state it leads to) and its record model (a workflow.models.TransitionRecord). A
service then changes state only through it:

    with transaction.atomic():
        report = WORKFLOW.lock(report, "unit", "period")   # SELECT … FOR UPDATE of the row
        …checks and field changes of the service…
        WORKFLOW.apply(report, "submit", actor=actor, snapshot=…)

or in one call, `WORKFLOW.move(report, "submit", actor=actor)`. `apply` checks the current state on the
locked row (so two people pressing "accept" and "return" at once cannot both win), makes the move,
saves, and writes the record with the actor, the time, the states before and after, the comment and
whatever else the record model holds. Events that change no state (an edit, a sending) are recorded
with `record`. Nothing else writes a state field or a transition row.

A move repeated by the person who just made it (a double click, a form sent again) is refused by the state
it left behind; `already_done` tells the view so, and the view answers as the first request did.
"""

from dataclasses import dataclass
from datetime import timedelta

from django.apps import apps
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from .errors import InvalidTransition

WRONG_STATE = "Không thực hiện được: trạng thái đã thay đổi (có thể người khác vừa xử lý)."
# How long after a move the same person's same move counts as its repeat (a double click, a resent form, a
# reload answering "resend"); later, or by anyone else, it is a new request and the state refuses it.
REPEAT_WINDOW = timedelta(seconds=60)


@dataclass(frozen=True)
class Move:
    """The states an action may start from, the state it leads to, and what to say when it may not start."""

    sources: tuple
    target: str
    refusal: str = WRONG_STATE


class StateMachine:
    """The allowed moves of one model's state field, and the only code that makes them."""

    def __init__(self, *, moves, record, subject, state="status", refusal=InvalidTransition):
        self.moves = moves
        self.record_label = record  # "app_label.Model" of the TransitionRecord subclass
        self.subject = subject  # the record's foreign key to the object
        self.state = state
        self.refusal = refusal  # the exception class raised for a move the current state does not allow

    @property
    def record_model(self):
        return apps.get_model(self.record_label)

    def allows(self, obj, action):
        """Whether the object's current state is one the action may start from."""
        return getattr(obj, self.state) in self.moves[action].sources

    def targets(self, obj):
        """The states the object may move to from where it stands."""
        current = getattr(obj, self.state)
        return {move.target for move in self.moves.values() if current in move.sources}

    def lock(self, obj, *related):
        """The object's row read again and locked until the transaction ends (its own row only)."""
        _require_transaction()
        return type(obj).objects.select_for_update(of=("self",)).select_related(*related).get(pk=obj.pk)

    def check(self, obj, action):
        """Refuse with the move's message unless the object's current state allows the action."""
        move = self.moves[action]
        if getattr(obj, self.state) not in move.sources:
            raise self.refusal(move.refusal)
        return move

    def apply(self, locked, action, *, actor, comment="", at=None, **details):
        """Make the move on a row from `lock()`: check the state, change it, save, record. Returns the record."""
        _require_transaction()
        move = self.check(locked, action)
        previous = getattr(locked, self.state)
        setattr(locked, self.state, move.target)
        locked.save()
        return self._write(locked, action, actor, previous, move.target, comment, at, details)

    def move(self, obj, action, *, actor, comment="", related=(), **details):
        """Lock, check, move and record in one transaction; returns the locked object and its record."""
        with transaction.atomic():
            locked = self.lock(obj, *related)
            return locked, self.apply(locked, action, actor=actor, comment=comment, **details)

    def already_done(self, obj, action, *, actor, comment=None, within=REPEAT_WINDOW):
        """Whether `actor` made this move on the object within `within` and the object still stands where it
        led: the last record that changed its state is that move, by that person (with that `comment`, when
        the request carries one, e.g. a return's reason), and the committed state is the move's target. A
        request refused by the state this says yes to is the repeat of one that succeeded, and is answered
        as that one was.

        Two queries, read outside any lock, after the refusal (the first request has committed by then).
        """
        if getattr(actor, "pk", None) is None:
            return False
        move = self.moves[action]
        last = (
            self.record_model.objects.filter(**{self.subject: obj})
            .exclude(from_status=F("to_status"))  # events and moves that stay put (an edit, opening a review)
            .order_by("-at", "-pk")
            .values("action", "actor_id", "to_status", "at", "comment")
            .first()
        )
        if last is None or (last["action"], last["actor_id"], last["to_status"]) != (action, actor.pk, move.target):
            return False
        if last["at"] < timezone.now() - within or (comment is not None and last["comment"] != comment):
            return False
        current = type(obj).objects.filter(pk=obj.pk).values_list(self.state, flat=True).first()
        return current == move.target

    def record(self, obj, action, *, actor, comment="", at=None, from_status=None, **details):
        """Record an event that changes no state (an edit, a sending), or a move made by a conditional
        UPDATE (a background job's), whose state before is `from_status`."""
        current = getattr(obj, self.state)
        before = current if from_status is None else from_status
        return self._write(obj, action, actor, before, current, comment, at, details)

    def _write(self, obj, action, actor, from_status, to_status, comment, at, details):
        return self.record_model.objects.create(
            **{self.subject: obj},
            action=action,
            from_status=from_status or "",
            to_status=to_status,
            actor=actor,
            at=at or timezone.now(),
            comment=comment,
            **details,
        )


def _require_transaction():
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("A state change runs inside transaction.atomic(), on a row locked by StateMachine.lock().")
