"""Parallel runs (pytest-xdist): each worker process gets services of its own.

pytest-django gives each xdist worker its own test database (test_…_gw0, test_…_gw1). Redis is shared
by the machine, so each worker moves to a database number of its own, counting down from the one
REDIS_URL names (CI's /15: gw0 → 15, gw1 → 14, …): its Celery broker and queues, its real Celery
worker, the worker processes its tests start and the public pages' rate-limit counters are then its
own, and no worker consumes another's tasks.

Django's settings are read before any conftest is, so the worker's URL is put into the settings, the
Celery app and the environment (which the worker processes inherit) once they exist.
"""

import os
import re

from django.conf import settings

from portal.celery import app

WORKER_ID = os.environ.get("PYTEST_XDIST_WORKER", "")


def worker_redis_url(url, worker_id):
    """The Redis URL of one xdist worker: the database number counted down by the worker's index."""
    match = re.fullmatch(r"(?P<base>redis://[^/]+)(?:/(?P<db>\d+))?", url)
    if match is None:
        raise ValueError(f"REDIS_URL={url!r}: expected redis://host:port/db")
    first = int(match["db"] or 0)
    number = first - int(worker_id.removeprefix("gw"))
    if number < 0:
        raise ValueError(f"REDIS_URL={url!r} leaves no Redis database for xdist worker {worker_id}: start higher")
    return f"{match['base']}/{number}"


def isolate_worker():
    """Point this worker's broker, result store, rate-limit and health caches and child processes at its own Redis
    database."""
    url = os.environ.get("REDIS_URL", "")
    if not (WORKER_ID and url):
        return
    own = worker_redis_url(url, WORKER_ID)
    os.environ["REDIS_URL"] = own
    settings.REDIS_URL = settings.CELERY_BROKER_URL = settings.CELERY_RESULT_BACKEND = own
    settings.CACHES[settings.PUBLIC_RATE_LIMIT_CACHE]["LOCATION"] = own
    settings.CACHES[settings.HEALTH_CACHE]["LOCATION"] = own
    app.conf.update(broker_url=own, result_backend=own)
