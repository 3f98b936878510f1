"""/healthz: the state of the database and of the Celery broker, for load balancers and monitoring."""

import logging

import redis
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.db import DatabaseError, connection
from django.http import JsonResponse
from django.views.decorators.http import require_safe

logger = logging.getLogger(__name__)

BROKER_TIMEOUT_SECONDS = 2


def _database_state():
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except DatabaseError:  # OperationalError is a subclass
        logger.exception("Health check: the database did not answer.")
        return "error"
    return "ok"


def _broker_state():
    if not settings.REDIS_URL:
        return "inline"
    client = None
    try:
        client = redis.Redis.from_url(
            settings.REDIS_URL,
            socket_timeout=BROKER_TIMEOUT_SECONDS,
            socket_connect_timeout=BROKER_TIMEOUT_SECONDS,
        )
        client.ping()
    except (redis.RedisError, OSError, ValueError):
        # ValueError: a malformed REDIS_URL. The exception text may name hosts or credentials: log only.
        logger.exception("Health check: the Redis broker did not answer.")
        return "error"
    finally:
        if client is not None:
            client.close()
    return "ok"


@login_not_required
@require_safe
def healthz(request):
    """Answer 200 when every configured service answers, 503 otherwise; never any exception text."""
    database = _database_state()
    broker = _broker_state()
    healthy = database == "ok" and broker != "error"
    body = {"status": "ok" if healthy else "error", "database": database, "broker": broker}
    response = JsonResponse(body, status=200 if healthy else 503)
    # A cached answer would hide an outage from the load balancer.
    response["Cache-Control"] = "no-store"
    return response
