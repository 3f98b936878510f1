"""`manage.py load_demo` run once for the module, as on a developer's machine (DEBUG on): the command's run, then
what it loads. The awards: the council, the register's history, last year's finished round with its documents, and
this year's round with a nomination in every state; built once, never twice. The imported history: the demo units'
reports of 2022–2024, brought in through the office's import."""

import datetime
from io import StringIO
from types import SimpleNamespace

import pytest
from django.core.management import call_command
from django.utils import timezone

from awards.models import (
    AwardDocument,
    AwardRecord,
    AwardRound,
    CouncilMeeting,
    CouncilMember,
    Nomination,
    NominationTransition,
    RegisterImport,
)
from awards.selectors import nominations_under_notice
from awards.services import documents, eligibility, overrides, rules
from demo.data import load_demo
from demo.emulation import load_emulation
from demo.history import load_history
from documents import stored
from notifications.models import Notification
from reports.models import ConsolidatedReport, HistoryImport, UnitReport
from reports.services.compile import gather
from tests.demo.story import TODAY
from tests.demo.test_demo import EXPECTED_ACCOUNTS
from tests.pdf_text import pdf_text
from tests.shared_data import built_once
from units.models import User

pytestmark = pytest.mark.django_db

Status = Nomination.Status
DEMO_UNITS = {"HCTH", "KHTC", "QLKH", "QLCN", "CDS", "TDC", "TTUD"}


@pytest.fixture(scope="module")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """`manage.py load_demo` with DEBUG on, run once for this module (tests/shared_data.py): each test rolls back to
    what it loaded. The value holds the command's output, the last notification its load_demo made (before the
    emulation years') and what its load_history returned."""
    run = SimpleNamespace(output=StringIO(), last_demo_notification=None, history=None)

    def emulation():
        run.last_demo_notification = Notification.objects.order_by("pk").last()
        return load_emulation()

    def history():
        run.history = load_history()
        return run.history

    def build():
        with pytest.MonkeyPatch.context() as spy:
            spy.setattr("demo.management.commands.load_demo.load_emulation", emulation)
            spy.setattr("demo.management.commands.load_demo.load_history", history)
            call_command("load_demo", stdout=run.output)
        return run

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(timezone, "now", lambda: TODAY)
        media = tmp_path_factory.mktemp("demo-command")
        with built_once(django_db_blocker, build, DEBUG=True, MEDIA_ROOT=media):
            yield run


@pytest.fixture
def imported(demo):
    """The labels of the history periods the command's load_history imported."""
    return demo.history


def test_command_runs_when_debug_is_on(demo):
    assert User.objects.filter(username__in=EXPECTED_ACCOUNTS).count() == len(EXPECTED_ACCOUNTS)
    assert "Đã nạp xong dữ liệu trình diễn" in demo.output.getvalue()


def _this_year():
    return AwardRound.objects.get(year=2026)


def _pdf_text(field):
    with field.open("rb") as handle:
        content = handle.read()
    return pdf_text(content)


def test_this_years_round_is_open_with_its_notice_running_and_a_nomination_in_every_state(demo):
    award_round = _this_year()

    states = set(award_round.nominations.values_list("status", flat=True))

    assert award_round.status == AwardRound.Status.OPEN
    assert award_round.notice_runs_on(TODAY.date())
    assert states == set(Status.values) - {Status.WITHDRAWN}
    assert nominations_under_notice()  # the recommended and approved ones are public


def test_the_returned_and_rejected_nominations_carry_their_reasons(demo):
    returned = Nomination.objects.get(round__year=2026, status=Status.RETURNED)
    rejected = Nomination.objects.get(round__year=2026, status=Status.REJECTED)

    assert "chữ ký" in returned.transitions.get(action="return").comment
    assert rejected.rejection_reason


def test_the_council_has_its_roles_and_this_years_meetings(demo):
    roles = dict(CouncilMember.objects.filter(is_active=True).values_list("user__username", "role"))
    meetings = {meeting.status: meeting for meeting in CouncilMeeting.objects.filter(round=_this_year())}

    assert roles["giamdoc"] == "chair"
    assert roles["phogiamdoc"] == "vice_chair"
    assert roles["vanphong"] == "secretary"
    assert set(meetings) == {CouncilMeeting.Status.CLOSED, CouncilMeeting.Status.PLANNED}
    closed = meetings[CouncilMeeting.Status.CLOSED]
    assert closed.voting == CouncilMeeting.Voting.PAPER
    assert all(item.agree is not None for item in closed.agenda.all())
    # Its minutes were handed to the render job (run once the demo is committed); run here, they read right.
    assert closed.minutes.render_status == AwardDocument.RenderStatus.QUEUED
    minutes = documents.render(document_id=closed.minutes.pk)
    assert minutes.render_status == AwardDocument.RenderStatus.READY
    assert "BIÊN BẢN" in _pdf_text(minutes.pdf).upper()
    assert meetings[CouncilMeeting.Status.PLANNED].agenda.count() == 3  # two people and their collective


def test_last_years_round_is_finished_with_an_issued_decision_and_an_answered_proposal(demo):
    last_year = AwardRound.objects.get(year=2025)
    decision = last_year.documents.get(kind=AwardDocument.Kind.DECISION)
    proposal = last_year.documents.get(kind=AwardDocument.Kind.PROPOSAL)
    number = f"{decision.register_entry.number:02d}/QĐ-SKHCN"
    decision = documents.render(document_id=decision.pk)  # the render job's run, as after the demo's commit

    assert last_year.status == AwardRound.Status.FINISHED
    assert decision.status == AwardDocument.Status.ISSUED
    assert decision.register_entry.issued_on == datetime.date(2026, 1, 20)
    assert number in _pdf_text(decision.pdf)
    assert "Lê Thị Thanh Tâm" in _pdf_text(decision.pdf)
    assert proposal.status == AwardDocument.Status.ANSWERED
    # Tập thể lao động xuất sắc is the Chairman's: the proposal asks the Chairman, through Sở Nội vụ.
    assert proposal.recipient == "Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)"
    assert set(last_year.nominations.values_list("status", flat=True)) == {Status.CONFERRED}


def test_the_register_has_an_imported_history_that_eligibility_finds(demo):
    imported = AwardRecord.objects.filter(source=AwardRecord.Source.IMPORTED)
    forwarded = Nomination.objects.get(round__year=2026, status=Status.FORWARDED)

    assert RegisterImport.objects.get().rows_created == imported.count() > 10
    assert set(imported.values_list("year", flat=True)) == {2022, 2023, 2024}
    assert imported.filter(person__isnull=False).count() == imported.filter(recipient_kind="individual").count()
    assert forwarded.form.code == "bang-khen-chu-tich-ubnd-tinh"
    # Her Chiến sĩ thi đua cơ sở: 2024 in the imported history, last year's from the Department's decision.
    held = AwardRecord.objects.filter(person=forwarded.person, form__code="chien-si-thi-dua-co-so")
    assert sorted(held.values_list("year", flat=True)) == [2024, 2025]


def test_the_provincial_title_is_refused_for_the_missing_year_with_its_article(demo):
    """Three Chiến sĩ thi đua cơ sở in a row up to 2026 are asked for; she holds 2024 and 2025: sent before the rules
    were corrected, it is listed for the office, and it could not be sent again."""
    draft = Nomination.objects.get(round__year=2026, form__code="chien-si-thi-dua-cap-tinh", status=Status.SUBMITTED)
    assert draft.pk in [nomination.pk for nomination, _, _ in overrides.failing_in_pipeline()]
    results = {result.rule.kind: result for result in rules.evaluate_one(draft)}

    streak = results["title_streak"]
    assert streak.status == rules.FAILED
    assert "2024, 2025" in streak.message  # the years she holds, named
    assert "03 lần liên tục" in streak.message
    assert streak.rule.article.startswith("Luật Thi đua, khen thưởng 2022")
    assert results["initiative"].status == rules.FAILED  # a base-scope initiative only
    assert any(problem.blocking and streak.rule.article in problem.message for problem in eligibility.check(draft))


def test_demo_notifications_are_never_e_mailed(demo):
    # Every one the command made: load_demo's (the units' reports, the awards, the issued reports) and the emulation
    # years' after them (the scores confirmed among them).
    made = Notification.objects.all()
    assert made.filter(pk__lte=demo.last_demo_notification.pk).exists()
    assert made.filter(pk__gt=demo.last_demo_notification.pk).exists()
    assert not made.filter(emailed_at__isnull=True).exists()


def test_running_again_adds_no_awards(demo, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    models = (AwardRound, Nomination, NominationTransition, AwardRecord, ConsolidatedReport)
    counts = [model.objects.count() for model in models]

    summary = load_demo(awards=True, issued=True)

    assert [model.objects.count() for model in models] == counts
    assert summary.awards_created == []
    assert summary.consolidated_issued == []


def test_the_department_issued_a_half_year_report_signed_by_the_director_and_an_annual_one_by_a_deputy(demo):
    issued = {
        report.period.code: report
        for report in ConsolidatedReport.objects.select_related("period", "register_entry").filter(
            status=ConsolidatedReport.Status.ISSUED
        )
    }
    assert set(issued) == {"2026-H1", "2025-FY"}
    assert (issued["2026-H1"].signer_name, issued["2026-H1"].signer_is_deputy) == ("Trần Minh Quang", False)
    assert (issued["2025-FY"].signer_name, issued["2025-FY"].signer_is_deputy) == ("Lê Thị Hồng Nhung", True)
    assert sorted(report.register_entry.number for report in issued.values()) == [1, 2]
    # Their files are asked of the job (made after the load's commit, as every other document's).
    for report in issued.values():
        assert stored.stored_files(report) is not None


def test_every_meetings_minutes_are_issued_with_their_number_after_the_meeting(demo):
    for meeting in CouncilMeeting.objects.filter(status=CouncilMeeting.Status.CLOSED).select_related("minutes"):
        minutes = meeting.minutes
        assert minutes.status == AwardDocument.Status.ISSUED
        assert minutes.register_entry.type_code == "BB"
        assert minutes.register_entry.issued_on >= timezone.localdate(meeting.scheduled_at)


# The imported history.


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
