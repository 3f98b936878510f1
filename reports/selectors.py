"""Reads for the reports pages: a unit's to-do list, the office's status matrix, indicator trends.

Each runs a fixed number of queries whatever the number of units or periods.
"""

from dataclasses import dataclass

from django.db.models import Q
from django.utils import timezone

from campaign.models import Campaign, Indicator, ReportingPeriod
from units.listing import filter_unit_rows
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


TODO_PERIOD_FIELDS = ("code", "label", "start", "end", "unit_due_date")
TODO_REPORT_FIELDS = ("period_id", "status", "is_late", "submitted_at", "updated_at")


def unit_todo(unit, today=None):
    """(owed, done): periods the unit still owes a report for, overdue first; and its submitted ones."""
    today = today or timezone.localdate()
    campaign = current_campaign()
    if campaign is None or unit is None:
        return [], []
    # Only the columns the to-do list, the home card and the waiting list read: every signed-in page asks for these.
    periods = list(ReportingPeriod.objects.owed(campaign).filter(start__lte=today).only(*TODO_PERIOD_FIELDS))
    reports = {
        report.period_id: report
        for report in UnitReport.objects.filter(unit=unit, period__in=periods).only(*TODO_REPORT_FIELDS)
    }
    items = [
        TodoItem(period, reports.get(period.pk), (period.unit_due_date - today).days)
        for period in periods
        if period.pk in reports or (period.unit_due_date - today).days <= TODO_WINDOW_DAYS
    ]
    owed = sorted((item for item in items if item.is_owed), key=lambda item: (not item.is_overdue, item.days_left))
    done = sorted((item for item in items if not item.is_owed), key=lambda item: item.period.end, reverse=True)
    return owed, done


# The matrix's sorts: the key of each row (a plain dict, see matrix_rows). "action" puts the reports waiting for the
# office first (submitted), then those sent back, the drafts, the units not started, and the accepted last.
MATRIX_SORTS = {
    "unit": "Thứ tự đơn vị",
    "action": "Cần xử lý trước",
    "submitted": "Nộp gần nhất",
}
ACTION_RANK = {"submitted": 0, "returned": 1, "draft": 2, NOT_STARTED: 3, "accepted": 4}
MATRIX_PAGE_SIZE = 100


def matrix_rows(period):
    """Every reporting unit's row for the period as plain dicts, in unit order, in two queries.

    Each row: unit_id, name, status, status_label, report_id, is_late, submitted_at (aware or None),
    timeliness ("Đúng hạn" / "Muộn" once submitted, "" before), order (its place in unit order).
    """
    units = Unit.objects.reporting(period.end).order_by("sort_order", "name").values_list("pk", "name")
    reports = {
        unit_id: (pk, status, is_late, submitted_at)
        for pk, unit_id, status, is_late, submitted_at in UnitReport.objects.filter(period=period).values_list(
            "pk", "unit_id", "status", "is_late", "submitted_at"
        )
    }
    rows = []
    for order, (unit_id, name) in enumerate(units):
        report_id, status, is_late, submitted_at = reports.get(unit_id, (None, NOT_STARTED, False, None))
        rows.append(
            {
                "unit_id": unit_id,
                "name": name,
                "status": status,
                "status_label": STATUS_LABELS[status],
                "report_id": report_id,
                "is_late": bool(report_id and is_late),
                "submitted_at": submitted_at,
                "timeliness": ("Muộn" if is_late else "Đúng hạn") if submitted_at else "",
                "order": order,
            }
        )
    return rows


def matrix_counts(rows):
    """(counts per status, late count) over every row given — the whole period, never a page."""
    counts = dict.fromkeys(STATUS_ORDER, 0)
    late = 0
    for row in rows:
        counts[row["status"]] += 1
        late += row["is_late"]
    return counts, late


def status_matrix(period, *, status=None, late_only=False, search=""):
    """Every reporting unit's row for the period (filtered), with counts per status and late over all units."""
    rows = matrix_rows(period)
    counts, late = matrix_counts(rows)
    return filter_unit_rows(rows, status=status, late_only=late_only, search=search), counts, late


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
