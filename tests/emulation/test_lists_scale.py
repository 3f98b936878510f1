"""The emulation year's office lists at scale (issue 17, item 3): the registrations, the assessments, the rankings
(the year's, the phase's, a scheme's scores) run the same queries at 5 and 60 units; their counts are the whole
year's on every page and filter; their pages split the rows without losing or repeating one."""

import pytest
from django.urls import reverse

from demo.scale_emulation import seed_emulation_scale
from emulation.models import ScoringScheme
from emulation.views import listing
from tests import factories
from tests.query_budget import PAGE, WAITING_LEADERSHIP, WAITING_OFFICE
from units.models import Unit

YEAR = 2025
# Each list's own queries after every page's (tests/query_budget.py), for the office ("office") or leadership.
LISTS = {
    # the year, the reporting units, the registrations
    "registrations": (f"/thi-dua/{YEAR}/dang-ky/", "office", 3),
    # the year, the reviewer's own unit's assessment, the reporting units, the assessments with their counts
    "assessments": (f"/thi-dua/{YEAR}/binh-xet/", "office", 4),
    # the scheme, its scores, their item points (a tie-break rule), the phase of the year
    "ranking": (f"/thi-dua/{YEAR}/xep-hang/?loai=annual", "leadership", 4),
    # the phase, its confirmed schemes, their scores, their item points
    "phase": ("/thi-dua/giai-doan/1/xep-hang/?loai=annual", "leadership", 4),
    # the scheme, its items, adjustments, scores, item points, history
    "scheme": ("/thi-dua/cham-diem/{scheme}/", "leadership", 6),
}
WAITING = {"office": WAITING_OFFICE, "leadership": WAITING_LEADERSHIP}


def grow_to(count):
    """Reporting units up to `count`, then the year's emulation data for each (demo/scale_emulation.py)."""
    have = Unit.objects.reporting().count()
    for number in range(have, count):
        factories.UnitFactory(code=f"QM{number:03d}", name=f"Phòng quy mô {number:03d}", sort_order=300 + number)
    seed_emulation_scale(year=YEAR)
    assert Unit.objects.reporting().count() == count


@pytest.fixture
def people(plan):
    return {"office": factories.office_reviewer(), "leadership": factories.director()}


def path_of(name):
    path = LISTS[name][0]
    if "{scheme}" in path:
        path = path.format(scheme=ScoringScheme.objects.get(year__year=YEAR, kind="annual").pk)
    return path


@pytest.mark.parametrize("name", list(LISTS))
def test_a_list_runs_the_same_queries_at_5_and_60_units(people, client, django_assert_num_queries, name):
    grow_to(5)
    _, role, own = LISTS[name]
    client.force_login(people[role])
    path = path_of(name)
    client.get(path)  # the session once
    with django_assert_num_queries(PAGE + WAITING[role] + own):
        small = client.get(path)
    grow_to(60)
    with django_assert_num_queries(PAGE + WAITING[role] + own):
        large = client.get(path)
    assert small.status_code == large.status_code == 200
    assert len(large.context["rows"]) > len(small.context["rows"])


def whole(response):
    """What a list counts over the whole year (never a page)."""
    context = response.context
    return {key: context.get(key) for key in ("counts", "late_count", "total", "count")}


@pytest.mark.parametrize(
    ("name", "filters"),
    [
        ("registrations", [{"status": "submitted"}, {"late": "1"}, {"q": "quy mô 01"}, {"sort": "action"}]),
        ("assessments", [{"status": "confirmed"}, {"q": "QM02"}, {"sort": "submitted"}]),
        ("ranking", [{"q": "quy mô 03"}]),
        ("phase", [{"q": "quy mô 03"}]),
        ("scheme", [{"q": "quy mô 03"}]),
    ],
)
def test_the_counts_are_the_whole_years_on_every_page_and_filter(people, client, monkeypatch, name, filters):
    grow_to(60)
    monkeypatch.setattr(listing, "LIST_PAGE_SIZE", 25)
    client.force_login(people[LISTS[name][1]])
    path = path_of(name)
    joiner = "&" if "?" in path else "?"
    first = client.get(path)
    assert first.context["page"].paginator.num_pages == 3
    for query in [{"page": "2"}, {"page": "3"}, *filters]:
        response = client.get(path + joiner + "&".join(f"{key}={value}" for key, value in query.items()))
        assert whole(response) == whole(first), query
        assert response.context["shown"] <= first.context["shown"]


@pytest.mark.parametrize("name", list(LISTS))
def test_the_pages_split_the_rows_without_losing_or_repeating_one(people, client, monkeypatch, name):
    grow_to(60)
    monkeypatch.setattr(listing, "LIST_PAGE_SIZE", 25)
    client.force_login(people[LISTS[name][1]])
    path = path_of(name)
    joiner = "&" if "?" in path else "?"
    names = []
    for number in (1, 2, 3):
        rows = client.get(f"{path}{joiner}page={number}").context["rows"]
        names += [row.get("name") or row.get("unit_name") for row in rows]
    assert len(names) == len(set(names)) == client.get(path).context["shown"]
    # An unknown or out-of-range page answers the nearest.
    assert client.get(f"{path}{joiner}page=99").context["page"].number == 3
    assert client.get(f"{path}{joiner}page=x").context["page"].number == 1


def test_the_registrations_filter_and_sort_on_the_server(people, client):
    grow_to(60)
    client.force_login(people["office"])
    url = reverse("emulation:registrations", args=[YEAR])
    late = client.get(url, {"late": "1"}).context
    assert late["shown"] == late["late_count"] > 0
    assert all(row["is_late"] for row in late["rows"])
    submitted = client.get(url, {"status": "submitted"}).context
    assert submitted["shown"] == {key: count for key, _, count in submitted["counts"]}["submitted"]
    first = client.get(url, {"sort": "action"}).context["rows"]
    assert first[0]["status"] == "submitted"
    assert first[0]["link"] == reverse("emulation:registration", args=[first[0]["registration_id"]])
    # A draft stays the unit's: no link from the office's list.
    assert all(not row["link"] for row in client.get(url, {"status": "draft"}).context["rows"])


def test_the_assessments_link_only_what_the_office_may_open(people, client):
    grow_to(60)
    client.force_login(people["office"])
    rows = client.get(reverse("emulation:assessments", args=[YEAR])).context["rows"]
    for row in rows:
        assert bool(row["link"]) == (row["status"] in ("submitted", "returned", "confirmed")), row
