"""Reads for the reports pages: a unit's to-do list, the office's status matrix, indicator trends.

Each runs a fixed number of queries whatever the number of units or periods.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from campaign.models import Campaign, Indicator, ReportingPeriod
from units.models import Unit

from .models import CriterionResult, ReportTransition, UnitReport
from .permissions import SUBMITTED_ONCE

NOT_STARTED = "not_started"
# A period shows in a unit's to-do list this many days before its due date (or once its report exists).
TODO_WINDOW_DAYS = 60
STATUS_LABELS = {NOT_STARTED: "Chưa lập", **dict(UnitReport.Status.choices)}
STATUS_ORDER = [NOT_STARTED, *UnitReport.Status.values]


@dataclass
class TodoItem:
    period: ReportingPeriod
    report: UnitReport | None
    days_left: int

    @property
    def status(self):
        return self.report.status if self.report else NOT_STARTED

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def days_overdue(self):
        return max(0, -self.days_left)

    @property
    def is_overdue(self):
        return self.days_left < 0 and self.is_owed

    @property
    def is_owed(self):
        return self.report is None or self.report.is_editable_state


def current_campaign():
    return Campaign.objects.order_by("pk").first()


def unit_todo(unit, today=None):
    """(owed, done): periods the unit still owes a report for, overdue first; and its submitted ones."""
    today = today or timezone.localdate()
    campaign = current_campaign()
    if campaign is None or unit is None:
        return [], []
    periods = list(ReportingPeriod.objects.owed(campaign).filter(start__lte=today).select_related("campaign"))
    reports = {report.period_id: report for report in UnitReport.objects.filter(unit=unit, period__in=periods)}
    items = [
        TodoItem(period, reports.get(period.pk), (period.unit_due_date - today).days)
        for period in periods
        if period.pk in reports or (period.unit_due_date - today).days <= TODO_WINDOW_DAYS
    ]
    owed = sorted((item for item in items if item.is_owed), key=lambda item: (not item.is_overdue, item.days_left))
    done = sorted((item for item in items if not item.is_owed), key=lambda item: item.period.end, reverse=True)
    return owed, done


@dataclass
class MatrixRow:
    unit: Unit
    report: UnitReport | None

    @property
    def status(self):
        return self.report.status if self.report else NOT_STARTED

    @property
    def status_label(self):
        return STATUS_LABELS[self.status]

    @property
    def is_late(self):
        return bool(self.report and self.report.is_late)

    @property
    def timeliness(self):
        """ "Đúng hạn" or "Muộn" once the report was submitted; nothing before."""
        if not (self.report and self.report.submitted_at):
            return ""
        return "Muộn" if self.report.is_late else "Đúng hạn"


def status_matrix(period, *, status=None, late_only=False):
    """Every reporting unit's report for the period, with counts per status over all units."""
    units = list(Unit.objects.reporting(period.end).order_by("sort_order", "name"))
    reports = {
        report.unit_id: report for report in UnitReport.objects.filter(period=period).select_related("submitted_by")
    }
    rows = [MatrixRow(unit, reports.get(unit.pk)) for unit in units]
    counts = dict.fromkeys(STATUS_ORDER, 0)
    for row in rows:
        counts[row.status] += 1
    late = sum(1 for row in rows if row.is_late)
    if status:
        rows = [row for row in rows if row.status == status]
    if late_only:
        rows = [row for row in rows if row.is_late]
    return rows, counts, late


def indicator_values(period):
    """[(indicator, [(result, value)])]: every active indicator with the period's results carrying its quantities,
    in the units' order (results marked not applicable left out)."""
    indicators = list(Indicator.objects.filter(is_active=True).select_related("criterion"))
    by_criterion = {}
    for indicator in indicators:
        by_criterion.setdefault(indicator.criterion_id, []).append(indicator)
    results = (
        CriterionResult.objects.filter(report__period=period, criterion_id__in=by_criterion)
        .select_related("report", "assessment")
        .order_by("report__unit__sort_order", "sort_order")
    )
    rows = {indicator.pk: [] for indicator in indicators}
    for result in results:
        if result.is_not_applicable:
            continue
        for indicator in by_criterion[result.criterion_id]:
            rows[indicator.pk].append((result, indicator.compute(result.quantities or {})))
    return [(indicator, rows[indicator.pk]) for indicator in indicators]


def results_by_criterion(report):
    """{criterion id: result} of a report (the previous report on the review page); {} for None."""
    if report is None:
        return {}
    return {result.criterion_id: result for result in report.results.select_related("assessment")}


def indicator_trend(report, indicator, limit=8):
    """The unit's indicator value over its reports on periods of the same kind up to this one, oldest first.

    Earlier drafts the unit never submitted are left out; the report itself is included whatever its state.
    """
    period = report.period
    results = (
        CriterionResult.objects.filter(
            report__unit_id=report.unit_id,
            report__period__kind=period.kind,
            report__period__end__lte=period.end,
            criterion_id=indicator.criterion_id,
        )
        .filter(Q(report=report) | Q(report__status__in=SUBMITTED_ONCE))
        .select_related("report__period", "assessment")
        .order_by("-report__period__end")[:limit]
    )
    points = []
    for result in reversed(list(results)):
        if result.is_not_applicable:
            continue
        points.append({"period": result.report.period.label, "value": indicator.compute(result.quantities or {})})
    return points


def last_two_submissions(report):
    """(older, newer) submit transitions of the report; (None, newer or None) when it was submitted less than twice."""
    submissions = list(report.transitions.filter(action=ReportTransition.Action.SUBMIT).order_by("-at", "-pk")[:2])
    if len(submissions) < 2:
        return None, (submissions[0] if submissions else None)
    newer, older = submissions
    return older, newer


def quantity_labels():
    """{quantity key: its Vietnamese label} over every indicator, for showing raw quantities to people."""
    return {
        quantity["key"]: quantity["label"]
        for quantities in Indicator.objects.values_list("quantities", flat=True)
        for quantity in quantities
    }
