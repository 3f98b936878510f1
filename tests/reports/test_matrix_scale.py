"""The status matrix at scale (issue 17, item 3): filtered, sorted and paginated on the server, counts for the whole
period whatever the page or the filter, a fixed number of queries at any size, and the xlsx still every unit.

Units and reports are bulk-created (the matrix only reads them): N units cycling through not started, draft,
submitted on time, submitted late and accepted.
"""

import datetime
import io
import re

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from reports.models import UnitReport
from reports.selectors import MATRIX_PAGE_SIZE
from tests.query_budget import WAITING_OFFICE
from tests.reports.test_queries import MATRIX_QUERIES, queries_of
from units.models import Unit

# Cycle of states: index % 5.
STATES = [None, "draft", "submitted", "submitted-late", "accepted"]


def seed(count, period, creator, start=0):
    """`count` units "Đơn vị thử NNN" (in that order) with their reports for `period` in the cycle of STATES."""
    parent = Unit.objects.get(parent__isnull=True)
    units = Unit.objects.bulk_create(
        Unit(
            code=f"THU{number:04d}",
            name=f"Đơn vị thử {number:03d}",
            abbreviation=f"THU{number:04d}",
            kind=Unit.Kind.DIVISION,
            parent=parent,
            sort_order=5000 + number,
        )
        for number in range(start, start + count)
    )
    submitted_at = timezone.make_aware(datetime.datetime(2026, 3, 2, 9, 30))
    reports = []
    for number, unit in enumerate(units, start=start):
        state = STATES[number % 5]
        if state is None:
            continue
        reports.append(
            UnitReport(
                unit=unit,
                period=period,
                unit_name=unit.name,
                created_by=creator,
                status=state.removesuffix("-late"),
                is_late=state == "submitted-late",
                submitted_at=None if state == "draft" else submitted_at + datetime.timedelta(minutes=number),
            )
        )
    UnitReport.objects.bulk_create(reports)


def get(client, period, **query):
    response = client.get(reverse("reports:matrix"), {"period": period.code, **query})
    assert response.status_code == 200
    return response.content.decode()


def cards(body):
    found = re.findall(r'<div class="fs-4">(\d+)</div><div class="small">([^<]+)</div>', body)
    late = re.search(r"Nộp muộn: <strong>(\d+)</strong>", body).group(1)
    return {label: int(number) for number, label in found} | {"late": int(late)}


def table_rows(body):
    table = body[body.index('data-testid="matrix-table"') :]
    return re.findall(r"<td>(\d+)</td>\s*<td>(Đơn vị thử \d+)</td>", table)


def names(body):
    return [name for _, name in table_rows(body)]


@pytest.fixture
def world(client, reviewer, open_period):
    seed(230, open_period, reviewer)
    client.force_login(reviewer)
    return open_period


def test_queries_are_pinned_at_a_small_and_a_large_size(client, reviewer, open_period):
    seed(5, open_period, reviewer)
    client.force_login(reviewer)
    url = f"{reverse('reports:matrix')}?period={open_period.code}"
    client.get(url)
    small = queries_of(client, url)
    seed(245, open_period, reviewer, start=5)
    large = (queries_of(client, url), queries_of(client, f"{url}&page=3&sort=action&status=submitted&q=0"))
    assert (small, *large) == (MATRIX_QUERIES + WAITING_OFFICE,) * 3


def test_counts_are_the_whole_periods_on_every_page_and_filter(client, world):
    first = cards(get(client, world))
    # 230 units: 46 of each state of the cycle, plus the units of the fixtures (not started).
    assert (first["Đang soạn"], first["Đã nộp"], first["Đã tiếp nhận"], first["late"]) == (46, 92, 46, 46)
    assert first["Tổng số đơn vị"] == Unit.objects.reporting(world.end).count()
    queries = ({"page": "2"}, {"page": "3"}, {"status": "draft"}, {"late": "1"}, {"q": "thử 01"}, {"sort": "action"})
    for query in queries:
        assert cards(get(client, world, **query)) == first, query


def test_pages_split_the_filtered_units_without_loss_or_repeat(client, world):
    pages = [table_rows(get(client, world, q="thử", page=str(page))) for page in (1, 2, 3)]
    assert [len(rows) for rows in pages] == [MATRIX_PAGE_SIZE, MATRIX_PAGE_SIZE, 30]
    every = [row for rows in pages for row in rows]
    assert [name for _, name in every] == [f"Đơn vị thử {number:03d}" for number in range(230)]
    assert [int(number) for number, _ in every] == list(range(1, 231))  # numbered across pages
    assert "Đơn vị 201–230 trong 230 đơn vị khớp bộ lọc" in get(client, world, q="thử", page="3")


def test_filter_search_and_sort_on_the_server(client, world):
    assert names(get(client, world, status="draft"))[:3] == ["Đơn vị thử 001", "Đơn vị thử 006", "Đơn vị thử 011"]
    assert len(names(get(client, world, status="accepted"))) == 46
    assert names(get(client, world, late="1"))[:2] == ["Đơn vị thử 003", "Đơn vị thử 008"]
    assert names(get(client, world, q="THỬ 12")) == [f"Đơn vị thử {n}" for n in range(120, 130)]
    # Needing action first: the submitted reports (waiting for the office), in unit order.
    action = names(get(client, world, sort="action", q="thử"))
    assert action[:4] == ["Đơn vị thử 002", "Đơn vị thử 003", "Đơn vị thử 007", "Đơn vị thử 008"]
    # Latest submission first; never submitted last.
    assert names(get(client, world, sort="submitted", q="thử"))[:2] == ["Đơn vị thử 229", "Đơn vị thử 228"]
    # The page links keep the filter and the sort.
    body = get(client, world, sort="submitted", q="thử", page="2")
    kept = f"?period={world.code}&amp;status=&amp;q=th%E1%BB%AD&amp;sort=submitted&amp;page="
    assert re.findall(r'href="\?period=[^"]*page=(\d+)"', body) == ["1", "1", "2", "3", "3"]
    assert f'href="{kept}1">Trang trước</a>' in body
    assert f'href="{kept}3">Trang sau</a>' in body


def test_rows_link_to_the_review_for_the_office(client, world):
    body = get(client, world, q="thử 002")
    report = UnitReport.objects.get(unit__name="Đơn vị thử 002", period=world)
    assert f'href="{reverse("reports:review", args=[report.pk])}">Xem, rà soát</a>' in body
    assert "02/03/2026 09:32" in body
    assert "Xem, rà soát" not in get(client, world, q="thử 001")  # a draft is the unit's own


@pytest.mark.parametrize(
    ("query", "expected_first", "count"),
    [
        ({"page": "99"}, "Đơn vị thử 200", 30),  # past the end: the last page
        ({"page": "-1"}, "Đơn vị thử 200", 30),
        ({"page": "abc"}, "Đơn vị thử 000", MATRIX_PAGE_SIZE),  # not a number: the first
        ({"status": "bogus"}, "Đơn vị thử 000", MATRIX_PAGE_SIZE),  # unknown status: every status
        ({"sort": "bogus"}, "Đơn vị thử 000", MATRIX_PAGE_SIZE),  # unknown sort: unit order
        ({"q": "không có", "page": "5"}, None, 0),  # nothing matches: an empty table, no error
    ],
)
def test_bad_parameters_answer_the_nearest_sensible_page(client, world, query, expected_first, count):
    found = names(get(client, world, **{"q": "thử", **query}))
    assert len(found) == count
    assert (found[0] if found else None) == expected_first


def test_xlsx_holds_every_unit_not_a_page(client, world):
    response = client.get(reverse("reports:matrix_xlsx"), {"period": world.code, "page": "2", "status": "draft"})
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[0]
    units = [row[1] for row in sheet.iter_rows(values_only=True) if str(row[1] or "").startswith("Đơn vị thử")]
    assert len(units) == 230
    assert units[:2] == ["Đơn vị thử 000", "Đơn vị thử 001"]
