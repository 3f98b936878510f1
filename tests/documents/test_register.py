"""The register of outgoing documents: numbers per year (local date), issuing body and type; never reused.

The concurrency test runs two issues at once, each in its own thread with its own PostgreSQL
connection: the counter row lock must give them two different numbers.
"""

import datetime
import threading
import time
import zoneinfo

import pytest
from django.db import connection, connections
from django.utils import timezone

from documents import register
from documents.models import OutgoingDocument, RegisterCounter
from documents.register import (
    CONFIRM_HINT,
    local_issue_date,
    order_conflict,
    register_next_number,
    register_record_number,
)
from tests.factories import UserFactory
from workflow.errors import NeedsConfirmation, Refused

LOCAL = zoneinfo.ZoneInfo("Asia/Ho_Chi_Minh")
SUMMARY = "Báo cáo kết quả thực hiện Phong trào thi đua năm 2025"


@pytest.fixture
def clerk(db):
    return UserFactory(username="vanthu", full_name="Trần Thị Văn Thư")


def next_number(actor, *, issued_on=datetime.date(2025, 6, 5), issuer_code="SKHCN", type_code="BC", **kwargs):
    return register_next_number(
        issuer_code=issuer_code, type_code=type_code, issued_on=issued_on, summary=SUMMARY, actor=actor, **kwargs
    )


def record(actor, number, *, issued_on=datetime.date(2025, 6, 5), issuer_code="SKHCN", type_code="BC", **kwargs):
    return register_record_number(
        issuer_code=issuer_code,
        type_code=type_code,
        number=number,
        issued_on=issued_on,
        summary=SUMMARY,
        actor=actor,
        **kwargs,
    )


def register_state():
    """What a refused number must leave as it was: every entry and every counter."""
    return (
        list(OutgoingDocument.objects.order_by("pk").values()),
        list(RegisterCounter.objects.order_by("pk").values()),
    )


def test_numbers_are_sequential_per_year_issuing_body_and_type(clerk):
    assert [next_number(clerk).number for _ in range(3)] == [1, 2, 3]
    assert next_number(clerk, type_code="QĐ").number == 1
    assert next_number(clerk, issuer_code="HĐTĐKT").number == 1
    assert next_number(clerk).number == 4
    assert next_number(clerk, issued_on=datetime.date(2026, 1, 2)).number == 1  # a new year starts at 1
    assert next_number(clerk, issued_on=datetime.date(2025, 12, 30)).number == 5
    entry = next_number(clerk, issued_on=datetime.date(2026, 1, 3))
    assert (entry.year, entry.number, entry.source) == (2026, 2, OutgoingDocument.Source.PORTAL)
    assert str(entry) == "Số 02/BC-SKHCN ngày 03/01/2026"
    assert RegisterCounter.objects.get(year=2025, issuer_code="SKHCN", type_code="BC").last_number == 5


def test_the_year_is_the_local_year(clerk):
    new_years_eve = datetime.datetime(2025, 12, 31, 23, 30, tzinfo=LOCAL)  # 16:30 UTC
    new_year = datetime.datetime(2026, 1, 1, 0, 30, tzinfo=LOCAL)  # still 31/12 17:30 in UTC
    assert new_year.astimezone(datetime.UTC).year == 2025
    eve = next_number(clerk, issued_on=new_years_eve)
    assert (eve.year, eve.number, eve.issued_on) == (2025, 1, datetime.date(2025, 12, 31))
    first = next_number(clerk, issued_on=new_year)
    assert (first.year, first.number, first.issued_on) == (2026, 1, datetime.date(2026, 1, 1))


def test_today_is_read_on_the_department_s_calendar(clerk, monkeypatch):
    """Issued today: at 23:30 on 31/12 local time it is still the old year; at 00:30 on 01/01 (17:30 UTC on
    31/12) it is already the new one."""
    for utc, expected in (
        (datetime.datetime(2025, 12, 31, 16, 30, tzinfo=datetime.UTC), datetime.date(2025, 12, 31)),
        (datetime.datetime(2025, 12, 31, 17, 30, tzinfo=datetime.UTC), datetime.date(2026, 1, 1)),
    ):
        monkeypatch.setattr(timezone, "now", lambda utc=utc: utc)
        assert local_issue_date() == expected
        entry = next_number(clerk, issued_on=None)
        assert (entry.year, entry.issued_on, entry.number) == (expected.year, expected, 1)


def test_a_number_recorded_by_the_clerk_is_skipped_by_the_portal(clerk):
    assert next_number(clerk).number == 1
    clerk_entry = record(clerk, 2)
    assert clerk_entry.source == OutgoingDocument.Source.CLERK
    record(clerk, 4)
    assert [next_number(clerk).number for _ in range(3)] == [3, 5, 6]
    numbers = list(
        OutgoingDocument.objects.filter(year=2025, issuer_code="SKHCN", type_code="BC")
        .order_by("number")
        .values_list("number", "source")
    )
    assert numbers == [(1, "portal"), (2, "clerk"), (3, "portal"), (4, "clerk"), (5, "portal"), (6, "portal")]


def test_a_number_is_never_recorded_twice(clerk):
    record(clerk, 7)
    with pytest.raises(Refused) as refusal:
        record(clerk, 7, issued_on=datetime.date(2025, 9, 1))
    assert refusal.value.message == "Số 07/BC-SKHCN năm 2025 đã có trong sổ đăng ký văn bản đi."
    assert next_number(clerk).number == 1
    with pytest.raises(Refused) as taken:
        record(clerk, 1)  # the portal gave it already
    assert taken.value.message == "Số 01/BC-SKHCN năm 2025 đã có trong sổ đăng ký văn bản đi."
    record(clerk, 7, issued_on=datetime.date(2026, 1, 5))  # the same number in another year is another entry
    record(clerk, 7, type_code="QĐ")  # ... and in another type
    with pytest.raises(Refused, match="Số văn bản phải là số nguyên dương."):
        record(clerk, 0)
    assert OutgoingDocument.objects.filter(year=2025, type_code="BC", number=7).count() == 1


def test_a_number_is_never_reused_after_a_rolled_back_issue(clerk):
    """The counter only moves with a committed entry, and an entry is never taken back."""
    from django.db import transaction

    def failing_issue():
        with transaction.atomic():
            next_number(clerk)
            raise RuntimeError("the issue failed after taking its number")

    assert next_number(clerk).number == 1
    with pytest.raises(RuntimeError):
        failing_issue()
    assert next_number(clerk).number == 2
    assert list(OutgoingDocument.objects.order_by("number").values_list("number", flat=True)) == [1, 2]


# --- dates that fit the register ---------------------------------------------------------------------------


def test_no_number_is_dated_after_today(clerk):
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    before = register_state()
    for take in (lambda: next_number(clerk, issued_on=tomorrow), lambda: record(clerk, 3, issued_on=tomorrow)):
        with pytest.raises(Refused) as refusal:
            take()
        assert refusal.value.field == "issued_on"
        assert refusal.value.message == (
            f"Ngày ban hành ({tomorrow:%d/%m/%Y}) không được sau ngày hôm nay ({timezone.localdate():%d/%m/%Y})."
        )
    assert register_state() == before


def test_a_clerks_number_dated_before_the_previous_number_is_refused_unless_confirmed(clerk):
    """The measured case: 02/BC dated 12/01/2026 recorded after 01/BC dated 10/07/2026."""
    next_number(clerk, issued_on=datetime.date(2026, 7, 10))
    before = register_state()
    with pytest.raises(NeedsConfirmation) as refusal:
        record(clerk, 2, issued_on=datetime.date(2026, 1, 12))
    assert refusal.value.field == "issued_on"
    assert refusal.value.message == (
        "Số 02/BC-SKHCN ngày 12/01/2026 lùi ngày so với số liền trước trong sổ đăng ký văn bản đi: "
        f"01/BC-SKHCN ngày 10/07/2026. {CONFIRM_HINT}"
    )
    with pytest.raises(NeedsConfirmation):
        record(clerk, 2, issued_on=datetime.date(2026, 1, 12), confirmation="   ")  # a blank reason confirms nothing
    assert register_state() == before

    entry = record(clerk, 2, issued_on=datetime.date(2026, 1, 12), confirmation="Văn thư cấp số trên sổ giấy.")
    assert (entry.number, entry.out_of_order, entry.out_of_order_reason) == (2, True, "Văn thư cấp số trên sổ giấy.")


def test_the_portals_next_number_is_not_dated_before_the_previous_one_unless_confirmed(clerk):
    record(clerk, 1, issued_on=datetime.date(2026, 7, 10))
    before = register_state()
    with pytest.raises(NeedsConfirmation, match="Số 02/BC-SKHCN ngày 12/01/2026 lùi ngày"):
        next_number(clerk, issued_on=datetime.date(2026, 1, 12))
    assert register_state() == before  # the counter did not move: the number 02 is still free
    entry = next_number(clerk, issued_on=datetime.date(2026, 1, 12), confirmation="Bản giấy ký ngày 12/01/2026.")
    assert (entry.number, entry.out_of_order) == (2, True)
    # Same-day and later numbers are in order and need no confirmation.
    assert not next_number(clerk, issued_on=datetime.date(2026, 7, 10)).out_of_order


def test_a_clerks_number_dated_after_the_next_number_is_refused_too(clerk):
    record(clerk, 5, issued_on=datetime.date(2026, 3, 1))
    before = register_state()
    with pytest.raises(NeedsConfirmation, match="có ngày sau số liền sau trong sổ đăng ký văn bản đi: 05/BC-SKHCN"):
        record(clerk, 3, issued_on=datetime.date(2026, 3, 2))
    assert register_state() == before
    assert not record(clerk, 3, issued_on=datetime.date(2026, 2, 28)).out_of_order


def test_order_is_kept_per_register(clerk):
    """Another year, issuing body or type is another register: its dates are not compared."""
    next_number(clerk, issued_on=datetime.date(2026, 7, 10))
    assert not next_number(clerk, issued_on=datetime.date(2026, 1, 12), type_code="QĐ").out_of_order
    assert not next_number(clerk, issued_on=datetime.date(2026, 1, 12), issuer_code="CCTĐC").out_of_order
    assert not next_number(clerk, issued_on=datetime.date(2025, 12, 30)).out_of_order


def test_a_number_held_already_is_refused_as_such_whatever_its_date(clerk):
    next_number(clerk, issued_on=datetime.date(2026, 7, 10))
    assert order_conflict(issuer_code="SKHCN", type_code="BC", issued_on=datetime.date(2026, 1, 2), number=1) == ""
    with pytest.raises(Refused, match="đã có trong sổ"):
        record(clerk, 1, issued_on=datetime.date(2026, 1, 2))


@pytest.fixture(scope="module", autouse=True)
def _migration_data_put_back(django_db_setup, django_db_blocker):
    """Put back the rows data migrations made, which the flush after a transactional test removes."""
    yield
    with django_db_blocker.unblock():
        for each in connections.all():
            contents = getattr(each, "_test_serialized_contents", None)
            if contents:
                each.creation.deserialize_db_from_string(contents)


@pytest.fixture
def slow_counter_save(monkeypatch):
    """Hold each issue between reading the counter and writing it back: without the row lock both
    threads would read the same last number and take the same next one."""
    save = RegisterCounter.save

    def slow_save(self, *args, **kwargs):
        time.sleep(0.3)
        return save(self, *args, **kwargs)

    monkeypatch.setattr(RegisterCounter, "save", slow_save)


def issue_at_once(count, issue):
    barrier = threading.Barrier(count)
    outcomes = [None] * count

    def run(index):
        try:
            barrier.wait(timeout=10)
            outcomes[index] = issue()
        except Exception as error:  # noqa: BLE001 — reported by the assertion below
            outcomes[index] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(index,)) for index in range(count)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    return outcomes


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.parametrize("existing_counter", [False, True], ids=["first-of-the-year", "counter-exists"])
def test_two_concurrent_issues_get_two_numbers(clerk, slow_counter_save, existing_counter):
    if existing_counter:
        next_number(clerk)
    outcomes = issue_at_once(2, lambda: next_number(clerk).number)
    assert all(isinstance(outcome, int) for outcome in outcomes), outcomes
    first = 2 if existing_counter else 1
    assert sorted(outcomes) == [first, first + 1]
    assert RegisterCounter.objects.get(year=2025, issuer_code="SKHCN", type_code="BC").last_number == first + 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_clerk_s_number_recorded_during_a_portal_issue_does_not_collide(clerk, monkeypatch):
    """The portal reads the register while the clerk records the very number it would take next."""
    next_number(clerk)
    read_register = threading.Event()
    filter_register = register.OutgoingDocument.objects.filter

    def filter_then_wait(*args, **kwargs):
        queryset = filter_register(*args, **kwargs)
        if "number__gt" in kwargs:  # the portal's look at the numbers taken above the counter
            list(queryset)
            read_register.set()
            time.sleep(0.5)
        return queryset

    monkeypatch.setattr(register.OutgoingDocument.objects, "filter", filter_then_wait)

    def portal():
        return next_number(clerk).number

    def clerk_records():
        read_register.wait(timeout=10)
        return record(clerk, 2).number

    results = {}

    def run(name, work):
        try:
            results[name] = work()
        except Exception as error:  # noqa: BLE001 — reported by the assertions below
            results[name] = error
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=item) for item in (("portal", portal), ("clerk", clerk_records))]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)
    assert not any(thread.is_alive() for thread in threads)
    # The clerk's record waits for the portal's lock, then finds the number taken and says so.
    assert results["portal"] == 2, results
    assert isinstance(results["clerk"], Refused), results
    assert results["clerk"].message == "Số 02/BC-SKHCN năm 2025 đã có trong sổ đăng ký văn bản đi."
    assert sorted(OutgoingDocument.objects.values_list("number", "source")) == [(1, "portal"), (2, "portal")]
