"""Issue 16, item 3: recovery in seconds — what the office is told while a job is tried again, the sweep of every
leased job that a starting worker runs, and leases renewed through a failed renewal.

The real worker killed mid-compile and resumed by the next worker's start is in
tests/reports/test_consolidation_worker.py (PostgreSQL and Redis); the time it takes is bench/recovery.py.
"""

import threading
from datetime import UTC, datetime, timedelta

import pytest
from django.urls import reverse

from reports.models import ConsolidatedReport
from reports.services.consolidation import COMPILE_JOB, consolidation_request
from tests.reports.test_consolidation_reliability import accepted_report
from workflow import jobs

Status = ConsolidatedReport.Status
# 07:00:00 UTC is 14:00:00 in Asia/Ho_Chi_Minh; the sweep runs every 10 s, so the next try starts by 14:00:10.
EXPIRES = datetime(2026, 12, 7, 7, 0, 0, tzinfo=UTC)


@pytest.fixture(autouse=True)
def sweep_every_ten_seconds(settings):
    settings.CONSOLIDATION_SWEEP_SECONDS = 10
    settings.CONSOLIDATION_MAX_ATTEMPTS = 3


def compiling(attempts, expires=EXPIRES):
    return ConsolidatedReport(status=Status.COMPILING, attempts=attempts, lease_expires_at=expires)


def at(seconds):
    return EXPIRES + timedelta(seconds=seconds)


def test_a_first_attempt_that_holds_its_lease_is_no_retry():
    assert COMPILE_JOB.retry_of(compiling(1), now=at(-5)) is None


def test_a_first_attempt_whose_lease_ran_out_is_retried_by_the_next_sweep():
    assert COMPILE_JOB.retry_of(compiling(1), now=at(5)) == {
        "attempt": 2,
        "max_attempts": 3,
        "next_try_at": "2026-12-07T07:00:10+00:00",
        "label": "Đang thử lại (lần 2/3)",
        "detail": "Lần chạy trước bị gián đoạn; lần thử tiếp theo bắt đầu chậm nhất lúc 14:00:10.",
    }


def test_a_retry_past_its_time_waits_for_a_worker_and_says_so():
    retry = COMPILE_JOB.retry_of(compiling(1), now=at(30))
    assert retry["label"] == "Đang thử lại (lần 2/3)"
    assert retry["detail"] == "Lần chạy trước bị gián đoạn; lần thử tiếp theo bắt đầu khi tiến trình nền sẵn sàng."


def test_a_second_attempt_that_runs_says_when_a_third_would_start():
    retry = COMPILE_JOB.retry_of(compiling(2), now=at(-20))
    assert (retry["label"], retry["next_try_at"]) == ("Đang thử lại (lần 2/3)", "2026-12-07T07:00:10+00:00")
    assert retry["detail"] == (
        "Lần chạy trước bị gián đoạn. Nếu lần này cũng dừng, lần thử tiếp theo bắt đầu chậm nhất lúc 14:00:10."
    )


def test_the_last_attempt_announces_no_further_try():
    retry = COMPILE_JOB.retry_of(compiling(3), now=at(-20))
    assert (retry["label"], retry["next_try_at"]) == ("Đang thử lại (lần 3/3)", None)
    assert retry["detail"] == "Lần chạy trước bị gián đoạn; đây là lần thử cuối cùng."
    assert COMPILE_JOB.retry_of(compiling(3), now=at(5)) is None  # the sweep fails it: no retry to announce


@pytest.mark.parametrize("status", [Status.QUEUED, Status.READY, Status.FAILED])
def test_a_row_not_running_is_no_retry(status):
    row = ConsolidatedReport(status=status, attempts=1, lease_expires_at=EXPIRES)
    assert COMPILE_JOB.retry_of(row, now=at(5)) is None


@pytest.fixture
def queued(open_period, own_unit, staff, head, reviewer, levels):
    accepted_report(open_period, own_unit, staff, head, reviewer, levels)
    return consolidation_request(period=open_period, actor=reviewer)  # its on-commit publish never runs


def test_the_office_page_and_the_status_say_retrying_and_when(client, reviewer, queued):
    # The second attempt runs under a lease that ends at 00:00:00 UTC (07:00:00 local) on 01/01/2099.
    ConsolidatedReport.objects.filter(pk=queued.pk).update(
        status=Status.COMPILING, attempts=2, lease_expires_at=datetime(2099, 1, 1, tzinfo=UTC)
    )
    client.force_login(reviewer)
    page = client.get(reverse("reports:consolidated_detail", args=[queued.pk])).content.decode()
    assert "<strong data-status-label>Đang thử lại (lần 2/3)</strong>" in page
    assert "lần thử tiếp theo bắt đầu chậm nhất lúc 07:00:10." in page
    state = client.get(reverse("reports:consolidated_status", args=[queued.pk])).json()
    assert (state["status"], state["attempts"], state["retry"]["label"]) == ("compiling", 2, "Đang thử lại (lần 2/3)")


def test_a_first_compile_shows_no_retry(client, reviewer, queued):
    client.force_login(reviewer)
    page = client.get(reverse("reports:consolidated_detail", args=[queued.pk])).content.decode()
    assert "<strong data-status-label>Đang chờ tổng hợp</strong>" in page
    assert "Đang thử lại" not in page
    assert 'data-job-retry data-testid="consolidated-retry" hidden' in page
    assert "retry" not in client.get(reverse("reports:consolidated_status", args=[queued.pk])).json()


def test_sweep_all_resumes_a_job_whose_worker_died_and_survives_a_failing_sweep(queued, monkeypatch):
    """What a worker runs when it starts; here Celery is inline, so the published compile runs at once."""
    ConsolidatedReport.objects.filter(pk=queued.pk).update(
        status=Status.COMPILING, attempts=1, lease_expires_at=datetime(2020, 1, 1, tzinfo=UTC)
    )
    broken = jobs.LeasedJob(
        model=ConsolidatedReport,
        task="tests.broken_sweep",
        settings_prefix="CONSOLIDATION",
        state="status",
        queued=Status.QUEUED,
        running=Status.COMPILING,
        failed=Status.FAILED,
        gave_up="",
    )
    monkeypatch.setitem(jobs.JOBS, "tests.broken_sweep", broken)  # sorts before "reports.…": it runs first

    def broken_sweep():
        raise ConnectionError("the broker is down")

    monkeypatch.setattr(broken, "sweep", broken_sweep)
    published = jobs.sweep_all()
    assert "tests.broken_sweep" not in published
    assert published["reports.compile_consolidated_report"] == [queued.pk]
    report = ConsolidatedReport.objects.get(pk=queued.pk)
    assert (report.status, report.attempts) == (Status.READY, 2)


def test_keep_alive_goes_on_renewing_after_a_failed_renewal(settings, monkeypatch):
    settings.CONSOLIDATION_HEARTBEAT_SECONDS = 0.01
    calls = []
    third = threading.Event()

    def heartbeat(pk, token):
        calls.append(pk)
        if len(calls) == 3:
            third.set()
        if len(calls) == 1:
            raise ConnectionError("the database went away for a moment")
        return True

    monkeypatch.setattr(COMPILE_JOB, "heartbeat", heartbeat)
    with COMPILE_JOB.keep_alive(7, "token") as lease:
        assert third.wait(timeout=10)
        assert lease.held
    assert calls[:3] == [7, 7, 7]
