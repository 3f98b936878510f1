"""The overview's queries are constant in units and periods: pinned on the fixed dataset and again after adding
units with reports on more periods (the second size).

The overview's own reads are pinned to a literal; a whole page (which also carries the menu, notifications and
the session) is pinned to the same count at both sizes.
"""

from unittest import mock

import pytest
from django.core.cache import cache
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from campaign.models import AssessmentLevel, ReportingPeriod
from overview import permissions, selectors, views_unit_tables, waiting
from overview.selectors_unit import unit_history
from overview.views import index_sections
from reports.models import CriterionResult, UnitReport
from tests import factories
from tests.overview.test_overview_dataset import DISBURSEMENT, RECURRENT, build, criterion, frozen_time
from tests.shared_data import built_once

pytestmark = pytest.mark.django_db

# read_scope: campaign, phases, periods (3). index_sections: units, the versions of the periods' reports and of
# their accepted ones, criteria, levels, the confirmed schemes, indicators (7); then, for what is not in the
# cache, the periods' reports, the assessments' spread, one sum per indicator — the plan's two (4); the confirmed
# schemes' lines (none in phase 2; the campaign's 2025 in phase 1 and for all phases, pinned in its own test).
OVERVIEW_QUERIES = 14
OVERVIEW_QUERIES_CACHED = 10
# read_scope (3); unit_history: the unit's reports, its results, criteria, levels, indicators, the versions, the
# unit's quantities, awards, the reports the reader may open (9); one sum per indicator not in the cache (2).
UNIT_QUERIES = 14
UNIT_QUERIES_CACHED = 12
# read_scope (3); the grid: criteria, levels, units, reports, results (5).
GRID_QUERIES = 8
PAGES = (
    "/tong-quan/",
    "/tong-quan/?giai_doan=1",
    "/tong-quan/don-vi-tieu-chi/",
    "/tong-quan/chi-so/disbursement-rate/",
)


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker):
    with frozen_time(), built_once(django_db_blocker, build) as built:
        yield built


@pytest.fixture(autouse=True)
def _frozen():
    cache.clear()  # the sums of other modules' periods
    with frozen_time():
        yield


def grow(data, count=12):
    """`count` more units, each with an accepted report on five more periods, every criterion of the dataset."""
    department = factories.department()
    author = data["reviewer"]
    level = AssessmentLevel.objects.get(code="hoan-thanh")
    periods = list(ReportingPeriod.objects.filter(code__in=["2024-H1", "2024-FY", "2025-FY", "2025-H1", "2026-H1"]))
    criteria = [criterion(code) for code in ("III.1.1.1", DISBURSEMENT, RECURRENT)]
    for index in range(count):
        unit = factories.UnitFactory(code=f"THEM{index:02d}", name=f"Phòng thêm {index}", parent=department)
        for period in periods:
            report = UnitReport.objects.create(
                unit=unit,
                period=period,
                status=UnitReport.Status.ACCEPTED,
                unit_name=unit.name,
                submitted_at=data["pqlkh_2026"].submitted_at,
                created_by=author,
            )
            for item in criteria:
                CriterionResult.objects.create(
                    report=report,
                    criterion=item,
                    criterion_code=item.code,
                    criterion_text=item.text,
                    assessment=level,
                    quantities={"planned": "100", "disbursed": "90", "recurrent": "30", "total": "100"},
                )


def _overview_reads(params):
    scope = selectors.read_scope(params)
    return index_sections(scope)


def _unit_reads(unit, user, params):
    scope = selectors.read_scope(params)
    return views_unit_tables.sections(unit_history(unit, scope, user), lambda report, code: "")


def _grid_reads(params):
    scope = selectors.read_scope(params)
    selectors.criteria_and_levels()
    return selectors.grid(scope.period)


@pytest.mark.parametrize("params", [{}, {"giai_doan": "2"}])
def test_overview_reads_are_constant_in_units_and_periods(data, django_assert_num_queries, params):
    with django_assert_num_queries(OVERVIEW_QUERIES):
        before = _overview_reads(params)
    with django_assert_num_queries(OVERVIEW_QUERIES_CACHED):
        assert _overview_reads(params) == before
    grow(data)  # new accepted reports: new versions, the sums read again
    with django_assert_num_queries(OVERVIEW_QUERIES):
        after = _overview_reads(params)
    with django_assert_num_queries(OVERVIEW_QUERIES_CACHED):
        assert _overview_reads(params) == after
    assert after != before


@pytest.mark.parametrize("params", [{}, {"giai_doan": "tat-ca"}])
def test_unit_page_reads_are_constant_in_units_and_periods(data, django_assert_num_queries, params):
    unit = data["units"]["PQLKH"]
    assert permissions.can_see_unit(data["leader"], unit)  # as the view does first: the capabilities read once
    with django_assert_num_queries(UNIT_QUERIES):
        _unit_reads(unit, data["leader"], params)
    with django_assert_num_queries(UNIT_QUERIES_CACHED):
        _unit_reads(unit, data["leader"], params)
    grow(data)
    with django_assert_num_queries(UNIT_QUERIES):
        _unit_reads(unit, data["leader"], params)


@pytest.mark.parametrize("params", [{"giai_doan": "1"}, {"giai_doan": "tat-ca"}])
def test_overview_reads_with_confirmed_scores(data, django_assert_num_queries, params):
    """The confirmed 2025 scheme's lines are read once, then kept: a locked scheme never changes."""
    with django_assert_num_queries(OVERVIEW_QUERIES + 1):
        before = _overview_reads(params)
    with django_assert_num_queries(OVERVIEW_QUERIES_CACHED):
        assert _overview_reads(params) == before
    grow(data)
    with django_assert_num_queries(OVERVIEW_QUERIES):
        _overview_reads(params)


def test_grid_reads_are_constant_in_units(data, django_assert_num_queries):
    with django_assert_num_queries(GRID_QUERIES):
        _grid_reads({})
    grow(data)
    with django_assert_num_queries(GRID_QUERIES):
        _grid_reads({})


def _page_queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(captured)


def test_whole_pages_issue_the_same_queries_at_two_sizes(data):
    client = Client()
    client.force_login(data["leader"])
    unit_page = f"/tong-quan/don-vi/{data['units']['PQLKH'].pk}/?giai_doan=tat-ca"
    paths = (*PAGES, unit_page, "/tong-quan/xlsx/")
    small = {path: _page_queries(client, path) for path in paths}
    grow(data, count=30)
    cache.clear()
    large = {path: _page_queries(client, path) for path in paths}
    assert large == small


def test_the_overview_strip_reads_the_waiting_list_the_menu_counts_read(data):
    """The strip of what waits (overview/waiting_strip.html) adds no query: the list is computed once per request,
    for the menu's counts and the strip alike, so the whole page's count above is unchanged by it."""
    client = Client()
    client.force_login(data["leader"])
    with mock.patch.object(waiting, "waiting_items", wraps=waiting.waiting_items) as computed:
        assert client.get("/tong-quan/").status_code == 200
    assert computed.call_count == 1
