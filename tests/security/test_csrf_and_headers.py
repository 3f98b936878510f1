"""The Vietnamese CSRF failure page and the security headers of ordinary pages."""

import pytest
from django.test import Client

from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db


def test_post_without_csrf_token_gets_the_vietnamese_403_page(staff):
    client = Client(enforce_csrf_checks=True)

    response = client.post("/accounts/login/", {"username": "canbo", "password": TEST_PASSWORD})

    assert response.status_code == 403
    assert "403_csrf.html" in [t.name for t in response.templates]
    assert response["Content-Language"] == "vi"
    page = response.content.decode()
    assert "phiên" in page.lower()
    assert "CSRF cookie not set" not in page  # Django's reason goes to the log only
    assert "_auth_user_id" not in client.session


def test_csrf_failure_is_logged_with_its_reason(db, security_log):
    Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "canbo", "password": "x"})

    [line] = [record.getMessage() for record in security_log.records if record.name == "portal.security"]
    assert line.startswith("csrf-failure path='/accounts/login/' ip=127.0.0.1 reason=CSRF cookie not set")


@pytest.mark.parametrize("signed_in", [False, True], ids=["login-page", "home-page"])
def test_pages_carry_the_security_headers(client, staff, signed_in):
    if signed_in:
        client.force_login(staff)
    response = client.get("/" if signed_in else "/accounts/login/")

    assert response.status_code == 200
    policy = {
        directive.split()[0]: directive.split()[1:] for directive in response["Content-Security-Policy"].split("; ")
    }
    assert policy["script-src"] == ["'self'"]
    assert "'unsafe-inline'" not in response["Content-Security-Policy"]
    assert policy["frame-ancestors"] == ["'none'"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"
    assert response["Referrer-Policy"] == "same-origin"
