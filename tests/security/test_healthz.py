"""/healthz: JSON state of the database and broker, 503 when a configured service does not answer."""

import os

import pytest
from django.db import OperationalError, connection

pytestmark = pytest.mark.django_db


def test_healthz_needs_no_sign_in_and_reports_inline_broker_without_redis(client, settings):
    settings.REDIS_URL = ""

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "inline"}
    assert response["Cache-Control"] == "no-store"


def test_healthz_answers_503_when_the_database_fails_without_leaking_the_error(client, settings, monkeypatch):
    settings.REDIS_URL = ""

    def broken_cursor(*args, **kwargs):
        raise OperationalError("could not connect to server at db.internal:5432")

    monkeypatch.setattr(connection, "cursor", broken_cursor)

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "error", "broker": "inline"}
    assert b"db.internal" not in response.content
    assert response["Cache-Control"] == "no-store"


def test_healthz_answers_503_when_redis_does_not_answer(client, settings):
    settings.REDIS_URL = "redis://127.0.0.1:1/0"

    response = client.get("/healthz")

    assert response.status_code == 503
    assert response.json() == {"status": "error", "database": "ok", "broker": "error"}
    assert b"127.0.0.1" not in response.content


@pytest.mark.redis
def test_healthz_reports_the_real_redis_broker_ok(client, settings):
    settings.REDIS_URL = os.environ["REDIS_URL"]

    response = client.get("/healthz")

    assert response.status_code == 200
    assert response.json() == {"status": "ok", "database": "ok", "broker": "ok"}


def test_healthz_refuses_post(client):
    assert client.post("/healthz").status_code == 405


def test_healthz_answers_plain_http_probes_while_pages_redirect_to_https(client, settings):
    settings.SECURE_SSL_REDIRECT = True
    settings.REDIS_URL = ""

    assert client.get("/healthz").status_code == 200
    assert client.get("/accounts/login/").status_code == 301


def test_healthz_answers_head_requests(client, settings):
    settings.REDIS_URL = ""

    assert client.head("/healthz").status_code == 200
