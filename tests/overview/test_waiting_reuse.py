"""A person's waiting list is reused while the database's change token stays the same (portal/db_changes.py), and
computed again after any write, on another day, or where there is no token."""

import datetime
from unittest import mock

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from overview import waiting
from portal.db_changes import change_token
from reports import services as reports
from reports.models import UnitReport
from tests.query_budget import CHANGE_TOKEN, WAITING_OFFICE, WAITING_UNIT
from tests.reports.conftest import complete
from units.backends import UnitModelBackend
from units.models import Unit


def list_of(user, today=None):
    """(the person's list as the menu reads it, the queries it took), the person loaded as on a request: with their
    capabilities (units/backends.py)."""
    person = UnitModelBackend().get_user(user.pk)
    with CaptureQueriesContext(connection) as queries:
        items = waiting.recent_or_computed(person, today)
    return items, len(queries)


def kinds(items):
    return [item.kind for item in items]


@pytest.fixture
def token():
    """The change token, set by the test: `token.return_value = …`."""
    with mock.patch.object(waiting, "change_token", return_value="0/16A0F28") as patched:
        yield patched


@pytest.mark.django_db
def test_the_same_token_and_day_reuse_the_list_without_a_query(token, staff, open_period):
    first, first_queries = list_of(staff)
    assert "report_not_started" in kinds(first)
    assert first_queries == WAITING_UNIT - CHANGE_TOKEN  # the token is patched here: no query of its own

    again, again_queries = list_of(staff)
    assert (again, again_queries) == (first, 0)

    token.return_value = "0/16A1000"  # something was written
    _, queries = list_of(staff)
    assert queries == WAITING_UNIT - CHANGE_TOKEN

    _, queries = list_of(staff, today=timezone.localdate() + datetime.timedelta(days=1))  # another day
    assert queries == WAITING_UNIT - CHANGE_TOKEN


@pytest.mark.django_db
def test_each_person_has_their_own_list(token, staff, reviewer, open_period):
    unit_list, _ = list_of(staff)
    office_list, office_queries = list_of(reviewer)
    assert office_queries == WAITING_OFFICE - CHANGE_TOKEN  # not the unit member's list, though it reads the same
    assert list_of(staff) == (unit_list, 0)
    assert list_of(reviewer) == (office_list, 0)


@pytest.mark.django_db
def test_without_a_token_the_list_is_always_computed(token, staff, open_period):
    token.return_value = None  # SQLite, or a transaction that has written
    assert list_of(staff)[1] == WAITING_UNIT - CHANGE_TOKEN
    assert list_of(staff)[1] == WAITING_UNIT - CHANGE_TOKEN


@pytest.mark.django_db
def test_there_is_no_token_but_on_postgresql():
    with mock.patch.object(connection, "vendor", "sqlite"):
        assert change_token() is None


def position(token):
    """A write-ahead log position "X/Y" as a number, to compare two tokens."""
    high, low = token.split("/")
    return (int(high, 16) << 32) + int(low, 16)


# Real commits: the test's own transaction would hide them (a transaction that has written has no token).
@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_submission_moves_the_token_and_reaches_the_office_list_kept_before_it(reviewer, submitted_later):
    before = change_token()
    assert before is not None
    kept, _ = list_of(reviewer)
    assert "report_review" not in kinds(kept)

    report = submitted_later()
    after = change_token()
    assert position(after) > position(before)
    fresh, queries = list_of(reviewer)
    assert queries == WAITING_OFFICE
    assert [item.url for item in fresh if item.kind == "report_review"] == [f"/reports/{report.pk}/review/"]

    with transaction.atomic():
        Unit.objects.filter(pk=report.unit_id).update(name="Phòng Quản lý khoa học (đổi tên)")
        assert change_token() is None  # this transaction has written: nothing it reads is kept
        _, queries = list_of(reviewer)
        assert queries == WAITING_OFFICE
        transaction.set_rollback(True)


@pytest.fixture
def submitted_later(open_period, own_unit, staff, head, levels):
    """Submits the own unit's report when called, after the test has kept the office's list."""

    def submit():
        draft = reports.report_start(unit=own_unit, period=open_period, actor=staff)
        complete(draft, staff, levels)
        reports.report_submit(report=draft, actor=head)
        return UnitReport.objects.get(pk=draft.pk)

    return submit
