"""Health of every process (portal/health.py): the heartbeats of the workers and beat, the jobs that wait, the
office's banner "Hệ thống xử lý nền đang chậm", and a real worker's heartbeat.

The fast tests write and age the heartbeats by hand, at a fixed clock (`clock`), in the default cache (a locmem
cache every test starts empty); they leave the inline mode of the suite (tasks run eagerly) to see what a
deployment with Redis sees.
"""

import os
from datetime import timedelta
from types import SimpleNamespace
from unittest import mock

import pytest
from celery.beat import PersistentScheduler
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test import override_settings
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.models import StoredFiles
from portal import celery as celery_module
from portal import health
from portal.celery import HeartbeatScheduler, app
from tests.celery_worker import celery_conf, celery_eager, celery_worker, wait_until  # noqa: F401 — fixtures
from units.models import User
from workflow.jobs import waiting_jobs

T = 1_800_000_000.0  # the clock of the fast tests (epoch seconds)
BANNER = "Hệ thống xử lý nền đang chậm"
LIMITS = {"worker_seconds": 60, "beat_seconds": 60, "slow_after_seconds": 60}
SETTINGS = {
    "HEALTH_CACHE": "default",
    "HEALTH_HEARTBEAT_SECONDS": 15,
    "HEALTH_WORKER_MAX_AGE_SECONDS": 60,
    "HEALTH_BEAT_MAX_AGE_SECONDS": 60,
    "HEALTH_FORGET_WORKER_SECONDS": 3600,
    "JOBS_SLOW_AFTER_SECONDS": 60,
    # No broker to ask in the fast tests: /healthz/jobs reports the heartbeats alone.
    "REDIS_URL": "",
}


@pytest.fixture(autouse=True)
def _health_settings():
    with override_settings(**SETTINGS):
        health._cache_unreachable_until = 0.0
        yield
        health._cache_unreachable_until = 0.0


@pytest.fixture
def clock():
    """portal.health's clock, stopped at T; `clock.at(t)` moves it."""
    fake = SimpleNamespace(now=T)
    fake.time = lambda: fake.now
    fake.monotonic = lambda: fake.now

    def at(value):
        fake.now = value

    fake.at = at
    with mock.patch.object(health, "time", fake):
        yield fake


@pytest.fixture
def with_workers():
    """Tasks go to workers (a deployment with Redis), not inline as in the rest of the suite."""
    with celery_conf(task_always_eager=False):
        yield


@pytest.fixture
def waiting():
    """The jobs that wait, as workflow's provider would list them; the test sets `waiting.keys`."""
    provider = SimpleNamespace(keys=[])
    with mock.patch.object(health, "_waiting_job_providers", [lambda limit: provider.keys]):
        yield provider


def jobs(client):
    response = client.get("/healthz/jobs")
    assert "no-store" in response["Cache-Control"]
    return response.status_code, response.json()


# -- /healthz/jobs -----------------------------------------------------------------------------------------------


def test_inline_tasks_say_so_and_answer_200(db, client):
    """`make run`: no Redis, tasks run in the request, no worker or beat to wait for."""
    status, body = jobs(client)
    assert status == 200
    assert body["status"] == "ok"
    assert body["jobs"] == "inline"
    assert body["workers"] == "inline"
    assert body["beat"] == "inline"
    assert body["broker"] == "inline"
    assert body["queue_length"] is None


@pytest.mark.usefixtures("with_workers", "waiting")
def test_fresh_heartbeats_answer_200_with_their_ages(db, client, clock, waiting):
    health.worker_alive("celery@web1", now=T - 5)
    health.worker_alive("celery@web2", now=T - 59)
    health.beat_alive(now=T - 12)
    waiting.keys = ["reports.compile_consolidated_report:7"]
    health.measure_backlog(now=T - 20)
    status, body = jobs(client)
    assert status == 200
    assert body == {
        "status": "ok",
        "database": "ok",
        "broker": "inline",
        "queue_length": None,
        "jobs": "ok",
        "workers": [
            {"name": "celery@web1", "age_seconds": 5.0, "status": "ok"},
            {"name": "celery@web2", "age_seconds": 59.0, "status": "ok"},
        ],
        "beat": {"status": "ok", "age_seconds": 12.0},
        "waiting_jobs": 1,
        "oldest_waiting_job": {"job": "reports.compile_consolidated_report:7", "age_seconds": 20.0},
        "measured_seconds_ago": 20.0,
        "limits": LIMITS,
    }


@pytest.mark.usefixtures("with_workers")
def test_a_stale_worker_answers_503(db, client, clock):
    health.worker_alive("celery@web1", now=T - 5)
    health.worker_alive("celery@web2", now=T - 61)
    health.beat_alive(now=T - 5)
    status, body = jobs(client)
    assert status == 503
    assert body["status"] == "error"
    assert body["jobs"] == "error"
    assert body["workers"][1] == {"name": "celery@web2", "age_seconds": 61.0, "status": "stale"}
    assert body["database"] == "ok"
    # The load balancer's probe still answers about the web process alone.
    assert client.get("/healthz").status_code == 200


@pytest.mark.usefixtures("with_workers")
def test_a_stale_beat_answers_503(db, client, clock):
    health.worker_alive("celery@web1", now=T - 5)
    health.beat_alive(now=T - 75)
    status, body = jobs(client)
    assert status == 503
    assert body["beat"] == {"status": "stale", "age_seconds": 75.0}


@pytest.mark.usefixtures("with_workers")
def test_no_worker_or_no_beat_answers_503(db, client, clock):
    health.beat_alive(now=T)
    status, body = jobs(client)
    assert (status, body["workers"]) == (503, [])
    health.worker_alive("celery@web1", now=T)
    assert jobs(client)[0] == 200
    health.health_cache().delete(health.BEAT_KEY)
    status, body = jobs(client)
    assert (status, body["beat"]) == (503, {"status": "missing", "age_seconds": None})


@pytest.mark.usefixtures("with_workers")
def test_a_worker_stopped_cleanly_is_no_longer_expected(db, client, clock):
    health.beat_alive(now=T)
    health.worker_alive("celery@web1", now=T)
    health.worker_alive("celery@web2", now=T - 300)
    assert jobs(client)[0] == 503
    health.worker_stopped("celery@web2")
    status, body = jobs(client)
    assert status == 200
    assert [worker["name"] for worker in body["workers"]] == ["celery@web1"]


@pytest.mark.usefixtures("with_workers")
def test_an_unreachable_health_cache_answers_503(db, client):
    with mock.patch.object(health, "health_cache", side_effect=ConnectionError("redis down")):
        status, body = jobs(client)
    assert status == 503
    assert body["jobs"] == "error"
    assert "redis down" not in str(body)


def test_only_get_and_head(db, client):
    assert client.post("/healthz/jobs").status_code == 405
    assert client.head("/healthz/jobs").status_code == 200


# -- the jobs that wait ------------------------------------------------------------------------------------------


def test_a_waiting_job_keeps_the_time_it_was_first_seen(db, clock, waiting):
    waiting.keys = ["documents.render_stored_files:3"]
    health.measure_backlog(now=T)
    waiting.keys = ["documents.render_stored_files:3", "awards.render_award_document:9"]
    backlog = health.measure_backlog(now=T + 45)
    assert backlog["first_seen"] == {"documents.render_stored_files:3": T, "awards.render_award_document:9": T + 45}
    assert (backlog["oldest"], backlog["oldest_since"], backlog["waiting"]) == ("documents.render_stored_files:3", T, 2)
    # The first one ran: the second is now the oldest, since it was first seen.
    waiting.keys = ["awards.render_award_document:9"]
    backlog = health.measure_backlog(now=T + 60)
    assert backlog["first_seen"] == {"awards.render_award_document:9": T + 45}
    waiting.keys = []
    backlog = health.measure_backlog(now=T + 75)
    assert (backlog["oldest"], backlog["oldest_since"], backlog["waiting"]) == (None, None, 0)


def test_the_leased_jobs_list_their_queued_rows_and_expired_leases(db):
    """workflow.jobs.waiting_jobs: queued rows and rows whose worker died wait; a live lease or a done row does not."""
    owner_type = ContentType.objects.get_for_model(User)
    now = timezone.now()
    states = {
        1: {"render_status": "queued"},
        2: {"render_status": "rendering", "lease_expires_at": now - timedelta(seconds=5)},
        3: {"render_status": "rendering", "lease_expires_at": now + timedelta(seconds=60)},
        4: {"render_status": "ready"},
        5: {"render_status": "failed"},
    }
    rows = {
        owner: StoredFiles.objects.create(owner_type=owner_type, owner_id=900 + owner, **fields)
        for owner, fields in states.items()
    }
    keys = [key for key in waiting_jobs(100) if key.startswith("documents.render_stored_files:")]
    assert keys == [f"documents.render_stored_files:{rows[1].pk}", f"documents.render_stored_files:{rows[2].pk}"]
    assert [key for key in waiting_jobs(1) if key.startswith("documents.")] == keys[:1]


def test_workflow_registers_its_waiting_jobs():
    assert waiting_jobs in health._waiting_job_providers


# -- the heartbeats' writers (portal/celery.py) ------------------------------------------------------------------


@pytest.mark.usefixtures("with_workers")
def test_beat_writes_its_heartbeat_as_it_ticks(db, clock):
    scheduler = object.__new__(HeartbeatScheduler)
    with (
        mock.patch.object(PersistentScheduler, "tick", return_value=300.0),
        mock.patch.object(celery_module, "time", clock),
    ):
        assert scheduler.tick() == 15  # beat ticks at least every heartbeat
        assert health.health_cache().get(health.BEAT_KEY) == T
        clock.at(T + 5)
        scheduler.tick()  # within half a heartbeat: not written again
        assert health.health_cache().get(health.BEAT_KEY) == T
        clock.at(T + 8)
        scheduler.tick()
        assert health.health_cache().get(health.BEAT_KEY) == T + 8
    assert health.health_cache().get(health.BACKLOG_KEY)["measured_at"] == T + 8


def test_a_heartbeat_that_fails_never_stops_the_process(db):
    with mock.patch.object(health, "worker_alive", side_effect=ConnectionError("redis down")):
        health.background_tick(hostname="celery@web1")  # logged, not raised
    assert health.health_cache().get(health.BACKLOG_KEY) is None


def test_the_worker_steps_include_the_heartbeat():
    assert any(step.__name__ == "WorkerHeartbeat" for step in app.steps["consumer"])


# -- the office's banner -----------------------------------------------------------------------------------------


def home(client):
    """The home page's text and the number of queries it made."""
    with CaptureQueriesContext(connection) as captured:
        response = client.get("/")
    assert response.status_code == 200
    return response.content.decode(), len(captured.captured_queries)


@pytest.mark.usefixtures("with_workers")
def test_the_banner_tells_the_office_when_a_job_waits_longer_than_a_minute(client, reviewer, staff, clock, waiting):
    waiting.keys = ["reports.compile_consolidated_report:4"]
    health.measure_backlog(now=T - 61)
    health.measure_backlog(now=T - 1)  # a worker measured again a second ago: the job still waits
    client.force_login(reviewer)
    home(client)  # the first page after signing in
    page, slow_queries = home(client)
    assert BANNER in page
    # The banner costs no query: the same page without it makes as many.
    waiting.keys = []
    health.measure_backlog(now=T)
    page, queries = home(client)
    assert BANNER not in page
    assert slow_queries == queries
    waiting.keys = ["reports.compile_consolidated_report:4"]
    health.measure_backlog(now=T - 120)
    client.force_login(staff)  # not the office: never shown
    assert BANNER not in home(client)[0]


@pytest.mark.usefixtures("with_workers")
def test_no_banner_while_jobs_wait_a_minute_or_less(client, reviewer, clock, waiting):
    waiting.keys = ["reports.compile_consolidated_report:4"]
    health.measure_backlog(now=T - 60)
    health.measure_backlog(now=T)
    client.force_login(reviewer)
    assert BANNER not in client.get("/").content.decode()
    waiting.keys = []
    health.measure_backlog(now=T)
    clock.at(T + 59)
    assert BANNER not in client.get("/").content.decode()


@pytest.mark.usefixtures("with_workers")
def test_the_banner_shows_when_nothing_measures_the_jobs(client, reviewer, clock, waiting):
    """No worker or beat has measured the jobs for over a minute: nothing runs them."""
    health.measure_backlog(now=T - 61)
    client.force_login(reviewer)
    assert BANNER in client.get("/").content.decode()
    health.health_cache().delete(health.BACKLOG_KEY)
    assert BANNER in client.get("/").content.decode()


@pytest.mark.usefixtures("with_workers")
def test_an_unreachable_cache_shows_the_banner_and_is_not_asked_again_at_once(reviewer, clock):
    failing = mock.Mock(side_effect=ConnectionError("redis hung"))
    with mock.patch.object(health, "health_cache", failing):
        assert health.show_jobs_banner(reviewer) is True
        assert health.show_jobs_banner(reviewer) is True
        assert failing.call_count == 1
        clock.at(T + health.CACHE_RETRY_SECONDS + 1)
        assert health.show_jobs_banner(reviewer) is True
        assert failing.call_count == 2


def test_no_banner_when_tasks_run_inline(client, reviewer, clock, waiting):
    """`make run`: tasks run in the request, nothing waits for a worker."""
    waiting.keys = ["reports.compile_consolidated_report:4"]
    health.measure_backlog(now=T - 600)
    client.force_login(reviewer)
    assert BANNER not in client.get("/").content.decode()


# -- a real worker -----------------------------------------------------------------------------------------------


@pytest.mark.redis
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
def test_a_real_worker_writes_its_heartbeat(request, client):
    """A real Celery worker (tests/celery_worker.py) beats into the Redis health cache as it starts and from its
    timer; /healthz/jobs lists it, fresh."""
    redis_health = {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["REDIS_URL"],  # this xdist worker's own database
        "KEY_PREFIX": "health-test",
    }
    with override_settings(
        CACHES={**settings.CACHES, "health-test": redis_health}, HEALTH_CACHE="health-test", HEALTH_HEARTBEAT_SECONDS=1
    ):
        cache = health.health_cache()
        cache.delete_many([health.WORKERS_KEY, health.BEAT_KEY, health.BACKLOG_KEY])
        worker = request.getfixturevalue("celery_worker")
        try:
            wait_until(lambda: worker.hostname in (cache.get(health.WORKERS_KEY) or []), timeout=20)
            first = cache.get(health.WORKER_KEY.format(worker.hostname))
            wait_until(lambda: cache.get(health.WORKER_KEY.format(worker.hostname)) > first, timeout=20)
            health.beat_alive()
            status, body = jobs(client)
            assert status == 200, body
            assert [w["name"] for w in body["workers"]] == [worker.hostname]
            assert body["workers"][0]["status"] == "ok"
            assert body["measured_seconds_ago"] is not None
        finally:
            cache.delete_many(
                [health.WORKERS_KEY, health.BEAT_KEY, health.BACKLOG_KEY, health.WORKER_KEY.format(worker.hostname)]
            )
