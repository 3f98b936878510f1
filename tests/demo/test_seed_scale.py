"""seed_scale: synthetic units with accepted reports for the benchmarks, written in bulk and only once."""

from decimal import Decimal

import pytest
from django.core.management import CommandError, call_command

from campaign.models import ReportingPeriod
from demo.scale import seed_scale
from reports.models import CriterionResult, ReportSection, ReportTransition, UnitReport
from reports.services.compile import gather
from units.models import Unit, User

PERIOD = "2025-FY"


def counts():
    return {
        "units": Unit.objects.filter(code__startswith="SCALE").count(),
        "users": User.objects.count(),
        "reports": UnitReport.objects.count(),
        "results": CriterionResult.objects.count(),
        "sections": ReportSection.objects.count(),
        "transitions": ReportTransition.objects.count(),
    }


@pytest.mark.django_db
def test_seeds_accepted_reports_once_and_the_snapshot_covers_the_units():
    summary = seed_scale(units=3, period_codes=[PERIOD])
    created = counts()
    assert (summary.units_created, summary.reports_created) == (3, 3)
    assert created["units"] == 3
    assert created["reports"] == 3
    # None of SCALE0001-3 invests (every fifth does): the 10 criteria that apply to every unit, 4 sections.
    assert created["results"] == summary.results_created == 30
    assert created["sections"] == summary.sections_created == 12
    assert created["transitions"] == summary.transitions_created == 9

    reports = UnitReport.objects.filter(unit__code__startswith="SCALE").select_related("unit")
    assert {report.status for report in reports} == {UnitReport.Status.ACCEPTED}
    assert all(report.unit.is_sample for report in reports)
    assert all(report.submitted_at <= report.accepted_at for report in reports)
    result = CriterionResult.objects.filter(activities__gt="").first()
    assert len(result.activities.split("\n")) >= 2  # a few paragraphs
    assert "công chức" in result.activities or "đơn vị" in result.activities or "Sở" in result.activities
    actions = list(ReportTransition.objects.filter(report=reports[0]).values_list("action", flat=True))
    assert actions == ["create", "submit", "accept"]

    again = seed_scale(units=3, period_codes=[PERIOD])
    assert (again.units_created, again.reports_created, again.results_created) == (0, 0, 0)
    assert again.reports_existing == 3
    assert counts() == created

    snapshot = gather(ReportingPeriod.objects.get(code=PERIOD))
    names = set(Unit.objects.filter(code__startswith="SCALE").values_list("name", flat=True))
    assert set(snapshot["accepted_units"]) == names
    assert not names & set(snapshot["office_only"]["missing"])
    share = next(item for item in snapshot["indicators"] if item["code"] == "recurrent-spending-share")
    assert {row["unit"] for row in share["rows"]} == names
    recurrent = sum(Decimal(row["values"]["recurrent"]) for row in share["rows"])
    total = sum(Decimal(row["values"]["total"]) for row in share["rows"])
    assert Decimal(share["department"]["value"]) == (recurrent * 100 / total).quantize(Decimal("0.01"))


@pytest.mark.django_db
def test_a_larger_run_adds_only_the_missing_units():
    seed_scale(units=2, period_codes=[PERIOD])
    summary = seed_scale(units=5, period_codes=[PERIOD])
    assert (summary.units_created, summary.units_existing) == (3, 2)
    assert (summary.reports_created, summary.reports_existing) == (3, 2)
    assert UnitReport.objects.count() == 5
    # SCALE0005 holds investment projects: the disbursement criterion applies to it, with its figures.
    investing = CriterionResult.objects.get(report__unit__code="SCALE0005", criterion__plan_key="criterion-III.1.1.5")
    assert investing.not_applicable_reason or set(investing.quantities) == {"planned", "disbursed"}


@pytest.mark.django_db
def test_the_command_refuses_with_debug_off_unless_forced(settings, capsys):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="--force"):
        call_command("seed_scale", units=2, periods=PERIOD)
    assert counts()["reports"] == 0
    call_command("seed_scale", units=2, periods=PERIOD, force=True)
    assert UnitReport.objects.filter(period__code=PERIOD).count() == 2
    assert "tạo 2" in capsys.readouterr().out


@pytest.mark.django_db
def test_the_command_names_an_unknown_period(settings):
    settings.DEBUG = True
    with pytest.raises(CommandError, match="2099-XX"):
        call_command("seed_scale", units=1, periods="2099-XX")
