"""Two requests moving one report at the same moment, each on its own PostgreSQL connection: one wins."""

import threading
import time

import pytest
from django.db import connection

from reports import services
from reports.errors import InvalidTransition
from reports.models import ReportTransition, UnitReport
from reports.services import workflow
from tests.factories import Capability, UserFactory
from tests.reports.conftest import complete

# Serialized rollback: a transactional test ends with a flush, which would take the capability groups the
# data migrations created away from the transactional tests that run after it.
pytestmark = [pytest.mark.postgres, pytest.mark.django_db(transaction=True, serialized_rollback=True)]

Status = UnitReport.Status
Action = ReportTransition.Action


@pytest.fixture
def wide_race_window(monkeypatch):
    """Hold each transition open between its state check and its commit, so that without the row lock
    both requests would pass the check."""
    snapshot = workflow.report_snapshot

    def slow_snapshot(report):
        time.sleep(0.3)
        return snapshot(report)

    monkeypatch.setattr(workflow, "report_snapshot", slow_snapshot)


def race(**moves):
    """Run the moves in threads released together; {name: "ok" | the refusal's message}."""
    barrier = threading.Barrier(len(moves))
    outcomes = {}

    def run(name, move):
        try:
            barrier.wait(timeout=10)
            move()
            outcomes[name] = "ok"
        except InvalidTransition as refusal:
            outcomes[name] = refusal.message
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in moves.items()]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    return outcomes


@pytest.fixture
def second_reviewer(office_unit):
    return UserFactory(
        username="vanphong2", unit=office_unit, position="staff", capabilities=[Capability.OFFICE_REVIEWER]
    )


def test_accept_and_return_at_once_one_wins(submitted, reviewer, second_reviewer, wide_race_window):
    outcomes = race(
        accepting=lambda: services.report_accept(report=submitted, actor=reviewer),
        returning=lambda: services.report_return(report=submitted, actor=second_reviewer, reason="Bổ sung số liệu."),
    )
    winners = [name for name, outcome in outcomes.items() if outcome == "ok"]
    assert len(winners) == 1, outcomes
    loser = ({"accepting", "returning"} - set(winners)).pop()
    assert outcomes[loser] == "Báo cáo không ở trạng thái chờ rà soát (có thể người khác vừa xử lý)."
    submitted.refresh_from_db()
    assert submitted.status == {"accepting": Status.ACCEPTED, "returning": Status.RETURNED}[winners[0]]
    assert submitted.transitions.filter(action__in=[Action.ACCEPT, Action.RETURN]).count() == 1


def test_double_clicked_submit_submits_once(draft, staff, head, levels, wide_race_window):
    complete(draft, staff, levels)
    outcomes = race(
        first=lambda: services.report_submit(report=draft, actor=head),
        second=lambda: services.report_submit(report=draft, actor=head),
    )
    assert sorted(outcomes.values()) == sorted(["ok", workflow.WORKFLOW.moves[Action.SUBMIT].refusal]), outcomes
    draft.refresh_from_db()
    assert (draft.status, draft.submission_count) == (Status.SUBMITTED, 1)
    assert draft.transitions.filter(action=Action.SUBMIT).count() == 1
