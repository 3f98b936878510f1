"""What a report's history keeps — every move with its actor, time, comment and content — and who is told."""

import pytest
from django.core import mail

from notifications.models import Notification
from reports import services
from reports.errors import SubmissionInvalid
from reports.models import ReportTransition, UnitReport
from reports.parts import digest
from reports.services.editing import part_objects, values_of
from tests.factories import Capability, UserFactory
from tests.reports.conftest import complete

Status = UnitReport.Status
Action = ReportTransition.Action


def rewrite(report, actor, key, text):
    part = part_objects(report)[key]
    loaded = values_of(part)
    edit = {"values": {**loaded, "text": text}, "revision": part.revision, "original": digest(loaded)}
    services.report_save_parts(report=report, actor=actor, edits={key: edit})


def section_text(snapshot, key):
    return next(section["text"] for section in snapshot["sections"] if section["key"] == key)


def notified(report, about):
    notifications = Notification.objects.filter(url=report.get_absolute_url(), message__contains=about)
    return set(notifications.values_list("recipient__username", flat=True))


@pytest.fixture
def returned(submitted, reviewer):
    services.report_open_review(report=submitted, actor=reviewer)
    services.report_return(report=submitted, actor=reviewer, reason="Nêu rõ kết quả nổi bật.")
    submitted.refresh_from_db()
    return submitted


def test_every_state_change_is_recorded_with_actor_and_comment(returned, staff, head, reviewer):
    rewrite(returned, staff, "section-highlights", "Đã bổ sung kết quả nổi bật.")
    services.report_submit(report=returned, actor=head)
    services.report_accept(report=returned, actor=reviewer, comment="Đạt.")
    rows = list(returned.transitions.values_list("action", "from_status", "to_status", "actor__username", "comment"))
    assert rows == [
        (Action.CREATE, "", Status.DRAFT, "canbo", ""),
        (Action.SUBMIT, Status.DRAFT, Status.SUBMITTED, "truongphong", ""),
        (Action.OPEN_REVIEW, Status.SUBMITTED, Status.SUBMITTED, "vanphong", ""),
        (Action.RETURN, Status.SUBMITTED, Status.RETURNED, "vanphong", "Nêu rõ kết quả nổi bật."),
        (Action.SUBMIT, Status.RETURNED, Status.SUBMITTED, "truongphong", ""),
        (Action.OPEN_REVIEW, Status.SUBMITTED, Status.SUBMITTED, "vanphong", ""),
        (Action.ACCEPT, Status.SUBMITTED, Status.ACCEPTED, "vanphong", "Đạt."),
    ]
    times = [transition.at for transition in returned.transitions.all()]
    assert times == sorted(times)


def test_withdrawal_is_recorded(submitted, head):
    services.report_withdraw(report=submitted, actor=head)
    last = submitted.transitions.last()
    assert (last.action, last.actor, last.to_status) == (Action.WITHDRAW, head, Status.DRAFT)


def test_transition_snapshot_holds_the_content_as_it_stood(submitted):
    snapshot = submitted.transitions.get(action=Action.SUBMIT).snapshot
    assert section_text(snapshot, "section-highlights") == "Nội dung mục Kết quả nổi bật."
    assert len(snapshot["results"]) == submitted.results.count()
    assert snapshot["results"][0]["assessment"] == "Hoàn thành tốt"


def test_first_submission_snapshot_keeps_old_text_after_resubmission(returned, staff, head):
    rewrite(returned, staff, "section-highlights", "Bản sửa sau khi bị trả lại.")
    services.report_submit(report=returned, actor=head)
    first, second = returned.transitions.filter(action=Action.SUBMIT)
    assert (first.submission_number, second.submission_number) == (1, 2)
    assert section_text(first.snapshot, "section-highlights") == "Nội dung mục Kết quả nổi bật."
    assert section_text(second.snapshot, "section-highlights") == "Bản sửa sau khi bị trả lại."


def test_submit_notifies_office_reviewers_outside_the_unit(draft, staff, head, reviewer, own_unit, levels):
    UserFactory(username="ratsoat.noibo", unit=own_unit, position="staff", capabilities=[Capability.OFFICE_REVIEWER])
    complete(draft, staff, levels)
    services.report_submit(report=draft, actor=head)
    assert notified(draft, "đã nộp") == {"vanphong"}


def test_submit_emails_reviewers_after_commit(draft, staff, head, reviewer, levels, django_capture_on_commit_callbacks):
    reviewer.email = "vanphong@skhcn.example"
    reviewer.save()
    complete(draft, staff, levels)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_submit(report=draft, actor=head)
    assert [message.to for message in mail.outbox] == [["vanphong@skhcn.example"]]
    assert Notification.objects.get(recipient=reviewer).emailed_at is not None


def test_refused_submit_notifies_nobody(draft, head):
    with pytest.raises(SubmissionInvalid):
        services.report_submit(report=draft, actor=head)
    assert not Notification.objects.exists()


def test_return_notifies_the_head_and_the_staff_who_drafted(submitted, reviewer, own_unit):
    UserFactory(username="canbo.khongviet", unit=own_unit, position="staff")
    services.report_return(report=submitted, actor=reviewer, reason="Bổ sung minh chứng.")
    assert notified(submitted, "trả lại") == {"canbo", "truongphong"}
    assert "Bổ sung minh chứng." in Notification.objects.get(recipient__username="canbo").message


def test_accept_notifies_the_head_and_the_staff_who_drafted(submitted, reviewer, other_staff):
    services.report_accept(report=submitted, actor=reviewer)
    assert notified(submitted, "tiếp nhận") == {"canbo", "truongphong"}


def test_actor_is_not_notified_of_their_own_action(draft, staff, head, reviewer, levels):
    complete(draft, staff, levels)
    services.report_submit(report=draft, actor=head)
    services.report_accept(report=draft, actor=reviewer)
    assert notified(draft, "đã nộp") == {"vanphong"}
    assert notified(draft, "tiếp nhận") == {"canbo", "truongphong"}
