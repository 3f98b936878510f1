"""The awards demo in Chromium, as `make run` shows it: leadership finds the council's recommendations
waiting, the office its documents with their register numbers, a unit only its own nominations, and a
visitor the nominees under public notice and last year's conferred awards.
"""

import pytest
from django.core.cache import caches
from playwright.sync_api import expect

from tests.e2e.conftest import at_home
from tests.e2e.menu import open_menu_item

RECOMMENDED = "Trương Thị Ngọc Hân"  # this year, TTUD: recommended by the council, waiting for leadership
FORWARDED = "Lê Thị Thanh Tâm"  # QLKH: proposed to UBND tỉnh this year; Lao động tiên tiến last year


DEMO_AWARDS = True  # the module's demo (tests/e2e/conftest.py) with the awards demo, as `make run` loads it


@pytest.fixture
def public_counters(demo, settings):
    # The live server runs in this process: the public pages' counters in a local cache, empty for this test.
    settings.CACHES = {
        **settings.CACHES,
        settings.PUBLIC_RATE_LIMIT_CACHE: {
            "BACKEND": "django.core.cache.backends.locmem.LocMemCache",
            "LOCATION": "e2e-awards-demo",
        },
    }
    caches[settings.PUBLIC_RATE_LIMIT_CACHE].clear()


def test_each_role_finds_the_demo_awards(person, demo, public_counters):
    director = at_home(person("giamdoc"), demo)
    open_menu_item(director, "Duyệt khen thưởng")
    expect(director.get_by_text(RECOMMENDED)).to_be_visible()
    director.goto(f"{demo.url}/awards/documents/")
    expect(director.get_by_text("01/QĐ-SKHCN")).to_be_visible()

    unit = at_home(person("canbo.qlkh"), demo)
    unit.goto(f"{demo.url}/awards/")
    expect(unit.get_by_text(FORWARDED).first).to_be_visible()
    expect(unit.get_by_text(RECOMMENDED)).to_have_count(0)

    visitor = person()
    visitor.goto(f"{demo.url}/cong-khai/cong-khai-de-nghi/")
    expect(visitor.get_by_test_id("notice-table").get_by_role("row").filter(has_text=RECOMMENDED)).to_be_visible()
    visitor.goto(f"{demo.url}/cong-khai/khen-thuong/?nam=2025")
    expect(visitor.get_by_text(FORWARDED).first).to_be_visible()
