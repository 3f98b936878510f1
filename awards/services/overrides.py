"""The award rules checked again when a decision or a proposal is drafted, and leadership's written override.

The rules (awards/services/rules.py) are evaluated on the nominee's record as it stands when the office drafts the
decision or the proposal, so a record corrected since the submission or the council is seen. A nomination that fails
a blocking rule is refused from the draft unless the Director (or a Deputy Director) has overridden the rules for it
with a written reason: the override is an event of the nomination's history ("override_rules", with the reason and
the rules it overrode), never a state.
"""

from django.db import transaction

from .. import permissions
from ..errors import AwardError, NotAllowed
from ..models import Nomination, NominationTransition
from . import rules

OVERRIDE = "override_rules"
WORKFLOW = Nomination.WORKFLOW
OVERRIDABLE = (
    Nomination.Status.SUBMITTED,
    Nomination.Status.ON_AGENDA,
    Nomination.Status.RECOMMENDED,
    Nomination.Status.APPROVED,
)


def failed_rules(results):
    """The results among `results` that block (failed, and the rule is not a mere warning)."""
    return [result for result in results if result.blocks]


def overridden_ids(nominations):
    """Ids of the nominations among `nominations` whose rules leadership overrode: one query."""
    ids = [nomination.pk for nomination in nominations]
    return set(
        NominationTransition.objects.filter(nomination_id__in=ids, action=OVERRIDE).values_list(
            "nomination_id", flat=True
        )
    )


# The steps a nomination may still stand at while the rules are checked again (submitted up to forwarded upward).
PIPELINE = (*OVERRIDABLE, Nomination.Status.FORWARDED)


def failing_in_pipeline():
    """The nominations on their way (submitted up to forwarded upward) that the rules, on the record as it stands,
    now fail — [(nomination, failed results, overridden?)] in a fixed number of queries."""
    nominations = list(
        Nomination.objects.filter(status__in=PIPELINE)
        .select_related("form", "round", "unit", "person")
        .order_by("round__year", "round_id", "unit__sort_order", "pk")
    )
    results = rules.evaluate(nominations)
    overridden = overridden_ids(nominations)
    found = []
    for nomination in nominations:
        failing = failed_rules(results.get(nomination.pk, []))
        if failing:
            found.append((nomination, failing, nomination.pk in overridden))
    return found


def rules_override(*, nomination, actor, reason):
    """Leadership keeps a nomination whose rules fail, with a written reason kept in its history."""
    if not permissions.can_decide(actor):
        raise NotAllowed("Chỉ lãnh đạo Sở được quyết định vẫn xét đề nghị khi chưa đạt điều kiện.")
    reason = (reason or "").strip()
    if not reason:
        raise AwardError("Vui lòng ghi rõ lý do vẫn xét đề nghị khi chưa đạt điều kiện.", field="reason")
    with transaction.atomic():
        locked = WORKFLOW.lock(nomination)
        if locked.status not in OVERRIDABLE:
            raise AwardError("Đề nghị không ở bước có thể quyết định vẫn xét khi chưa đạt điều kiện.")
        failing = failed_rules(rules.evaluate_one(locked))
        if not failing:
            raise AwardError("Đề nghị đạt mọi điều kiện; không cần quyết định vẫn xét.")
        overridden = "; ".join(f"{result.rule.label} ({result.rule.article})" for result in failing)
        return WORKFLOW.record(locked, OVERRIDE, actor=actor, comment=f"{reason} — Điều kiện chưa đạt: {overridden}.")


def refuse_failing(nominations):
    """Refuse a draft decision or proposal while any of `nominations` fails a blocking rule that leadership did not
    override; the refusal names each nominee and the rules with their articles."""
    results = rules.evaluate(nominations)
    overridden = overridden_ids(nominations)
    lines = []
    for nomination in nominations:
        failing = failed_rules(results.get(nomination.pk, []))
        if failing and nomination.pk not in overridden:
            reasons = "; ".join(f"{result.rule.label} ({result.rule.article})" for result in failing)
            lines.append(f"{nomination.nominee_name} — {nomination.form}: {reasons}")
    if lines:
        raise AwardError(
            "Chưa lập được dự thảo: các đề nghị sau không đạt điều kiện theo hồ sơ hiện nay (lãnh đạo Sở có thể "
            "quyết định vẫn xét, ghi rõ lý do, trên trang của từng đề nghị): " + " | ".join(lines) + "."
        )
