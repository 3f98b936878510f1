"""The units' registered commitments as the targets their reports are measured against: the notes beside the report
form's criteria and indicators, the review page's panel and the consolidated report's section (the functions
emulation/reports_plugins.py registers with reports.extensions).

The year of a report is its period's year. Only an accepted registration's commitments count as registered: the
review panel and the consolidated report use nothing else. The report form and the report's page also show a
submitted registration's commitments, marked "chờ tiếp nhận", so the unit sees what it committed to while the
office has not yet accepted it; a draft or a returned registration shows nothing. A phase review (sơ kết, tổng kết)
spans several years, each with its own registration, and is judged against the plan's targets: nothing is shown
for it. A half-year figure is progress towards the year's registered target, judged only at the end of the year
(as the consolidated report's synthesis says of the plan's targets, reports.services.compile).

Each function runs a fixed number of queries whatever the number of criteria, indicators or units: one for the
notes, one for the panel, two for the consolidated section.
"""

from decimal import Decimal

from django.db.models import JSONField, OuterRef, Subquery

from campaign.models import Indicator, ReportingPeriod
from documents.model import Amount, Rate
from reports.models import CriterionResult, UnitReport

from ..models import Commitment, Registration

SHOWN_STATUSES = (Registration.Status.SUBMITTED, Registration.Status.ACCEPTED)
MET = "Đạt"
NOT_MET = "Chưa đạt"
NO_FIGURE = "Chưa có số liệu"
JUDGED_AT_YEAR_END = "Đánh giá khi kết thúc năm"


def figure(indicator, raw):
    """A target or a value in the indicator's unit: "100,00%" for a rate, "1.250 dự án" for an amount."""
    if raw is None:
        return ""
    if indicator.formula == Indicator.Formula.SUM:
        return f"{Amount(raw)} {indicator.result_unit}".rstrip()
    return str(Rate(raw, indicator.result_unit))


def judge(direction, target, value, half_year):
    """(met, progress) of a value against a registered target.

    A year: met is True or False (None without a value). A half year: never judged; progress is the value as a
    percentage of the year's target when higher is better (None otherwise).
    """
    if value is None or target is None:
        return None, None
    if half_year:
        if direction == Indicator.Direction.HIGHER_IS_BETTER and target > 0:
            return None, (value * 100 / target).quantize(Decimal("0.01"))
        return None, None
    met = value >= target if direction == Indicator.Direction.HIGHER_IS_BETTER else value <= target
    return met, None


def verdict(met, progress, half_year, has_value):
    if not has_value:
        return NO_FIGURE
    if half_year:
        return f"Bằng {Rate(progress, '%')} chỉ tiêu đăng ký cả năm" if progress is not None else JUDGED_AT_YEAR_END
    return MET if met else NOT_MET


def _measured(period):
    return period.kind != ReportingPeriod.Kind.PHASE_REVIEW


def _unit_commitments(report, statuses):
    return Commitment.objects.filter(
        registration__unit_id=report.unit_id,
        registration__year__year=report.period.year,
        registration__status__in=statuses,
    )


# --- The report form and the report's page --------------------------------------------------------------------


def report_annotations(report):
    """{criterion_id: {"criterion": "Đăng ký: …", "indicators": {indicator_id: "Đăng ký: 100,00%"}}}: one query."""
    if not _measured(report.period):
        return {}
    notes = {}
    commitments = _unit_commitments(report, SHOWN_STATUSES).select_related("indicator", "registration").order_by()
    for commitment in commitments:
        label = (
            "Đăng ký" if commitment.registration.status == Registration.Status.ACCEPTED else "Đăng ký (chờ tiếp nhận)"
        )
        entry = notes.setdefault(commitment.criterion_id, {"criterion": "", "indicators": {}})
        if commitment.indicator_id is not None and commitment.target is not None:
            entry["indicators"][commitment.indicator_id] = f"{label}: {figure(commitment.indicator, commitment.target)}"
        elif commitment.text.strip():
            entry["criterion"] = f"{label}: {commitment.text.strip()}"
    return notes


# --- The review page ------------------------------------------------------------------------------------------


def review_panel(report):
    """Registered vs achieved for the report's unit, from its accepted registration; None when it has none.

    One query: the commitments with the report's quantities and self-assessment of their criterion.
    """
    if not _measured(report.period):
        return None
    result = CriterionResult.objects.filter(report_id=report.pk, criterion_id=OuterRef("criterion_id"))
    commitments = list(
        _unit_commitments(report, (Registration.Status.ACCEPTED,))
        .select_related("indicator", "criterion__group")
        .annotate(
            reported=Subquery(result.values("quantities")[:1], output_field=JSONField()),
            level=Subquery(result.values("assessment__label")[:1]),
        )
        .order_by("criterion__group__sort_order", "criterion__number", "indicator__code", "pk")
    )
    if not commitments:
        return None
    half_year = report.period.kind == ReportingPeriod.Kind.HALF_YEAR
    indicators, texts = [], []
    for commitment in commitments:
        criterion = f"{commitment.criterion.code} {commitment.criterion.short_label}"
        if commitment.indicator_id is not None and commitment.target is not None:
            indicator = commitment.indicator
            value = indicator.compute(commitment.reported or {})
            met, progress = judge(indicator.direction, commitment.target, value, half_year)
            indicators.append(
                {
                    "criterion": criterion,
                    "name": indicator.name,
                    "target": figure(indicator, commitment.target),
                    "value": figure(indicator, value) or "—",
                    "met": met,
                    "verdict": verdict(met, progress, half_year, value is not None),
                }
            )
        elif commitment.text.strip():
            texts.append({"criterion": criterion, "text": commitment.text.strip(), "level": commitment.level or ""})
    if not indicators and not texts:
        return None
    return {"year": report.period.year, "half_year": half_year, "indicators": indicators, "texts": texts}


# --- The consolidated report ----------------------------------------------------------------------------------


def _number(raw):
    try:
        return Decimal(str(raw))
    except (ArithmeticError, ValueError):
        return None


def _department_target(indicator, pairs):
    """The Department's registered target over the units that reported: Σ targets for a sum; for a ratio, the
    units' targets weighted by their own denominators (Σ target × denominator ÷ Σ denominator)."""
    if indicator.formula == Indicator.Formula.SUM:
        return sum((target for target, _ in pairs), Decimal(0)) if pairs else None
    weighted = Decimal(0)
    weights = Decimal(0)
    for target, quantities in pairs:
        weight = _number(quantities.get(indicator.denominator_key))
        if weight is None or weight <= 0:
            continue
        weighted += target * weight
        weights += weight
    return (weighted / weights).quantize(Decimal("0.01")) if weights else None


def registered_targets(period):
    """The consolidated report's section: each unit's registered targets and results, and the Department's.

    Plain JSON frozen in the snapshot; None for a phase review or a year without an accepted commitment. Two
    queries: the year's accepted commitments, the period's accepted results of their criteria.
    """
    if not _measured(period):
        return None
    commitments = list(
        Commitment.objects.filter(
            registration__year__year=period.year, registration__status=Registration.Status.ACCEPTED
        )
        .select_related("registration", "indicator", "criterion__group")
        .order_by(
            "registration__unit__sort_order",
            "registration__unit_name",
            "criterion__group__sort_order",
            "criterion__number",
            "indicator__code",
            "pk",
        )
    )
    if not commitments:
        return None
    half_year = period.kind == ReportingPeriod.Kind.HALF_YEAR
    results = CriterionResult.objects.filter(
        report__period=period,
        report__status=UnitReport.Status.ACCEPTED,
        criterion_id__in={commitment.criterion_id for commitment in commitments},
    ).values("report__unit_id", "criterion_id", "quantities", "assessment__label", "assessment__means_not_applicable")
    reported = {(row["report__unit_id"], row["criterion_id"]): row for row in results}

    units = []
    by_indicator = {}
    texts = []
    for commitment in commitments:
        unit_id = commitment.registration.unit_id
        unit = commitment.registration.unit_name
        if unit not in units:
            units.append(unit)
        row = reported.get((unit_id, commitment.criterion_id))
        if commitment.indicator_id is not None and commitment.target is not None:
            indicator = commitment.indicator
            counted = row is not None and not row["assessment__means_not_applicable"]
            quantities = (row["quantities"] or {}) if counted else {}
            value = indicator.compute(quantities) if counted else None
            met, progress = judge(indicator.direction, commitment.target, value, half_year)
            entry = by_indicator.setdefault(
                indicator.pk,
                # The commitment's criterion is the indicator's (loaded with it: no query per indicator).
                {"indicator": indicator, "label": commitment.criterion.short_label, "rows": [], "pairs": []},
            )
            entry["rows"].append(
                {
                    "unit": unit,
                    "target": str(commitment.target),
                    "value": None if value is None else str(value),
                    "met": met,
                    "progress": None if progress is None else str(progress),
                }
            )
            if value is not None:
                entry["pairs"].append((commitment.target, quantities))
        elif commitment.text.strip():
            texts.append(
                {
                    "unit": unit,
                    "criterion": commitment.criterion.short_label,
                    "text": commitment.text.strip(),
                    "level": (row or {}).get("assessment__label") or "",
                }
            )

    indicators = []
    for entry in sorted(by_indicator.values(), key=lambda entry: entry["indicator"].code):
        indicator = entry["indicator"]
        target = _department_target(indicator, entry["pairs"])
        value = indicator.aggregate([quantities for _, quantities in entry["pairs"]])
        met, progress = judge(indicator.direction, target, value, half_year)
        denominator = next(
            (quantity["label"] for quantity in indicator.quantities if quantity["key"] == indicator.denominator_key), ""
        )
        indicators.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "criterion_label": entry["label"],
                "formula": indicator.formula,
                "result_unit": indicator.result_unit,
                "direction": indicator.direction,
                "denominator": denominator,
                "rows": entry["rows"],
                "department": {
                    "target": None if target is None else str(target),
                    "value": None if value is None else str(value),
                    "met": met,
                    "progress": None if progress is None else str(progress),
                    "registered": len(entry["rows"]),
                    "counted": len(entry["pairs"]),
                    "meeting": sum(1 for row in entry["rows"] if row["met"]),
                },
            }
        )
    return {
        "year": period.year,
        "half_year": half_year,
        "units": units,
        "indicators": indicators,
        "texts": texts,
    }
