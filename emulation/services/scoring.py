"""Scoring (chấm điểm): the office keeps a year's schemes, computes each unit's self-score from its annual report,
scores differently with a reason, publishes the provisional scores for the units' explanation (giải trình), records
the council's minuted review, and leadership confirms — after which nothing changes.

How a line's points follow from the unit's annual report (ReportingPeriod of the year, kind "annual"):

- self-assessment item: `level_points` by the level the unit chose; a criterion the unit answered "Không áp
  dụng" (or that does not concern it, so its report has no line for it) gets the item's maximum — the rule of
  the province's scoring guides ("tiêu chí không phát sinh được tính điểm tối đa");
- indicator item: the target is the unit's registered one (an ACCEPTED registration's commitment), else the
  plan's target, else (an indicator compared with the previous year) the unit's own value of the year before.
  Proportional: max × achieved ÷ target, never above the maximum; for a "lower is better" indicator the ratio
  is inverted (max × target ÷ achieved; an achieved 0 earns the maximum). Not proportional: the maximum when
  the target is met (Indicator.meets' direction), else 0. No figure or no target: 0;
- timeliness item: the maximum for an annual report submitted on time, `late_points` for a late one, 0 when
  no report was submitted;
- an item the office scores itself: 0 until the office enters its points;
- adjustments, each `points` per occurrence up to `max_occurrences` (a deduction counts negative): late reports
  and returned reports over the year's periods, no accepted registration (one occurrence), and the discipline or
  office counts the office enters.

Arithmetic is Decimal, each line rounded to 2 places (half up). A unit's total counts the office's points where it
scored a line differently. Computing again is allowed until the scores are confirmed: it refreshes the computed
points and keeps what the office entered (its points, reasons and counts).
"""

from decimal import ROUND_HALF_UP, Decimal

from django.db import transaction
from django.db.models import Count
from django.urls import reverse
from django.utils import timezone

from campaign.models import ReportingPeriod
from notifications.services import notify
from reports.models import CriterionResult, ReportTransition, UnitReport
from reports.parts import stored_decimal
from units.models import Unit
from units.selectors import leaders, office_reviewers, unit_managers
from workflow.errors import InvalidTransition, NotAllowed, Refused

from .. import permissions
from ..models import (
    Commitment,
    Registration,
    SchemeAdjustment,
    SchemeItem,
    ScoreLine,
    ScoringScheme,
    UnitScore,
)

WORKFLOW = ScoringScheme.WORKFLOW
Basis = SchemeItem.Basis
Trigger = SchemeAdjustment.Trigger
CENT = Decimal("0.01")
ZERO = Decimal(0)

LOCKED = "Điểm đã được xác nhận, không thể thay đổi."
NOT_DRAFT = "Chỉ sửa được bảng điểm khi đang chấm (chưa công bố)."
# Counts the office enters itself (the others are counted from the reports and registrations).
OFFICE_COUNTED = (Trigger.DISCIPLINE, Trigger.OFFICE)
SUBMITTED_ONCE = (UnitReport.Status.SUBMITTED, UnitReport.Status.RETURNED, UnitReport.Status.ACCEPTED)
DEFAULT_TIE_BREAK = [code for code, _ in ScoringScheme.TieBreak.choices]


class ScoresLocked(Refused):
    """The scheme is confirmed: its scores never change again."""

    def __init__(self):
        super().__init__(LOCKED)


class ScoreInvalid(Refused):
    """The office's points refused; `errors` is {line id: {field: message}}."""

    def __init__(self, errors):
        super().__init__("Có điểm chưa hợp lệ; vui lòng sửa các ô được đánh dấu. Chưa có gì được lưu.")
        self.errors = errors


def cents(value):
    return Decimal(value).quantize(CENT, rounding=ROUND_HALF_UP)


def _refuse_if_locked(scheme):
    if scheme.is_locked:
        raise ScoresLocked()


def _lock(scheme):
    return WORKFLOW.lock(scheme, "year")


# --- Schemes ---------------------------------------------------------------------------------------------------


def scheme_create(*, year, kind, name, actor, copy_from=None):
    """A draft scheme of one kind for the year; with `copy_from`, its items and adjustments copied (last year's)."""
    if not permissions.can_manage_year(actor):
        raise NotAllowed("Chỉ Văn phòng lập bảng điểm.")
    if ScoringScheme.objects.filter(year=year, kind=kind).exists():
        raise Refused("Năm này đã có bảng điểm loại này.", field="kind")
    if copy_from is not None and copy_from.kind != kind:
        # Nghị định 152/2025, Điều 4: the annual and the campaign's scoring never mix.
        raise Refused("Chỉ sao chép được bảng điểm cùng loại.", field="copy_from")
    with transaction.atomic():
        scheme = ScoringScheme.objects.create(
            year=year,
            kind=kind,
            name=name.strip(),
            tie_break=list(copy_from.tie_break) if copy_from else list(DEFAULT_TIE_BREAK),
        )
        if copy_from is not None:
            SchemeItem.objects.bulk_create(
                SchemeItem(
                    scheme=scheme,
                    label=item.label,
                    criterion_id=item.criterion_id,
                    basis=item.basis,
                    max_points=item.max_points,
                    level_points=dict(item.level_points),
                    indicator_id=item.indicator_id,
                    proportional=item.proportional,
                    late_points=item.late_points,
                    sort_order=item.sort_order,
                )
                for item in copy_from.items.all()
            )
            SchemeAdjustment.objects.bulk_create(
                SchemeAdjustment(
                    scheme=scheme,
                    kind=adjustment.kind,
                    trigger=adjustment.trigger,
                    label=adjustment.label,
                    points=adjustment.points,
                    max_occurrences=adjustment.max_occurrences,
                    sort_order=adjustment.sort_order,
                )
                for adjustment in copy_from.adjustments.all()
            )
        comment = f"Sao chép từ {copy_from.name}." if copy_from else ""
        WORKFLOW.record(scheme, "create", actor=actor, comment=comment)
    return scheme


def scheme_save(*, scheme, actor, name, tie_break, items, adjustments):
    """Save the scheme's name, tie-break rules and rows as the office edited them, while it is a draft.

    `items` and `adjustments` are lists of (instance or None for a new row, cleaned values, delete?).
    """
    if not permissions.can_manage_year(actor):
        raise NotAllowed("Chỉ Văn phòng sửa bảng điểm.")
    with transaction.atomic():
        locked = _lock(scheme)
        _refuse_if_locked(locked)
        if locked.status != ScoringScheme.Status.DRAFT:
            raise InvalidTransition(NOT_DRAFT)
        locked.name = name.strip()
        locked.tie_break = list(tie_break)
        locked.save(update_fields=["name", "tie_break"])
        _save_rows(locked, SchemeItem, items)
        _save_rows(locked, SchemeAdjustment, adjustments)
        WORKFLOW.record(locked, "edit", actor=actor)
    return locked


def _save_rows(scheme, model, rows):
    for instance, values, delete in rows:
        if instance is not None and instance.scheme_id != scheme.pk:
            raise NotAllowed("Dòng không thuộc bảng điểm này.")
        if delete:
            if instance is not None:
                # Computed lines go with the row: they are recomputed from the scheme as it now stands.
                ScoreLine.objects.filter(**{"item" if model is SchemeItem else "adjustment": instance}).delete()
                instance.delete()
            continue
        row = instance or model(scheme=scheme)
        for field, value in values.items():
            setattr(row, field, value)
        row.save()


# --- The compute -----------------------------------------------------------------------------------------------


def annual_period(year):
    return ReportingPeriod.objects.filter(
        campaign_id=year.campaign_id, year=year.year, kind=ReportingPeriod.Kind.ANNUAL
    ).first()


def item_points(item, result, *, on_time=None, report=None, target=None, value=None):
    """The computed points of one item for one unit (see the module's docstring); rounded to 2 places."""
    maximum = item.max_points
    if item.basis == Basis.TIMELINESS:
        if report is None:
            return ZERO
        return cents(item.late_points if report.is_late else maximum)
    if item.basis == Basis.OFFICE:
        return ZERO
    if report is None:
        return ZERO
    if result is None or result.is_not_applicable:
        return cents(maximum)
    if item.basis == Basis.SELF_ASSESSMENT:
        if result.assessment is None:
            return ZERO
        points = stored_decimal(item.level_points.get(result.assessment.code, 0)) or ZERO
        return cents(min(max(points, ZERO), maximum))
    # Indicator.
    indicator = item.indicator
    if value is None or target is None:
        return ZERO
    lower = indicator.direction == indicator.Direction.LOWER_IS_BETTER
    if not item.proportional:
        met = value <= target if lower else value >= target
        return cents(maximum if met else ZERO)
    # "Lower is better" inverts the ratio: half the registered rate earns the maximum, twice it half of it.
    achieved, needed = (target, value) if lower else (value, target)
    ratio = Decimal(1) if needed <= 0 else achieved / needed
    return cents(min(maximum * ratio, maximum))


def indicator_target(item, registered, previous_value):
    """(target, where it comes from) of an indicator item for a unit: registered, the plan's, or last year's."""
    if registered is not None:
        return registered, "registered"
    indicator = item.indicator
    if indicator.comparison == indicator.Comparison.FIXED_TARGET and indicator.target_value is not None:
        return indicator.target_value, "plan"
    if previous_value is not None:
        return previous_value, "previous_year"
    return None, "none"


class YearFacts:
    """Everything the compute reads for a year, in a fixed number of queries whatever the number of units."""

    def __init__(self, scheme, unit=None):
        year = scheme.year
        self.period = annual_period(year)
        on = self.period.end if self.period else timezone.localdate()
        reporting = Unit.objects.reporting(on)
        if unit is not None:
            # One unit's page: the same facts, for that unit only.
            reporting = Unit.objects.filter(pk=unit.pk)
        self.units = list(reporting.order_by("sort_order", "name"))
        self.reports = {}
        self.results = {}
        if self.period is not None:
            reports = UnitReport.objects.filter(period=self.period, unit__in=reporting, status__in=SUBMITTED_ONCE)
            self.reports = {report.unit_id: report for report in reports}
            unit_of = {report.pk: unit_id for unit_id, report in self.reports.items()}
            for result in CriterionResult.objects.filter(report__in=reports).select_related("assessment"):
                self.results[(unit_of[result.report_id], result.criterion_id)] = result
        self.registered = {
            (commitment.registration.unit_id, commitment.indicator_id): commitment.target
            for commitment in Commitment.objects.filter(
                registration__unit__in=reporting,
                registration__year=year,
                registration__status=Registration.Status.ACCEPTED,
                indicator__isnull=False,
                target__isnull=False,
            ).select_related("registration")
        }
        self.accepted_registration = set(
            Registration.objects.filter(year=year, unit__in=reporting, status=Registration.Status.ACCEPTED).values_list(
                "unit_id", flat=True
            )
        )
        periods = ReportingPeriod.objects.filter(campaign_id=year.campaign_id, year=year.year)
        self.late = dict(
            UnitReport.objects.filter(period__in=periods, unit__in=reporting, is_late=True)
            .values_list("unit_id")
            .annotate(count=Count("pk"))
            .order_by()
        )
        self.returned = dict(
            ReportTransition.objects.filter(
                report__period__in=periods, report__unit__in=reporting, action=ReportTransition.Action.RETURN
            )
            .values_list("report__unit_id")
            .annotate(count=Count("pk"))
            .order_by()
        )
        self.previous = {}
        previous_period = ReportingPeriod.objects.filter(
            campaign_id=year.campaign_id, year=year.year - 1, kind=ReportingPeriod.Kind.ANNUAL
        ).first()
        if previous_period is not None:
            for result in CriterionResult.objects.filter(
                report__period=previous_period, report__unit__in=reporting, report__status__in=SUBMITTED_ONCE
            ).select_related("report"):
                self.previous[(result.report.unit_id, result.criterion_id)] = result.quantities or {}


def _item_line(item, unit, facts):
    report = facts.reports.get(unit.pk)
    criterion_id = item.indicator.criterion_id if item.indicator_id else item.criterion_id
    result = facts.results.get((unit.pk, criterion_id)) if criterion_id else None
    target = value = None
    if item.basis == Basis.INDICATOR and item.indicator_id:
        previous_quantities = facts.previous.get((unit.pk, criterion_id))
        previous_value = item.indicator.compute(previous_quantities) if previous_quantities else None
        target, _ = indicator_target(item, facts.registered.get((unit.pk, item.indicator_id)), previous_value)
        value = item.indicator.compute(result.quantities or {}) if result is not None else None
    return item_points(item, result, report=report, target=target, value=value)


def adjustment_occurrences(adjustment, unit, facts, kept):
    """How many times the adjustment's event happened to the unit (the office's count for discipline, office)."""
    if adjustment.trigger == Trigger.LATE_REPORT:
        return facts.late.get(unit.pk, 0)
    if adjustment.trigger == Trigger.RETURNED_REPORT:
        return facts.returned.get(unit.pk, 0)
    if adjustment.trigger == Trigger.REGISTRATION_MISSING:
        return 0 if unit.pk in facts.accepted_registration else 1
    return kept


def adjustment_points(adjustment, occurrences):
    counted = occurrences if adjustment.max_occurrences is None else min(occurrences, adjustment.max_occurrences)
    return cents(adjustment.sign * adjustment.points * counted)


def _totals(score, lines):
    score.self_total = sum((line.self_points for line in lines), ZERO)
    score.total = sum((line.points for line in lines), ZERO)
    score.deductions = sum(
        (-line.points for line in lines if line.adjustment_id and line.adjustment.kind == "deduction"), ZERO
    )


def _line_key(score_id, item_id, adjustment_id):
    return (score_id, "item", item_id) if item_id else (score_id, "adjustment", adjustment_id)


def scheme_compute(*, scheme, actor):
    """Compute every reporting unit's self-score from its annual report; the office's points and counts stay."""
    if not permissions.can_run_scheme(actor):
        raise NotAllowed("Chỉ Văn phòng tính điểm.")
    with transaction.atomic():
        locked = _lock(scheme)
        _refuse_if_locked(locked)
        items = list(locked.items.select_related("indicator", "criterion"))
        adjustments = list(locked.adjustments.all())
        facts = YearFacts(locked)
        now = timezone.now()
        scores = {score.unit_id: score for score in UnitScore.objects.filter(scheme=locked)}
        new_scores = [
            UnitScore(scheme=locked, unit=unit, unit_name=unit.name) for unit in facts.units if unit.pk not in scores
        ]
        for score in UnitScore.objects.bulk_create(new_scores):
            scores[score.unit_id] = score
        lines = {
            _line_key(line.score_id, line.item_id, line.adjustment_id): line
            for line in ScoreLine.objects.filter(score__scheme=locked)
        }
        by_item = {item.pk: item for item in items}
        by_adjustment = {adjustment.pk: adjustment for adjustment in adjustments}
        creates, updates, per_score = [], [], {}
        for unit in facts.units:
            score = scores[unit.pk]
            report = facts.reports.get(unit.pk)
            score.unit_name = unit.name
            score.on_time = report is not None and not report.is_late
            score.computed_at = now
            unit_lines = []
            for item in items:
                line = lines.get(_line_key(score.pk, item.pk, None))
                if line is None:
                    line = ScoreLine(score=score, item=item)
                    creates.append(line)
                else:
                    updates.append(line)
                line.item = by_item[item.pk]
                line.self_points = _item_line(item, unit, facts)
                unit_lines.append(line)
            for adjustment in adjustments:
                line = lines.get(_line_key(score.pk, None, adjustment.pk))
                if line is None:
                    line = ScoreLine(score=score, adjustment=adjustment)
                    creates.append(line)
                else:
                    updates.append(line)
                line.adjustment = by_adjustment[adjustment.pk]
                line.occurrences = adjustment_occurrences(adjustment, unit, facts, line.occurrences)
                line.self_points = adjustment_points(adjustment, line.occurrences)
                unit_lines.append(line)
            _totals(score, unit_lines)
            per_score[score.pk] = score
        ScoreLine.objects.bulk_create(creates)
        ScoreLine.objects.bulk_update(updates, ["occurrences", "self_points"], batch_size=500)
        UnitScore.objects.bulk_update(
            list(per_score.values()),
            ["unit_name", "on_time", "computed_at", "self_total", "total", "deductions"],
            batch_size=500,
        )
        WORKFLOW.record(locked, "compute", actor=actor, comment=f"Tính điểm cho {len(per_score)} đơn vị.")
    return list(per_score.values())


# --- The office's points ----------------------------------------------------------------------------------------


def _line_bounds(line):
    """(lowest, highest) points the office may give a line."""
    if line.item_id:
        return ZERO, line.item.max_points
    adjustment = line.adjustment
    reach = None if adjustment.max_occurrences is None else adjustment.points * adjustment.max_occurrences
    if adjustment.kind == SchemeAdjustment.Kind.BONUS:
        return ZERO, reach
    return (-reach if reach is not None else None), ZERO


def score_office(*, score, actor, entries):
    """The office's own points per line, each with its reason; `entries` is {line id: {"points", "reason",
    "occurrences"}} as typed (points empty: the computed points stand; occurrences only for discipline and office
    counts). Everything is checked first: one bad line refuses all (ScoreInvalid), nothing saved."""
    with transaction.atomic():
        scheme = _lock(score.scheme)
        _refuse_if_locked(scheme)
        if not permissions.can_score(actor, score.unit_id, scheme):
            raise NotAllowed("Bạn không được chấm điểm đơn vị này (không ai chấm điểm chính đơn vị mình).")
        lines = {line.pk: line for line in score.lines.select_related("item", "adjustment")}
        errors, changed = {}, []
        for line_id, typed in entries.items():
            line = lines.get(int(line_id))
            if line is None:
                raise NotAllowed("Dòng điểm không thuộc đơn vị này.")
            problems, values = _check_entry(line, typed)
            if problems:
                errors[line.pk] = problems
                continue
            points, reason, occurrences = values
            if (points, reason, occurrences) == (line.office_points, line.reason, line.occurrences):
                continue
            line.office_points, line.reason, line.occurrences = points, reason, occurrences
            if line.adjustment_id:
                line.self_points = adjustment_points(line.adjustment, occurrences)
            line.scored_by, line.scored_at = actor, timezone.now()
            changed.append(line)
        if errors:
            raise ScoreInvalid(errors)
        if changed:
            ScoreLine.objects.bulk_update(
                changed, ["office_points", "reason", "occurrences", "self_points", "scored_by", "scored_at"]
            )
            _totals(score, list(lines.values()))
            score.save(update_fields=["self_total", "total", "deductions"])
            WORKFLOW.record(
                scheme,
                "office_score",
                actor=actor,
                comment=f"{score.unit_name}: " + "; ".join(f"{line.label}: {line.points}" for line in changed),
            )
    return changed


def _check_entry(line, typed):
    problems = {}
    raw_points = str(typed.get("points", "") or "").strip().replace(",", ".")
    reason = str(typed.get("reason", "") or "").strip()
    occurrences = line.occurrences
    if line.adjustment_id and line.adjustment.trigger in OFFICE_COUNTED and "occurrences" in typed:
        raw = str(typed.get("occurrences") or "0").strip()
        if not raw.isdigit():
            problems["occurrences"] = "Số lần phải là số nguyên không âm, ví dụ 2."
        else:
            occurrences = int(raw)
            if occurrences != line.occurrences and not reason:
                problems["reason"] = "Vui lòng nêu lý do (căn cứ) của số lần Văn phòng nhập."
    points = None
    if raw_points:
        points = stored_decimal(raw_points)
        if points is None:
            problems["points"] = "Vui lòng nhập một số, ví dụ 8,5."
        else:
            points = cents(points)
            lowest, highest = _line_bounds(line)
            if highest is not None and points > highest:
                problems["points"] = f"Điểm không được vượt quá điểm tối đa của mục ({_shown(highest)})."
            elif lowest is not None and points < lowest:
                problems["points"] = (
                    "Điểm của mục không được âm." if line.item_id else f"Điểm không được thấp hơn {_shown(lowest)}."
                )
            elif line.adjustment_id and line.adjustment.kind == SchemeAdjustment.Kind.BONUS and points < 0:
                problems["points"] = "Điểm thưởng không được âm."
            if not reason:
                problems["reason"] = "Vui lòng nêu lý do khi Văn phòng chấm khác điểm tự chấm."
    return problems, (points, reason, occurrences)


def _shown(value):
    return f"{value:.2f}".replace(".", ",")


# --- Publication, explanation, review, confirmation -------------------------------------------------------------


def scheme_publish(*, scheme, actor, explain_until):
    """Publish the provisional scores: each unit sees its own and may explain until `explain_until`."""
    if not permissions.can_run_scheme(actor):
        raise NotAllowed("Chỉ Văn phòng công bố điểm.")
    with transaction.atomic():
        locked = _lock(scheme)
        _refuse_if_locked(locked)
        WORKFLOW.check(locked, "publish")
        if explain_until < timezone.localdate():
            raise Refused("Hạn giải trình không được trước ngày hôm nay.", field="explain_until")
        unit_ids = list(locked.scores.values_list("unit_id", flat=True))
        if not unit_ids:
            raise Refused("Chưa có điểm để công bố; vui lòng tính điểm trước.")
        locked.explain_until = explain_until
        WORKFLOW.apply(locked, "publish", actor=actor, comment=f"Hạn giải trình {explain_until:%d/%m/%Y}.")
        message = (
            f"{locked.name}: Văn phòng đã công bố điểm tạm tính của đơn vị. "
            f"Đơn vị có thể giải trình đến hết ngày {explain_until:%d/%m/%Y}."
        )
        url = reverse("emulation:scheme_list", args=[locked.year.year])
        for unit_id in unit_ids:
            notify(unit_managers(unit_id), message, url, actor=actor)
    return locked


def score_explain(*, score, actor, text):
    """The unit's explanation (giải trình) of its provisional score, while the window is open."""
    text = (text or "").strip()
    with transaction.atomic():
        scheme = _lock(score.scheme)
        _refuse_if_locked(scheme)
        if scheme.status != ScoringScheme.Status.PUBLISHED:
            raise InvalidTransition("Chỉ giải trình được khi điểm tạm tính đang được công bố.")
        if not permissions.can_explain(actor, score.unit_id, scheme):
            raise NotAllowed("Chỉ trưởng hoặc phó trưởng đơn vị giải trình điểm của đơn vị.")
        if scheme.explain_until is not None and timezone.localdate() > scheme.explain_until:
            raise InvalidTransition(f"Đã hết hạn giải trình ({scheme.explain_until:%d/%m/%Y}).")
        if not text:
            raise Refused("Vui lòng nhập nội dung giải trình.", field="explanation")
        score.explanation = text
        score.explained_at = timezone.now()
        score.explained_by = actor
        score.save(update_fields=["explanation", "explained_at", "explained_by"])
        WORKFLOW.record(scheme, "explain", actor=actor, comment=f"{score.unit_name}: {text}")
        notify(
            office_reviewers(exclude_unit_id=score.unit_id),
            f"{scheme.name}: {score.unit_name} đã gửi giải trình về điểm tạm tính.",
            reverse("emulation:score_detail", args=[score.pk]),
            actor=actor,
        )
    return score


def scheme_review(*, scheme, actor, session_on, minutes):
    """The council's review: the session's date and its conclusions, as the minutes record them."""
    if not permissions.can_run_scheme(actor):
        raise NotAllowed("Chỉ Văn phòng ghi kết quả họp Hội đồng.")
    minutes = (minutes or "").strip()
    with transaction.atomic():
        locked = _lock(scheme)
        _refuse_if_locked(locked)
        WORKFLOW.check(locked, "review")
        if session_on > timezone.localdate():
            raise Refused("Ngày họp Hội đồng không được sau ngày hôm nay.", field="council_session_on")
        if not minutes:
            raise Refused("Vui lòng nhập kết luận của Hội đồng.", field="council_minutes")
        locked.council_session_on = session_on
        locked.council_minutes = minutes
        WORKFLOW.apply(locked, "review", actor=actor, comment=minutes)
        # The hand-over to leadership, who confirm the scores the council has reviewed.
        notify(
            leaders(),
            f"{locked.name}: Hội đồng đã xem xét điểm ngày {session_on:%d/%m/%Y}; chờ lãnh đạo Sở xác nhận.",
            reverse("emulation:scheme_detail", args=[locked.pk]),
            actor=actor,
        )
    return locked


def scheme_confirm(*, scheme, actor):
    """Leadership confirms the scores: from now on nothing of the scheme changes."""
    if not permissions.can_confirm_scores(actor):
        raise NotAllowed("Chỉ lãnh đạo Sở xác nhận điểm.")
    with transaction.atomic():
        locked = _lock(scheme)
        _refuse_if_locked(locked)
        WORKFLOW.check(locked, "confirm")
        locked.confirmed_at = timezone.now()
        locked.confirmed_by = actor
        WORKFLOW.apply(locked, "confirm", actor=actor)
        notify(
            office_reviewers(),
            f"{locked.name}: lãnh đạo Sở đã xác nhận điểm; bảng điểm đã khóa.",
            reverse("emulation:scheme_detail", args=[locked.pk]),
            actor=actor,
        )
    return locked
