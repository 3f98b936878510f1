"""The consolidation job with real workers on Redis, a worker killed mid-compile, and a broker down or hanging.

Transactional tests: the workers read the test database through their own connections, so the rows
must be committed. A killed worker needs a worker PROCESS (tests/consolidation_worker_process.py)
pointed at the test database by DATABASE_URL, hence PostgreSQL (SQLite's in-memory test database
cannot be shared with another process).
"""

import os
import signal
import socket
import threading
import time
from contextlib import contextmanager
from datetime import timedelta
from urllib.parse import quote

import pytest
from django.db import connection
from django.utils import timezone

from portal.celery import app
from reports.models import ConsolidatedReport
from reports.services.consolidation import COMPILE_JOB, consolidation_request
from tests.celery_worker import celery_conf, celery_eager, celery_worker  # noqa: F401 — fixtures
from tests.consolidation_worker_process import WorkerProcess
from tests.reports.test_consolidation_reliability import accepted_report
from workflow.models import OutboxMessage

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)

Status = ConsolidatedReport.Status
LEASE_SECONDS = 4
CLOSED_PORT_BROKER = "redis://127.0.0.1:1/0"


@pytest.fixture
def accepted(open_period, own_unit, staff, head, reviewer, levels):
    return accepted_report(open_period, own_unit, staff, head, reviewer, levels)


def row(report):
    return ConsolidatedReport.objects.get(pk=report.pk)


def wait_for(condition, *, timeout, what, logs=()):
    """Poll until condition() is true; fail with the workers' logs after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            output = "\n".join(f"--- {worker.log_path.name}\n{worker.output()[-4000:]}" for worker in logs)
            pytest.fail(f"still waiting for {what} after {timeout:.0f} s\n{output}")
        time.sleep(0.1)


def _clear_broker():
    """Empty the queues and forget unacknowledged messages, such as the one a killed worker held: the
    broker would deliver it again after its visibility timeout, to a worker of some later test."""
    with app.connection_for_write() as broker:
        channel = broker.default_channel
        for queue in app.amqp.queues.values():
            queue.bind(channel).purge()
        channel.client.delete(channel.unacked_key, channel.unacked_index_key)


def _forget_broker_connections():
    # The app keeps a pool of broker connections made from the URL it first used: drop it so that the next
    # publish connects to the URL configured now.
    app._pool = None
    app.amqp._producer_pool = None


@contextmanager
def broker_at(url):
    """Publish to another broker URL for a block (a closed port: Redis is down), then to the real one again."""
    with celery_conf(broker_url=url, task_always_eager=False):
        _forget_broker_connections()
        try:
            yield
        finally:
            _forget_broker_connections()


@contextmanager
def silent_server():
    """A TCP server that accepts connections and never answers: a hung Redis. Yields its port."""
    listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    listener.bind(("127.0.0.1", 0))
    listener.listen(16)
    listener.settimeout(0.1)
    accepted_sockets = []
    stop = threading.Event()

    def accept_and_ignore():
        while not stop.is_set():
            try:
                client, _ = listener.accept()
            except TimeoutError:
                continue
            except OSError:
                return
            accepted_sockets.append(client)

    thread = threading.Thread(target=accept_and_ignore, name="silent-redis", daemon=True)
    thread.start()
    try:
        yield listener.getsockname()[1]
    finally:
        stop.set()
        thread.join(timeout=5)
        for client in accepted_sockets:
            client.close()
        listener.close()
        assert not thread.is_alive()


def timed_request(period, actor):
    started = time.monotonic()
    report = consolidation_request(period=period, actor=actor)  # commits; its on-commit callback publishes
    return report, time.monotonic() - started


@pytest.mark.redis
def test_a_real_worker_compiles_the_report(celery_worker, accepted, open_period, reviewer):  # noqa: F811
    assert not app.conf.task_always_eager
    report = consolidation_request(period=open_period, actor=reviewer)  # writes the outbox row, publishes nothing
    # The worker's outbox publisher sends it to Redis (workflow.jobs.send_outbox): not run inline.
    wait_for(lambda: row(report).enqueued_at is not None, timeout=30, what="the publication")
    wait_for(lambda: row(report).status not in (Status.QUEUED, Status.COMPILING), timeout=30, what="the compile")
    report = row(report)
    assert report.status == Status.READY, report.error
    assert report.attempts == 1
    assert report.snapshot["accepted_units"] == ["Phòng Quản lý khoa học"]


@pytest.mark.redis
def test_a_compile_requested_while_redis_is_down_runs_once_it_is_back(request, accepted, open_period, reviewer):
    real_broker = app.conf.broker_url
    with broker_at(CLOSED_PORT_BROKER):
        report, elapsed = timed_request(open_period, reviewer)
    assert app.conf.broker_url == real_broker
    assert elapsed < 10, f"the request took {elapsed:.1f} s"
    report = row(report)
    assert (report.status, report.enqueued_at, report.attempts) == (Status.QUEUED, None, 0)

    # The request wrote an outbox row; nothing was published (workflow.jobs.enqueue_on_commit).
    assert list(OutboxMessage.objects.values_list("task", "args")) == [(COMPILE_JOB.task, [report.pk])]

    request.getfixturevalue("celery_worker")  # Redis is back and a worker runs: its outbox publisher sends the row
    assert not app.conf.task_always_eager
    wait_for(lambda: row(report).status not in (Status.QUEUED, Status.COMPILING), timeout=30, what="the compile")
    report = row(report)
    assert report.status == Status.READY, report.error
    assert report.attempts == 1
    assert not OutboxMessage.objects.filter(task=COMPILE_JOB.task).exists()  # sent and removed


def test_a_broker_that_never_answers_does_not_hang_the_request(accepted, open_period, reviewer):
    real_broker = app.conf.broker_url
    with silent_server() as port, broker_at(f"redis://127.0.0.1:{port}/0"):
        report, elapsed = timed_request(open_period, reviewer)
    assert (app.conf.broker_url, app.conf.task_always_eager) == (real_broker, True)
    # The broker's socket timeouts (5 s, one retry) bound the wait; without them .delay() never returns.
    assert elapsed < 15, f"the request took {elapsed:.1f} s"
    report = row(report)
    assert (report.status, report.enqueued_at, report.attempts) == (Status.QUEUED, None, 0)


def worker_environment():
    database = connection.settings_dict
    credentials = quote(database["USER"] or "", safe="")
    if database["PASSWORD"]:
        credentials += ":" + quote(database["PASSWORD"], safe="")
    host = f"{database['HOST'] or '127.0.0.1'}:{database['PORT'] or 5432}"
    return {
        "DATABASE_URL": f"postgres://{credentials}@{host}/{quote(database['NAME'], safe='')}",
        "DJANGO_DB_CONN_MAX_AGE": "0",
        "DJANGO_DEBUG": "1",
        "CONSOLIDATION_LEASE_SECONDS": str(LEASE_SECONDS),
        "CONSOLIDATION_HEARTBEAT_SECONDS": "1",  # renewed well within the short test lease
        "PYTHONUNBUFFERED": "1",
    }


@pytest.fixture
def worker_processes(transactional_db, tmp_path):
    """Start worker processes on the test database; every one is stopped after the test, and the broker emptied."""
    started = []

    def start(*, gather_delay=0, pool="solo"):
        worker = WorkerProcess(
            worker_environment(), tmp_path / f"worker-{len(started) + 1}.log", gather_delay=gather_delay, pool=pool
        )
        started.append(worker)
        return worker.start()

    _clear_broker()
    try:
        yield start
    finally:
        for worker in started:
            worker.stop()
        _clear_broker()


def children_of(pid):
    """The process ids of a process's children (Linux): a prefork worker's pool processes."""
    with open(f"/proc/{pid}/task/{pid}/children") as listing:
        return [int(child) for child in listing.read().split()]


def kill_prefork_worker(worker):
    """SIGKILL the pool child that runs the compile, then the main process and whatever else is in its group."""
    children = children_of(worker.process.pid)
    assert children, "a prefork worker runs its tasks in a child process"
    for child in children:
        os.kill(child, signal.SIGKILL)
    os.killpg(worker.process.pid, signal.SIGKILL)  # its own session (start_new_session): the main process and group
    worker.kill()  # reaps it
    assert worker.process.returncode == -9


@pytest.mark.redis
@pytest.mark.postgres
def test_a_worker_killed_mid_compile_resumes_when_a_worker_starts(
    worker_processes, accepted, open_period, reviewer, settings
):
    """Issue 16, item 3: a prefork worker's child and main process are killed mid-compile; no beat runs, so the
    only way the job resumes is the sweep the next worker runs when it starts (portal/celery.py). One result."""
    settings.CONSOLIDATION_LEASE_SECONDS = LEASE_SECONDS
    first = worker_processes(gather_delay=120, pool="prefork")  # slow enough to be caught in the middle
    with celery_conf(task_always_eager=False):
        report = consolidation_request(period=open_period, actor=reviewer)
    wait_for(lambda: row(report).status == Status.COMPILING, timeout=30, what="the first claim", logs=[first])

    kill_prefork_worker(first)  # no acknowledgement, no clean-up, no worker left
    killed = row(report)
    assert (killed.status, killed.attempts) == (Status.COMPILING, 1)
    with celery_conf(task_always_eager=False):
        if killed.lease_expires_at > timezone.now() + timedelta(seconds=0.5):
            assert COMPILE_JOB.sweep() == []  # the lease still holds: nobody else may take it yet
    # The office is told the job will be tried again once the lease ran out, and when at the latest.
    expired = killed.lease_expires_at + timedelta(seconds=0.1)
    retry = COMPILE_JOB.retry_of(killed, now=expired)
    assert retry["label"] == "Đang thử lại (lần 2/3)"
    assert (
        retry["next_try_at"]
        == (killed.lease_expires_at + timedelta(seconds=settings.CONSOLIDATION_SWEEP_SECONDS)).isoformat()
    )
    wait_for(lambda: row(report).lease_expires_at < timezone.now(), timeout=LEASE_SECONDS + 10, what="the lease")

    second = worker_processes()  # the restarted worker: its start sweeps the jobs (no beat, no sweep of ours)
    wait_for(
        lambda: row(report).status not in (Status.QUEUED, Status.COMPILING),
        timeout=60,
        what="the second run",
        logs=[first, second],
    )

    live = ConsolidatedReport.objects.filter(period=open_period).exclude(status=Status.SUPERSEDED)
    assert live.count() == 1
    finished = live.get()
    assert finished.pk == report.pk
    assert finished.status == Status.READY, finished.error
    assert finished.attempts == 2
    assert finished.snapshot["accepted_units"] == ["Phòng Quản lý khoa học"]
    assert finished.transitions.filter(action="compile").count() == 1
