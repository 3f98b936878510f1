"""Reads of the overview (Tổng quan): the filters, completeness and timeliness, the criteria's spread, the
indicators against their targets, the unit × criterion grid and the same period last year.

Each function runs a fixed number of queries whatever the number of units and periods (tests pin them).
What a unit reported counts once the office accepted it, as in the consolidated report; a report brought in
from a spreadsheet (`UnitReport.history_import`) counts exactly like one made in the portal. Submission
(on time, late, missing) counts every report submitted at least once.
"""

import hashlib
import statistics
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from urllib.parse import urlencode

from django.core.cache import cache
from django.db.models import Count, DecimalField, Max, Q, Sum
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast
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
# How long the sums over a period's accepted reports stay in the cache (under the period's version, so a change
# is seen at once); a day keeps an unused period from holding memory.
CACHE_SECONDS = 24 * 3600


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


def report_versions(periods):
    """{period id: a version that changes whenever a report of the period (in any state) is added or saved}
    (1 query; every move of a report saves it)."""
    rows = (
        UnitReport.objects.filter(period__in=[period.pk for period in periods])
        .values("period_id")
        .order_by()
        .annotate(count=Count("pk"), ids=Sum("pk"), last=Max("pk"), changed=Max("updated_at"))
    )
    return {row["period_id"]: f"{row['count']}-{row['ids']}-{row['last']}-{row['changed'].isoformat()}" for row in rows}


def _count_period(period, units, found, today):
    """(expected, on time, late, imported, missing unit ids, pending unit ids) of one period."""
    expected = on_time = late = imported = 0
    missing, pending = [], []
    overdue = period.unit_due_date < today
    known = set()
    for unit in units:
        known.add(unit.pk)
        report = found.get(unit.pk)
        submitted = report is not None and report[0] in SUBMITTED_ONCE
        if not submitted and not unit.is_active_on(period.end):
            continue
        expected += 1
        if submitted:
            late += 1 if report[1] else 0
            on_time += 0 if report[1] else 1
            imported += 1 if report[2] else 0
        elif overdue:
            missing.append(unit.pk)
        else:
            pending.append(unit.pk)
    # A report of a unit outside `units` cannot happen (reports PROTECT their unit): counted all the same.
    expected += sum(1 for unit_id, report in found.items() if unit_id not in known and report[0] in SUBMITTED_ONCE)
    return expected, on_time, late, imported, missing, pending


def completeness(periods, today=None, units=None):
    """{period id: Completeness} — the units expected are those in existence at the period's end, and any other
    that submitted a report for it. The units (unless given) and the reports' versions; the reports of the
    periods whose figures are not in the cache under their version, the units and the day."""
    today = today or timezone.localdate()
    units = reporting_units() if units is None else units
    by_pk = {unit.pk: unit for unit in units}
    shape = hashlib.sha256(repr([(unit.pk, unit.valid_from, unit.valid_to) for unit in units]).encode()).hexdigest()
    versions = report_versions(periods)
    keys = {period.pk: f"{versions.get(period.pk, 'none')}-{shape[:16]}-{today.isoformat()}" for period in periods}

    def compute(missing):
        reports = defaultdict(dict)
        rows = UnitReport.objects.filter(period__in=[period.pk for period in missing]).values_list(
            "period_id", "unit_id", "status", "is_late", "history_import_id"
        )
        for period_id, unit_id, status, is_late, imported in rows:
            reports[period_id][unit_id] = (status, is_late, bool(imported))
        return {period.pk: _count_period(period, units, reports.get(period.pk, {}), today) for period in missing}

    counted = _per_period("completeness", periods, keys, compute)
    figures = {}
    for period in periods:
        expected, on_time, late, imported, missing, pending = counted[period.pk]
        figures[period.pk] = Completeness(
            period,
            expected=expected,
            on_time=on_time,
            late=late,
            missing=len(missing),
            pending=len(pending),
            imported=imported,
            missing_units=[by_pk[pk] for pk in missing],
            pending_units=[by_pk[pk] for pk in pending],
        )
    return figures


# --- The criteria: self-assessments and the office's confirmed scores ---------------------------------------------


def criteria_and_levels():
    """The active criteria in the plan's order and the active assessment levels in the scale's order (2 queries)."""
    criteria = list(Criterion.objects.active().select_related("group").order_by("group__sort_order", "number"))
    levels = list(AssessmentLevel.objects.filter(is_active=True).order_by("sort_order"))
    return criteria, levels


def accepted_versions(periods):
    """{period id: a version that changes whenever an accepted report of the period is added, removed or saved}
    (1 query). An accepted report is final (a change means a new submission, saved again when accepted), so the
    sums over a period's accepted reports are kept in the cache under this version."""
    rows = (
        UnitReport.objects.filter(period__in=[period.pk for period in periods], status=ACCEPTED)
        .values("period_id")
        .order_by()
        .annotate(count=Count("pk"), ids=Sum("pk"), last=Max("pk"), changed=Max("updated_at"))
    )
    return {row["period_id"]: f"{row['count']}-{row['ids']}-{row['last']}-{row['changed'].isoformat()}" for row in rows}


def _per_period(name, periods, versions, compute):
    """{period id: value} for each period, from the cache under the period's version or from `compute(periods
    with accepted reports not in the cache)` → {period id: value}; a period without accepted reports is None."""
    keys = {
        period.pk: f"overview:{name}:{period.pk}:{versions[period.pk]}" for period in periods if period.pk in versions
    }
    found = cache.get_many(list(keys.values())) if keys else {}
    values = {period_id: found[key] for period_id, key in keys.items() if key in found}
    missing = [period for period in periods if period.pk in keys and period.pk not in values]
    if missing:
        computed = compute(missing)
        cache.set_many({keys[period.pk]: computed.get(period.pk) for period in missing}, CACHE_SECONDS)
        values.update({period.pk: computed.get(period.pk) for period in missing})
    return values


def assessment_spread(periods, versions=None):
    """{(criterion id, period id): Counter({level id or None: results})} over accepted reports (the versions'
    query, and one more for the periods not in the cache)."""
    versions = accepted_versions(periods) if versions is None else versions

    def compute(missing):
        counted = defaultdict(dict)
        rows = (
            CriterionResult.objects.filter(
                report__period__in=[period.pk for period in missing], report__status=ACCEPTED
            )
            .values_list("report__period_id", "criterion_id", "assessment_id")
            .order_by()
            .annotate(results=Count("pk"))
        )
        for period_id, criterion_id, level_id, count in rows:
            counted[period_id][(criterion_id, level_id)] = count
        return dict(counted)

    spread = defaultdict(Counter)
    for period_id, counted in _per_period("spread", periods, versions, compute).items():
        for (criterion_id, level_id), count in (counted or {}).items():
            spread[(criterion_id, period_id)][level_id] += count
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


def _score_spreads(schemes):
    """{scheme id: {(criterion id, year): ScoreSpread}} of these schemes (1 query)."""
    rows = (
        ScoreLine.objects.filter(score__scheme__in=[scheme.pk for scheme in schemes], item__criterion__isnull=False)
        .values_list(
            "score__scheme_id",
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
    for scheme_id, year, criterion_id, item_id, max_points, score_id, self_points, office_points in rows:
        per_unit[(scheme_id, criterion_id, year, score_id)] += self_points if office_points is None else office_points
        maximums[(scheme_id, criterion_id, year)][item_id] = max_points
    grouped = defaultdict(list)
    for (scheme_id, criterion_id, year, _), points in per_unit.items():
        grouped[(scheme_id, criterion_id, year)].append(points)
    spreads = {scheme.pk: {} for scheme in schemes}
    for (scheme_id, criterion_id, year), points in grouped.items():
        maximum = sum(maximums[(scheme_id, criterion_id, year)].values(), Decimal(0))
        spreads[scheme_id][(criterion_id, year)] = ScoreSpread(year, maximum, sorted(points))
    return spreads


def confirmed_scores(years):
    """{(criterion id, year): ScoreSpread} of the campaign's scoring schemes that leadership confirmed.

    A unit's points on a criterion are its lines' points (the office's where it scored differently), summed
    over the scheme's items on that criterion; the maximum is the sum of those items' maximums. A confirmed scheme
    is locked: its spreads stay in the cache under the scheme and its confirmation (1 query, and 1 for the
    schemes not in the cache)."""
    schemes = list(
        ScoringScheme.objects.filter(
            status=ScoringScheme.Status.CONFIRMED, kind=ScoringScheme.Kind.CAMPAIGN, year__year__in=list(years)
        ).only("pk", "confirmed_at")
    )
    keys = {
        scheme.pk: f"overview:scores:{scheme.pk}:{scheme.confirmed_at and scheme.confirmed_at.isoformat()}"
        for scheme in schemes
    }
    found = cache.get_many(list(keys.values())) if keys else {}
    missing = [scheme for scheme in schemes if keys[scheme.pk] not in found]
    if missing:
        computed = _score_spreads(missing)
        cache.set_many({keys[pk]: spreads for pk, spreads in computed.items()}, CACHE_SECONDS)
        found.update({keys[pk]: spreads for pk, spreads in computed.items()})
    spreads = {}
    for scheme in schemes:
        spreads.update(found[keys[scheme.pk]])
    return spreads


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


def indicator_results(periods, indicators, unit=None):
    """{(criterion id, period id): [(unit id, report id, quantities)]} of accepted reports (of `unit` if given),
    results marked not applicable left out (1 query): the units' figures behind the Department's."""
    found = defaultdict(list)
    rows = CriterionResult.objects.filter(
        report__period__in=[period.pk for period in periods],
        report__status=ACCEPTED,
        criterion_id__in={indicator.criterion_id for indicator in indicators},
    ).exclude(assessment__means_not_applicable=True)
    if unit is not None:
        rows = rows.filter(report__unit=unit)
    rows = rows.values_list("criterion_id", "report__period_id", "report__unit_id", "report_id", "quantities").order_by(
        "report__unit__sort_order", "report__unit__name"
    )
    for criterion_id, period_id, unit_id, report_id, quantities in rows:
        found[(criterion_id, period_id)].append((unit_id, report_id, quantities or {}))
    return found


def active_indicators():
    return list(Indicator.objects.filter(is_active=True).select_related("criterion__group").order_by("code"))


def _quantity(key):
    return Cast(KeyTextTransform(key, "quantities"), DecimalField(max_digits=28, decimal_places=6))


def indicator_points(periods, indicators, versions=None):
    """{(indicator id, period id): IndicatorPoint} — one query per indicator for the periods not in the cache.

    The database sums each quantity over the units whose result carries every quantity the formula needs (the
    sets `Indicator.aggregate` counts); `Indicator.aggregate` then makes the value of those sums, so the
    Department's value is Σ numerator ÷ Σ denominator exactly as the consolidated report computes it."""
    versions = accepted_versions(periods) if versions is None else versions
    points = {}
    for indicator in indicators:
        ratio = indicator.formula == Indicator.Formula.RATIO
        keys = [indicator.numerator_key, *([indicator.denominator_key] if ratio else [])]
        names = {key: f"quantity_{index}" for index, key in enumerate(keys)}

        def compute(missing, indicator=indicator, ratio=ratio, keys=keys, names=names):
            counted = Count("pk", filter=~Q(**{names[keys[-1]]: 0})) if ratio else Count("pk")
            rows = (
                CriterionResult.objects.filter(
                    criterion_id=indicator.criterion_id,
                    report__period__in=[period.pk for period in missing],
                    report__status=ACCEPTED,
                )
                .exclude(assessment__means_not_applicable=True)
                .annotate(**{name: _quantity(key) for key, name in names.items()})
                .filter(**{f"{name}__isnull": False for name in names.values()})
                .values("report__period_id")
                .order_by()
                .annotate(counted=counted, **{f"sum_{name}": Sum(name) for name in names.values()})
            )
            return {
                row["report__period_id"]: ({key: row[f"sum_{names[key]}"] for key in keys}, row["counted"])
                for row in rows
            }

        signature = f"indicator-{indicator.pk}-{indicator.criterion_id}-{indicator.formula}-{'-'.join(keys)}"
        sums = _per_period(signature, periods, versions, compute)
        for period in periods:
            found = sums.get(period.pk)
            totals, count = found if found else (dict.fromkeys(keys), 0)
            value = indicator.aggregate([totals]) if found else None
            points[(indicator.pk, period.pk)] = IndicatorPoint(indicator, period, value, totals, count)
    return points


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


def indicator_series(scope, indicators=None, versions=None):
    """(indicators, {(indicator id, period id): IndicatorPoint}) for the periods in scope, the chosen one and
    their same periods last year, each judged: the indicators (unless given), the versions (unless given), one sum
    per indicator for the periods not in the cache."""
    indicators = active_indicators() if indicators is None else indicators
    periods = scope.counterparts()
    points = indicator_points(periods, indicators, versions)
    for indicator in indicators:
        for period in periods:
            previous = same_period_last_year(period, scope.all_periods)
            judge(points[(indicator.pk, period.pk)], points.get((indicator.pk, previous.pk)) if previous else None)
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


# Up to this many units, grid_cells names them in the query; beyond, it reads the whole period (the export).
REPORTS_IN_FULL = 500


@dataclass
class GridRow:
    unit: "Unit | GridUnit"
    report: "GridReport | None"
    cells: dict  # criterion id → (level id or None, criterion code as the report wrote it)

    @property
    def accepted(self):
        return self.report is not None and self.report.status == ACCEPTED


def grid(period, units=None):
    """One row per unit expected on the period (see completeness): its report, and for an accepted one its
    self-assessment per criterion (3 queries, 2 with `units`)."""
    rows = grid_rows(period, units)
    grid_cells(period, rows)
    return rows


@dataclass(frozen=True, slots=True)
class GridUnit:
    """A unit as the grid names and links it: no model built per unit."""

    pk: int
    code: str
    name: str


@dataclass(frozen=True, slots=True)
class GridReport:
    """A report as the grid shows its state (views_tables.report_status) and links it."""

    pk: int
    status: str
    is_late: bool
    history_import_id: int | None

    def get_status_display(self):
        return UnitReport.Status(self.status).label


def grid_rows(period, units=None):
    """The grid's rows without their cells (2 queries, 1 with `units`) from plain values: the page counts and
    paginates these, then reads the cells of its own rows only (grid_cells) — at a thousand units, fifteen thousand
    cells read and two thousand model instances built for a hundred rows shown were most of the page's time."""
    reports = {
        unit_id: GridReport(pk, status, is_late, history_import_id)
        for pk, unit_id, status, is_late, history_import_id in UnitReport.objects.filter(period=period).values_list(
            "pk", "unit_id", "status", "is_late", "history_import_id"
        )
    }
    if units is not None:
        return [
            GridRow(unit, reports.get(unit.pk), {})
            for unit in units
            if unit.is_active_on(period.end) or unit.pk in reports
        ]
    day = period.end
    # reporting_units() as values, kept as Unit.is_active_on keeps them: active at the period's end, or reported.
    found = (
        Unit.objects.filter(parent__isnull=False)
        .order_by("sort_order", "name")
        .values_list("pk", "code", "name", "valid_from", "valid_to")
    )
    return [
        GridRow(GridUnit(pk, code, name), reports.get(pk), {})
        for pk, code, name, valid_from, valid_to in found
        if ((valid_from is None or valid_from <= day) and (valid_to is None or day <= valid_to)) or pk in reports
    ]


def grid_cells(period, rows):
    """Fill the cells of `rows` (every row of the period's grid, or a page of it) with their accepted reports'
    self-assessment per criterion: one query."""
    by_unit = {row.unit.pk: row for row in rows}
    results = CriterionResult.objects.filter(report__period=period, report__status=ACCEPTED)
    if len(by_unit) < REPORTS_IN_FULL:
        results = results.filter(report__unit_id__in=list(by_unit))
    for unit_id, criterion_id, level_id, code in results.values_list(
        "report__unit_id", "criterion_id", "assessment_id", "criterion_code"
    ).order_by():
        row = by_unit.get(unit_id)
        if row is not None:
            row.cells[criterion_id] = (level_id, code)
