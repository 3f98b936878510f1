"""The consolidation job's reliability, run inline: the row is the truth, the lease is exclusive, the sweeper recovers.

DESIGN.md sections 3 and 8: the request succeeds when the broker is down and the sweeper publishes the
row later; a claim is a lease taken by a conditional UPDATE, so two runs never both finish; the sweeper
never takes a row another worker is still compiling and gives up after CONSOLIDATION_MAX_ATTEMPTS.
"""

from datetime import timedelta

import pytest
from django.utils import timezone
from kombu.exceptions import OperationalError

from reports import services
from reports.models import ConsolidatedReport, ConsolidatedTransition
from reports.services import consolidation
from reports.services.consolidation import (
    COMPILE_JOB,
    consolidation_compile,
    consolidation_edit,
    consolidation_request,
)
from reports.tasks import compile_consolidated_report, sweep_consolidated_reports
from tests.celery_worker import celery_eager  # noqa: F401 — autouse: tasks run inline whatever REDIS_URL says
from tests.factories import UserFactory
from tests.reports.conftest import complete

Status = ConsolidatedReport.Status


def accepted_report(period, unit, drafter, submitter, reviewer, levels):
    """A unit report taken through the services to accepted."""
    report = services.report_start(unit=unit, period=period, actor=drafter)
    complete(report, drafter, levels)
    services.report_submit(report=report, actor=submitter)
    services.report_accept(report=report, actor=reviewer)
    return report


@pytest.fixture
def accepted(open_period, own_unit, staff, head, reviewer, levels):
    return accepted_report(open_period, own_unit, staff, head, reviewer, levels)


@pytest.fixture
def request_compile(open_period, reviewer, django_capture_on_commit_callbacks):
    """Ask for a compile as the office's button does, running the on-commit enqueue (inline: eager)."""

    def request_compile():
        with django_capture_on_commit_callbacks(execute=True):
            report = consolidation_request(period=open_period, actor=reviewer)
        return ConsolidatedReport.objects.get(pk=report.pk)

    return request_compile


@pytest.fixture
def queued(accepted, open_period, reviewer):
    """A queued row whose task was never published (its on-commit callback is not run)."""
    return consolidation_request(period=open_period, actor=reviewer)


@pytest.fixture
def published(monkeypatch):
    """Record the ids the task is published with, instead of running it."""
    ids = []
    task_type = type(compile_consolidated_report._get_current_object())
    monkeypatch.setattr(task_type, "delay", lambda self, report_id: ids.append(report_id))
    return ids


def expire_lease(report):
    ConsolidatedReport.objects.filter(pk=report.pk).update(lease_expires_at=timezone.now() - timedelta(seconds=1))


def live_rows(period):
    return ConsolidatedReport.objects.filter(period=period).exclude(status=Status.SUPERSEDED)


def test_the_request_succeeds_when_the_broker_is_down_and_the_sweeper_publishes_it_later(
    accepted, open_period, request_compile, monkeypatch, caplog
):
    task_type = type(compile_consolidated_report._get_current_object())

    def broker_down(*args, **kwargs):
        raise OperationalError("Error 111 connecting to 127.0.0.1:6379. Connection refused.")

    monkeypatch.setattr(task_type, "delay", broker_down)
    report = request_compile()
    assert report.status == Status.QUEUED
    assert report.enqueued_at is None
    assert report.attempts == 0
    assert f"could not enqueue reports.compile_consolidated_report for row {report.pk}" in caplog.text

    monkeypatch.setattr(task_type, "delay", broker_down)  # still down at the first sweep: stays queued
    assert COMPILE_JOB.sweep() == []
    assert ConsolidatedReport.objects.get(pk=report.pk).status == Status.QUEUED

    monkeypatch.undo()  # the broker is back
    assert sweep_consolidated_reports.apply().get() == [report.pk]
    report.refresh_from_db()
    assert report.status == Status.READY
    assert report.attempts == 1
    assert report.enqueued_at is not None
    assert report.snapshot["accepted_units"] == ["Phòng Quản lý khoa học"]
    assert report.transitions.filter(action="compile").count() == 1


def test_the_sweeper_does_not_publish_a_row_just_enqueued_again(queued, published, settings):
    settings.CONSOLIDATION_REQUEUE_AFTER_SECONDS = 30
    ConsolidatedReport.objects.filter(pk=queued.pk).update(enqueued_at=timezone.now())
    assert COMPILE_JOB.sweep() == []
    # Published long ago and still queued: the message was lost with the broker; publish it again.
    ConsolidatedReport.objects.filter(pk=queued.pk).update(enqueued_at=timezone.now() - timedelta(seconds=31))
    assert COMPILE_JOB.sweep() == [queued.pk]
    assert published == [queued.pk]


def test_a_claim_is_exclusive_until_its_lease_expires(queued):
    first = COMPILE_JOB.claim(queued.pk)
    assert first is not None
    queued.refresh_from_db()
    assert (queued.status, queued.attempt_token, queued.attempts) == (Status.COMPILING, first, 1)
    assert queued.lease_expires_at > timezone.now()

    assert COMPILE_JOB.claim(queued.pk) is None  # the lease is valid: nobody else may compile
    queued.refresh_from_db()
    assert (queued.attempt_token, queued.attempts) == (first, 1)

    expire_lease(queued)  # the first worker died
    second = COMPILE_JOB.claim(queued.pk)
    assert second is not None
    assert second != first
    queued.refresh_from_db()
    assert (queued.status, queued.attempt_token, queued.attempts) == (Status.COMPILING, second, 2)


def test_a_run_whose_lease_was_taken_over_does_not_overwrite(queued, monkeypatch):
    """The first run gathers past its lease; a second run claims the row meanwhile. The first must not finish."""
    gather = consolidation.gather
    taken_over = []

    def slow_gather(period):
        snapshot = gather(period)
        expire_lease(queued)
        taken_over.append(
            COMPILE_JOB.claim(queued.pk)
        )  # another worker takes the row while this one is still gathering
        return snapshot

    monkeypatch.setattr(consolidation, "gather", slow_gather)
    assert consolidation_compile(report_id=queued.pk) is None
    queued.refresh_from_db()
    assert taken_over[0] is not None
    assert queued.status == Status.COMPILING
    assert queued.attempt_token == taken_over[0]  # the second run's lease stands
    assert queued.snapshot == {}
    assert not queued.transitions.filter(action__in=["compile", "fail"]).exists()

    monkeypatch.undo()
    expire_lease(queued)  # the second run died too; a third finishes
    assert consolidation_compile(report_id=queued.pk).status == Status.READY
    queued.refresh_from_db()
    assert queued.attempts == 3
    assert queued.attempt_token is None
    assert queued.transitions.filter(action="compile").count() == 1


def test_a_stale_token_cannot_finish_even_a_failure(queued, monkeypatch):
    def failing_gather(period):
        expire_lease(queued)
        COMPILE_JOB.claim(queued.pk)
        raise RuntimeError("Mất kết nối cơ sở dữ liệu")

    monkeypatch.setattr(consolidation, "gather", failing_gather)
    assert consolidation_compile(report_id=queued.pk) is None
    queued.refresh_from_db()
    assert queued.status == Status.COMPILING  # the newer run's row, untouched by the old run's failure
    assert queued.error == ""


def test_the_sweeper_never_takes_a_row_another_worker_is_still_compiling(queued, published):
    token = COMPILE_JOB.claim(queued.pk)
    assert COMPILE_JOB.sweep() == []
    assert published == []
    queued.refresh_from_db()
    assert (queued.status, queued.attempt_token, queued.attempts) == (Status.COMPILING, token, 1)

    expire_lease(queued)  # the worker died: its lease runs out
    assert COMPILE_JOB.sweep() == [queued.pk]
    assert published == [queued.pk]


def test_a_killed_worker_s_row_is_compiled_by_the_next_run(queued):
    COMPILE_JOB.claim(queued.pk)  # a worker took it and died
    expire_lease(queued)
    assert COMPILE_JOB.sweep() == [queued.pk]  # eager: the task runs inline
    queued.refresh_from_db()
    assert queued.status == Status.READY
    assert queued.attempts == 2


def test_a_row_past_its_attempts_fails_with_a_reason(queued, published, settings):
    settings.CONSOLIDATION_MAX_ATTEMPTS = 2
    for _ in range(2):
        assert COMPILE_JOB.claim(queued.pk) is not None
        expire_lease(queued)
    assert COMPILE_JOB.claim(queued.pk) is None  # no third attempt
    assert COMPILE_JOB.sweep() == []
    assert published == []
    queued.refresh_from_db()
    assert queued.status == Status.FAILED
    assert queued.error.startswith("Tổng hợp bị gián đoạn 2 lần (quá số lần cho phép)")
    assert queued.attempt_token is None
    failure = queued.transitions.get(action="fail")
    assert (failure.from_status, failure.to_status, failure.comment) == (Status.COMPILING, Status.FAILED, queued.error)


def test_a_failing_gather_fails_the_row_with_its_reason_and_a_new_request_compiles(
    accepted, open_period, request_compile, monkeypatch
):
    def broken(period):
        raise RuntimeError("Không đọc được báo cáo của đơn vị")

    monkeypatch.setattr(consolidation, "gather", broken)
    failed = request_compile()
    assert failed.status == Status.FAILED
    assert failed.error == "RuntimeError: Không đọc được báo cáo của đơn vị"
    assert failed.attempt_token is None
    assert failed.transitions.get(action="fail").comment == failed.error

    monkeypatch.undo()
    retried = request_compile()  # the office's "retry"
    assert retried.pk != failed.pk
    assert (retried.version, retried.status, retried.previous_version_id) == (2, Status.READY, failed.pk)
    failed.refresh_from_db()
    assert failed.status == Status.SUPERSEDED
    assert list(live_rows(open_period)) == [retried]


def test_a_recompile_after_a_late_acceptance_keeps_only_the_office_s_edits(
    accepted, open_period, other_unit, other_staff, reviewer, request_compile, levels
):
    other_head = UserFactory(username="truongkhac", unit=other_unit, position="head")
    late = services.report_start(unit=other_unit, period=open_period, actor=other_staff)
    complete(late, other_staff, levels)
    services.report_submit(report=late, actor=other_head)

    first = request_compile()
    assert first.snapshot["accepted_units"] == ["Phòng Quản lý khoa học"]
    edited_text = "Nguyên nhân do Văn phòng viết lại."
    consolidation_edit(report=first, actor=reviewer, texts={"causes": edited_text})
    first_texts = {item["key"]: item["text"] for item in ConsolidatedReport.objects.get(pk=first.pk).sections["items"]}

    services.report_accept(report=late, actor=reviewer)  # accepted after the compile
    second = request_compile()

    assert (second.version, second.status, second.previous_version_id) == (2, Status.READY, first.pk)
    first.refresh_from_db()
    assert first.status == Status.SUPERSEDED
    assert list(live_rows(open_period)) == [second]
    assert second.snapshot["accepted_units"] == ["Phòng Quản lý khoa học", "Phòng Kế hoạch - Tài chính"]
    texts = {item["key"]: item["text"] for item in second.sections["items"]}
    assert texts["causes"] == edited_text  # the office's edit carried forward
    assert second.sections["edited"] == ["causes"]
    # The sections the office did not touch are compiled again: the late unit is in them.
    assert "Phòng Kế hoạch - Tài chính" in texts["results"]
    assert "Phòng Kế hoạch - Tài chính" not in first_texts["results"]
    assert texts["direction"] != first_texts["direction"]
    assert second.carried_forward
    assert second.error.startswith("Các mục đã chỉnh sửa ở bản trước được giữ nguyên")
    assert second.transitions.get(action="compile").comment == second.error

    third = request_compile()  # a further recompile keeps carrying the same edit, and only it
    assert {item["key"]: item["text"] for item in third.sections["items"]}["causes"] == edited_text
    assert third.sections["edited"] == ["causes"]
    assert list(live_rows(open_period)) == [third]


def test_a_recompile_without_edits_carries_nothing(accepted, open_period, request_compile):
    first = request_compile()
    second = request_compile()
    assert second.version == 2
    assert not second.carried_forward
    assert second.error == ""
    assert "edited" not in second.sections
    assert [item["text"] for item in second.sections["items"]] == [item["text"] for item in first.sections["items"]]


def test_a_double_click_compiles_once(accepted, open_period, reviewer, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as first_callbacks:
        first = consolidation_request(period=open_period, actor=reviewer)
    with django_capture_on_commit_callbacks(execute=False) as second_callbacks:
        second = consolidation_request(period=open_period, actor=reviewer)  # still queued: the same row
    assert second.pk == first.pk
    assert len(first_callbacks) == 1
    assert second_callbacks == []  # nothing published a second time
    for callback in first_callbacks:
        callback()
    report = ConsolidatedReport.objects.get(pk=first.pk)
    assert report.status == Status.READY
    assert report.attempts == 1
    assert ConsolidatedReport.objects.filter(period=open_period).count() == 1
    assert ConsolidatedTransition.objects.filter(report=report, action="compile").count() == 1
    assert ConsolidatedTransition.objects.filter(report=report, action="request").count() == 1


def test_a_duplicate_message_does_nothing(queued):
    assert compile_consolidated_report.apply(args=[queued.pk]).get() == Status.READY
    assert compile_consolidated_report.apply(args=[queued.pk]).get() is None  # redelivered: already done
    queued.refresh_from_db()
    assert queued.attempts == 1
    assert queued.transitions.filter(action="compile").count() == 1


def test_the_tasks_acknowledge_late_with_bounded_redelivery_and_time_limits(settings):
    compile_task = compile_consolidated_report._get_current_object()
    assert compile_task.acks_late is True
    assert compile_task.reject_on_worker_lost is True
    assert compile_task.retry_on_worker_lost is True  # a lost worker means a retry, counted ...
    assert compile_task.max_retries == settings.CONSOLIDATION_MAX_ATTEMPTS  # ... and bounded
    assert compile_task.ignore_result is True
    assert 0 < compile_task.soft_time_limit < compile_task.time_limit
    # The broker gives an unacknowledged message to another worker only after the visibility timeout:
    # it must outlast the longest run, or a slow compile would be delivered twice.
    assert settings.CELERY_BROKER_TRANSPORT_OPTIONS["visibility_timeout"] > compile_task.time_limit
    sweep_task = sweep_consolidated_reports._get_current_object()
    assert sweep_task.ignore_result is True
    assert sweep_task.expires
    assert sweep_task.time_limit
