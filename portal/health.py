"""Health: /healthz for the load balancer (this web process's database and broker), /healthz/jobs for the rest.

/healthz answers about the web process only, as a load balancer needs: a dead worker must not take the web
out of rotation. /healthz/jobs adds the background processes: the heartbeat of each Celery worker and of beat
(their ages), the broker's queue length and how long the oldest waiting job has waited; it answers 503 when a
heartbeat is missing or older than its limit (HEALTH_WORKER_MAX_AGE_SECONDS, HEALTH_BEAT_MAX_AGE_SECONDS).

The heartbeats live in the cache named by HEALTH_CACHE, which every process shares (Redis when REDIS_URL is
set). The worker writes its own from a timer of its consumer, beat from its scheduler's tick (portal/celery.py),
each every HEALTH_HEARTBEAT_SECONDS, together with a measure of the jobs that wait (`measure_backlog`). Without
Redis, tasks run inline in the web process (`make run`): there is no worker or beat to watch, and /healthz/jobs
says "inline" and answers 200.

The office's pages show "Hệ thống xử lý nền đang chậm" when a job has waited longer than
JOBS_SLOW_AFTER_SECONDS, or when no background process has measured the jobs for that long (nothing runs them):
one cache read per page, no query (`show_jobs_banner`, portal.context_processors.jobs_banner).

Registries (an app below plugs in from its AppConfig.ready()): `register_waiting_jobs(provider)` — the rows
waiting for a worker, as "task:pk" keys (workflow registers its leased jobs); `register_jobs_banner_audience(
predicate)` — who sees the banner (reports registers the office).
"""

import logging
import time

import redis
from celery import current_app
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.core.cache import caches
from django.db import DatabaseError, connection, connections
from django.http import JsonResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2
# Keys of the health cache.
WORKER_KEY = "worker:{}"  # one per worker (its hostname): the time of its last heartbeat
WORKERS_KEY = "workers"  # the hostnames of the workers seen
BEAT_KEY = "beat"
BACKLOG_KEY = "jobs"  # the last measure of the waiting jobs
# The waiting jobs remembered with the time a measure first saw them; beyond, the oldest are kept.
BACKLOG_REMEMBERED = 1000
# After a failed read of the health cache (Redis down or hung), pages do not try again for this long.
CACHE_RETRY_SECONDS = 30

_waiting_job_providers = []
_banner_audience = []
_cache_unreachable_until = 0.0


def register_waiting_jobs(provider):
    """provider(limit) → "task:pk" keys of the rows waiting for a worker (at most `limit`), read in a few queries."""
    if provider not in _waiting_job_providers:
        _waiting_job_providers.append(provider)


def register_jobs_banner_audience(predicate):
    """predicate(user) → whether the person sees "Hệ thống xử lý nền đang chậm" (any registered one suffices)."""
    if predicate not in _banner_audience:
        _banner_audience.append(predicate)


def health_cache():
    return caches[settings.HEALTH_CACHE]


def jobs_inline():
    """Tasks run inline in the calling process (no Redis: `make run`, and the test suite): no worker, no beat."""
    return bool(current_app.conf.task_always_eager)


# -- written by the background processes (portal/celery.py) ---------------------------------------------------


def worker_alive(hostname, now=None):
    """Record a worker's heartbeat; a worker not heard of for HEALTH_FORGET_WORKER_SECONDS is forgotten."""
    now = time.time() if now is None else now
    cache = health_cache()
    cache.set(WORKER_KEY.format(hostname), now, timeout=settings.HEALTH_FORGET_WORKER_SECONDS)
    names = cache.get(WORKERS_KEY) or []
    if hostname not in names:
        # Two workers starting together may each write the list without the other: each adds itself again on its
        # next heartbeat. Names whose heartbeat was forgotten leave the list here.
        known = cache.get_many([WORKER_KEY.format(name) for name in names])
        kept = [name for name in names if WORKER_KEY.format(name) in known]
        cache.set(WORKERS_KEY, sorted({*kept, hostname}), timeout=None)


def worker_stopped(hostname):
    """A worker shut down cleanly: it is no longer expected (a killed one stays, and its heartbeat ages)."""
    cache = health_cache()
    cache.delete(WORKER_KEY.format(hostname))
    names = cache.get(WORKERS_KEY) or []
    if hostname in names:
        cache.set(WORKERS_KEY, [name for name in names if name != hostname], timeout=None)


def beat_alive(now=None):
    health_cache().set(BEAT_KEY, time.time() if now is None else now, timeout=None)


def measure_backlog(now=None):
    """Record which jobs wait for a worker and since when, as first seen by a measure (within one heartbeat).

    No column of a job's row says since when it waits (`enqueued_at` moves with every publication), so each
    measure keeps the time the previous ones first saw each waiting row.
    """
    now = time.time() if now is None else now
    cache = health_cache()
    previous = cache.get(BACKLOG_KEY) or {}
    seen = previous.get("first_seen", {})
    waiting = [key for provider in _waiting_job_providers for key in provider(BACKLOG_REMEMBERED)]
    by_age = sorted(((key, seen.get(key, now)) for key in waiting), key=lambda item: item[1])
    first_seen = dict(by_age[:BACKLOG_REMEMBERED])
    oldest = next(iter(first_seen.items()), (None, None))
    backlog = {
        "measured_at": now,
        "waiting": len(waiting),
        "oldest": oldest[0],
        "oldest_since": oldest[1],
        "first_seen": first_seen,
    }
    cache.set(BACKLOG_KEY, backlog, timeout=None)
    return backlog


def background_tick(*, hostname=None):
    """One heartbeat of a background process: a worker (`hostname`) or beat; never raises."""
    try:
        if hostname is None:
            beat_alive()
        else:
            worker_alive(hostname)
        measure_backlog()
    except Exception:  # noqa: BLE001 — a missed heartbeat shows as its age; it must not stop the process.
        logger.warning("could not write the heartbeat of %s", hostname or "beat", exc_info=True)
    finally:
        # A connection held between beats would outlive a restarted database: one per beat is cheap (never inside
        # a transaction, which only a test wraps around a beat).
        for each in connections.all(initialized_only=True):
            if not each.in_atomic_block:
                each.close()


# -- read by the web ---------------------------------------------------------------------------------------------


def _age(now, at):
    return None if at is None else round(max(now - at, 0.0), 1)


def jobs_state(now=None):
    """The background processes as the health cache knows them: (healthy, body)."""
    now = time.time() if now is None else now
    limits = {
        "worker_seconds": settings.HEALTH_WORKER_MAX_AGE_SECONDS,
        "beat_seconds": settings.HEALTH_BEAT_MAX_AGE_SECONDS,
        "slow_after_seconds": settings.JOBS_SLOW_AFTER_SECONDS,
    }
    try:
        cache = health_cache()
        names = cache.get(WORKERS_KEY) or []
        values = cache.get_many([BEAT_KEY, BACKLOG_KEY, *(WORKER_KEY.format(name) for name in names)])
    except Exception:  # noqa: BLE001 — the cache is down or hangs; the exception text may name hosts.
        logger.exception("Health check: the health cache did not answer.")
        return False, {"jobs": "error", "limits": limits}
    if jobs_inline():
        workers = beat = "inline"
        healthy = True
    else:
        workers = []
        for name in names:
            at = values.get(WORKER_KEY.format(name))
            if at is not None:
                age = _age(now, at)
                fresh = age <= limits["worker_seconds"]
                workers.append({"name": name, "age_seconds": age, "status": "ok" if fresh else "stale"})
        beat_at = values.get(BEAT_KEY)
        beat_age = _age(now, beat_at)
        if beat_at is None:
            beat = {"status": "missing", "age_seconds": None}
        else:
            beat = {"status": "ok" if beat_age <= limits["beat_seconds"] else "stale", "age_seconds": beat_age}
        healthy = bool(workers) and all(w["status"] == "ok" for w in workers) and beat["status"] == "ok"
    backlog = values.get(BACKLOG_KEY) or {}
    oldest_since = backlog.get("oldest_since")
    body = {
        "jobs": "inline" if jobs_inline() else ("ok" if healthy else "error"),
        "workers": workers,
        "beat": beat,
        "waiting_jobs": backlog.get("waiting"),
        "oldest_waiting_job": (
            None if oldest_since is None else {"job": backlog["oldest"], "age_seconds": _age(now, oldest_since)}
        ),
        "measured_seconds_ago": _age(now, backlog.get("measured_at")),
        "limits": limits,
    }
    return healthy, body


def jobs_slow(now=None):
    """Whether jobs wait longer than JOBS_SLOW_AFTER_SECONDS: one cache read.

    Also true when no worker or beat has measured the jobs for that long (none is running them), and when the
    health cache does not answer (Redis, which is the broker too, is down): then pages do not ask again for
    CACHE_RETRY_SECONDS, so a hung Redis costs one page its timeout, not every page.
    """
    global _cache_unreachable_until
    if jobs_inline():
        return False
    if time.monotonic() < _cache_unreachable_until:
        return True
    now = time.time() if now is None else now
    try:
        backlog = health_cache().get(BACKLOG_KEY)
    except Exception:  # noqa: BLE001 — Redis down or hung.
        logger.warning("the health cache did not answer", exc_info=True)
        _cache_unreachable_until = time.monotonic() + CACHE_RETRY_SECONDS
        return True
    limit = settings.JOBS_SLOW_AFTER_SECONDS
    if not backlog or now - backlog["measured_at"] > limit:
        return True
    return backlog["oldest_since"] is not None and now - backlog["oldest_since"] > limit


def show_jobs_banner(user):
    """Whether this person's page carries "Hệ thống xử lý nền đang chậm"."""
    return any(predicate(user) for predicate in _banner_audience) and jobs_slow()


# -- the views ---------------------------------------------------------------------------------------------------


def _database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:  # OperationalError is a subclass
        logger.exception("Health check: the database did not answer.")
        return "error"
    return "ok"


def _broker_state(*, queue_length=False):
    """("ok" | "error" | "inline", the number of messages waiting in the broker's queues or None)."""
    if not settings.REDIS_URL:
        return "inline", None
    client = None
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_timeout=BROKER_TIMEOUT_SECONDS,
            socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
        )
        client.ping()
        length = sum(client.llen(name) for name in current_app.amqp.queues) if queue_length else None
    except (redis.RedisError, OSError, ValueError):
        # ValueError: a malformed REDIS_URL. The exception text may name hosts or credentials: log only.
        logger.exception("Health check: the Redis broker did not answer.")
        return "error", None
    finally:
        if client is not None:
            client.close()
    return "ok", length


def _answer(body, healthy):
    body = {"status": "ok" if healthy else "error", **body}
    response = JsonResponse(body, status=200 if healthy else 503)
    # A cached answer would hide an outage from the load balancer.
    response["Cache-Control"] = "no-store"
    return response


@login_not_required
@require_safe
def healthz(request):
    """Answer 200 when every configured service answers, 503 otherwise; never any exception text."""
    database = _database_state()
    broker, _ = _broker_state()
    return _answer({"database": database, "broker": broker}, database == "ok" and broker != "error")


@login_not_required
@require_safe
def healthz_jobs(request):
    """/healthz and the background processes: 503 also when a worker's or beat's heartbeat is missing or too old."""
    database = _database_state()
    broker, queue_length = _broker_state(queue_length=True)
    jobs_healthy, jobs = jobs_state()
    healthy = database == "ok" and broker != "error" and jobs_healthy
    return _answer({"database": database, "broker": broker, "queue_length": queue_length, **jobs}, healthy)
