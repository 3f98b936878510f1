"""The council's voting rules as a pure function: thresholds on all members, simple majority, ties, quorum."""

from decimal import Decimal

import pytest

from awards.ballot_rules import decide, quorum_percent, share_reaches, votes_needed
from awards.models import AgendaItem, AwardForm

PASSED, FAILED, PENDING = AgendaItem.Outcome.PASSED, AgendaItem.Outcome.FAILED, AgendaItem.Outcome.PENDING


def ballot_form(threshold, base=AwardForm.ThresholdBase.ALL_MEMBERS, chair_breaks_ties=False):
    return AwardForm(
        requires_council_ballot=True,
        ballot_threshold_percent=Decimal(threshold),
        threshold_base=base,
        chair_breaks_ties=chair_breaks_ties,
    )


def majority_form(chair_breaks_ties=True):
    return AwardForm(requires_council_ballot=False, chair_breaks_ties=chair_breaks_ties)


def counts(agree, disagree, casting=None):
    return {"agree": agree, "disagree": disagree, "chair_casting_vote": casting}


@pytest.mark.parametrize(
    ("agree", "disagree", "expected"),
    [(4, 0, PASSED), (4, 1, PASSED), (5, 0, PASSED), (3, 0, FAILED), (3, 1, FAILED)],
)
def test_eighty_percent_of_five_members_needs_four_agree(agree, disagree, expected):
    assert decide(counts(agree, disagree), ballot_form("80"), member_count=5, attended=5) == expected


@pytest.mark.parametrize(("agree", "expected"), [(9, PASSED), (10, PASSED), (8, FAILED)])
def test_ninety_percent_of_ten_members_needs_nine_agree(agree, expected):
    assert decide(counts(agree, 0), ballot_form("90"), member_count=10, attended=10) == expected


def test_threshold_counts_all_members_not_those_present():
    # 4 of 4 present agree, but 4 of 6 members is 66.67% < 80%.
    assert decide(counts(4, 0), ballot_form("80"), member_count=6, attended=4) == FAILED


def test_threshold_on_present_members_when_the_form_says_so():
    form = ballot_form("80", base=AwardForm.ThresholdBase.PRESENT_MEMBERS)
    assert decide(counts(4, 0), form, member_count=6, attended=4) == PASSED
    assert decide(counts(3, 1), form, member_count=6, attended=4) == FAILED


def test_ballot_form_tie_fails_even_if_the_chair_would_break_it():
    form = ballot_form("50", base=AwardForm.ThresholdBase.PRESENT_MEMBERS, chair_breaks_ties=True)
    assert decide(counts(2, 2, casting=True), form, member_count=4, attended=4) == FAILED


def test_simple_majority_of_those_present():
    assert decide(counts(3, 2), majority_form(), member_count=9, attended=5) == PASSED
    assert decide(counts(2, 3), majority_form(), member_count=9, attended=5) == FAILED


def test_tie_on_simple_majority_is_broken_by_the_chair():
    assert decide(counts(2, 2, casting=True), majority_form(), member_count=5, attended=4) == PASSED
    assert decide(counts(2, 2, casting=False), majority_form(), member_count=5, attended=4) == FAILED


def test_tie_waits_for_the_chair_when_no_casting_vote_was_given():
    assert decide(counts(2, 2), majority_form(), member_count=5, attended=4) == PENDING


def test_tie_fails_where_the_chair_does_not_break_ties():
    assert decide(counts(2, 2, casting=True), majority_form(chair_breaks_ties=False), 5, 4) == FAILED


def test_casting_vote_is_ignored_without_a_tie():
    assert decide(counts(1, 3, casting=True), majority_form(), member_count=5, attended=4) == FAILED


def test_missing_counts_are_pending():
    assert decide(counts(None, None), majority_form(), member_count=5, attended=5) == PENDING


@pytest.mark.parametrize(
    ("percent", "base", "needed"),
    [("80", 5, 4), ("90", 10, 9), ("66.67", 6, 4), ("66.67", 5, 4), ("66.67", 3, 2), ("80", 7, 6), ("100", 4, 4)],
)
def test_votes_needed(percent, base, needed):
    assert votes_needed(Decimal(percent), base) == needed


def test_two_thirds_quorum_compares_at_two_decimals():
    assert share_reaches(4, 6, Decimal("66.67"))
    assert not share_reaches(3, 5, Decimal("66.67"))
    assert not share_reaches(0, 0, Decimal("66.67"))


def test_strictest_quorum_of_the_agenda_applies():
    forms = [AwardForm(quorum_percent=Decimal("50")), AwardForm(quorum_percent=Decimal("75"))]
    assert quorum_percent(forms) == Decimal("75")
    assert quorum_percent([]) == Decimal("66.67")
