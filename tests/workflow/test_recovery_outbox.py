"""Issue 16, item 4: no web request waits on the broker, hung or down.

A real redis-server, started here on a port of its own, frozen with SIGSTOP (a hung Redis: it accepts
connections in the kernel and never answers). The office asks for a compile: the request writes its outbox
row (workflow.models.OutboxMessage) and never touches the broker — no publish, no connection (Redis counts,
once thawed, every connection it accepted). Thawed, the outbox publisher sends the row; frozen again, the
publisher gives up within its short timeouts and keeps the row for the next try; the sweep sends what is left.
"""

import os
import shutil
import signal
import socket
import subprocess
import time
from unittest import mock

import pytest
import redis
from django.urls import reverse

from portal.celery import app
from reports.models import ConsolidatedReport
from reports.services.consolidation import COMPILE_JOB
from tests.conftest import IN_CI
from tests.reports.test_consolidation_reliability import accepted_report
from tests.reports.test_consolidation_worker import broker_at
from workflow import jobs
from workflow.models import OutboxMessage


@pytest.fixture(scope="module", autouse=True)
def _redis_server_program():
    """Locally a machine without the redis-server program skips these tests with the reason; in CI they fail."""
    if shutil.which("redis-server") is None:
        reason = "needs the redis-server program (apt-get install -y redis-server)"
        if IN_CI:
            pytest.fail(f"CI must run the frozen-Redis tests: {reason}")
        pytest.skip(reason)


Status = ConsolidatedReport.Status
START_SECONDS = 10


@pytest.fixture(scope="module")
def frozen_redis():
    """A redis-server of this module on a free port; the test freezes (SIGSTOP) and thaws (SIGCONT) it."""
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    server = subprocess.Popen(  # noqa: S603 — the redis-server program with our own arguments, no shell
        [shutil.which("redis-server"), "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    # One connection of the test, opened before any freeze and kept: Redis's count of connections is ours + 1.
    client = redis.Redis(host="127.0.0.1", port=port, socket_timeout=5, single_connection_client=True)
    deadline = time.monotonic() + START_SECONDS
    while True:
        try:
            client.ping()
            break
        except redis.ConnectionError:
            if time.monotonic() > deadline or server.poll() is not None:
                server.kill()
                pytest.fail("redis-server did not start")
            time.sleep(0.05)
    try:
        yield port, server, client
    finally:
        os.kill(server.pid, signal.SIGCONT)
        client.close()
        server.terminate()
        server.wait(timeout=10)


def connections_accepted(client):
    return client.info("stats")["total_connections_received"]


def test_a_request_writes_its_outbox_row_and_never_touches_a_frozen_broker(
    client, frozen_redis, open_period, own_unit, staff, head, reviewer, levels
):
    port, server, redis_client = frozen_redis
    accepted_report(open_period, own_unit, staff, head, reviewer, levels)
    client.force_login(reviewer)
    before = connections_accepted(redis_client)
    os.kill(server.pid, signal.SIGSTOP)
    try:
        with (
            broker_at(f"redis://127.0.0.1:{port}/0"),
            mock.patch("kombu.messaging.Producer.publish", side_effect=AssertionError("published")) as publish,
            mock.patch.object(app, "connection_for_write", side_effect=AssertionError("connected")) as connect,
        ):
            response = client.post(reverse("reports:consolidated_request", args=[open_period.code]))
    finally:
        os.kill(server.pid, signal.SIGCONT)
    report = ConsolidatedReport.objects.get(period=open_period)
    assert response.status_code == 302
    assert response["Location"] == reverse("reports:consolidated_detail", args=[report.pk])
    assert (report.status, report.enqueued_at, report.attempts) == (Status.QUEUED, None, 0)
    assert list(OutboxMessage.objects.values_list("task", "args", "attempts")) == [(COMPILE_JOB.task, [report.pk], 0)]
    assert (publish.call_count, connect.call_count) == (0, 0)
    assert connections_accepted(redis_client) == before  # no connection reached Redis while it was frozen
    assert redis_client.llen("celery") == 0


def test_the_publisher_sends_when_redis_answers_and_keeps_the_row_when_it_hangs(
    frozen_redis, open_period, own_unit, staff, head, reviewer, levels, settings
):
    port, server, redis_client = frozen_redis
    settings.OUTBOX_TIMEOUT_SECONDS = 1
    accepted_report(open_period, own_unit, staff, head, reviewer, levels)
    first = ConsolidatedReport.objects.create(period=open_period, version=1, requested_by=reviewer)
    with broker_at(f"redis://127.0.0.1:{port}/0"):
        COMPILE_JOB.enqueue_on_commit(first.pk)
        os.kill(server.pid, signal.SIGSTOP)
        try:
            assert jobs.send_outbox() == []  # gives up after its timeouts (1 s, no retry)
        finally:
            os.kill(server.pid, signal.SIGCONT)
        kept = OutboxMessage.objects.get()
        assert (kept.args, kept.attempts) == ([first.pk], 1)
        assert kept.error
        assert ConsolidatedReport.objects.get(pk=first.pk).enqueued_at is None

        redis_client.delete("celery")
        unknown = OutboxMessage.objects.create(task="tasks.gone", args=[1])  # a task this code does not have
        jobs.sweep_all()  # a worker that starts: the sweep sends what was left
    assert list(OutboxMessage.objects.values_list("pk", "attempts", "error")) == [
        (unknown.pk, 1, "unknown task tasks.gone")
    ]
    assert ConsolidatedReport.objects.get(pk=first.pk).enqueued_at is not None
    assert redis_client.llen("celery") >= 1  # the outbox's message (the job's own sweep may publish it again)
    redis_client.delete("celery")


def test_any_task_asked_from_a_request_is_an_outbox_row(db, frozen_redis):
    """What notifications.notify uses for its e-mails: the task's name and its JSON arguments, no broker."""
    port, _server, _client = frozen_redis
    with (
        broker_at(f"redis://127.0.0.1:{port}/0"),
        mock.patch("kombu.messaging.Producer.publish", side_effect=AssertionError("published")),
    ):
        jobs.publish_on_commit("notifications.send_emails", [5, 7])
    assert list(OutboxMessage.objects.values_list("task", "args")) == [("notifications.send_emails", [[5, 7]])]
