"""Every hand-over between people tells its receivers: one notification each, e-mailed after commit, none on rollback.

The moves are collected from every model's StateMachine (`WORKFLOW`), so a move added without a decision here fails
`test_every_move_has_a_decision`. A move is either a hand-over, run through its service on the demo's data by
a scenario of `SCENARIOS` with its receivers written by hand (usernames of the demo), or listed in `NOT_HANDOVERS`
with the reason nobody else has to act.
"""

import datetime
from collections import Counter
from unittest import mock

import pytest
from django.apps import apps
from django.core import mail
from django.db import transaction
from django.utils import timezone

from awards.models import AgendaItem, AwardDocument, AwardRound, CouncilMeeting, Nomination, RoundForm
from awards.services import council, nominations, outcomes, rounds
from awards.services import documents as award_documents
from campaign.models import AssessmentLevel, ReportingPeriod
from demo.data import load_demo
from demo.emulation import load_emulation
from emulation.models import Assessment, DepartmentRegistration, Registration, ScoringScheme
from emulation.services import assessment, department, registration, scoring
from notifications.models import Notification
from reports.models import ConsolidatedReport, UnitReport
from reports.services import consolidation
from reports.services import workflow as report_workflow
from tests.conftest import renders_left_queued
from tests.reports.conftest import complete
from tests.shared_data import built_once
from units.models import User
from workflow.transitions import StateMachine

OFFICE = ("vanphong", "truongphong.hcth")  # the office's reviewers
LEADERSHIP = ("giamdoc", "phogiamdoc")
UNIT_HEADS = (
    "truongphong.qlkh",
    "truongphong.khtc",
    "truongphong.cds",
    "truongphong.hcth",
    "truongphong.ttud",
    "truongphong.tdc",
    "truongphong.qlcn",
)

NOT_HANDOVERS = {
    ("reports.UnitReport", "withdraw"): "the unit takes its own report back; nobody else has anything to do",
    ("reports.UnitReport", "open_review"): "the reviewer's own first action; the report stays with them",
    ("reports.ConsolidatedReport", "issue"): "the office records the number of what leadership approved: done",
    ("reports.ConsolidatedReport", "supersede"): "the office recompiles its own draft; the new one is sent again",
    ("awards.AwardRound", "close"): "the office stops taking dossiers; the units' dossiers were already told",
    ("awards.AwardRound", "finish"): "the office closes the round once everything is decided",
    ("emulation.DepartmentRegistration", "issue"): "the office numbers what leadership approved: done",
}


def all_moves():
    """(model label, action) of every move of every StateMachine declared beside a model."""
    moves = set()
    for model in apps.get_models():
        machine = model.__dict__.get("WORKFLOW")
        if isinstance(machine, StateMachine):
            moves |= {(model._meta.label, action) for action in machine.moves}
    return moves


# --- The demo, loaded once for the module -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    def build():
        with renders_left_queued(), mock.patch.object(award_documents.RENDER_JOB, "enqueue", return_value=False):
            load_demo(awards=True)
            load_emulation()

    with built_once(django_db_blocker, build, MEDIA_ROOT=tmp_path_factory.mktemp("handover-files")):
        yield


@pytest.fixture
def world(demo_world, db):
    with mock.patch.object(award_documents.RENDER_JOB, "enqueue", return_value=False):
        yield


def user(username):
    return User.objects.get(username=username)


class Rollback(Exception):
    pass


def rolled_back(run):
    """`run()` in a transaction that is then rolled back."""
    with transaction.atomic():
        run()
        raise Rollback


def check_handover(capture, run, receivers):
    """`run()` inside a transaction rolled back tells nobody; run for real, it tells each receiver once (a Counter
    of usernames: a person told of two nominations at once gets two), by e-mail after commit."""
    last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with capture(execute=False) as callbacks, pytest.raises(Rollback):
        rolled_back(run)
    assert (callbacks, Notification.objects.filter(pk__gt=last).exists()) == ([], False)

    mail.outbox.clear()
    with capture(execute=True):
        run()
    told = Notification.objects.filter(pk__gt=last).select_related("recipient")
    assert Counter(notification.recipient.username for notification in told) == Counter(receivers)
    emailed = Counter(message.to[0] for message in mail.outbox)
    assert emailed == Counter(
        {user(name).email: count for name, count in Counter(receivers).items() if user(name).email}
    )
    assert emailed, "the receivers have addresses: the e-mails went out after commit"


# --- The scenarios: each runs one or more moves through their services --------------------------------------------


def report_of(unit_code, status):
    return UnitReport.objects.get(unit__code=unit_code, period__code="2026-FY", status=status)


def unit_report_submit(capture):
    report = report_of("TDC", UnitReport.Status.DRAFT)
    complete(report, user("canbo.tdc"), {level.code: level for level in AssessmentLevel.objects.all()})
    check_handover(capture, lambda: report_workflow.report_submit(report=report, actor=user("truongphong.tdc")), OFFICE)


def unit_report_submit_by_the_office(capture):
    """The office's own report goes to the reviewers of other units (none here) and to leadership."""
    report = report_of("HCTH", UnitReport.Status.DRAFT)
    complete(report, user("canbo.hcth"), {level.code: level for level in AssessmentLevel.objects.all()})
    check_handover(
        capture, lambda: report_workflow.report_submit(report=report, actor=user("truongphong.hcth")), LEADERSHIP
    )


def unit_report_return(capture):
    report = report_of("QLKH", UnitReport.Status.SUBMITTED)
    check_handover(
        capture,
        lambda: report_workflow.report_return(report=report, actor=user("vanphong"), reason="Bổ sung số liệu."),
        ("truongphong.qlkh", "canbo.qlkh"),
    )


def unit_report_accept(capture):
    report = report_of("QLKH", UnitReport.Status.SUBMITTED)
    check_handover(
        capture,
        lambda: report_workflow.report_accept(report=report, actor=user("vanphong")),
        ("truongphong.qlkh", "canbo.qlkh"),
    )


def compiled(code="2026-H1"):
    period = ReportingPeriod.objects.get(code=code)
    report = consolidation.consolidation_request(period=period, actor=user("vanphong"))
    return consolidation.consolidation_compile(report_id=report.pk)


def consolidated_send(capture):
    report = compiled()
    check_handover(
        capture,
        lambda: consolidation.consolidation_send_for_approval(report=report, actor=user("vanphong")),
        LEADERSHIP,
    )


def consolidated_return(capture):
    report = consolidation.consolidation_send_for_approval(report=compiled(), actor=user("vanphong"))
    check_handover(
        capture,
        lambda: consolidation.consolidation_return(report=report, actor=user("giamdoc"), comment="Bổ sung phần II."),
        OFFICE,
    )


def consolidated_approve(capture):
    report = consolidation.consolidation_send_for_approval(report=compiled(), actor=user("vanphong"))
    check_handover(
        capture, lambda: consolidation.consolidation_approve(report=report, actor=user("phogiamdoc")), OFFICE
    )


def nomination_of(unit_code, status):
    return Nomination.objects.filter(unit__code=unit_code, status=status).order_by("pk").first()


def nomination_resubmit(capture):
    nomination = nomination_of("CDS", Nomination.Status.RETURNED)
    check_handover(
        capture,
        lambda: nominations.nomination_submit(nomination=nomination, actor=user("truongphong.cds")),
        OFFICE,
    )


def nomination_submit(capture):
    """A returned nomination taken back to draft by the test (its dossier is complete) and sent as new."""
    nomination = nomination_of("CDS", Nomination.Status.RETURNED)
    Nomination.objects.filter(pk=nomination.pk).update(status=Nomination.Status.DRAFT)
    check_handover(
        capture,
        lambda: nominations.nomination_submit(nomination=nomination, actor=user("truongphong.cds")),
        OFFICE,
    )


def nomination_withdraw(capture):
    nomination = nomination_of("QLCN", Nomination.Status.SUBMITTED)
    check_handover(
        capture,
        lambda: nominations.nomination_withdraw(nomination=nomination, actor=user("truongphong.qlcn")),
        OFFICE,
    )


def nomination_return(capture):
    nomination = nomination_of("QLCN", Nomination.Status.SUBMITTED)
    check_handover(
        capture,
        lambda: nominations.nomination_return(nomination=nomination, actor=user("vanphong"), reason="Thiếu tệp."),
        ("truongphong.qlcn", "canbo.qlcn"),  # the head, and the staff who drafted it
    )


def planned_meeting():
    return CouncilMeeting.objects.get(status=CouncilMeeting.Status.PLANNED)


def nomination_put_on_agenda(capture):
    nomination = nomination_of("QLCN", Nomination.Status.SUBMITTED)
    check_handover(
        capture,
        lambda: council.agenda_add(meeting=planned_meeting(), nominations=[nomination], actor=user("vanphong")),
        ("truongphong.qlcn",),
    )


def nomination_remove_from_agenda(capture):
    item = AgendaItem.objects.filter(meeting=planned_meeting(), nomination__unit__code="TDC").get()
    check_handover(capture, lambda: council.agenda_remove(item=item, actor=user("vanphong")), ("truongphong.tdc",))


def meeting_hold_electronic(capture):
    """An electronic ballot opens when attendance is recorded: the members present are asked to vote."""
    meeting = planned_meeting()
    CouncilMeeting.objects.filter(pk=meeting.pk).update(voting=CouncilMeeting.Voting.ELECTRONIC)
    members = list(meeting.members.select_related("user").order_by("pk"))
    present = [member.user for member in members]
    expected = [member.user.username for member in members if member.user.username != "vanphong"]
    check_handover(
        capture,
        lambda: council.meeting_record_attendance(
            meeting=meeting, present_user_ids=[person.pk for person in present], actor=user("vanphong")
        ),
        expected,
    )


def meeting_close(capture):
    """The council's outcome goes to each nominating unit (one per nomination) and the meeting's to leadership."""
    meeting = planned_meeting()
    members = list(meeting.members.all())
    council.meeting_record_attendance(
        meeting=meeting, present_user_ids=[member.user_id for member in members], actor=user("vanphong")
    )
    items = list(meeting.agenda.select_related("nomination__person").order_by("position"))
    counts = {}
    for number, item in enumerate(items):
        voters = len(members) - int(item.nomination.person is not None and item.nomination.person.user_id is not None)
        agree = voters if number == 0 else 0  # the first recommended, the others not
        counts[item.pk] = {"agree": agree, "disagree": voters - agree, "chair_casting_vote": None}
    council.tally_enter(meeting=meeting, counts=counts, actor=user("vanphong"))
    units = Counter(f"truongphong.{item.nomination.unit.code.lower()}" for item in items)
    check_handover(
        capture,
        lambda: council.meeting_close(meeting=meeting, actor=user("vanphong")),
        units + Counter(LEADERSHIP),
    )


def nomination_approve(capture):
    nomination = nomination_of("TTUD", Nomination.Status.RECOMMENDED)
    check_handover(
        capture,
        lambda: outcomes.nominations_decide(ids=[nomination.pk], actor=user("giamdoc"), approve=True),
        ("truongphong.ttud", *OFFICE),
    )


def nomination_approve_for_the_office(capture):
    """The office's head is told once, as the nominating unit's head, not again as a reviewer."""
    nomination = nomination_of("HCTH", Nomination.Status.SUBMITTED)
    Nomination.objects.filter(pk=nomination.pk).update(status=Nomination.Status.RECOMMENDED)
    check_handover(
        capture,
        lambda: outcomes.nominations_decide(ids=[nomination.pk], actor=user("giamdoc"), approve=True),
        OFFICE,
    )


def nomination_reject(capture):
    nomination = nomination_of("TTUD", Nomination.Status.RECOMMENDED)
    check_handover(
        capture,
        lambda: outcomes.nominations_decide(
            ids=[nomination.pk], actor=user("giamdoc"), approve=False, reason="Chưa đủ thành tích."
        ),
        ("truongphong.ttud", *OFFICE),
    )


def approved_document():
    """A draft decision or proposal for the demo's approved nomination (KHTC), as the office makes it."""
    award_round = nomination_of("KHTC", Nomination.Status.APPROVED).round
    nomination = nomination_of("KHTC", Nomination.Status.APPROVED)
    if nomination.form.conferred_by_department:
        return outcomes.decisions_create(award_round=award_round, actor=user("vanphong"))[0]
    return outcomes.proposal_create(award_round=award_round, actor=user("vanphong"))[0]


def document_issue_and_confer(capture):
    """Issuing a decision confers its nominations: each nominating unit is told (a proposal tells nobody yet)."""
    document = approved_document()
    receivers = ("truongphong.khtc",) if document.kind == AwardDocument.Kind.DECISION else ()
    check_handover(
        capture,
        lambda: outcomes.document_issue(
            document=document, actor=user("vanphong"), issued_on=timezone.localdate(), signer=user("giamdoc")
        ),
        receivers,
    )


def document_send_and_forward(capture):
    """A proposal sent upward forwards its nominations: each nominating unit is told."""
    nomination = nomination_of("KHTC", Nomination.Status.APPROVED)
    Nomination.objects.filter(pk=nomination.pk).update(form=_upward_form(nomination))
    document = outcomes.proposal_create(award_round=nomination.round, actor=user("vanphong"))[0]
    outcomes.document_issue(
        document=document, actor=user("vanphong"), issued_on=timezone.localdate(), signer=user("giamdoc")
    )
    check_handover(
        capture,
        lambda: outcomes.document_mark_sent(
            document=document, actor=user("vanphong"), sent_on=timezone.localdate(), channel="Thư điện tử công vụ"
        ),
        ("truongphong.khtc",),
    )


def _upward_form(nomination):
    return RoundForm.objects.filter(round=nomination.round, form__conferred_by_department=False).first().form


def document_answer(capture, result):
    """The higher authority's answer: each nominating unit and the office are told."""
    document = AwardDocument.objects.get(kind=AwardDocument.Kind.PROPOSAL, status=AwardDocument.Status.SENT)
    forwarded = list(document.proposed_nominations.filter(status=Nomination.Status.FORWARDED))
    units = sorted({f"truongphong.{nomination.unit.code.lower()}" for nomination in forwarded})
    check_handover(
        capture,
        lambda: outcomes.higher_result_record(
            document=document,
            actor=user("vanphong"),
            decision_number="123/QĐ-UBND",
            decision_date=timezone.localdate(),
            results={nomination.pk: result for nomination in forwarded},
        ),
        (*units, "truongphong.hcth"),
    )


def document_answer_conferred(capture):
    document_answer(capture, outcomes.RESULT_CONFERRED)


def document_answer_refused(capture):
    document_answer(capture, outcomes.RESULT_REFUSED)


def round_open(capture):
    award_round = AwardRound.objects.filter(status=AwardRound.Status.OPEN).first()
    draft = AwardRound.objects.create(
        campaign=award_round.campaign,
        kind=award_round.kind,
        title="Đợt xét bổ sung",
        year=award_round.year,
        deadline=timezone.localdate() + datetime.timedelta(days=20),
        created_by=user("vanphong"),
    )
    RoundForm.objects.create(round=draft, form=award_round.round_forms.first().form)
    check_handover(capture, lambda: rounds.round_open(award_round=draft, actor=user("vanphong")), UNIT_HEADS)


def registration_of(unit_code, status):
    return Registration.objects.get(year__year=2027, unit__code=unit_code, status=status)


def registration_submit(capture):
    row = registration_of("QLKH", Registration.Status.RETURNED)
    check_handover(
        capture, lambda: registration.registration_submit(registration=row, actor=user("truongphong.qlkh")), OFFICE
    )


def registration_return(capture):
    row = registration_of("KHTC", Registration.Status.SUBMITTED)
    check_handover(
        capture,
        lambda: registration.registration_return(registration=row, actor=user("vanphong"), reason="Bổ sung chỉ tiêu."),
        ("truongphong.khtc", "canbo.khtc"),
    )


def registration_accept(capture):
    row = registration_of("TDC", Registration.Status.SUBMITTED)
    check_handover(
        capture,
        lambda: registration.registration_accept(registration=row, actor=user("vanphong")),
        ("truongphong.tdc", "canbo.tdc"),
    )


def department_draft():
    return DepartmentRegistration.objects.get(status=DepartmentRegistration.Status.DRAFT)


def department_send(capture):
    row = department_draft()
    check_handover(
        capture, lambda: department.department_registration_send(registration=row, actor=user("vanphong")), LEADERSHIP
    )


def department_approve(capture):
    row = department.department_registration_send(registration=department_draft(), actor=user("vanphong"))
    check_handover(
        capture, lambda: department.department_registration_approve(registration=row, actor=user("giamdoc")), OFFICE
    )


def department_return(capture):
    row = department.department_registration_send(registration=department_draft(), actor=user("vanphong"))
    check_handover(
        capture,
        lambda: department.department_registration_return(registration=row, actor=user("giamdoc"), reason="Sửa."),
        OFFICE,
    )


def assessment_people(row):
    """The unit's head, who sent it, and who started it — the people the office answers."""
    names = {f"truongphong.{row.unit.code.lower()}", row.created_by.username}
    if row.submitted_by_id:
        names.add(row.submitted_by.username)
    return sorted(names - {"vanphong"})


def assessment_submit(capture):
    row = Assessment.objects.filter(status=Assessment.Status.RETURNED).select_related("unit").get()
    head = user(f"truongphong.{row.unit.code.lower()}")
    check_handover(capture, lambda: assessment.assessment_submit(assessment=row, actor=head), OFFICE)


def assessment_return(capture):
    row = Assessment.objects.filter(status=Assessment.Status.SUBMITTED).exclude(unit__code="HCTH").first()
    check_handover(
        capture,
        lambda: assessment.assessment_return(assessment=row, actor=user("vanphong"), reason="Bổ sung biên bản."),
        assessment_people(row),
    )


def assessment_confirm(capture):
    row = Assessment.objects.filter(status=Assessment.Status.SUBMITTED).exclude(unit__code="HCTH").first()
    check_handover(
        capture,
        lambda: assessment.assessment_confirm(assessment=row, actor=user("vanphong"), decisions={}),
        assessment_people(row),
    )


def draft_scheme():
    scheme = ScoringScheme.objects.get(status=ScoringScheme.Status.DRAFT)
    if not scheme.scores.exists():
        scoring.scheme_compute(scheme=scheme, actor=user("vanphong"))
    return scheme


def scheme_publish(capture):
    scheme = draft_scheme()
    managers = [
        username
        for username in UNIT_HEADS
        if scheme.scores.filter(unit__code=username.removeprefix("truongphong.").upper()).exists()
    ]
    check_handover(
        capture,
        lambda: scoring.scheme_publish(
            scheme=scheme, actor=user("vanphong"), explain_until=timezone.localdate() + datetime.timedelta(days=5)
        ),
        managers,
    )


def published_scheme():
    scheme = draft_scheme()
    scoring.scheme_publish(scheme=scheme, actor=user("vanphong"), explain_until=timezone.localdate())
    return scheme


def scheme_review(capture):
    scheme = published_scheme()
    check_handover(
        capture,
        lambda: scoring.scheme_review(
            scheme=scheme, actor=user("vanphong"), session_on=timezone.localdate(), minutes="Thống nhất điểm."
        ),
        LEADERSHIP,
    )


def scheme_confirm(capture):
    scheme = published_scheme()
    scoring.scheme_review(scheme=scheme, actor=user("vanphong"), session_on=timezone.localdate(), minutes="Nhất trí.")
    check_handover(capture, lambda: scoring.scheme_confirm(scheme=scheme, actor=user("giamdoc")), OFFICE)


# Each scenario and the moves it makes (a move may be made by more than one).
SCENARIOS = {
    unit_report_submit: [("reports.UnitReport", "submit")],
    unit_report_submit_by_the_office: [("reports.UnitReport", "submit")],
    unit_report_return: [("reports.UnitReport", "return")],
    unit_report_accept: [("reports.UnitReport", "accept")],
    consolidated_send: [("reports.ConsolidatedReport", "send_for_approval")],
    consolidated_return: [("reports.ConsolidatedReport", "return")],
    consolidated_approve: [("reports.ConsolidatedReport", "approve")],
    nomination_submit: [("awards.Nomination", "submit")],
    nomination_resubmit: [("awards.Nomination", "resubmit")],
    nomination_withdraw: [("awards.Nomination", "withdraw")],
    nomination_return: [("awards.Nomination", "return")],
    nomination_put_on_agenda: [("awards.Nomination", "put_on_agenda")],
    nomination_remove_from_agenda: [("awards.Nomination", "remove_from_agenda")],
    meeting_hold_electronic: [("awards.CouncilMeeting", "hold")],
    meeting_close: [
        ("awards.CouncilMeeting", "close"),
        ("awards.Nomination", "recommend"),
        ("awards.Nomination", "not_recommend"),
    ],
    nomination_approve: [("awards.Nomination", "approve")],
    nomination_approve_for_the_office: [("awards.Nomination", "approve")],
    nomination_reject: [("awards.Nomination", "reject")],
    document_issue_and_confer: [("awards.AwardDocument", "issue"), ("awards.Nomination", "confer")],
    document_send_and_forward: [("awards.AwardDocument", "send"), ("awards.Nomination", "forward")],
    document_answer_conferred: [
        ("awards.AwardDocument", "answer"),
        ("awards.Nomination", "confer_above"),
    ],
    document_answer_refused: [
        ("awards.AwardDocument", "answer"),
        ("awards.Nomination", "refuse_above"),
    ],
    round_open: [("awards.AwardRound", "open")],
    registration_submit: [("emulation.Registration", "submit")],
    registration_return: [("emulation.Registration", "return")],
    registration_accept: [("emulation.Registration", "accept")],
    department_send: [("emulation.DepartmentRegistration", "send_for_approval")],
    department_approve: [("emulation.DepartmentRegistration", "approve")],
    department_return: [("emulation.DepartmentRegistration", "return")],
    assessment_submit: [("emulation.Assessment", "submit")],
    assessment_return: [("emulation.Assessment", "return")],
    assessment_confirm: [("emulation.Assessment", "confirm")],
    scheme_publish: [("emulation.ScoringScheme", "publish")],
    scheme_review: [("emulation.ScoringScheme", "review")],
    scheme_confirm: [("emulation.ScoringScheme", "confirm")],
}


def test_the_moves_are_collected_from_every_transition_map():
    labels = {label for label, _action in all_moves()}
    assert labels == {
        "reports.UnitReport",
        "reports.ConsolidatedReport",
        "awards.AwardRound",
        "awards.Nomination",
        "awards.CouncilMeeting",
        "awards.AwardDocument",
        "emulation.Registration",
        "emulation.DepartmentRegistration",
        "emulation.Assessment",
        "emulation.ScoringScheme",
    }


def test_every_move_has_a_decision():
    """A move is a hand-over run by a scenario, or listed with the reason it hands nothing over — never both."""
    handovers = {move for moves in SCENARIOS.values() for move in moves}
    assert handovers & set(NOT_HANDOVERS) == set()
    assert all_moves() - handovers - set(NOT_HANDOVERS) == set()
    assert handovers | set(NOT_HANDOVERS) <= all_moves()


@pytest.mark.parametrize("scenario", list(SCENARIOS), ids=lambda scenario: scenario.__name__)
def test_each_handover_tells_its_receivers_once_after_commit(world, scenario, django_capture_on_commit_callbacks):
    scenario(django_capture_on_commit_callbacks)


def test_a_consolidated_report_unchanged_by_a_rollback_tells_nobody(world, django_capture_on_commit_callbacks):
    """The rollback half of check_handover can fail: a notification written outside the transaction would stay."""
    report = compiled()
    last = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    written = []

    def send():
        consolidation.consolidation_send_for_approval(report=report, actor=user("vanphong"))
        written.append(Notification.objects.filter(pk__gt=last).count())

    with pytest.raises(Rollback):
        rolled_back(send)
    assert written == [2]
    assert not Notification.objects.filter(pk__gt=last).exists()
    assert ConsolidatedReport.objects.get(pk=report.pk).status == ConsolidatedReport.Status.READY
