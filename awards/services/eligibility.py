"""Eligibility of a nomination: named checks with Vietnamese messages, shown before and enforced on submission.

`check(nomination)` runs every check and returns the problems found. A problem is blocking unless it
is a warning; `nomination_submit` refuses a nomination with any blocking problem (NotEligible).

Decisions recorded here:
- The form's conditions are its award rules (data with their articles, awards/services/rules.py), evaluated on the
  nominee's record over the years: a failed rule that blocks is a blocking problem naming its article; a failed
  warning rule, or a rule pending on a title decided in the same round ("chờ kết quả"), is a warning. The council and
  the decision's draft re-run the rules and see a pending title once it is conferred.
- Quota: only nominations the units have sent count (not drafts, not withdrawn, not the ones the
  council, leadership or the higher authority turned down), so a unit's draft never blocks another
  unit's submission. `nomination_submit` locks the round's form row so two units cannot both take
  the last place.
- Deadline: a draft needs the round open and the deadline not passed. A nomination the office
  returned for completion came in on time: it may be sent back while the round is open or closed.
- Lists (`batch`): the dossier parts uploaded to any nomination of the same list count for all of
  them (the list's biên bản bình xét is one document).
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from reports.models import UnitReport

from ..models import ACHIEVEMENT_PARTS, AwardForm, AwardRound, DossierFile, Nomination
from ..record_facts import TURNED_DOWN
from . import rules as award_rules

# The parts of the achievement summary that must be written before submission.
REQUIRED_ACHIEVEMENT_PARTS = ("achievements",)
ACHIEVEMENT_LABELS = dict(ACHIEVEMENT_PARTS)

# TURNED_DOWN (awards.record_facts): states of a nomination that no longer take a place of the quota, block a
# duplicate or count as pending; kept importable from here for the views.


@dataclass(frozen=True)
class Problem:
    check: str
    message: str
    blocking: bool = True


def _date(day):
    return day.strftime("%d/%m/%Y")


def check_nominee_kind(nomination):
    """(a) The form applies to this kind of nominee."""
    form = nomination.form
    if form.recipient_kind == AwardForm.RecipientKind.BOTH or form.recipient_kind == nomination.nominee_kind:
        return []
    if form.recipient_kind == AwardForm.RecipientKind.INDIVIDUAL:
        return [Problem("nominee_kind", f"Hình thức “{form}” chỉ xét cho cá nhân, không xét cho tập thể.")]
    return [Problem("nominee_kind", f"Hình thức “{form}” chỉ xét cho tập thể, không xét cho cá nhân.")]


def check_round_open(nomination, *, today=None):
    """(b) The round accepts nominations: open, and the deadline not passed for a first submission."""
    award_round = nomination.round
    today = today or timezone.localdate()
    if nomination.status == Nomination.Status.RETURNED:
        if award_round.status in (AwardRound.Status.OPEN, AwardRound.Status.CLOSED):
            return []
        return [Problem("round_open", f"Đợt “{award_round}” đã kết thúc; không gửi lại được đề nghị.")]
    if award_round.status != AwardRound.Status.OPEN:
        return [
            Problem(
                "round_open",
                f"Đợt “{award_round}” không nhận hồ sơ (trạng thái: {award_round.get_status_display().lower()}).",
            )
        ]
    if today > award_round.deadline:
        return [
            Problem("round_open", f"Đã hết hạn nộp hồ sơ của đợt này (hạn cuối ngày {_date(award_round.deadline)}).")
        ]
    return []


def check_form_on_offer(nomination):
    """(b) The form is on offer in the round."""
    if nomination.round.round_forms.filter(form_id=nomination.form_id).exists():
        return []
    return [Problem("form_on_offer", f"Hình thức “{nomination.form}” không được xét trong đợt “{nomination.round}”.")]


def _same_nominee(nomination):
    if nomination.nominee_kind == Nomination.NomineeKind.INDIVIDUAL:
        return Q(person_id=nomination.person_id)
    return Q(nominee_unit_id=nomination.nominee_unit_id)


def rule_problem(result):
    """A rule's result as a problem: failed and blocking → blocking; failed warning rule or pending → a warning."""
    rule = result.rule
    message = f"{rule.label}: {result.message} ({rule.article})."
    return Problem("rules", message, blocking=result.blocks)


def check_rules(nomination):
    """(c) The form's award rules, evaluated on the nominee's record (awards/services/rules.py)."""
    return [
        rule_problem(result) for result in award_rules.evaluate_one(nomination) if result.status != award_rules.PASSED
    ]


def check_reports_accepted(nomination):
    """(d) The unit's reports for the round's periods have been accepted by the office."""
    periods = list(nomination.round.periods.order_by("end", "start"))
    if not periods:
        return []
    accepted = set(
        UnitReport.objects.filter(
            unit_id=nomination.unit_id, period__in=periods, status=UnitReport.Status.ACCEPTED
        ).values_list("period_id", flat=True)
    )
    return [
        Problem("reports_accepted", f"Báo cáo {period.label} của đơn vị chưa được Văn phòng tiếp nhận.")
        for period in periods
        if period.pk not in accepted
    ]


def quota_taken(award_round, form, *, exclude_pk=None):
    """How many places of the form's quota the units' sent nominations take."""
    taken = Nomination.objects.filter(round=award_round, form=form).exclude(
        status__in=(*TURNED_DOWN, Nomination.Status.DRAFT)
    )
    if exclude_pk is not None:
        taken = taken.exclude(pk=exclude_pk)
    return taken.count()


def check_quota(nomination):
    """(e) The form's quota in the round is not exceeded (across all units)."""
    offer = nomination.round.round_forms.filter(form_id=nomination.form_id).first()
    if offer is None or offer.quota is None:
        return []
    if quota_taken(nomination.round, nomination.form, exclude_pk=nomination.pk) < offer.quota:
        return []
    return [Problem("quota", f"Đã đủ chỉ tiêu {offer.quota} đề nghị “{nomination.form}” của đợt này.")]


def duplicate_of(nomination):
    """Another open nomination of the same nominee for the same form in the same round, if any."""
    return (
        Nomination.objects.filter(_same_nominee(nomination), round_id=nomination.round_id, form_id=nomination.form_id)
        .open()
        .exclude(pk=nomination.pk)
        .select_related("unit")
        .first()
    )


def duplicate_message(nomination, other=None):
    where = f" (do {other.unit.name} lập)" if other is not None and other.unit_id != nomination.unit_id else ""
    return f"{nomination.nominee_name} đã có đề nghị “{nomination.form}” trong đợt này{where}."


def check_duplicate(nomination):
    """(f) No second open nomination of the same person or unit for the same form in the same round."""
    other = duplicate_of(nomination)
    if other is None:
        return []
    return [Problem("duplicate", duplicate_message(nomination, other))]


def dossier_files_of(nomination):
    """The nomination's dossier files, and those of its list (batch) if it belongs to one."""
    if nomination.batch is not None:
        return DossierFile.objects.filter(nomination__batch=nomination.batch)
    return DossierFile.objects.filter(nomination=nomination)


def check_dossier(nomination):
    """(g) Every required dossier part of the form is uploaded."""
    present = set(dossier_files_of(nomination).values_list("part", flat=True)) if nomination.pk else set()
    return [
        Problem("dossier", f"Chưa tải lên thành phần hồ sơ bắt buộc: {part['label']}.")
        for part in nomination.form.dossier_parts or []
        if part.get("required") and part["code"] not in present
    ]


def check_achievement(nomination):
    """(h) The required parts of the achievement summary are written."""
    achievement = nomination.achievement or {}
    return [
        Problem("achievement", f"Chưa nhập phần “{ACHIEVEMENT_LABELS[key]}” của báo cáo thành tích.")
        for key in REQUIRED_ACHIEVEMENT_PARTS
        if not str(achievement.get(key) or "").strip()
    ]


CHECKS = {
    "nominee_kind": check_nominee_kind,
    "round_open": check_round_open,
    "form_on_offer": check_form_on_offer,
    "rules": check_rules,
    "reports_accepted": check_reports_accepted,
    "quota": check_quota,
    "duplicate": check_duplicate,
    "dossier": check_dossier,
    "achievement": check_achievement,
}
# What must hold before a nomination may even be created.
CREATION_CHECKS = ("nominee_kind", "round_open", "form_on_offer", "duplicate")


def check(nomination, *, only=None):
    """Every problem of the nomination, in the order of CHECKS (or of `only`)."""
    problems = []
    for name in only or CHECKS:
        problems.extend(CHECKS[name](nomination))
    return problems


def blocking(problems):
    return [problem for problem in problems if problem.blocking]
