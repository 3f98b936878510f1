"""The demo's imported history: the demo units' reports of 2022–2024, brought in through the office's import."""

import pytest

from demo.data import load_demo
from demo.history import load_history
from reports.models import HistoryImport, UnitReport
from reports.services.compile import gather
from tests.shared_data import built_once

pytestmark = pytest.mark.django_db

DEMO_UNITS = {"HCTH", "KHTC", "QLKH", "QLCN", "CDS", "TDC", "TTUD"}


@pytest.fixture(scope="module")
def imported(django_db_setup, django_db_blocker, tmp_path_factory):
    def build():
        load_demo()
        return load_history()

    with built_once(django_db_blocker, build, MEDIA_ROOT=tmp_path_factory.mktemp("demo-history")) as labels:
        yield labels


def test_the_periods_before_the_portal_are_imported_as_accepted_history_with_their_source(imported):
    assert imported == [
        "6 tháng đầu năm 2022",
        "Năm 2022",
        "6 tháng đầu năm 2023",
        "Năm 2023",
        "6 tháng đầu năm 2024",
        "Năm 2024",
    ]
    for batch in HistoryImport.objects.select_related("period"):
        reports = UnitReport.objects.filter(period=batch.period)
        assert {report.unit.code for report in reports.select_related("unit")} == DEMO_UNITS
        assert set(reports.values_list("status", "history_import")) == {(UnitReport.Status.ACCEPTED, batch.pk)}
        with batch.source.open("rb") as source:
            assert source.read(2) == b"PK"


def test_the_2023_consolidation_gathers_them(imported):
    snapshot = gather(UnitReport.objects.filter(period__code="2023-FY").first().period)

    assert len(snapshot["accepted_units"]) == 7
    disbursement = next(item for item in snapshot["indicators"] if item["code"] == "disbursement-rate")
    # demo/data.py's investing units in 2023 (rate 0,935 − 3 × 0,012 − unit index mod 3 %, floored to the million):
    # KHTC 15.000.000.000 × 0,889 = 13.335.000.000; TDC 4.200.000.000 × 0,879 → 3.691.000.000;
    # TTUD 8.500.000.000 × 0,899 → 7.641.000.000; 24.667.000.000 ÷ 27.700.000.000 = 89,05%.
    assert disbursement["department"]["values"] == {"planned": "27700000000", "disbursed": "24667000000"}
    assert disbursement["department"]["value"] == "89.05"


def test_a_second_run_imports_nothing(imported):
    assert load_history() == []
    assert HistoryImport.objects.count() == 6


def test_the_phase_review_gives_every_year_of_the_phase(imported):
    phase = UnitReport.objects.filter(period__code="2022-2025").first().period

    years = gather(phase)["added_sections"]["phase_years"]["years"]

    # 2022–2024 imported for the seven demo units, 2025 reported in the portal.
    assert [(year["label"], year["units"], year["imported"]) for year in years] == [
        ("Năm 2022", 7, 7),
        ("Năm 2023", 7, 7),
        ("Năm 2024", 7, 7),
        ("Năm 2025", 7, 0),
    ]
