"""The overview's lists that grow with the units (issue 17, item 3): the unit × criterion grid and an indicator's
units run the same queries at two sizes (the dataset's units, then 60 more), pinned to every page's budget
(tests/query_budget.py) plus their own; the figures above the table are the whole period's on every page; the pages
split the units without losing or repeating one."""

import pytest
from django.core.cache import cache
from django.test import Client

from overview import views
from tests.overview.test_overview_dataset import build, frozen_time
from tests.overview.test_overview_queries import grow
from tests.query_budget import PAGE, WAITING_LEADERSHIP
from tests.shared_data import built_once

pytestmark = pytest.mark.django_db

GRID = "/tong-quan/don-vi-tieu-chi/"
INDICATOR = "/tong-quan/chi-so/disbursement-rate/"
# read_scope: campaign, phases, periods (3); the grid: criteria, levels, units, reports, results (5).
GRID_QUERIES = PAGE + WAITING_LEADERSHIP + 8
# read_scope (3); the indicator, the versions of the accepted reports, the results behind its value and its
# reference (2, the cache cleared), the reporting units (5).
INDICATOR_QUERIES = PAGE + WAITING_LEADERSHIP + 8


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker):
    with frozen_time(), built_once(django_db_blocker, build) as built:
        yield built


@pytest.fixture(autouse=True)
def _frozen():
    cache.clear()
    with frozen_time():
        yield


@pytest.fixture
def client(data):
    client = Client()
    client.force_login(data["leader"])
    return client


@pytest.mark.parametrize(("path", "expected"), [(GRID, GRID_QUERIES), (INDICATOR, INDICATOR_QUERIES)])
def test_the_list_runs_the_same_queries_at_two_sizes(data, client, django_assert_num_queries, path, expected):
    client.get(path)  # the session once
    cache.clear()
    with django_assert_num_queries(expected):
        small = client.get(path)
    grow(data, count=60)
    cache.clear()
    with django_assert_num_queries(expected):
        large = client.get(path)
    assert large.context["page"].paginator.count == small.context["page"].paginator.count + 60


def _indicator_figures(response):
    context = response.context
    return (context["value"], context["reference"], context["totals"], context["point"].units_counted)


@pytest.mark.parametrize("path", [GRID, INDICATOR])
def test_the_pages_split_the_units_and_keep_the_whole_periods_figures(data, client, monkeypatch, path):
    grow(data, count=25)
    monkeypatch.setattr(views, "GRID_PAGE_SIZE", 10)
    first = client.get(path)
    pages = first.context["page"].paginator.num_pages
    assert pages >= 3
    units = []
    for number in range(1, pages + 1):
        response = client.get(path, {"trang": number})
        units += [row.unit.pk for row in response.context["page"].object_list]
        assert response.context["page"].paginator.count == first.context["page"].paginator.count
        if path == INDICATOR:
            assert _indicator_figures(response) == _indicator_figures(first)
    assert len(units) == len(set(units)) == first.context["page"].paginator.count
    # An out-of-range or unknown page answers the nearest.
    assert client.get(path, {"trang": "999"}).context["page"].number == pages
    assert client.get(path, {"trang": "x"}).context["page"].number == 1
