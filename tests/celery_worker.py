"""Celery in the tests: tasks run inline by default; a test that asks for `celery_worker` gets a real one.

Settings make Celery eager only when REDIS_URL is unset, and CI sets REDIS_URL for the whole run:
without `celery_eager` every `.delay()` of the suite would go to Redis, where nothing consumes it,
and the tests expecting its effects (an e-mail in the outbox) would fail in CI only. tests/conftest.py
imports `celery_eager` (autouse) so it applies to every test; it steps aside for tests that ask for
`celery_worker`.

`celery_worker` starts a real worker (solo pool) in a thread of the test process, consuming from
the Redis broker of REDIS_URL. Being in the same process, it reads the test database and
Django's locmem outbox; its own database connection sees only committed rows, so the test must be
transactional — the fixture asks for `transactional_db` itself. Mark such tests
`@pytest.mark.redis` and `@pytest.mark.django_db(transaction=True, serialized_rollback=True)`
(serialized rollback puts back, before the test, the rows data migrations made, which the flush after
an earlier transactional test removed).
"""

import os
import time
from contextlib import contextmanager

import pytest
from celery.contrib.testing.worker import start_worker
from celery.signals import setup_logging, task_postrun
from django.db import connections

from portal.celery import app

REAL_WORKER_FIXTURE = "celery_worker"
WORKER_SHUTDOWN_SECONDS = 30


@contextmanager
def celery_conf(**values):
    """Set Celery configuration values for a block and put the old ones back after it."""
    old = {key: app.conf[key] for key in values}
    app.conf.update(values)
    try:
        yield
    finally:
        app.conf.update(old)


@pytest.fixture(autouse=True)
def celery_eager(request):
    """Run tasks inline (exceptions propagate), unless the test asked for a real worker."""
    if REAL_WORKER_FIXTURE in request.fixturenames:
        yield False
        return
    with celery_conf(task_always_eager=True, task_eager_propagates=True):
        yield True


def _keep_celery_off_logging(**kwargs):
    """A setup_logging receiver: its presence tells the embedded worker to leave pytest's logging alone."""


def _worker_thread_connections_closed(sender=None, **kwargs):
    # The worker thread opens its own database connections: close them after every task it runs, as
    # Celery's Django fixup does in a real worker (the embedded worker does not install it), so none
    # outlives the test: PostgreSQL would refuse to drop the test database at the end of the session.
    if sender is not None and not getattr(sender.request, "is_eager", False):
        connections.close_all()


def _purge_queues():
    with app.connection_for_write() as connection:
        for queue in app.amqp.queues.values():
            queue.bind(connection.default_channel).purge()


@pytest.fixture
def celery_worker(transactional_db):
    """A real Celery worker on REDIS_URL, in a thread of this process, stopped after the test."""
    if not os.environ.get("REDIS_URL"):
        pytest.fail("celery_worker needs REDIS_URL: mark the test @pytest.mark.redis")
    # Settings read REDIS_URL when the process started: the broker is already Redis, not memory://.
    assert app.conf.broker_url == os.environ["REDIS_URL"]
    setup_logging.connect(_keep_celery_off_logging)
    task_postrun.connect(_worker_thread_connections_closed)
    try:
        with celery_conf(task_always_eager=False):
            _purge_queues()  # messages left by an earlier, interrupted run would run against this database
            with start_worker(
                app,
                pool="solo",
                concurrency=1,
                perform_ping_check=False,
                shutdown_timeout=WORKER_SHUTDOWN_SECONDS,
            ) as worker:
                yield worker
            _purge_queues()
    finally:
        task_postrun.disconnect(_worker_thread_connections_closed)
        setup_logging.disconnect(_keep_celery_off_logging)


def wait_until(condition, timeout=20.0, interval=0.1):
    """Poll until condition() is true; fail the test after timeout seconds."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            pytest.fail(f"still waiting after {timeout:.0f} s")
        time.sleep(interval)
