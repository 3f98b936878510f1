"""Sessions end after 30 idle minutes; passwords need at least 12 characters, refused in Vietnamese."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.contrib.sessions.models import Session
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone, translation

from tests.security.conftest import sign_in


def test_sessions_expire_after_thirty_idle_minutes():
    assert settings.SESSION_COOKIE_AGE == 30 * 60
    assert settings.SESSION_SAVE_EVERY_REQUEST is False  # written at most once a minute: portal/sessions.py


@pytest.mark.django_db
def test_an_expired_session_sends_the_user_back_to_sign_in(client, staff):
    assert sign_in(client, "canbo").status_code == 302
    assert client.get("/").status_code == 200

    Session.objects.update(expire_date=timezone.now() - timedelta(seconds=1))
    response = client.get("/")

    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/")


@pytest.mark.django_db
def test_each_request_pushes_the_session_expiry_forward(client, staff):
    sign_in(client, "canbo")
    Session.objects.update(expire_date=timezone.now() + timedelta(minutes=1))

    client.get("/")

    remaining = Session.objects.get().expire_date - timezone.now()
    assert remaining > timedelta(minutes=29)


@pytest.mark.django_db
def test_a_session_written_less_than_a_minute_ago_is_not_written_again(client, staff):
    # The idle timeout slides by whole minutes: requests within one write nothing (portal/sessions.py).
    sign_in(client, "canbo")
    fresh = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 30)
    Session.objects.update(expire_date=fresh)

    with CaptureQueriesContext(connection) as queries:
        assert client.get("/").status_code == 200

    assert Session.objects.get().expire_date == fresh
    assert not [query for query in queries if '"django_session"' in query["sql"] and "SELECT" not in query["sql"]]


@pytest.mark.django_db
def test_a_changed_session_is_written_at_once(client, staff):
    sign_in(client, "canbo")
    fresh = timezone.now() + timedelta(seconds=settings.SESSION_COOKIE_AGE - 30)
    Session.objects.update(expire_date=fresh)

    client.post("/accounts/logout/")

    assert not Session.objects.filter(expire_date=fresh).exists()


def test_an_eleven_character_password_is_refused_in_vietnamese():
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        validate_password("quangngai-k")

    assert refused.value.messages == ["Mật khẩu này quá ngắn. Mật khẩu phải có ít nhất 12 ký tự."]


@pytest.mark.parametrize(
    ("password", "message"),
    [("password1234", "Mật khẩu này quá phổ biến."), ("202520262027", "Mật khẩu này hoàn toàn là số.")],
)
def test_common_and_numeric_passwords_are_refused_in_vietnamese(password, message):
    with translation.override("vi"), pytest.raises(ValidationError) as refused:
        validate_password(password)

    assert message in refused.value.messages


def test_a_twelve_character_password_is_accepted():
    assert validate_password("quangngai-kh") is None
