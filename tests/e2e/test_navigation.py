"""The menu in Chromium at 1280×800 and 1366×768: one row for every role on every top-level page, the right item lit.

For each role one browser context, signed in once (the session cookie as stored state), one page: it opens the
home page, reads the menu (the bar's entries and every dropdown's items), then opens each item's page, and the
pages a role reaches from an item whose URL is not under the item's (a report's "changes" page for the office),
and checks at both widths (the viewport resized on the same page) that the header is as tall as the signed-out
header's one row, within 2 px, and that exactly the expected item — and its group — is marked active.
"""

import pytest
from django.conf import settings
from playwright.sync_api import expect

from notifications import context_processors as notifications_context
from portal import navigation
from reports import services as report_services
from reports.models import UnitReport
from tests.e2e.menu import open_menu_item
from units.models import User

VIEWPORTS = ({"width": 1280, "height": 800}, {"width": 1366, "height": 768})
# The header's height once fonts are in: the navbar and the red rule under it.
HEADER_HEIGHT = "document.fonts.ready.then(() => document.querySelector('header').getBoundingClientRect().height)"
# The header's entries that stick out of its row (the menu does not wrap: too many would run off the side).
OUTSIDE_THE_ROW = """() => {
  const row = document.querySelector('.portal-navbar > div');
  const style = getComputedStyle(row);
  const box = row.getBoundingClientRect();
  const left = box.left + parseFloat(style.paddingLeft) - 0.5, right = box.right - parseFloat(style.paddingRight) + 0.5;
  return Array.from(row.querySelectorAll('.navbar-brand, .navbar-nav > li'))
    .filter(el => { const r = el.getBoundingClientRect(); return r.left < left || r.right > right; })
    .map(el => el.textContent.trim().split(/\\s+/).slice(0, 3).join(' '));
}"""
# The menu bar: each entry's label, for a group also its items' (label, href); read from the DOM so that an item
# another app adds later is visited too.
READ_MENU = """() => Array.from(document.querySelectorAll('[data-testid=portal-menu] > li')).map(li => {
  const toggle = li.querySelector(':scope > [data-menu-group]');
  return {
    group: toggle ? toggle.dataset.menuGroup : null,
    items: Array.from(li.querySelectorAll('[data-menu-item]')).map(a => [a.dataset.menuItem, a.getAttribute('href')]),
  };
})"""
# What the header marks active: the items with aria-current="page" and the groups shown active.
READ_ACTIVE = """() => ({
  items: Array.from(document.querySelectorAll('header [aria-current=page]')).map(a => a.firstChild.textContent.trim()),
  groups: Array.from(document.querySelectorAll('header .portal-menu-group.active'))
    .map(button => button.dataset.menuGroup),
})"""

# Each role's menu bar as written by hand: (group, [items]) with None for an item of its own. Items that
# overview/ registers ("Tổng quan", /tong-quan/) are left out here and visited like the others.
MENUS = {
    "canbo.qlkh": [
        (None, ["Trang chủ"]),
        (None, ["Việc cần làm"]),
        (None, ["Thi đua"]),
        ("Khen thưởng", ["Đề nghị khen thưởng", "Sổ khen thưởng"]),
    ],
    "truongphong.cds": [
        (None, ["Trang chủ"]),
        (None, ["Việc cần làm"]),
        (None, ["Thi đua"]),
        ("Khen thưởng", ["Đề nghị khen thưởng", "Sổ khen thưởng"]),
    ],
    # A unit head who sits on the council.
    "truongphong.khtc": [
        (None, ["Trang chủ"]),
        (None, ["Việc cần làm"]),
        (None, ["Thi đua"]),
        ("Khen thưởng", ["Đề nghị khen thưởng", "Hội đồng TĐKT", "Sổ khen thưởng"]),
    ],
    "vanphong": [
        (None, ["Trang chủ"]),
        ("Báo cáo", ["Việc cần làm", "Theo dõi báo cáo", "Báo cáo tổng hợp"]),
        (None, ["Thi đua"]),
        ("Khen thưởng", ["Đề nghị khen thưởng", "Hội đồng TĐKT", "Văn bản khen thưởng", "Sổ khen thưởng"]),
        (None, ["Sổ văn bản đi"]),
    ],
    "giamdoc": [
        (None, ["Trang chủ"]),
        ("Báo cáo", ["Theo dõi báo cáo", "Báo cáo tổng hợp"]),
        (None, ["Thi đua"]),
        (
            "Khen thưởng",
            ["Đề nghị khen thưởng", "Duyệt khen thưởng", "Hội đồng TĐKT", "Văn bản khen thưởng", "Sổ khen thưởng"],
        ),
        (None, ["Sổ văn bản đi"]),
    ],
    "phogiamdoc": [
        (None, ["Trang chủ"]),
        ("Báo cáo", ["Theo dõi báo cáo", "Báo cáo tổng hợp"]),
        (None, ["Thi đua"]),
        (
            "Khen thưởng",
            ["Đề nghị khen thưởng", "Duyệt khen thưởng", "Hội đồng TĐKT", "Văn bản khen thưởng", "Sổ khen thưởng"],
        ),
        (None, ["Sổ văn bản đi"]),
    ],
    "quantri": [(None, ["Trang chủ"]), (None, ["Quản trị"])],
}
OTHER_APPS_PREFIXES = ("/tong-quan/",)


@pytest.fixture(scope="module")
def resubmitted(demo, django_db_blocker):
    """The returned CDS report submitted again, so that it has a "changes" page (two submissions)."""
    with django_db_blocker.unblock():
        report = UnitReport.objects.get(unit__code="CDS", status=UnitReport.Status.RETURNED)
        report_services.report_submit(report=report, actor=User.objects.get(username="truongphong.cds"))
    return report


@pytest.fixture(scope="module")
def one_row(demo, browser, django_db_blocker):
    """The signed-out header's height at each viewport (the login page: the brand alone, one row)."""
    context = browser.new_context(viewport=VIEWPORTS[0])
    page = context.new_page()
    heights = {}
    with django_db_blocker.unblock():  # the server's thread reads the session (function fixtures come later)
        page.goto(f"{demo.url}/accounts/login/")
        for viewport in VIEWPORTS:
            page.set_viewport_size(viewport)
            heights[viewport["width"]] = page.evaluate(HEADER_HEIGHT)
        # No menu for a visitor: nothing to light.
        assert page.locator("header [data-testid=portal-menu], header [aria-current=page]").count() == 0
    context.close()
    return heights


@pytest.fixture
def signed_in(browser, demo):
    """`signed_in(username)`: a page of a browser context of the person's own, the session cookie its stored state;
    closed after the test."""
    contexts = []

    def open_page(username):
        cookie = {"name": settings.SESSION_COOKIE_NAME, "value": demo.session_of(username), "url": demo.url}
        contexts.append(browser.new_context(viewport=VIEWPORTS[0], storage_state={"cookies": [cookie], "origins": []}))
        return contexts[-1].new_page()

    yield open_page
    for context in contexts:
        context.close()


def check_page(page, url, expected_item, expected_group, one_row):
    page.goto(url)
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)
        height = page.evaluate(HEADER_HEIGHT)
        assert abs(height - one_row[viewport["width"]]) <= 2, (url, viewport, height, one_row)
        assert page.evaluate(OUTSIDE_THE_ROW) == [], (url, viewport)
    active = page.evaluate(READ_ACTIVE)
    assert active == {"items": [expected_item], "groups": [expected_group] if expected_group else []}, url


@pytest.mark.parametrize("username", list(MENUS))
def test_every_roles_menu_fits_one_row_and_lights_the_page_it_is_on(signed_in, demo, one_row, resubmitted, username):
    page = signed_in(username)
    page.goto(f"{demo.url}/")
    bar = page.evaluate(READ_MENU)
    ours = [
        (entry["group"], [label for label, href in entry["items"] if not href.startswith(OTHER_APPS_PREFIXES)])
        for entry in bar
    ]
    assert [entry for entry in ours if entry[1]] == MENUS[username]

    for entry in bar:
        for label, href in entry["items"]:
            if href.startswith("/admin/"):
                continue  # Django's admin has a header of its own
            check_page(page, f"{demo.url}{href}", label, entry["group"], one_row)
    if username in ("vanphong", "giamdoc"):
        # A report's pages reached from the matrix light the matrix, not the unit's to-do list under /reports/.
        for path in (f"/reports/{resubmitted.pk}/changes/", f"/reports/{resubmitted.pk}/"):
            check_page(page, f"{demo.url}{path}", "Theo dõi báo cáo", "Báo cáo", one_row)
    # The notifications page lights its own link, right of the menu, and no menu item.
    check_page(page, f"{demo.url}/notifications/", "Thông báo", None, one_row)


def test_a_group_opens_on_click_and_its_item_leads_to_its_page(person, demo):
    # Bootstrap's dropdowns (static/vendor/bootstrap, no CDN): the group's items are hidden until it is opened.
    page = person("vanphong")
    page.goto(f"{demo.url}/")
    item = page.locator('header [data-menu-item="Theo dõi báo cáo"]')
    expect(item).to_be_hidden()
    open_menu_item(page, "Theo dõi báo cáo")
    expect(page).to_have_url(f"{demo.url}/reports/matrix/")
    expect(page.locator("header [aria-current=page]")).to_have_attribute("data-menu-item", "Theo dõi báo cáo")


@pytest.mark.parametrize("username", ["vanphong", "giamdoc"])
def test_the_row_holds_two_digit_counts_everywhere(signed_in, demo, one_row, monkeypatch, username):
    # The widest menus with 99 things waiting behind every item that counts them (a group shows "99+") and 99
    # unread notifications: still one row.
    monkeypatch.setattr(navigation, "_COUNTS", {url_name: lambda request: 99 for url_name in navigation._COUNTS})
    monkeypatch.setattr(notifications_context, "unread_count", lambda user: 99)
    page = signed_in(username)
    page.goto(f"{demo.url}/")
    expect(page.locator("header .portal-menu-count").first).to_have_text("99+ việc chờ")
    for viewport in VIEWPORTS:
        page.set_viewport_size(viewport)
        assert abs(page.evaluate(HEADER_HEIGHT) - one_row[viewport["width"]]) <= 2
        assert page.evaluate(OUTSIDE_THE_ROW) == []
