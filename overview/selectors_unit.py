"""Reads of a unit's page in the overview: its reports across the periods in scope, its self-assessments, its
indicators beside the Department's, its awards from the award register — a fixed number of queries whatever the
number of units and periods."""

from dataclasses import dataclass

from awards.models import AwardRecord
from reports.models import CriterionResult, UnitReport
from reports.permissions import visible_reports

from .selectors import ACCEPTED, criteria_and_levels, indicator_results, indicator_series


@dataclass
class UnitHistory:
    unit: object
    periods: list
    reports: dict  # period id → UnitReport
    results: dict  # (period id, criterion id) → (level id or None, criterion code as written)
    criteria: list
    levels: list
    indicators: list
    points: dict  # (indicator id, period id) → the Department's IndicatorPoint
    own_values: dict  # (indicator id, period id) → (the unit's quantities, its value)
    awards: list
    openable: set  # ids of the reports the reader may open


def award_years(scope):
    """The years whose awards the unit's page lists: the phase's (or the chosen year), every year for all phases."""
    if scope.year:
        return [scope.year]
    if scope.phase:
        return list(range(scope.phase.start_year, scope.phase.end_year + 1))
    return None


def unit_history(unit, scope, user):
    periods = scope.periods
    reports = {
        report.period_id: report
        for report in UnitReport.objects.filter(unit=unit, period__in=[period.pk for period in periods])
    }
    results = {}
    rows = CriterionResult.objects.filter(
        report__unit=unit, report__period__in=[period.pk for period in periods], report__status=ACCEPTED
    ).values_list("report__period_id", "criterion_id", "assessment_id", "criterion_code")
    for period_id, criterion_id, level_id, code in rows:
        results[(period_id, criterion_id)] = (level_id, code)
    criteria, levels = criteria_and_levels()
    indicators, points = indicator_series(scope)
    entries = indicator_results(periods, indicators, unit=unit)
    own_values = {}
    for indicator in indicators:
        for period in periods:
            for unit_id, _, quantities in entries.get((indicator.criterion_id, period.pk), []):
                if unit_id == unit.pk:
                    own_values[(indicator.pk, period.pk)] = (quantities, indicator.compute(quantities))
    awards = AwardRecord.objects.filter(unit=unit)
    years = award_years(scope)
    if years is not None:
        awards = awards.filter(year__in=years)
    openable = set(
        visible_reports(user).filter(pk__in=[report.pk for report in reports.values()]).values_list("pk", flat=True)
    )
    return UnitHistory(
        unit=unit,
        periods=periods,
        reports=reports,
        results=results,
        criteria=criteria,
        levels=levels,
        indicators=indicators,
        points=points,
        own_values=own_values,
        awards=list(awards.order_by("-year", "form_name", "recipient_name")),
        openable=openable,
    )
