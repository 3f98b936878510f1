"""load_demo's unit reports: accepted ones for the past periods, a mix for the open one, and idempotence."""

import datetime
from decimal import Decimal

import pytest
from django.utils import timezone

from campaign.models import CriterionApplicability, Indicator, ReportingPeriod
from demo.data import load_demo
from notifications.models import Notification
from reports import selectors, services
from reports.models import CriterionResult, ReportTransition, ReviewComment, UnitReport
from tests.demo.story import TODAY
from tests.shared_data import built_once
from units.models import User

pytestmark = pytest.mark.django_db

PAST_PERIODS = {"2025-H1", "2025-FY", "2022-2025", "2026-H1"}
OPEN_PERIOD = "2026-FY"
DEMO_UNITS = {"HCTH", "KHTC", "QLKH", "QLCN", "CDS", "TDC", "TTUD"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo, loaded once for this module (tests/shared_data.py): each test rolls back to it."""
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: TODAY)
        media = tmp_path_factory.mktemp("demo-reports")
        with built_once(django_db_blocker, load_demo, MEDIA_ROOT=media) as summary:
            yield summary


def _reports(period_code):
    return UnitReport.objects.filter(period__code=period_code).select_related("unit", "period")


def _row_counts():
    models = (UnitReport, CriterionResult, ReportTransition, ReviewComment, Notification, CriterionApplicability)
    return {model.__name__: model.objects.count() for model in models}


def test_every_unit_has_an_accepted_on_time_report_for_every_past_period(demo):
    for code in PAST_PERIODS:
        reports = list(_reports(code))
        assert {report.unit.code for report in reports} == DEMO_UNITS, code
        for report in reports:
            assert report.status == UnitReport.Status.ACCEPTED
            assert not report.is_late
            assert timezone.localdate(report.submitted_at) < report.period.unit_due_date
            assert report.accepted_at > report.submitted_at


def test_past_reports_history_is_back_dated_in_order(demo):
    report = UnitReport.objects.get(unit__code="QLKH", period__code="2025-H1")

    actions = [(transition.action, transition.at) for transition in report.transitions.all()]

    assert [action for action, _ in actions] == ["create", "submit", "open_review", "accept"]
    assert [at for _, at in actions] == sorted(at for _, at in actions)
    assert actions[-1][1] < TODAY - datetime.timedelta(days=300)


def test_open_period_has_one_report_of_each_state(demo):
    period = ReportingPeriod.objects.get(code=OPEN_PERIOD)

    _, counts, late = selectors.status_matrix(period)

    assert counts == {"not_started": 2, "draft": 2, "submitted": 1, "returned": 1, "accepted": 1}
    assert late == 0
    assert not UnitReport.objects.filter(period=period, unit__code="QLCN").exists()


def test_returned_report_carries_its_reason_and_a_criterion_comment(demo):
    report = UnitReport.objects.get(period__code=OPEN_PERIOD, status=UnitReport.Status.RETURNED)

    returned = report.transitions.get(action=ReportTransition.Action.RETURN)

    assert "III.1.1.2" in returned.comment
    assert report.comments.get().result.criterion_code == "III.1.1.2"


def test_open_period_drafts_start_from_the_previous_annual_report(demo):
    draft = UnitReport.objects.get(period__code=OPEN_PERIOD, unit__code="TDC")

    assert draft.status == UnitReport.Status.DRAFT
    assert draft.prefilled_from.period.code == "2025-FY"
    first, *rest = draft.results.all()
    assert "năm 2026" in first.activities
    assert any("năm 2025" in result.activities for result in rest)


def test_disbursement_applies_to_units_with_investment_projects(demo):
    results = CriterionResult.objects.filter(
        criterion__plan_key="criterion-III.1.1.5", report__period__code="2025-FY"
    ).select_related("report__unit")

    assert {result.report.unit.code for result in results} == {"KHTC", "TTUD", "TDC"}
    for result in results:
        planned, disbursed = Decimal(result.quantities["planned"]), Decimal(result.quantities["disbursed"])
        assert 0 < disbursed <= planned


def test_recurrent_spending_share_falls_over_the_years(demo):
    indicator = Indicator.objects.get(code="recurrent-spending-share")
    shares = [
        indicator.compute(
            CriterionResult.objects.get(
                criterion=indicator.criterion, report__unit__code="KHTC", report__period__code=code
            ).quantities
        )
        for code in ("2025-H1", "2025-FY", "2026-H1", "2026-FY")
    ]

    assert shares == sorted(shares, reverse=True)
    assert len(set(shares)) == 4


def test_past_notifications_are_read_and_none_is_e_mailed(demo):
    assert not Notification.objects.filter(emailed_at__isnull=True).exists()
    unread = Notification.objects.filter(read_at__isnull=True)
    assert unread.exists()
    assert all("Năm 2026" in notification.message for notification in unread)


def test_second_run_creates_nothing(demo):
    counts = _row_counts()

    summary = load_demo()

    assert summary.reports_created == []
    assert _row_counts() == counts


def test_second_run_leaves_a_report_started_since_alone(demo):
    staff = User.objects.get(username="canbo.qlcn")
    report = services.report_start(unit=staff.unit, period=ReportingPeriod.objects.get(code=OPEN_PERIOD), actor=staff)

    load_demo()

    report.refresh_from_db()
    assert report.status == UnitReport.Status.DRAFT
    assert UnitReport.objects.filter(period__code=OPEN_PERIOD).count() == 6


def test_every_quote_of_the_demo_s_consolidated_reports_is_its_source_or_a_whole_sentence_prefix(demo):
    from reports.models import ReportSection
    from reports.services.compile import first_sections, gather, outline_for
    from reports.services.synthesis import flatten, sentences

    for code in ("2026-H1", "2025-FY"):
        period = ReportingPeriod.objects.get(code=code)
        snapshot = gather(period)
        activities = {
            (result.report.unit_name, result.criterion.text): result.activities
            for result in CriterionResult.objects.filter(report__period=period).select_related("report", "criterion")
        }
        quoted = [(criterion["text"], entry) for criterion in snapshot["criteria"] for entry in criterion["quotes"]]
        assert quoted, code
        for criterion_text, entry in quoted:
            source = flatten(activities[(entry["unit"], criterion_text)])
            whole = sentences(source)
            prefixes = {" ".join(whole[:count]) for count in range(1, len(whole) + 1)}
            assert entry["text"] in prefixes, entry  # the whole text, or its first sentences: never a cut
        # Every example under a theme is one whole sentence of what some unit wrote.
        written = {
            sentence
            for section in ReportSection.objects.filter(report__period=period).exclude(key="recommendations")
            for sentence in sentences(section.text)
        }
        for narrative in snapshot["narratives"].values():
            for theme in narrative["themes"]:
                assert all(example["text"] in written for example in theme["examples"])
        sections = first_sections(snapshot, outline_for(period)[0])
        assert all("…" not in section["text"] for section in sections)
