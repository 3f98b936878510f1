"""Helpers for the sign-in, session and header tests."""

import logging

import pytest

from tests.factories import TEST_PASSWORD

LOGIN_URL = "/accounts/login/"
WRONG_PASSWORD = "sai-mat-khau-roi-nhe"


def sign_in(client, username, password=TEST_PASSWORD, **extra):
    """POST the sign-in form as a browser would; `extra` sets REMOTE_ADDR or headers."""
    return client.post(LOGIN_URL, {"username": username, "password": password}, **extra)


def is_signed_in(client):
    return "_auth_user_id" in client.session


def shows_lockout(response):
    return response.status_code == 429 and "registration/locked_out.html" in [t.name for t in response.templates]


@pytest.fixture
def security_log(caplog):
    """caplog records of `portal.security` and `axes`, which do not propagate to the root logger."""
    loggers = [logging.getLogger("portal.security"), logging.getLogger("axes")]
    for logger in loggers:
        logger.addHandler(caplog.handler)
    with caplog.at_level(logging.INFO, logger="portal.security"), caplog.at_level(logging.INFO, logger="axes"):
        yield caplog
    for logger in loggers:
        logger.removeHandler(caplog.handler)
