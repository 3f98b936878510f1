"""The awards demo in Chromium, as `make run` shows it: leadership finds the council's recommendations
waiting, the office its documents with their register numbers, a unit only its own nominations, and a
visitor the nominees under public notice and last year's conferred awards.
"""

import pytest
from django.core.cache import caches
from playwright.sync_api import expect

from campaign.plan_loader import load_plan
from tests.e2e.conftest import DEFAULT_TIMEOUT_MS, sign_in
from units.demo import load_demo

RECOMMENDED = "Trương Thị Ngọc Hân"  # this year, TTUD: recommended by the council, waiting for leadership
FORWARDED = "Lê Thị Thanh Tâm"  # QLKH: proposed to UBND tỉnh this year; Lao động tiên tiến last year


@pytest.fixture
def awards_demo(live_server, transactional_db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    # The live server runs in this process: the public pages' counters in a local cache, empty for this test.
    settings.CACHES = {
        **settings.CACHES,
        settings.PUBLIC_RATE_LIMIT_CACHE: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "e2e-awards-demo",
        },
    }
    caches[settings.PUBLIC_RATE_LIMIT_CACHE].clear()
    load_plan()
    return load_demo(awards=True)


def _page(new_context):
    page = new_context().new_page()
    page.set_default_timeout(DEFAULT_TIMEOUT_MS)
    return page


def test_each_role_finds_the_demo_awards(new_context, live_server, awards_demo):
    director = _page(new_context)
    sign_in(director, live_server, "giamdoc")
    director.get_by_role("link", name="Duyệt khen thưởng").click()
    expect(director.get_by_text(RECOMMENDED)).to_be_visible()
    director.goto(f"{live_server.url}/awards/documents/")
    expect(director.get_by_text("01/QĐ-SKHCN")).to_be_visible()

    unit = _page(new_context)
    sign_in(unit, live_server, "canbo.qlkh")
    unit.goto(f"{live_server.url}/awards/")
    expect(unit.get_by_text(FORWARDED).first).to_be_visible()
    expect(unit.get_by_text(RECOMMENDED)).to_have_count(0)

    visitor = _page(new_context)
    visitor.goto(f"{live_server.url}/cong-khai/cong-khai-de-nghi/")
    expect(visitor.get_by_test_id("notice-table").get_by_role("row").filter(has_text=RECOMMENDED)).to_be_visible()
    visitor.goto(f"{live_server.url}/cong-khai/khen-thuong/?nam=2025")
    expect(visitor.get_by_text(FORWARDED).first).to_be_visible()
