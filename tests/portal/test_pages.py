"""Every page works on an intranet without internet and under the Content-Security-Policy."""

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.staticfiles import finders
from django.template.loader import render_to_string
from django.test import Client

from tests.factories import TEST_PASSWORD

EXTERNAL_HOST_MARKERS = ("cdn", "googleapis", "gstatic", "unpkg", "jsdelivr", "cloudflare")
ASSET_TAG = re.compile(r"<(?:script|link)\b[^>]*>", re.IGNORECASE)
ASSET_URL = re.compile(r'(?:src|href)="([^"]+)"', re.IGNORECASE)
SCRIPT = re.compile(r"<script\b[^>]*>(.*?)</script>", re.IGNORECASE | re.DOTALL)
INLINE_STYLE = re.compile(r"\sstyle\s*=|<style\b", re.IGNORECASE)
INLINE_HANDLER = re.compile(r"\son[a-z]+\s*=", re.IGNORECASE)


def signed_in_pages(client, user):
    client.force_login(user)
    return {
        "home": client.get("/"),
        "password change": client.get("/accounts/password/change/"),
        "password change done": client.get("/accounts/password/change/done/"),
        "not found": client.get("/khong-co-trang-nay/"),
    }


def anonymous_pages(client):
    csrf_client = Client(enforce_csrf_checks=True)
    return {
        "login": client.get("/accounts/login/"),
        "failed login": client.post("/accounts/login/", {"username": "khongco", "password": "sai"}),
        "csrf failure": csrf_client.post("/accounts/login/", {"username": "a", "password": "b"}),
    }


@pytest.fixture
def pages(client, leader):
    rendered = anonymous_pages(Client())
    rendered.update(signed_in_pages(client, leader))
    rendered["server error"] = render_to_string("500.html")
    return {name: page if isinstance(page, str) else page.content.decode() for name, page in rendered.items()}


def test_pages_load_nothing_from_external_hosts(pages):
    for name, page in pages.items():
        for tag in ASSET_TAG.findall(page):
            for url in ASSET_URL.findall(tag):
                assert url.startswith(settings.STATIC_URL), f"{name}: {tag}"
            assert not any(marker in tag.lower() for marker in EXTERNAL_HOST_MARKERS), f"{name}: {tag}"
            assert "http://" not in tag
            assert "https://" not in tag


def test_static_files_named_by_pages_exist(pages):
    referenced = set()
    for page in pages.values():
        for tag in ASSET_TAG.findall(page):
            referenced.update(ASSET_URL.findall(tag))
    assert referenced >= {
        "/static/vendor/bootstrap/bootstrap.min.css",
        "/static/vendor/bootstrap/bootstrap.bundle.min.js",
        "/static/vendor/htmx/htmx.min.js",
        "/static/css/portal.css",
        "/static/js/portal.js",
    }
    for url in referenced:
        assert finders.find(url.removeprefix(settings.STATIC_URL)), url


def test_pages_have_no_inline_scripts_styles_or_handlers(pages):
    for name, page in pages.items():
        assert all(body.strip() == "" for body in SCRIPT.findall(page)), name
        assert not INLINE_STYLE.search(page), name
        assert not INLINE_HANDLER.search(page), name


def test_vendored_libraries_are_the_expected_major_versions():
    htmx = Path(finders.find("vendor/htmx/htmx.min.js")).read_text()
    bootstrap = Path(finders.find("vendor/bootstrap/bootstrap.min.css")).read_text()
    chart = Path(finders.find("vendor/chartjs/chart.umd.min.js")).read_text()
    assert 'version:"2.' in htmx
    assert "Bootstrap  v5.3." in bootstrap
    assert "Chart.js v4." in chart


def test_vendored_files_carry_licences_and_no_dangling_source_maps():
    static_dir = Path(settings.BASE_DIR) / "static"
    for licence in (
        "vendor/bootstrap/LICENSE",
        "vendor/htmx/LICENSE",
        "vendor/chartjs/LICENSE.md",
        "fonts/LICENSE-LiberationSerif.txt",
    ):
        assert (static_dir / licence).is_file(), licence
    for path in static_dir.rglob("*"):
        if path.suffix in {".js", ".css"}:
            assert "sourceMappingURL" not in path.read_text(errors="replace"), path


def test_full_liberation_serif_fonts_are_shipped():
    for style in ("Regular", "Bold", "Italic", "BoldItalic"):
        font = Path(finders.find(f"fonts/LiberationSerif-{style}.ttf"))
        assert font.stat().st_size > 300_000, style


def test_login_form_has_the_fields_django_expects(client, db):
    page = client.get("/accounts/login/?next=/").content.decode()
    assert 'name="username"' in page
    assert 'name="password"' in page
    assert '<button type="submit"' in page
    assert 'name="next" value="/"' in page
    assert "Tên đăng nhập" in page
    assert "Mật khẩu" in page


def test_failed_sign_in_explains_in_vietnamese(client, staff):
    response = client.post("/accounts/login/", {"username": "canbo", "password": "sai-mat-khau"})
    assert response.status_code == 200
    assert "mật khẩu chính xác" in response.content.decode()


def test_signed_in_person_visiting_login_goes_home(client, staff):
    client.force_login(staff)
    response = client.get("/accounts/login/")
    assert response.status_code == 302
    assert response["Location"] == "/"


def test_login_page_links_to_the_public_pages(client, db):
    page = client.get("/accounts/login/").content.decode()
    assert 'href="/cong-khai/"' in page
    assert "Trang công khai" in page


def test_expired_form_explains_what_to_do(db):
    response = Client(enforce_csrf_checks=True).post("/accounts/login/", {"username": "a", "password": "b"})
    page = response.content.decode()
    assert response.status_code == 403
    assert "phiên làm việc đã hết hạn" in page
    assert "tải lại trang" in page
    assert "sao chép" in page


def test_unknown_page_says_not_found_in_vietnamese(client, staff):
    client.force_login(staff)
    response = client.get("/khong-co-trang-nay/")
    assert response.status_code == 404
    assert "Không tìm thấy trang" in response.content.decode()


def test_server_error_page_renders_without_a_request():
    page = render_to_string("500.html")
    assert "Hệ thống gặp lỗi" in page
    assert "/static/vendor/bootstrap/bootstrap.min.css" in page


def test_repeated_failed_sign_ins_show_the_lockout_page(client, staff):
    for _ in range(settings.AXES_FAILURE_LIMIT):
        response = client.post("/accounts/login/", {"username": "canbo", "password": "sai-mat-khau"})
    assert response.status_code == 429
    assert "15 phút" in response.content.decode()


def test_sign_out_ends_the_session(client, staff):
    client.force_login(staff)
    response = client.post("/accounts/logout/")
    assert response.status_code == 302
    assert client.get("/").status_code == 302


def test_password_change_form_is_vietnamese(client, staff):
    client.force_login(staff)
    page = client.get("/accounts/password/change/").content.decode()
    assert "Đổi mật khẩu" in page
    assert "Mật khẩu cũ" in page
    response = client.post(
        "/accounts/password/change/",
        {
            "old_password": TEST_PASSWORD,
            "new_password1": "mat-khau-moi-rat-dai-2026",
            "new_password2": "mat-khau-moi-rat-dai-2026",
        },
    )
    assert response.status_code == 302
    assert "Đã đổi mật khẩu" in client.get(response["Location"]).content.decode()
