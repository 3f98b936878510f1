"""A state change posted twice (a double click, a form sent again) answers the second time as it did the first.

The second request is refused by the state the first left behind; workflow.transitions.StateMachine.already_done
recognises it as the same person's same move of moments ago, and the view answers with the success and the same
redirect. One transition is recorded. Anyone else's, or the same person's a minute later, is still refused.
Sequential posts, each from a client of its own (as two tabs, so each response's messages are its own).
"""

import datetime
import threading
import time
from unittest import mock

import pytest
from django.contrib.messages import constants, get_messages
from django.db import connection
from django.test import Client
from django.urls import reverse

from reports import services
from reports.consolidated_forms import text_digest
from reports.models import ConsolidatedReport, ConsolidatedTransition, ReportTransition, UnitReport
from reports.services import consolidation
from reports.services import workflow as report_workflow
from tests.factories import Capability, UserFactory, department
from tests.reports.conftest import complete

SUBMITTED = "Đã nộp báo cáo. Văn phòng sẽ rà soát và phản hồi trên Cổng."
READ_ONLY = "Báo cáo không ở trạng thái soạn thảo; bạn đang xem bản chỉ đọc."
NOT_AGAIN = "Báo cáo đã được nộp hoặc đã được tiếp nhận; không nộp lại được."
WITHDRAWN = "Đã rút lại báo cáo; đơn vị có thể chỉnh sửa và nộp lại."
RETURNED = "Đã trả lại báo cáo để đơn vị bổ sung."
ACCEPTED = "Đã tiếp nhận báo cáo."
WAITING_FOR_REVIEW = "Báo cáo không ở trạng thái chờ rà soát (có thể người khác vừa xử lý)."
SENT = "Đã trình lãnh đạo duyệt báo cáo tổng hợp."
APPROVED = "Đã duyệt báo cáo tổng hợp. Phòng Hành chính - Tổng hợp sẽ vào số và ban hành."
CONSOLIDATED_BUSY = "Báo cáo tổng hợp không ở trạng thái phù hợp (có thể người khác vừa xử lý)."


def signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def said(response):
    """The messages the response leaves for the next page: [(level, text)]."""
    return [(message.level, str(message)) for message in get_messages(response.wsgi_request)]


def success(text):
    return [(constants.SUCCESS, text)]


def records(report, action):
    return report.transitions.filter(action=action).count()


@pytest.fixture
def deputy_head(own_unit):
    return UserFactory(username="phophong", full_name="Hoàng Văn Phó", unit=own_unit, position="deputy")


@pytest.fixture
def other_reviewer(office_unit):
    return UserFactory(
        username="vanphong2",
        full_name="Mai Thị Rà Soát",
        unit=office_unit,
        position="staff",
        capabilities=[Capability.OFFICE_REVIEWER],
    )


@pytest.fixture
def complete_draft(open_period, own_unit, staff, levels):
    return complete(services.report_start(unit=own_unit, period=open_period, actor=staff), staff, levels)


@pytest.fixture
def submitted(complete_draft, head):
    services.report_submit(report=complete_draft, actor=head)
    complete_draft.refresh_from_db()
    return complete_draft


# --- The unit report's "Nộp báo cáo" ------------------------------------------------------------


def submit(client, report):
    return client.post(reverse("reports:edit", args=[report.pk]), {"action": "submit"})


def test_submit_posted_twice_answers_success_both_times_and_submits_once(head, complete_draft):
    first = submit(signed_in(head), complete_draft)
    second = submit(signed_in(head), complete_draft)

    for response in (first, second):
        assert response.status_code == 302
        assert response["Location"] == complete_draft.get_absolute_url()
        assert said(response) == success(SUBMITTED)
    assert records(complete_draft, ReportTransition.Action.SUBMIT) == 1
    complete_draft.refresh_from_db()
    assert complete_draft.submission_count == 1


def test_a_second_submit_that_waited_for_the_first_answers_success(head, complete_draft):
    # Both presses read the report as a draft; the second waits for the first's lock and meets it submitted.
    loaded_as_draft = UnitReport.objects.get(pk=complete_draft.pk)
    submit(signed_in(head), complete_draft)

    with mock.patch("reports.views._unit_report", return_value=loaded_as_draft):
        second = submit(signed_in(head), complete_draft)

    assert second["Location"] == complete_draft.get_absolute_url()
    assert said(second) == success(SUBMITTED)
    assert records(complete_draft, ReportTransition.Action.SUBMIT) == 1


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_two_presses_at_once_on_postgresql_both_answer_success_and_submit_once(head, complete_draft, monkeypatch):
    # Each press on its own connection; the first holds the row lock a while, the second waits for it.
    snapshot = report_workflow.report_snapshot
    monkeypatch.setattr(report_workflow, "report_snapshot", lambda report: time.sleep(0.3) or snapshot(report))
    clients = [signed_in(head), signed_in(head)]
    barrier = threading.Barrier(len(clients))
    responses = []

    def press(client):
        try:
            barrier.wait(timeout=10)
            responses.append(submit(client, complete_draft))
        finally:
            connection.close()

    threads = [threading.Thread(target=press, args=(client,)) for client in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=30)

    assert [(response["Location"], said(response)) for response in responses] == [
        (complete_draft.get_absolute_url(), success(SUBMITTED))
    ] * 2
    assert records(complete_draft, ReportTransition.Action.SUBMIT) == 1


def test_another_heads_submit_after_it_is_still_refused(head, deputy_head, complete_draft):
    loaded_as_draft = UnitReport.objects.get(pk=complete_draft.pk)
    submit(signed_in(head), complete_draft)

    later = submit(signed_in(deputy_head), complete_draft)
    with mock.patch("reports.views._unit_report", return_value=loaded_as_draft):
        waited = submit(signed_in(deputy_head), complete_draft)

    assert said(later) == [(constants.INFO, READ_ONLY)]
    assert said(waited) == [(constants.ERROR, NOT_AGAIN)]
    assert records(complete_draft, ReportTransition.Action.SUBMIT) == 1


def test_the_same_submit_a_minute_later_is_a_new_request_and_refused(head, complete_draft):
    submit(signed_in(head), complete_draft)
    moment_ago = complete_draft.transitions.get(action=ReportTransition.Action.SUBMIT).at
    complete_draft.transitions.filter(action=ReportTransition.Action.SUBMIT).update(
        at=moment_ago - datetime.timedelta(seconds=61)
    )

    again = submit(signed_in(head), complete_draft)

    assert said(again) == [(constants.INFO, READ_ONLY)]


# --- Withdraw, return, accept -------------------------------------------------------------------


def test_withdraw_posted_twice_answers_success_both_times(head, submitted):
    url = reverse("reports:withdraw", args=[submitted.pk])
    first = signed_in(head).post(url)
    second = signed_in(head).post(url)

    for response in (first, second):
        assert response["Location"] == submitted.get_absolute_url()
        assert said(response) == success(WITHDRAWN)
    assert records(submitted, ReportTransition.Action.WITHDRAW) == 1


def test_return_posted_twice_answers_success_but_another_reason_is_refused(reviewer, submitted):
    url = reverse("reports:return", args=[submitted.pk])
    reason = {"reason": "Bổ sung số liệu giải ngân quý IV."}
    first = signed_in(reviewer).post(url, reason)
    second = signed_in(reviewer).post(url, reason)
    other = signed_in(reviewer).post(url, {"reason": "Một lý do khác."})

    for response in (first, second):
        assert response["Location"] == reverse("reports:matrix")
        assert said(response) == success(RETURNED)
    assert other["Location"] == reverse("reports:review", args=[submitted.pk])
    assert said(other) == [(constants.ERROR, WAITING_FOR_REVIEW)]
    assert records(submitted, ReportTransition.Action.RETURN) == 1


def test_accept_posted_twice_answers_success_but_another_reviewers_is_refused(reviewer, other_reviewer, submitted):
    url = reverse("reports:accept", args=[submitted.pk])
    first = signed_in(reviewer).post(url, {"comment": ""})
    second = signed_in(reviewer).post(url, {"comment": ""})
    someone_else = signed_in(other_reviewer).post(url, {"comment": ""})

    for response in (first, second):
        assert response["Location"] == reverse("reports:matrix")
        assert said(response) == success(ACCEPTED)
    assert said(someone_else) == [(constants.ERROR, WAITING_FOR_REVIEW)]
    assert records(submitted, ReportTransition.Action.ACCEPT) == 1


# --- The consolidated report: send for approval, approve -------------------------------------------


@pytest.fixture
def ready(submitted, open_period, reviewer, django_capture_on_commit_callbacks):
    services.report_accept(report=submitted, actor=reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        report = consolidation.consolidation_request(period=open_period, actor=reviewer)
    report.refresh_from_db()
    assert report.status == ConsolidatedReport.Status.READY
    return report


@pytest.fixture
def deputy_director(db):
    return UserFactory(
        username="phogiamdoc",
        full_name="Lê Thị Hồng Nhung",
        position_title="Phó Giám đốc",
        unit=department(),
        position="deputy",
        capabilities=[Capability.LEADERSHIP],
    )


def test_send_and_approve_posted_twice_answer_success_but_another_leaders_approval_is_refused(
    reviewer, leader, deputy_director, ready
):
    detail = reverse("reports:consolidated_detail", args=[ready.pk])
    send = reverse("reports:consolidated_send", args=[ready.pk])
    approve = reverse("reports:consolidated_approve", args=[ready.pk])

    sent = [signed_in(reviewer).post(send), signed_in(reviewer).post(send)]
    approved = [signed_in(leader).post(approve), signed_in(leader).post(approve)]
    someone_else = signed_in(deputy_director).post(approve)

    for response in sent:
        assert (response["Location"], said(response)) == (detail, success(SENT))
    for response in approved:
        assert (response["Location"], said(response)) == (detail, success(APPROVED))
    assert said(someone_else) == [(constants.ERROR, CONSOLIDATED_BUSY)]
    moves = ConsolidatedTransition.objects.filter(report=ready, action__in=("send_for_approval", "approve"))
    assert sorted(moves.values_list("action", flat=True)) == ["approve", "send_for_approval"]
    ready.refresh_from_db()
    assert ready.approved_by == leader


def test_send_with_edits_posted_twice_answers_success_but_edits_made_after_sending_are_refused(reviewer, ready):
    detail = reverse("reports:consolidated_detail", args=[ready.pk])
    send = reverse("reports:consolidated_send", args=[ready.pk])
    loaded = text_digest(next(item["text"] for item in ready.sections["items"] if item["key"] == "causes"))
    edited = {"section-causes": "Nguyên nhân sửa trước khi trình.", "orig-causes": loaded}

    responses = [signed_in(reviewer).post(send, edited), signed_in(reviewer).post(send, edited)]
    later = signed_in(reviewer).post(send, {"section-causes": "Sửa sau khi đã trình.", "orig-causes": loaded})

    for response in responses:
        assert (response["Location"], said(response)) == (
            detail,
            success("Đã lưu các mục vừa sửa và trình lãnh đạo duyệt báo cáo tổng hợp."),
        )
    assert said(later) == [(constants.ERROR, CONSOLIDATED_BUSY)]
    ready.refresh_from_db()
    assert next(item["text"] for item in ready.sections["items"] if item["key"] == "causes") == (
        "Nguyên nhân sửa trước khi trình."
    )
    assert list(ready.transitions.values_list("action", flat=True)).count("edit") == 1
