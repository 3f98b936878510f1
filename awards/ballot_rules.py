"""The council's counting rules, as pure functions of the counts, the form and the meeting (Nghị định 152/2025)."""

from decimal import ROUND_HALF_UP, Decimal

from .models import AgendaItem, AwardForm

Outcome = AgendaItem.Outcome
DEFAULT_QUORUM_PERCENT = Decimal("66.67")
HUNDREDTH = Decimal("0.01")


def share_reaches(count, base, percent):
    """Whether `count` out of `base` reaches `percent`, compared at the two decimals percentages are kept in.

    So 66.67% means two thirds: 4 of 6 is 66.67% and reaches it, where 4 ≥ 66.67% × 6 = 4.0002 would not.
    """
    if base <= 0:
        return Decimal(percent) <= 0
    share = (Decimal(count) * 100 / Decimal(base)).quantize(HUNDREDTH, rounding=ROUND_HALF_UP)
    return share >= Decimal(percent)


def votes_needed(percent, base):
    """The fewest votes out of `base` that reach `percent` (for 80% of 5 members: 4; for 90% of 10: 9)."""
    for count in range(base + 1):
        if share_reaches(count, base, percent):
            return count
    return base + 1


def decide(item_counts, form, member_count, attended):
    """The council's result on one nomination.

    `item_counts` holds "agree", "disagree" and, for a tie, "chair_casting_vote" (True: the chair
    sides with agree; None: not given). Forms that require a council ballot pass when the agree
    votes reach the form's threshold of all members (or of those present, if the form says so);
    a tie fails them. Other forms pass by simple majority of those present (agree > disagree); a tie
    is broken by the chair only where the form has `chair_breaks_ties`, and otherwise fails.
    Returns Outcome.PENDING when the tie waits for the chair's casting vote.
    """
    agree = item_counts["agree"]
    disagree = item_counts["disagree"]
    if agree is None or disagree is None:
        return Outcome.PENDING
    if form.requires_council_ballot:
        if agree == disagree:
            return Outcome.FAILED
        base = member_count if form.threshold_base == AwardForm.ThresholdBase.ALL_MEMBERS else attended
        return Outcome.PASSED if share_reaches(agree, base, form.ballot_threshold_percent) else Outcome.FAILED
    if agree != disagree:
        return Outcome.PASSED if agree > disagree else Outcome.FAILED
    if not form.chair_breaks_ties:
        return Outcome.FAILED
    casting = item_counts.get("chair_casting_vote")
    if casting is None:
        return Outcome.PENDING
    return Outcome.PASSED if casting else Outcome.FAILED


def needs_casting_vote(item_counts, form):
    """A tie on a simple-majority form whose chair breaks ties."""
    return (
        not form.requires_council_ballot
        and form.chair_breaks_ties
        and item_counts["agree"] is not None
        and item_counts["agree"] == item_counts["disagree"]
    )


def quorum_percent(forms):
    """The strictest quorum among the forms on the agenda (two thirds when the agenda is empty)."""
    percents = [form.quorum_percent for form in forms]
    return max(percents) if percents else DEFAULT_QUORUM_PERCENT


def quorum_status(meeting, items=None, members=None):
    """(percent, needed, attended, met) for the meeting, from its agenda's forms and its recorded members."""
    items = list(items) if items is not None else list(meeting.agenda.select_related("nomination__form"))
    members = list(members) if members is not None else list(meeting.members.all())
    percent = quorum_percent({item.nomination.form_id: item.nomination.form for item in items}.values())
    attended = sum(1 for member in members if member.attended)
    needed = votes_needed(percent, meeting.member_count)
    met = meeting.member_count > 0 and share_reaches(attended, meeting.member_count, percent)
    return {"percent": percent, "needed": needed, "attended": attended, "met": met}


def eligible_voters(item, attending_user_ids):
    """Attending members minus the nominee, who does not vote on themself."""
    person = item.nomination.person
    nominee_attends = person is not None and person.user_id is not None and person.user_id in attending_user_ids
    return len(attending_user_ids) - (1 if nominee_attends else 0)
