"""Reads of the overview (Tổng quan): the filters, completeness and timeliness, the criteria's spread, the
indicators against their targets, the unit × criterion grid and the same period last year.

Each function runs a fixed number of queries whatever the number of units and periods (tests pin them).
What a unit reported counts once the office accepted it, as in the consolidated report; a report brought in
from a spreadsheet (`UnitReport.history_import`) counts exactly like one made in the portal. Submission
(on time, late, missing) counts every report submitted at least once.
"""

import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.utils import timezone

from campaign.models import AssessmentLevel, Criterion, Indicator, Phase, ReportingPeriod
from emulation.models import ScoreLine, ScoringScheme
from reports.models import CriterionResult, UnitReport
from reports.permissions import SUBMITTED_ONCE
from reports.selectors import current_campaign

# The consolidated report's own rules for what a period's figure is judged against (reports/services/compile.py).
from reports.services.compile import _judging as judging
from reports.services.compile import _reaches as reaches
from units.models import Unit

PHASE_ALL = "tat-ca"
ACCEPTED = UnitReport.Status.ACCEPTED
HUNDRED = Decimal(100)
CENT = Decimal("0.01")


# --- The filters ---------------------------------------------------------------------------------------------


@dataclass
class Scope:
    """What the overview shows: a phase (or all), a year (or all), the periods begun in them, one period chosen."""

    campaign: object
    phases: list
    phase: Phase | None
    years: list
    year: int | None
    periods: list
    period: ReportingPeriod | None
    last_year: ReportingPeriod | None
    today: object
    all_periods: list = field(default_factory=list)
    notices: list = field(default_factory=list)

    @property
    def phase_value(self):
        return str(self.phase.number) if self.phase else PHASE_ALL

    def query(self, **changes):
        """The query string of the current filters, with `changes` (None drops a key)."""
        values = {"giai_doan": self.phase_value, "nam": self.year or "", "ky": self.period.code if self.period else ""}
        values.update(changes)
        return urlencode({key: value for key, value in values.items() if value not in (None, "")})

    def counterparts(self):
        """The periods in scope and their same periods last year (indicators compared with the previous year)."""
        wanted = {period.pk: period for period in self.periods}
        for period in list(self.periods) + ([self.period] if self.period else []):
            wanted[period.pk] = period
            previous = same_period_last_year(period, self.all_periods)
            if previous is not None:
                wanted[previous.pk] = previous
        return sorted(wanted.values(), key=lambda period: (period.end, period.start))


def same_period_last_year(period, all_periods):
    """The period of the same kind a year earlier (none for a phase review: each phase has one)."""
    if period is None or period.kind == ReportingPeriod.Kind.PHASE_REVIEW:
        return None
    return next((other for other in all_periods if other.kind == period.kind and other.year == period.year - 1), None)


def read_scope(params, today=None):
    """The filters from the query string (`giai_doan`, `nam`, `ky`); a value that names nothing is ignored with a
    notice. By default the phase of this year and its latest period whose units' due date has passed."""
    today = today or timezone.localdate()
    campaign = current_campaign()
    phases = list(Phase.objects.filter(campaign=campaign).order_by("number")) if campaign else []
    all_periods = (
        list(ReportingPeriod.objects.filter(campaign=campaign).select_related("phase").order_by("end", "start"))
        if campaign
        else []
    )
    notices = []
    begun = [period for period in all_periods if period.start <= today]

    phase_param = (params.get("giai_doan") or "").strip()
    phase = None
    if phase_param == PHASE_ALL:
        phase = None
    elif phase_param:
        phase = next((item for item in phases if str(item.number) == phase_param), None)
        if phase is None:
            notices.append(f"Không có giai đoạn “{phase_param}”; đang hiển thị tất cả giai đoạn.")
    else:
        phase = next((item for item in phases if item.start_year <= today.year <= item.end_year), None)
    in_phase = [period for period in begun if phase is None or period.phase_id == phase.pk]
    years = sorted({period.year for period in in_phase})

    year = None
    year_param = (params.get("nam") or "").strip()
    if year_param:
        if year_param.isdigit() and int(year_param) in years:
            year = int(year_param)
        else:
            notices.append(
                f"Không có kỳ báo cáo nào của năm “{year_param}” trong giai đoạn đã chọn; đang hiển thị mọi năm."
            )
    periods = [period for period in in_phase if year is None or period.year == year]

    period = None
    code = (params.get("ky") or "").strip()
    if code:
        period = next((item for item in periods if item.code == code), None)
        if period is None:
            notices.append(
                f"Kỳ “{code}” không thuộc giai đoạn, năm đã chọn hoặc chưa bắt đầu; đang hiển thị kỳ gần nhất."
            )
    if period is None:
        due = [item for item in periods if item.unit_due_date <= today]
        period = (due or periods or [None])[-1]
    return Scope(
        campaign=campaign,
        phases=phases,
        phase=phase,
        years=years,
        year=year,
        periods=periods,
        period=period,
        last_year=same_period_last_year(period, all_periods),
        today=today,
        all_periods=all_periods,
        notices=notices,
    )


# --- Completeness and timeliness -------------------------------------------------------------------------------


def reporting_units():
    """Every unit that reports or once reported to the Department (the Department itself aside), in its order."""
    return list(Unit.objects.filter(parent__isnull=False).order_by("sort_order", "name"))


@dataclass
class Completeness:
    """One period: the units expected to report, who submitted on time, late, who is missing (due date passed)
    and who has not submitted yet before the due date; how many reports came from a spreadsheet."""

    period: ReportingPeriod
    expected: int = 0
    on_time: int = 0
    late: int = 0
    missing: int = 0
    pending: int = 0
    imported: int = 0
    missing_units: list = field(default_factory=list)
    pending_units: list = field(default_factory=list)

    @property
    def submitted(self):
        return self.on_time + self.late

    @property
    def submitted_rate(self):
        if not self.expected:
            return None
        return (Decimal(self.submitted) * HUNDRED / self.expected).quantize(CENT)

    @property
    def on_time_rate(self):
        if not self.expected:
            return None
        return (Decimal(self.on_time) * HUNDRED / self.expected).quantize(CENT)


def completeness(periods, today=None, units=None):
    """{period id: Completeness} — the units expected are those in existence at the period's end, and any other
    that submitted a report for it. Two queries (one if `units` is given)."""
    today = today or timezone.localdate()
    units = reporting_units() if units is None else units
    by_pk = {unit.pk: unit for unit in units}
    reports = defaultdict(dict)
    rows = UnitReport.objects.filter(period__in=[period.pk for period in periods]).values_list(
        "period_id", "unit_id", "status", "is_late", "history_import_id"
    )
    for period_id, unit_id, status, is_late, imported in rows:
        reports[period_id][unit_id] = (status, is_late, imported)
    figures = {}
    for period in periods:
        found = reports.get(period.pk, {})
        figure = Completeness(period)
        overdue = period.unit_due_date < today
        for unit in units:
            report = found.get(unit.pk)
            submitted = report is not None and report[0] in SUBMITTED_ONCE
            if not submitted and not unit.is_active_on(period.end):
                continue
            figure.expected += 1
            if submitted:
                if report[1]:
                    figure.late += 1
                else:
                    figure.on_time += 1
                if report[2]:
                    figure.imported += 1
            elif overdue:
                figure.missing += 1
                figure.missing_units.append(unit)
            else:
                figure.pending += 1
                figure.pending_units.append(unit)
        # A report of a unit no longer among `units` cannot happen (reports PROTECT their unit); by_pk guards it.
        figure.expected += sum(
            1 for unit_id, report in found.items() if unit_id not in by_pk and report[0] in SUBMITTED_ONCE
        )
        figures[period.pk] = figure
    return figures


# --- The criteria: self-assessments and the office's confirmed scores ---------------------------------------------


def criteria_and_levels():
    """The active criteria in the plan's order and the active assessment levels in the scale's order (2 queries)."""
    criteria = list(Criterion.objects.active().select_related("group").order_by("group__sort_order", "number"))
    levels = list(AssessmentLevel.objects.filter(is_active=True).order_by("sort_order"))
    return criteria, levels


def assessment_spread(periods):
    """{(criterion id, period id): Counter({level id or None: results})} over accepted reports (1 query)."""
    spread = defaultdict(Counter)
    rows = (
        CriterionResult.objects.filter(report__period__in=[period.pk for period in periods], report__status=ACCEPTED)
        .values_list("criterion_id", "report__period_id", "assessment_id")
        .order_by()
    )
    for criterion_id, period_id, level_id in rows:
        spread[(criterion_id, period_id)][level_id] += 1
    return spread


@dataclass
class ScoreSpread:
    """The office's points on one criterion for one year, as leadership confirmed them: over the units scored."""

    year: int
    max_points: Decimal
    points: list

    @property
    def count(self):
        return len(self.points)

    @property
    def minimum(self):
        return min(self.points)

    @property
    def maximum(self):
        return max(self.points)

    @property
    def median(self):
        return Decimal(statistics.median(self.points)).quantize(CENT)

    @property
    def mean(self):
        return (sum(self.points, Decimal(0)) / len(self.points)).quantize(CENT)


def confirmed_scores(years):
    """{(criterion id, year): ScoreSpread} of the campaign's scoring schemes that leadership confirmed (1 query).

    A unit's points on a criterion are its lines' points (the office's where it scored differently), summed
    over the scheme's items on that criterion; the maximum is the sum of those items' maximums."""
    rows = (
        ScoreLine.objects.filter(
            score__scheme__status=ScoringScheme.Status.CONFIRMED,
            score__scheme__kind=ScoringScheme.Kind.CAMPAIGN,
            score__scheme__year__year__in=list(years),
            item__criterion__isnull=False,
        )
        .values_list(
            "score__scheme__year__year",
            "item__criterion_id",
            "item_id",
            "item__max_points",
            "score_id",
            "self_points",
            "office_points",
        )
        .order_by()
    )
    per_unit = defaultdict(Decimal)
    maximums = defaultdict(dict)
    for year, criterion_id, item_id, max_points, score_id, self_points, office_points in rows:
        per_unit[(criterion_id, year, score_id)] += self_points if office_points is None else office_points
        maximums[(criterion_id, year)][item_id] = max_points
    grouped = defaultdict(list)
    for (criterion_id, year, _), points in per_unit.items():
        grouped[(criterion_id, year)].append(points)
    return {
        key: ScoreSpread(key[1], sum(maximums[key].values(), Decimal(0)), sorted(points))
        for key, points in grouped.items()
    }


# --- Indicators -------------------------------------------------------------------------------------------------


@dataclass
class IndicatorPoint:
    """The Department's value of an indicator for one period (Σ numerator ÷ Σ denominator over the units, by
    `Indicator.aggregate`), the sums it comes from, and what it is judged against."""

    indicator: Indicator
    period: ReportingPeriod
    value: Decimal | None
    totals: dict
    units_counted: int
    reference: Decimal | None = None
    reference_label: str = ""
    meets: bool | None = None


def indicator_results(periods, indicators):
    """{(criterion id, period id): [(unit id, report id, quantities)]} of accepted reports, results marked not
    applicable left out (1 query)."""
    found = defaultdict(list)
    rows = (
        CriterionResult.objects.filter(
            report__period__in=[period.pk for period in periods],
            report__status=ACCEPTED,
            criterion_id__in={indicator.criterion_id for indicator in indicators},
        )
        .exclude(assessment__means_not_applicable=True)
        .values_list("criterion_id", "report__period_id", "report__unit_id", "report_id", "quantities")
        .order_by("report__unit__sort_order", "report__unit__name")
    )
    for criterion_id, period_id, unit_id, report_id, quantities in rows:
        found[(criterion_id, period_id)].append((unit_id, report_id, quantities or {}))
    return found


def active_indicators():
    return list(Indicator.objects.filter(is_active=True).select_related("criterion__group").order_by("code"))


def _point(indicator, period, entries):
    value_sets = [quantities for _, _, quantities in entries]
    totals = {}
    for key in (indicator.numerator_key, indicator.denominator_key):
        if key:
            present = [Decimal(str(values[key])) for values in value_sets if values.get(key) not in (None, "")]
            totals[key] = sum(present, Decimal(0)) if present else None
    counted = sum(1 for values in value_sets if indicator.compute(values) is not None)
    return IndicatorPoint(indicator, period, indicator.aggregate(value_sets), totals, counted)


def judge(point, previous):
    """Set what the point is judged against: the target (a half year: its milestone, or nothing) as the
    consolidated report judges it; for an indicator compared with the previous year, the same period last year."""
    indicator = point.indicator
    if indicator.comparison == Indicator.Comparison.PREVIOUS_YEAR:
        point.reference = previous.value if previous is not None else None
        point.reference_label = "cùng kỳ năm trước"
    else:
        point.reference, point.reference_label = judging(indicator, point.period.kind == ReportingPeriod.Kind.HALF_YEAR)
    point.meets = reaches(point.value, point.reference, indicator.direction)
    return point


def indicator_series(scope, indicators=None, *, with_entries=False):
    """(indicators, {(indicator id, period id): IndicatorPoint}) for the periods in scope, the chosen one and
    their same periods last year, each judged (2 queries, 1 with `indicators`); `with_entries` adds the units'
    quantities behind them ({(criterion id, period id): [(unit id, report id, quantities)]})."""
    indicators = active_indicators() if indicators is None else indicators
    periods = scope.counterparts()
    results = indicator_results(periods, indicators)
    points = {}
    for indicator in indicators:
        for period in periods:
            points[(indicator.pk, period.pk)] = _point(
                indicator, period, results.get((indicator.criterion_id, period.pk), [])
            )
    for indicator in indicators:
        for period in periods:
            previous = same_period_last_year(period, scope.all_periods)
            judge(points[(indicator.pk, period.pk)], points.get((indicator.pk, previous.pk)) if previous else None)
    if with_entries:
        return indicators, points, results
    return indicators, points


@dataclass
class UnitValue:
    unit: Unit
    report_id: int
    quantities: dict
    value: Decimal | None
    meets: bool | None


def indicator_units(indicator, point, entries, units_by_pk):
    """Each unit's figures behind the Department's value of `point` (its period), judged against the same
    reference (a fixed target; for a previous-year comparison, the Department's last year)."""
    rows = []
    for unit_id, report_id, quantities in entries:
        value = indicator.compute(quantities)
        rows.append(
            UnitValue(
                units_by_pk[unit_id], report_id, quantities, value, reaches(value, point.reference, indicator.direction)
            )
        )
    return rows


# --- The unit × criterion grid -------------------------------------------------------------------------------------


@dataclass
class GridRow:
    unit: Unit
    report: UnitReport | None
    cells: dict  # criterion id → (level id or None, criterion code as the report wrote it)

    @property
    def accepted(self):
        return self.report is not None and self.report.status == ACCEPTED


def grid(period, units=None):
    """One row per unit expected on the period (see completeness): its report, and for an accepted one its
    self-assessment per criterion (3 queries, 2 with `units`)."""
    units = reporting_units() if units is None else units
    reports = {
        report.unit_id: report
        for report in UnitReport.objects.filter(period=period).only(
            "pk", "unit_id", "status", "is_late", "submitted_at", "history_import_id"
        )
    }
    cells = defaultdict(dict)
    rows = (
        CriterionResult.objects.filter(report__period=period, report__status=ACCEPTED)
        .values_list("report__unit_id", "criterion_id", "assessment_id", "criterion_code")
        .order_by()
    )
    for unit_id, criterion_id, level_id, code in rows:
        cells[unit_id][criterion_id] = (level_id, code)
    return [
        GridRow(unit, reports.get(unit.pk), cells.get(unit.pk, {}))
        for unit in units
        if unit.is_active_on(period.end) or unit.pk in reports
    ]
