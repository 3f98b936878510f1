"""Dates that fit the record in the awards: no meeting convened in the past, a meeting opened early keeps the time
it began (the minutes print it), no award document dated before the council meeting it rests on, and a number out
of the register's date order only once the office confirms it. Every refusal changes nothing."""

# Fixtures imported from the support modules are redefined as test parameters: that is how pytest uses them.
# ruff: noqa: F811

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.documents.minutes import build, minutes_content
from awards.errors import AwardError
from awards.models import (
    AgendaItem,
    AwardDocument,
    AwardDocumentTransition,
    AwardRecord,
    CouncilMeeting,
    MeetingMember,
    MeetingTransition,
    Nomination,
)
from awards.services import council as services
from awards.services import outcomes
from documents.models import OutgoingDocument, RegisterCounter
from documents.register import CONFIRM_HINT, register_next_number
from notifications.models import Notification
from tests.awards.conftest import make_nomination
from tests.awards.test_outcomes_support import approved, held_meeting, private_files  # noqa: F401 — fixtures
from workflow.errors import NeedsConfirmation

pytestmark = pytest.mark.django_db


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def at_local(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def nothing_sent_or_written():
    """The rows a refused convening, issue or close must leave as they were."""
    return [
        CouncilMeeting.objects.count(),
        MeetingMember.objects.count(),
        MeetingTransition.objects.count(),
        Notification.objects.count(),
        list(AwardDocument.objects.values("pk", "status", "register_entry", "signer_name")),
        AwardDocumentTransition.objects.count(),
        list(Nomination.objects.values_list("pk", "status")),
        AwardRecord.objects.count(),
        list(OutgoingDocument.objects.values()),
        list(RegisterCounter.objects.values()),
    ]


def convene(award_round, reviewer, scheduled_at):
    return services.meeting_create(
        award_round=award_round,
        title="Phiên họp xét khen thưởng",
        scheduled_at=scheduled_at,
        place="Phòng họp Sở",
        voting=CouncilMeeting.Voting.PAPER,
        actor=reviewer,
    )


# --- convening ------------------------------------------------------------------------------------------------


def test_a_meeting_is_not_convened_in_the_past_and_no_one_is_called(annual_round, council, reviewer):
    six_months_ago = timezone.localtime() - datetime.timedelta(days=182)
    before = nothing_sent_or_written()
    with pytest.raises(AwardError) as refusal:
        convene(annual_round, reviewer, six_months_ago)
    assert refusal.value.field == "scheduled_at"
    assert refusal.value.message.startswith(f"Thời gian họp ({six_months_ago:%H:%M ngày %d/%m/%Y}) đã qua;")
    assert nothing_sent_or_written() == before


def test_the_current_minute_still_counts_as_now(annual_round, council, reviewer):
    this_minute = timezone.localtime().replace(second=0, microsecond=0)
    assert convene(annual_round, reviewer, this_minute).status == CouncilMeeting.Status.PLANNED


def test_the_page_shows_the_refusal_on_the_time_and_keeps_what_was_typed(client, annual_round, council, reviewer):
    typed = {
        "round": annual_round.pk,
        "title": "Phiên họp xét khen thưởng cuối năm",
        "scheduled_at": (timezone.localtime() - datetime.timedelta(days=1)).strftime("%d/%m/%Y %H:%M"),
        "place": "Phòng họp tầng 3",
        "voting": "paper",
    }
    before = nothing_sent_or_written()
    client.force_login(reviewer)
    response = client.post(reverse("awards:meeting_create"), typed)
    [message] = response.context["form"].errors["scheduled_at"]
    assert message.startswith(f"Thời gian họp ({typed['scheduled_at'][-5:]} ngày {typed['scheduled_at'][:10]}) đã qua")
    page = response.content.decode()
    assert message in page
    for value in (typed["title"], typed["scheduled_at"], typed["place"]):
        assert f'value="{value}"' in page
    assert nothing_sent_or_written() == before


# --- holding the meeting early: the minutes print when it began ------------------------------------------------


@pytest.fixture
def opened_early(annual_round, council, reviewer, forms, own_unit, person):
    """Convened for 14:00 in a week, opened now with everyone present."""
    scheduled = at_local(timezone.localdate() + datetime.timedelta(days=7), 14)
    meeting = convene(annual_round, reviewer, scheduled)
    nomination = make_nomination(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person)
    services.agenda_add(meeting=meeting, nominations=[nomination], actor=reviewer)
    present = list(meeting.members.values_list("user_id", flat=True))
    opened = timezone.now()
    meeting = services.meeting_record_attendance(meeting=meeting, present_user_ids=present, actor=reviewer)
    return meeting, opened


def test_a_meeting_opened_early_records_when_it_began(opened_early):
    meeting, opened = opened_early
    meeting.refresh_from_db()
    assert meeting.status == CouncilMeeting.Status.HELD
    assert opened <= meeting.started_at <= timezone.now()
    assert meeting.began_at == meeting.started_at
    hold = meeting.transitions.get(action="hold")
    started, scheduled = timezone.localtime(meeting.started_at), timezone.localtime(meeting.scheduled_at)
    assert (
        f"Cuộc họp bắt đầu lúc {started:%H:%M ngày %d/%m/%Y}, sớm hơn lịch ({scheduled:%H:%M ngày %d/%m/%Y})."
        in hold.comment
    )


def test_a_meeting_opened_on_time_keeps_its_schedule(annual_round, council, reviewer):
    meeting = convene(annual_round, reviewer, timezone.localtime().replace(second=0, microsecond=0))
    services.meeting_record_attendance(meeting=meeting, present_user_ids=[], actor=reviewer)
    meeting.refresh_from_db()
    assert meeting.started_at is None
    assert meeting.began_at == meeting.scheduled_at


def test_the_minutes_print_the_time_the_meeting_began(opened_early, reviewer):
    meeting, _ = opened_early
    item = meeting.agenda.get()
    services.tally_enter(meeting=meeting, counts={item.pk: {"agree": 5, "disagree": 0}}, actor=reviewer)
    meeting.refresh_from_db()
    started = timezone.localtime(meeting.started_at)
    ended = meeting.started_at + datetime.timedelta(hours=2)  # before the scheduled time, after the actual start
    services.meeting_close(meeting=meeting, actor=reviewer, ended_at=ended)
    document = services.minutes_request(meeting=meeting, actor=reviewer)
    printed = document.content["meeting"]
    assert (printed["date"], printed["time"]) == (started.strftime("%d/%m/%Y"), started.strftime("%H:%M"))
    assert minutes_content(meeting)["meeting"]["date"] == started.strftime("%d/%m/%Y")
    text = " ".join(paragraph for section in build(document).sections for paragraph in section.paragraphs)
    assert f"bắt đầu lúc {started:%H} giờ {started:%M}" in text
    assert started.strftime("%d/%m/%Y") in text
    assert timezone.localtime(meeting.scheduled_at).strftime("%d/%m/%Y") not in text


def test_an_end_before_the_actual_start_is_refused_on_the_field(client, opened_early, reviewer):
    meeting, _ = opened_early
    item = meeting.agenda.get()
    services.tally_enter(meeting=meeting, counts={item.pk: {"agree": 5, "disagree": 0}}, actor=reviewer)
    early = timezone.localtime(meeting.started_at - datetime.timedelta(hours=1)).strftime("%d/%m/%Y %H:%M")
    before = nothing_sent_or_written()
    client.force_login(reviewer)
    response = client.post(reverse("awards:meeting_close", args=[meeting.pk]), {"ended_at": early, "notes": "Ý kiến"})
    assert response.status_code == 400
    [message] = response.context["close_form"].errors["ended_at"]
    assert message.startswith(f"Thời gian kết thúc ({early[-5:]} ngày {early[:10]}) không được trước")
    assert f'value="{early}"' in response.content.decode()
    assert nothing_sent_or_written() == before
    assert CouncilMeeting.objects.get(pk=meeting.pk).status == CouncilMeeting.Status.HELD


# --- award documents: never dated before the meeting they rest on ----------------------------------------------


@pytest.fixture
def met_five_days_ago(held_meeting):
    CouncilMeeting.objects.filter(pk=held_meeting.pk).update(scheduled_at=at_local(days_ago(5), 8, 30))
    held_meeting.refresh_from_db()
    return held_meeting


@pytest.fixture
def decision(
    met_five_days_ago,
    annual_round,
    forms,
    own_unit,
    person,
    leader,
    reviewer,
    private_files,
    django_capture_on_commit_callbacks,
):
    approved(
        annual_round,
        forms["lao-dong-tien-tien"],
        unit=own_unit,
        person=person,
        leader=leader,
        meeting=met_five_days_ago,
    )
    with django_capture_on_commit_callbacks(execute=True):
        (document,) = outcomes.decisions_create(award_round=annual_round, actor=reviewer)
    document.refresh_from_db()
    return document


def test_a_decision_dated_before_its_council_meeting_is_refused_and_changes_nothing(decision, reviewer, leader):
    before = nothing_sent_or_written()
    with pytest.raises(AwardError) as refusal:
        outcomes.document_issue(
            document=decision, actor=reviewer, signer=leader, issued_on=days_ago(6), confirmation="Bản giấy"
        )
    assert refusal.value.field == "issued_on"
    assert refusal.value.message == (
        f"Ngày ban hành ({days_ago(6):%d/%m/%Y}) không được trước ngày họp Hội đồng Thi đua - Khen thưởng "
        f"({days_ago(5):%d/%m/%Y}) mà văn bản này căn cứ."
    )
    assert nothing_sent_or_written() == before


def test_a_decision_dated_the_day_of_the_meeting_is_issued(
    decision, reviewer, leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        outcomes.document_issue(document=decision, actor=reviewer, signer=leader, issued_on=days_ago(5))
    decision.refresh_from_db()
    assert decision.status == AwardDocument.Status.ISSUED
    assert AwardRecord.objects.get().decision_date == days_ago(5)


def test_the_issue_page_shows_the_refusal_on_the_date_and_keeps_what_was_typed(client, decision, reviewer, leader):
    typed = {"signer": leader.pk, "issued_on": days_ago(6).strftime("%d/%m/%Y"), "numbering": "register"}
    before = nothing_sent_or_written()
    client.force_login(reviewer)
    response = client.post(reverse("awards:document_issue", args=[decision.pk]), typed)
    assert response.status_code == 400
    [message] = response.context["issue_forms"]["register"].errors["issued_on"]
    assert message.startswith(f"Ngày ban hành ({typed['issued_on']}) không được trước ngày họp Hội đồng")
    page = response.content.decode()
    assert message in page
    assert f'value="{typed["issued_on"]}"' in page
    assert nothing_sent_or_written() == before


def test_the_minutes_are_not_dated_before_the_meeting(opened_early, reviewer, leader):
    meeting, _ = opened_early
    item = meeting.agenda.get()
    services.tally_enter(meeting=meeting, counts={item.pk: {"agree": 5, "disagree": 0}}, actor=reviewer)
    services.meeting_close(meeting=meeting, actor=reviewer)
    minutes = services.minutes_request(meeting=meeting, actor=reviewer)
    # The meeting, in the demo's manner, took place two days ago.
    CouncilMeeting.objects.filter(pk=meeting.pk).update(started_at=at_local(days_ago(2), 8))
    before = nothing_sent_or_written()
    with pytest.raises(AwardError, match="không được trước ngày họp Hội đồng"):
        outcomes.document_issue(document=minutes, actor=reviewer, signer=leader, issued_on=days_ago(3))
    assert nothing_sent_or_written() == before


def test_a_decision_number_out_of_date_order_needs_the_offices_confirmation(
    decision, reviewer, leader, django_capture_on_commit_callbacks
):
    register_next_number(issuer_code="SKHCN", type_code="QĐ", issued_on=days_ago(1), summary="Khác", actor=reviewer)
    before = nothing_sent_or_written()
    with pytest.raises(NeedsConfirmation) as refusal:
        outcomes.document_issue(document=decision, actor=reviewer, signer=leader, issued_on=days_ago(4))
    assert refusal.value.message == (
        f"Số 02/QĐ-SKHCN ngày {days_ago(4):%d/%m/%Y} lùi ngày so với số liền trước trong sổ đăng ký văn bản đi: "
        f"01/QĐ-SKHCN ngày {days_ago(1):%d/%m/%Y}. {CONFIRM_HINT}"
    )
    assert nothing_sent_or_written() == before

    reason = "Quyết định đã ký bản giấy ngày họp; văn thư vào sổ muộn."
    with django_capture_on_commit_callbacks(execute=True):
        outcomes.document_issue(
            document=decision, actor=reviewer, signer=leader, issued_on=days_ago(4), confirmation=reason
        )
    decision.refresh_from_db()
    assert decision.status == AwardDocument.Status.ISSUED
    assert (decision.register_entry.out_of_order, decision.register_entry.out_of_order_reason) == (True, reason)
    assert decision.transitions.get(action="issue").comment.endswith(f"Xác nhận ngày, số như văn bản đã ký: {reason}")


def test_meeting_day_is_the_latest_meeting_the_nominations_went_through(decision, met_five_days_ago):
    assert outcomes.meeting_day(decision) == days_ago(5)
    later = CouncilMeeting.objects.create(
        round=met_five_days_ago.round,
        title="Phiên họp bổ sung",
        scheduled_at=at_local(days_ago(1), 14),
        started_at=at_local(days_ago(3), 8),  # opened two days early: it met three days ago
        created_by=met_five_days_ago.created_by,
    )
    AgendaItem.objects.create(meeting=later, nomination=decision.decided_nominations.get())
    assert outcomes.meeting_day(decision) == days_ago(3)
