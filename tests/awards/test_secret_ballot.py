"""Secret electronic ballots: one sealed tally per agenda item, rewritten in place; nothing pairs a voter with a choice.

The PostgreSQL test reads every table a vote touches, system columns included, after each vote and after the count
of two ballots that differ only in who chose what, and finds them indistinguishable. The fast tests (SQLite) check the
counts, the refusal of a second vote, that the counts stay sealed until the vote closes, and the data migration.
"""

from collections import defaultdict
from importlib import import_module

import pytest
from django.conf import settings
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.test import override_settings
from django.urls import reverse

from awards import ballot_seal
from awards.errors import AwardError, InvalidTransition
from awards.models import AgendaItem, BallotCast, BallotTally, CouncilMeeting
from awards.services import council as services
from tests.awards.conftest import make_meeting, make_nomination, put_on_agenda

ELECTRONIC = CouncilMeeting.Voting.ELECTRONIC
AGREE, DISAGREE = BallotTally.Choice.AGREE, BallotTally.Choice.DISAGREE


def electronic_item(annual_round, council, reviewer, forms, unit, person):
    meeting = make_meeting(annual_round, council, created_by=reviewer, voting=ELECTRONIC)
    nomination = make_nomination(annual_round, forms["chien-si-thi-dua-co-so"], unit=unit, person=person)
    return put_on_agenda(meeting, nomination)


def voters(council):
    """Four voters: the chair and three members (the secretary, who counts, does not vote here)."""
    return [seat.user for seat in council if seat.role != "secretary"]


# ---------------------------------------------------------------------------------------------
# PostgreSQL: every table of the ballot, system columns included, after each vote and after the count
# ---------------------------------------------------------------------------------------------

# The tables a vote or the count writes or locks, and how each row of the run is found.
TABLES = {
    "awards_councilmeeting": ("id", "id = %(meeting)s"),
    "awards_agendaitem": ("id", "id = %(item)s"),
    "awards_ballotcast": ("id", "item_id = %(item)s"),
    "awards_ballottally": ("item_id", "item_id = %(item)s"),
}


def read_tables(item):
    """Every column of every ballot table, with PostgreSQL's ctid, xmin and xmax, as anyone reading the database
    (SQL, pg_dump, a copy of the files) sees them."""
    snapshot = {}
    with connection.cursor() as cursor:
        for table, (_, where) in TABLES.items():
            cursor.execute(
                # The table names and conditions are this module's constants; the values are parameters.
                f"SELECT ctid::text AS ctid, xmin::text AS xmin, xmax::text AS xmax, * FROM {table} WHERE {where}",  # noqa: S608
                {"meeting": item.meeting_id, "item": item.pk},
            )
            columns = [column.name for column in cursor.description]
            snapshot[table] = [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]
    return snapshot


def shape(history):
    """The history of snapshots with every value replaced by the order in which it first appeared.

    Transaction ids share one numbering across tables (so "the tally was last written by the transaction that wrote
    this cast" survives); every other column has its own. A row's ctid becomes whether it moved since the previous
    snapshot (its physical slot depends on what earlier tests left on the page). Two ballots whose shapes are equal
    cannot be told apart by anyone who read the database at each of those moments.
    """
    labels = defaultdict(dict)
    slots = {}
    shaped = []
    for snapshot in history:
        step = {}
        for table, rows in snapshot.items():
            key = TABLES[table][0]
            step[table] = []
            for row in sorted(rows, key=lambda row, key=key: row[key]):
                slot = (table, row[key])
                moved, slots[slot] = slots.get(slot) != row["ctid"], row["ctid"]
                values = []
                for column, value in sorted(row.items()):
                    if column == "ctid":
                        values.append((column, "moved" if moved else "same"))
                    else:
                        space = labels["xid" if column in ("xmin", "xmax") else (table, column)]
                        values.append((column, space.setdefault(str(value), len(space))))
                step[table].append(tuple(values))
        shaped.append(step)
    return shaped


def run_ballot(item, ballot_voters, choices, clerk):
    """Each member votes in their own transaction, then the clerk counts and closes; the tables read at each step."""
    history = []
    for user, choice in zip(ballot_voters, choices, strict=True):
        services.ballot_cast(item=item, choice=choice, actor=user)
        history.append(read_tables(item))
    services.ballot_count(meeting=item.meeting, actor=clerk)
    history.append(read_tables(item))
    services.meeting_close(meeting=item.meeting, actor=clerk)
    history.append(read_tables(item))
    return history


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_no_snapshot_of_the_database_pairs_a_voter_with_a_choice(
    annual_round, council, reviewer, forms, own_unit, other_unit, person, other_person
):
    first = electronic_item(annual_round, council, reviewer, forms, own_unit, person)
    second = electronic_item(annual_round, council, reviewer, forms, other_unit, other_person)
    members = voters(council)
    # The same members in the same order, the same totals (3 agree, 1 disagree); only who chose what differs.
    first_history = run_ballot(first, members, [AGREE, AGREE, DISAGREE, AGREE], reviewer)
    second_history = run_ballot(second, members, [DISAGREE, AGREE, AGREE, AGREE], reviewer)

    # Read after every vote, after the count and after the close, the two ballots look the same: ids, row order,
    # ctid, xmin and xmax included. Whatever pairing one would read from the tables, it would be the same for both.
    assert shape(first_history) == shape(second_history)

    # What the shapes rest on: no row per vote, casts name who voted and nothing else, the tally holds no count in
    # the clear and looks new after every vote whatever was chosen.
    last_vote = first_history[len(members) - 1]
    assert [len(last_vote["awards_ballotcast"]), len(last_vote["awards_ballottally"])] == [4, 1]
    assert set(last_vote["awards_ballotcast"][0]) == {"ctid", "xmin", "xmax", "id", "item_id", "user_id"}
    assert set(last_vote["awards_ballottally"][0]) == {"ctid", "xmin", "xmax", "item_id", "sealed", "closed"}
    sealed = [snapshot["awards_ballottally"][0]["sealed"] for snapshot in first_history[: len(members)]]
    assert len(set(sealed)) == 4
    assert {len(value) for value in sealed} == {ballot_seal.SEALED_LENGTH}
    # Equal counts never seal to equal texts: both ballots ended their votes at (3, 1).
    assert first_history[3]["awards_ballottally"][0]["sealed"] != second_history[3]["awards_ballottally"][0]["sealed"]
    # One snapshot does tell who voted last and that the tally was rewritten in that vote's transaction (the cast in
    # its savepoint's sub-transaction id, the tally in the top one, next to each other), and no more: the counts it
    # holds do not open without the portal's key.
    tally = last_vote["awards_ballottally"][0]
    casts = sorted(last_vote["awards_ballotcast"], key=lambda row: int(row["xmin"]))
    assert casts[-1]["user_id"] == members[-1].pk
    assert int(casts[-2]["xmin"]) < int(tally["xmin"]) < int(casts[-1]["xmin"])
    with (
        override_settings(SECRET_KEY="a-key-that-is-not-the-portals", SECRET_KEY_FALLBACKS=[]),
        pytest.raises(ballot_seal.SealBroken),
    ):
        ballot_seal.unseal(first.pk, tally["sealed"])
    assert ballot_seal.unseal(first.pk, tally["sealed"]) == (3, 1)
    # After the count the result is public on the agenda item, for both ballots alike (3 of the 5 members is 60%,
    # below the 80% of all members Chiến sĩ thi đua cơ sở needs).
    for item in (first, second):
        item.refresh_from_db()
        assert (item.agree, item.disagree, item.outcome) == (3, 1, AgendaItem.Outcome.FAILED)
    assert list(BallotTally.objects.values_list("closed", flat=True)) == [True, True]


# ---------------------------------------------------------------------------------------------
# Fast (SQLite): counts, a second vote, counts hidden until the vote closes
# ---------------------------------------------------------------------------------------------


@pytest.fixture
def item(annual_round, council, reviewer, forms, own_unit, person):
    return electronic_item(annual_round, council, reviewer, forms, own_unit, person)


def sealed_counts(item):
    return ballot_seal.unseal(item.pk, BallotTally.objects.get(item=item).sealed)


@pytest.mark.django_db
def test_votes_add_up_in_the_items_one_tally_and_the_count_copies_them(item, council, reviewer):
    for user, choice in zip(voters(council), [AGREE, DISAGREE, DISAGREE, AGREE], strict=True):
        services.ballot_cast(item=item, choice=choice, actor=user)
    assert BallotTally.objects.count() == 1
    assert BallotCast.objects.filter(item=item).count() == 4
    assert sealed_counts(item) == (2, 2)
    services.ballot_count(meeting=item.meeting, actor=reviewer)
    item.refresh_from_db()
    assert (item.agree, item.disagree) == (2, 2)
    assert BallotTally.objects.get(item=item).closed


@pytest.mark.django_db
def test_a_second_vote_is_refused_and_changes_nothing(item, council_member):
    services.ballot_cast(item=item, choice=AGREE, actor=council_member)
    before = BallotTally.objects.get(item=item).sealed
    with pytest.raises(InvalidTransition, match="mỗi thành viên chỉ bỏ một phiếu"):
        services.ballot_cast(item=item, choice=DISAGREE, actor=council_member)
    assert BallotTally.objects.get(item=item).sealed == before
    assert sealed_counts(item) == (1, 0)
    assert BallotCast.objects.filter(item=item).count() == 1


@pytest.mark.django_db
def test_no_vote_once_the_tally_is_closed(item, council, reviewer):
    services.ballot_cast(item=item, choice=AGREE, actor=council[0].user)
    services.ballot_count(meeting=item.meeting, actor=reviewer)
    with pytest.raises(InvalidTransition, match="Đã kết thúc bỏ phiếu"):
        services.ballot_cast(item=item, choice=DISAGREE, actor=council[2].user)
    assert sealed_counts(item) == (1, 0)


@pytest.mark.django_db
def test_an_item_nobody_voted_on_counts_zero_with_its_one_closed_tally(item, reviewer):
    services.ballot_count(meeting=item.meeting, actor=reviewer)
    item.refresh_from_db()
    assert (item.agree, item.disagree) == (0, 0)
    assert list(BallotTally.objects.values_list("item_id", "closed")) == [(item.pk, True)]
    assert sealed_counts(item) == (0, 0)


@pytest.mark.django_db
def test_the_counts_are_hidden_from_the_secretary_until_the_vote_closes(client, item, council, reviewer):
    for user in voters(council)[:3]:
        services.ballot_cast(item=item, choice=AGREE, actor=user)
    tally = BallotTally.objects.get(item=item)
    # Unanimous so far, yet nothing in the row says so: no count in the clear, and another key opens nothing.
    assert not tally.closed
    assert len(tally.sealed) == ballot_seal.SEALED_LENGTH
    with override_settings(SECRET_KEY="another-key", SECRET_KEY_FALLBACKS=[]), pytest.raises(ballot_seal.SealBroken):
        ballot_seal.unseal(item.pk, tally.sealed)
    item.refresh_from_db()
    assert (item.agree, item.disagree) == (None, None)
    client.force_login(reviewer)  # the secretary
    page = client.get(reverse("awards:meeting_detail", args=[item.meeting_id]))
    [shown] = page.context["items"]
    assert not shown.counted
    assert page.content.decode().count('<td class="text-end">—</td>') == 2

    services.ballot_count(meeting=item.meeting, actor=reviewer)
    page = client.get(reverse("awards:meeting_detail", args=[item.meeting_id]))
    [shown] = page.context["items"]
    assert (shown.counted, shown.agree, shown.disagree) == (True, 3, 0)


@pytest.mark.django_db
def test_the_seal_is_bound_to_its_item_and_opens_with_a_previous_key(item):
    sealed = ballot_seal.seal(item.pk, 4, 1)
    with pytest.raises(ballot_seal.SealBroken):
        ballot_seal.unseal(item.pk + 1, sealed)  # copied onto another item's row
    with override_settings(SECRET_KEY="the-new-key", SECRET_KEY_FALLBACKS=[settings.SECRET_KEY]):
        assert ballot_seal.unseal(item.pk, sealed) == (4, 1)


@pytest.mark.django_db
def test_a_changed_key_refuses_the_count_and_changes_nothing(item, council, reviewer):
    services.ballot_cast(item=item, choice=AGREE, actor=council[0].user)
    with (
        override_settings(SECRET_KEY="a-key-lost-since", SECRET_KEY_FALLBACKS=[]),
        pytest.raises(AwardError, match="SECRET_KEY_FALLBACKS"),
    ):
        services.ballot_count(meeting=item.meeting, actor=reviewer)
    item.refresh_from_db()
    assert item.agree is None
    assert not BallotTally.objects.get(item=item).closed


@pytest.mark.django_db
def test_the_data_migration_sums_existing_ballots_into_closed_and_open_tallies(
    annual_round, council, reviewer, forms, own_unit, other_unit, person, other_person
):
    """0012's data step over the per-vote rows as 0011 left them (the old table made for the test)."""
    migration = import_module("awards.migrations.0012_secret_ballot_tally")
    old_apps = MigrationLoader(connection).project_state(("awards", "0011_person_record_and_rules")).apps
    old_ballot = old_apps.get_model("awards", "Ballot")
    counted = electronic_item(annual_round, council, reviewer, forms, own_unit, person)
    open_item = electronic_item(annual_round, council, reviewer, forms, other_unit, other_person)
    AgendaItem.objects.filter(pk=counted.pk).update(agree=2, disagree=1)
    with connection.cursor() as cursor:
        cursor.execute(
            f"CREATE TEMPORARY TABLE awards_ballot (id {old_ballot._meta.pk.db_type(connection)} PRIMARY KEY, "
            "item_id bigint, choice varchar(10))"
        )
    try:
        old_ballot.objects.bulk_create(
            old_ballot(item_id=item_id, choice=choice)
            for item_id, choice in [
                (counted.pk, AGREE),
                (counted.pk, DISAGREE),
                (counted.pk, AGREE),
                (open_item.pk, DISAGREE),
            ]
        )

        class Apps:
            def get_model(self, app_label, name):
                return old_ballot if name == "Ballot" else AgendaItem if name == "AgendaItem" else BallotTally

        migration.sum_ballots_into_tallies(Apps(), None)
    finally:
        with connection.cursor() as cursor:
            cursor.execute("DROP TABLE awards_ballot")
    assert sealed_counts(counted) == (2, 1)
    assert sealed_counts(open_item) == (0, 1)
    assert dict(BallotTally.objects.values_list("item_id", "closed")) == {counted.pk: True, open_item.pk: False}
