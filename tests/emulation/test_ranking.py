"""Ranking: ties broken by each rule of the scheme in order and shown; equal after every rule → the same place;
the phase's ranking over the confirmed years, naming the missing ones; the ranking page's queries pinned."""

import datetime
from decimal import Decimal

import pytest

from campaign.models import Phase
from emulation.models import EmulationYear, SchemeItem, ScoreLine, ScoringScheme, UnitScore
from emulation.selectors.scoring import UNBROKEN, Ranked, phase_ranking, rank, scheme_ranking
from tests import factories
from tests.query_budget import PAGE, WAITING_LEADERSHIP
from tests.shared_data import built_once

LABELS = dict(ScoringScheme.TieBreak.choices)


def entry(name, total, *, on_time=0, deductions="0", items=(), order=1):
    return Ranked(
        unit_id=hash(name),
        unit_name=name,
        sort_order=order,
        total=Decimal(total),
        on_time=on_time,
        deductions=Decimal(deductions),
        items=tuple(Decimal(points) for points in items),
    )


def places(rows):
    return [(row.unit_name, row.place) for row in rows]


def test_highest_total_first():
    rows = rank([entry("B", "70"), entry("A", "80.5"), entry("C", "60")], [])
    assert places(rows) == [("A", 1), ("B", 2), ("C", 3)]
    assert [row.tie_rule for row in rows] == ["", "", ""]


def test_a_tie_broken_by_the_report_on_time():
    rows = rank([entry("Muộn", "80", order=1), entry("Đúng hạn", "80", on_time=1, order=2)], ["on_time", "unit_order"])
    assert places(rows) == [("Đúng hạn", 1), ("Muộn", 2)]
    assert rows[1].tie_rule == LABELS["on_time"]


def test_a_tie_broken_by_fewer_deductions_when_the_first_rule_leaves_it():
    rows = rank(
        [entry("Trừ 3", "80", deductions="3", on_time=1), entry("Trừ 1", "80", deductions="1", on_time=1)],
        ["on_time", "fewer_deductions"],
    )
    assert places(rows) == [("Trừ 1", 1), ("Trừ 3", 2)]
    assert rows[0].tie_rule == rows[1].tie_rule == LABELS["fewer_deductions"]


def test_a_tie_broken_by_the_items_in_the_schemes_order():
    rows = rank(
        [entry("Sau", "80", items=("20", "10", "50")), entry("Trước", "80", items=("20", "15", "45"))],
        ["items_in_order"],
    )
    assert places(rows) == [("Trước", 1), ("Sau", 2)]
    assert rows[1].tie_rule == LABELS["items_in_order"]


def test_a_tie_broken_by_the_units_order():
    rows = rank([entry("Thứ 5", "80", order=5), entry("Thứ 2", "80", order=2)], ["fewer_deductions", "unit_order"])
    assert places(rows) == [("Thứ 2", 1), ("Thứ 5", 2)]
    assert rows[0].tie_rule == LABELS["unit_order"]


def test_a_tie_no_rule_breaks_shares_the_place_and_the_next_skips_it():
    rows = rank(
        [entry("A", "90"), entry("B", "80", order=2), entry("C", "80", order=3), entry("D", "70")],
        ["on_time", "fewer_deductions"],
    )
    assert places(rows) == [("A", 1), ("B", 2), ("C", 2), ("D", 4)]
    assert rows[1].tie_rule == rows[2].tie_rule == UNBROKEN


# --- From the database ---------------------------------------------------------------------------------------


def _scheme(year, kind, *, status="confirmed", tie_break=("on_time", "items_in_order", "unit_order")):
    scheme = ScoringScheme.objects.create(
        year=year, kind=kind, name=f"Bảng điểm {kind} {year.year}", status=status, tie_break=list(tie_break)
    )
    first = SchemeItem.objects.create(scheme=scheme, label="Mục 1", basis="office", max_points=50, sort_order=1)
    second = SchemeItem.objects.create(scheme=scheme, label="Mục 2", basis="office", max_points=50, sort_order=2)
    return scheme, first, second


def _score(scheme, items, unit, first, second, *, on_time=True):
    score = UnitScore.objects.create(
        scheme=scheme,
        unit=unit,
        unit_name=unit.name,
        total=Decimal(first) + Decimal(second),
        self_total=Decimal(first) + Decimal(second),
        on_time=on_time,
    )
    ScoreLine.objects.bulk_create(
        [
            ScoreLine(score=score, item=items[0], self_points=Decimal(first)),
            ScoreLine(score=score, item=items[1], self_points=Decimal(second)),
        ]
    )
    return score


def build():
    reviewer = factories.office_reviewer()
    leader = factories.director()
    campaign = Phase.objects.get(number=1).campaign
    units = [factories.UnitFactory(code=f"XH{n}", name=f"Phòng xếp hạng {n}", sort_order=100 + n) for n in range(4)]
    schemes = {}
    for year_number, points in (
        (2024, [(40, 40), (30, 50), (30, 30), (20, 20)]),
        (2025, [(45, 40), (40, 40), (30, 30)]),
    ):
        year = EmulationYear.objects.create(
            campaign=campaign, year=year_number, plan_date=datetime.date(year_number, 1, 5), created_by=reviewer
        )
        scheme, *items = _scheme(year, "annual")
        for unit, (first, second) in zip(units, points, strict=False):
            _score(scheme, items, unit, first, second)
        schemes[year_number] = scheme
        # A campaign scheme of the year too, never summed with the annual ones.
        campaign_scheme, *campaign_items = _scheme(year, "campaign")
        _score(campaign_scheme, campaign_items, units[3], 50, 50)
    return {"units": [unit.pk for unit in units], "schemes": {y: s.pk for y, s in schemes.items()}, "leader": leader}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, build) as built:
        yield built


def test_the_years_ranking_breaks_its_tie_by_the_first_item(world, db):
    rows = scheme_ranking(ScoringScheme.objects.get(pk=world["schemes"][2024]))
    assert [(row.unit_name, row.total, row.place) for row in rows] == [
        ("Phòng xếp hạng 0", Decimal("80.00"), 1),
        ("Phòng xếp hạng 1", Decimal("80.00"), 2),
        ("Phòng xếp hạng 2", Decimal("60.00"), 3),
        ("Phòng xếp hạng 3", Decimal("40.00"), 4),
    ]
    assert rows[0].tie_rule == rows[1].tie_rule == LABELS["items_in_order"]


def test_the_phase_sums_the_confirmed_years_of_one_kind_and_names_the_missing(world, db):
    result = phase_ranking(Phase.objects.get(number=1), "annual")
    assert result.years == [2024, 2025]
    assert result.missing == [2022, 2023]
    assert [(row.unit_name, row.total, row.place) for row in result.rows] == [
        ("Phòng xếp hạng 0", Decimal("165.00"), 1),
        ("Phòng xếp hạng 1", Decimal("160.00"), 2),
        ("Phòng xếp hạng 2", Decimal("120.00"), 3),
        ("Phòng xếp hạng 3", Decimal("40.00"), 4),
    ]
    assert result.rows[3].years == {2024: Decimal("40.00")}
    campaign = phase_ranking(Phase.objects.get(number=1), "campaign")
    assert [(row.unit_name, row.total) for row in campaign.rows] == [("Phòng xếp hạng 3", Decimal("200.00"))]


def test_a_year_not_yet_confirmed_is_left_out_of_the_phase(world, db):
    ScoringScheme.objects.filter(pk=world["schemes"][2025]).update(status="reviewed")
    result = phase_ranking(Phase.objects.get(number=1), "annual")
    assert result.missing == [2022, 2023, 2025]
    assert result.rows[0].total == Decimal("80.00")


def _more_units(count, scheme):
    items = list(scheme.items.all())
    for n in range(count):
        unit = factories.UnitFactory(code=f"TH{n}", name=f"Phòng thêm {n}", sort_order=200 + n)
        _score(scheme, items, unit, 10, n)


# Every page's queries (tests/query_budget.py: the xlsx download has no menu, so no waiting list), then its own.
PAGES = {
    "ranking": ("/thi-dua/2025/xep-hang/?loai=annual", PAGE + WAITING_LEADERSHIP + 4),
    "ranking_xlsx": ("/thi-dua/2025/xep-hang/xlsx/?loai=annual", PAGE + 2),
    "phase": ("/thi-dua/giai-doan/1/xep-hang/?loai=annual", PAGE + WAITING_LEADERSHIP + 4),
    "scheme": ("/thi-dua/cham-diem/{scheme}/", PAGE + WAITING_LEADERSHIP + 6),
    "list": ("/thi-dua/2025/cham-diem/", PAGE + WAITING_LEADERSHIP + 2),
    "score": ("/thi-dua/diem/{score}/", PAGE + WAITING_LEADERSHIP + 14),
}


@pytest.mark.parametrize("page", list(PAGES))
def test_pages_run_the_same_queries_whatever_the_number_of_units(world, db, client, django_assert_num_queries, page):
    client.force_login(world["leader"])
    scheme = ScoringScheme.objects.get(pk=world["schemes"][2025])
    path, expected = PAGES[page]
    path = path.format(scheme=scheme.pk, score=scheme.scores.get(unit_id=world["units"][0]).pk)
    with django_assert_num_queries(expected):
        assert client.get(path).status_code == 200
    _more_units(12, scheme)
    with django_assert_num_queries(expected):
        assert client.get(path).status_code == 200


def test_the_annual_consolidated_report_holds_the_confirmed_rankings_each_kind_apart(world, db):
    # Imported here: the section's builder is this test's only use of it.
    from campaign.models import ReportingPeriod
    from emulation.documents.ranking import ranking_part
    from emulation.selectors.scoring import consolidated_ranking

    assert consolidated_ranking(ReportingPeriod.objects.get(code="2025-H1")) is None
    value = consolidated_ranking(ReportingPeriod.objects.get(code="2025-FY"))
    annual, campaign = value["schemes"]
    assert (annual["kind"], campaign["kind"]) == ("annual", "campaign")
    assert annual["rows"][0][:3] == [1, "Phòng xếp hạng 0", "85.00"]
    assert campaign["rows"] == [[1, "Phòng xếp hạng 3", "100.00", ""]]
    part = ranking_part(value, None)
    assert "xếp thứ nhất: Phòng xếp hạng 0 (85 điểm)" in part.body[0].paragraphs[0]
    assert [table.sheet_name for table in part.annex_tables] == [
        "Xếp hạng thi đua hằng năm",
        "Xếp hạng thi đua chuyên đề",
    ]
