"""Headers and cookies: nothing private cached, __Host- cookies over https, a CSRF cookie that ends with the session.

The production cookie names are read from portal/settings.py executed afresh with a production environment (no
process, no Django set-up); what a browser receives is checked through the real middleware with those values.
"""

import importlib.util
import io
import os
from http.cookies import SimpleCookie
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth.decorators import login_not_required
from django.contrib.auth.models import AnonymousUser
from django.http import FileResponse, HttpResponse
from django.test import Client, RequestFactory
from django.urls import include, path

from portal.cache_control import PrivateCacheControlMiddleware
from tests.factories import TEST_PASSWORD

pytestmark = pytest.mark.django_db

PRIVATE = "no-store, private"
SETTINGS_FILE = Path(settings.BASE_DIR) / "portal" / "settings.py"


def portal_settings(monkeypatch, **environment):
    """portal/settings.py executed as a fresh module under `environment` (every DJANGO_* variable cleared first, but
    DJANGO_ALLOW_ASYNC_UNSAFE: Django's own switch, which the browser tests set for the whole worker process)."""
    for name in list(os.environ):
        if (name.startswith("DJANGO_") and name != "DJANGO_ALLOW_ASYNC_UNSAFE") or name == "DATABASE_URL":
            monkeypatch.delenv(name)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    spec = importlib.util.spec_from_file_location("portal_settings_under_test", SETTINGS_FILE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def sign_in(client, **extra):
    return client.post("/accounts/login/", {"username": "canbo", "password": TEST_PASSWORD}, **extra)


# Cache-Control


def test_signed_in_page_is_not_stored_by_any_cache(client, staff):
    client.force_login(staff)

    response = client.get("/")

    assert response.status_code == 200
    assert response["Cache-Control"] == PRIVATE


def test_every_signed_in_page_is_private(client, staff):
    client.force_login(staff)

    response = client.get("/notifications/")

    assert response["Cache-Control"] == PRIVATE


def test_signed_in_redirect_and_not_found_are_private_too(client, staff):
    client.force_login(staff)

    assert client.get("/reports/khong-co-trang-nay/")["Cache-Control"] == PRIVATE
    assert client.get("/accounts/login/")["Cache-Control"] == PRIVATE  # signed in: redirected home


def test_sign_in_response_itself_is_private(client, staff):
    response = sign_in(client)

    assert response.status_code == 302
    assert response["Cache-Control"] == PRIVATE


def test_public_pages_keep_their_caching_for_visitors_and_signed_in_people(client, staff):
    anonymous = client.get("/cong-khai/")
    client.force_login(staff)
    signed_in = client.get("/cong-khai/")

    assert anonymous.status_code == signed_in.status_code == 200
    assert "Cache-Control" not in anonymous
    assert "Cache-Control" not in signed_in


def test_static_files_keep_their_caching_when_signed_in(settings, staff):
    """WhiteNoise answers /static/ before the session is read (the test server serves from the finders)."""
    settings.WHITENOISE_USE_FINDERS = True
    client = Client()
    client.force_login(staff)

    response = client.get("/static/js/portal.js")

    assert response.status_code == 200
    assert "no-store" not in response.get("Cache-Control", "")


def test_login_page_for_a_visitor_keeps_its_own_no_store(client):
    response = client.get("/accounts/login/")

    assert "no-store" in response["Cache-Control"]


@login_not_required
def _download_for_anyone(request):
    return FileResponse(io.BytesIO(b"%PDF-1.7\n"), as_attachment=True, filename="quyet-dinh.pdf")


def _signed_in_download(request):
    response = HttpResponse(b"STT,Ho ten\n", content_type="text/csv")
    response["Content-Disposition"] = 'attachment; filename="danh-sach.csv"'
    response["Cache-Control"] = "max-age=3600"
    return response


urlpatterns = [
    path("tai-ve/cong/", _download_for_anyone),
    path("tai-ve/rieng/", _signed_in_download),
    path("", include("portal.urls")),
]


@pytest.mark.urls(__name__)
def test_private_downloads_are_never_stored(client, staff):
    """A FileResponse is never cached, even without sign-in; a signed-in attachment loses the view's max-age."""
    anonymous = client.get("/tai-ve/cong/")
    client.force_login(staff)
    private = client.get("/tai-ve/rieng/")

    assert anonymous.status_code == private.status_code == 200
    assert anonymous["Cache-Control"] == PRIVATE
    assert private["Cache-Control"] == PRIVATE


def test_middleware_marks_an_attachment_for_a_visitor():
    def view(request):
        response = HttpResponse(b"x")
        response["Content-Disposition"] = 'attachment; filename="a.xlsx"'
        return response

    request = RequestFactory().get("/reports/tai-ve/")
    request.user = AnonymousUser()
    response = PrivateCacheControlMiddleware(view)(request)

    assert response["Cache-Control"] == PRIVATE


def test_middleware_runs_after_authentication():
    middleware = settings.MIDDLEWARE
    assert middleware.index("portal.cache_control.PrivateCacheControlMiddleware") > middleware.index(
        "django.contrib.auth.middleware.AuthenticationMiddleware"
    )


# Cookies


def test_production_settings_name_cookies_with_the_host_prefix(monkeypatch):
    production = portal_settings(monkeypatch, DJANGO_SECRET_KEY="x" * 60, DJANGO_ALLOWED_HOSTS="thidua.example.vn")

    assert production.SESSION_COOKIE_SECURE is True
    assert production.SESSION_COOKIE_NAME == "__Host-sessionid"
    assert production.CSRF_COOKIE_NAME == "__Host-csrftoken"
    # What the browser demands of a __Host- cookie besides Secure: Path=/ and no Domain.
    assert getattr(production, "SESSION_COOKIE_PATH", "/") == "/"
    assert getattr(production, "CSRF_COOKIE_PATH", "/") == "/"
    assert getattr(production, "SESSION_COOKIE_DOMAIN", None) is None
    assert getattr(production, "CSRF_COOKIE_DOMAIN", None) is None
    assert production.CSRF_COOKIE_AGE is None


def test_plain_http_development_keeps_plain_cookie_names(monkeypatch):
    development = portal_settings(monkeypatch, DJANGO_DEBUG="1")

    assert development.SESSION_COOKIE_SECURE is False
    assert development.SESSION_COOKIE_NAME == "sessionid"
    assert development.CSRF_COOKIE_NAME == "csrftoken"
    assert development.CSRF_COOKIE_AGE is None


@pytest.fixture
def https_cookies(settings, monkeypatch):
    """The cookie settings production has (read from the settings file), on this test's server."""
    production = portal_settings(monkeypatch, DJANGO_SECRET_KEY="x" * 60, DJANGO_ALLOWED_HOSTS="testserver")
    for name in ("SESSION_COOKIE_NAME", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_NAME", "CSRF_COOKIE_SECURE"):
        setattr(settings, name, getattr(production, name))
    return production


def set_cookies(response):
    """The Set-Cookie headers as a browser reads them."""
    jar = SimpleCookie()
    for morsel in response.cookies.values():
        jar.load(morsel.OutputString())
    return jar


def test_over_https_the_browser_gets_host_prefixed_session_and_csrf_cookies(client, staff, https_cookies):
    login_page = client.get("/accounts/login/", secure=True)
    csrf = set_cookies(login_page)["__Host-csrftoken"]
    signed_in = sign_in(client, secure=True)
    session = set_cookies(signed_in)["__Host-sessionid"]

    assert signed_in.status_code == 302
    for cookie in (csrf, session):
        assert cookie["secure"] is True
        assert cookie["path"] == "/"
        assert cookie["domain"] == ""
        assert cookie["httponly"] is True
    # Both end with the browser session: no Max-Age, no Expires.
    assert csrf["max-age"] == csrf["expires"] == ""
    assert session["max-age"] == session["expires"] == ""
    assert "sessionid" not in signed_in.cookies
    assert client.get("/", secure=True).status_code == 200


def test_csrf_token_is_replaced_at_sign_in(client, staff, https_cookies):
    before = set_cookies(client.get("/accounts/login/", secure=True))["__Host-csrftoken"].value
    after = set_cookies(sign_in(client, secure=True))["__Host-csrftoken"].value

    assert before != after


def test_no_script_reads_the_csrf_cookie():
    """The cookie is HttpOnly: scripts take the token from the page (meta tag or the form's hidden field)."""
    scripts = sorted((Path(settings.BASE_DIR) / "static" / "js").glob("*.js"))

    assert scripts
    for script in scripts:
        assert "document.cookie" not in script.read_text(encoding="utf-8"), script.name
    assert settings.CSRF_COOKIE_HTTPONLY is True
