"""The menu: each role's grouped bar, the active item (and its group) on representative pages, the counts."""

import re

import pytest
from django.contrib.auth.models import AnonymousUser
from django.test import RequestFactory
from django.urls import reverse

import portal.navigation
from portal.context_processors import navigation
from portal.navigation import MenuGroup, add_menu_count, add_menu_item, add_menu_pages, menu_for
from units.models import User

from ..factories import Capability, UserFactory

PEOPLE_WITHOUT_ADMIN = ["staff", "head", "other_staff", "reviewer", "leader"]
# overview/ ("Tổng quan") registers its item and counts while this is written: its entries are left out of
# the literal bars below (their place is checked with a stand-in in test_an_item_without_group_…).
OTHER_APPS = ("overview:",)


def request_for(user, path="/"):
    request = RequestFactory().get(path)
    request.user = User.objects.select_related("unit").get(pk=user.pk) if user.is_authenticated else user
    return request


def bar_of(user, path="/"):
    """The bar as [(group label or None, [item labels])], without other apps' items still being written."""
    bar = []
    for entry in navigation(request_for(user, path))["nav_items"]:
        items = entry["items"] if entry.get("is_group") else [entry]
        labels = [item["label"] for item in items if not item["url_name"].startswith(OTHER_APPS)]
        if labels:
            bar.append((entry["label"] if entry.get("is_group") else None, labels))
    return bar


def active_on(user, path):
    """(the active item's label, the active group's label) on the page at `path`."""
    bar = navigation(request_for(user, path))["nav_items"]
    items = [item for entry in bar for item in (entry["items"] if entry.get("is_group") else [entry])]
    active_items = [item["label"] for item in items if item["active"]]
    active_groups = [entry["label"] for entry in bar if entry.get("is_group") and entry["active"]]
    assert len(active_items) <= 1
    assert len(active_groups) <= 1
    return (active_items[0] if active_items else None, active_groups[0] if active_groups else None)


AWARDS_OF_A_UNIT = ("Khen thưởng", ["Đề nghị khen thưởng", "Sổ khen thưởng"])


# --- Each role's bar ----------------------------------------------------------------------------------


def test_anonymous_visitor_gets_no_navigation(db):
    request = RequestFactory().get("/accounts/login/")
    request.user = AnonymousUser()
    assert navigation(request) == {"nav_items": []}


def test_unit_staff_see_their_todo_as_a_link_and_the_awards_as_a_group(staff):
    # The reports' group holds one item for a unit: shown as that item, not as a dropdown of one.
    assert bar_of(staff) == [
        (None, ["Trang chủ"]),
        (None, ["Việc cần làm"]),
        (None, ["Thi đua"]),
        AWARDS_OF_A_UNIT,
    ]


def test_unit_head_sees_what_the_staff_see(head):
    assert bar_of(head) == [
        (None, ["Trang chủ"]),
        (None, ["Việc cần làm"]),
        (None, ["Thi đua"]),
        AWARDS_OF_A_UNIT,
    ]


def test_office_reviewer_sees_the_reports_and_awards_groups(reviewer):
    assert bar_of(reviewer) == [
        (None, ["Trang chủ"]),
        ("Báo cáo", ["Việc cần làm", "Theo dõi báo cáo", "Báo cáo tổng hợp"]),
        (None, ["Thi đua"]),
        ("Khen thưởng", ["Đề nghị khen thưởng", "Hội đồng TĐKT", "Văn bản khen thưởng", "Sổ khen thưởng"]),
        (None, ["Sổ văn bản đi"]),
    ]


@pytest.mark.parametrize("position", ["head", "deputy"])
def test_leadership_sees_matrix_consolidated_and_approvals_but_no_unit_todo(leader, position):
    # The Director (the fixture) and a Deputy Director: leadership is a capability, whatever the position.
    person = (
        leader
        if position == "head"
        else UserFactory(
            username="phogiamdoc", unit=leader.unit, position="deputy", capabilities=[Capability.LEADERSHIP]
        )
    )
    assert bar_of(person) == [
        (None, ["Trang chủ"]),
        ("Báo cáo", ["Theo dõi báo cáo", "Báo cáo tổng hợp"]),
        (None, ["Thi đua"]),
        # Leadership sees every council meeting, member of the council or not.
        (
            "Khen thưởng",
            ["Đề nghị khen thưởng", "Duyệt khen thưởng", "Hội đồng TĐKT", "Văn bản khen thưởng", "Sổ khen thưởng"],
        ),
        (None, ["Sổ văn bản đi"]),
    ]


def test_council_member_sees_the_council_in_the_awards_group(council_member, staff):
    assert bar_of(council_member)[-1] == ("Khen thưởng", ["Đề nghị khen thưởng", "Hội đồng TĐKT", "Sổ khen thưởng"])
    assert bar_of(staff)[-1] == AWARDS_OF_A_UNIT


def test_administrator_sees_home_and_admin(administrator):
    assert bar_of(administrator) == [(None, ["Trang chủ"]), (None, ["Quản trị"])]


def test_administrator_sees_admin_link(client, administrator):
    client.force_login(administrator)
    response = client.get("/")
    assert re.findall(r'<a class="nav-link" href="/admin/"[^>]*>([^<]+)</a>', response.content.decode()) == ["Quản trị"]


@pytest.mark.parametrize("persona", PEOPLE_WITHOUT_ADMIN)
def test_people_without_admin_capability_do_not_see_admin_link(db, client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    response = client.get("/")
    assert 'href="/admin/"' not in response.content.decode()
    assert ">Quản trị<" not in response.content.decode()


def test_anonymous_home_redirects_to_login(client, db):
    response = client.get("/")
    assert response.status_code == 302
    assert response["Location"] == "/accounts/login/?next=/"


# --- The active item ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "item", "group"),
    [
        ("/", "Trang chủ", None),
        ("/reports/", "Việc cần làm", "Báo cáo"),
        ("/reports/start/2026-FY/", "Việc cần làm", "Báo cáo"),
        ("/reports/7/edit/", "Việc cần làm", "Báo cáo"),
        ("/reports/matrix/", "Theo dõi báo cáo", "Báo cáo"),
        # A report's "changes" page, its page and its review, reached from the matrix, are under /reports/
        # (the to-do list's URL): the matrix names them.
        ("/reports/7/changes/", "Theo dõi báo cáo", "Báo cáo"),
        ("/reports/7/", "Theo dõi báo cáo", "Báo cáo"),
        ("/reports/7/review/", "Theo dõi báo cáo", "Báo cáo"),
        ("/reports/7/history/", "Theo dõi báo cáo", "Báo cáo"),
        # The import of past periods' reports, linked from the matrix.
        ("/reports/history/", "Theo dõi báo cáo", "Báo cáo"),
        ("/reports/history/files/3/", "Theo dõi báo cáo", "Báo cáo"),
        ("/reports/consolidated/", "Báo cáo tổng hợp", "Báo cáo"),
        ("/reports/consolidated/outline/half_year/", "Báo cáo tổng hợp", "Báo cáo"),
        ("/reports/consolidated/3/edit/", "Báo cáo tổng hợp", "Báo cáo"),
        ("/thi-dua/2026/dang-ky/", "Thi đua", None),
        ("/awards/", "Đề nghị khen thưởng", "Khen thưởng"),
        ("/awards/nominations/4/", "Đề nghị khen thưởng", "Khen thưởng"),
        ("/awards/documents/4/", "Văn bản khen thưởng", "Khen thưởng"),
        ("/awards/so-khen-thuong/nhap/", "Sổ khen thưởng", "Khen thưởng"),
        # The records of people and units, kept for the register, under /awards/ (the nominations' URL).
        ("/awards/ho-so/don-vi/3/", "Sổ khen thưởng", "Khen thưởng"),
        ("/so-van-ban-di/", "Sổ văn bản đi", None),
        # Pages of no menu item: the notifications (their own link, right of the menu), the password.
        ("/notifications/", None, None),
        ("/accounts/password/change/", None, None),
        ("/ke-hoach/van-ban-can-cu/", None, None),
    ],
)
def test_the_office_sees_the_page_it_is_on_lit(reviewer, path, item, group):
    assert active_on(reviewer, path) == (item, group)


def test_a_unit_reaches_its_reports_changes_from_its_todo_list(staff):
    # No matrix for a unit: the to-do list's URL, /reports/, is the longest prefix; alone in its group.
    assert active_on(staff, "/reports/7/changes/") == ("Việc cần làm", None)
    assert active_on(staff, "/reports/7/") == ("Việc cần làm", None)


def test_leadership_reaches_a_report_from_the_matrix(leader):
    assert active_on(leader, "/reports/7/changes/") == ("Theo dõi báo cáo", "Báo cáo")
    assert active_on(leader, "/awards/approvals/") == ("Duyệt khen thưởng", "Khen thưởng")


def test_the_changes_page_lights_the_matrix_in_the_page_the_office_sees(client, reviewer):
    client.force_login(reviewer)
    # A report that does not exist: the 404 page still shows the menu, lit by the URL alone.
    body = client.get("/reports/999999/changes/").content.decode()
    assert re.findall(r'aria-current="page">([^<]+)<', body) == ["Theo dõi báo cáo"]
    assert re.findall(r'portal-menu-group active"[^>]*>\s*([^<]+?)\s*<', body) == ["Báo cáo"]


# --- The registry: groups, order, counts ----------------------------------------------------------------


@pytest.fixture
def registry(monkeypatch):
    """An empty menu, no counts and no pages added to items, for items registered by the test."""
    monkeypatch.setattr(portal.navigation, "_MENU", {})
    monkeypatch.setattr(portal.navigation, "_COUNTS", {})
    monkeypatch.setattr(portal.navigation, "_PAGES", {})


def shape(bar):
    return [
        (entry["label"], [item["label"] for item in entry["items"]]) if entry.get("is_group") else entry["label"]
        for entry in bar
    ]


def test_groups_sit_by_their_order_among_the_items_and_keep_their_items_order(registry, staff):
    add_menu_item(order=0, url_name="home", label="Trang chủ")
    add_menu_item(order=90, url_name="reports:matrix", label="B2", group=MenuGroup("Nhóm B", 20))
    add_menu_item(order=80, url_name="reports:todo", label="B1", group=("Nhóm B", 20))
    add_menu_item(order=10, url_name="awards:approvals", label="A1", group=("Nhóm A", 50))
    add_menu_item(order=60, url_name="awards:register_list", label="A2", group=("Nhóm A", 50))
    add_menu_item(order=30, url_name="documents:register", label="Riêng")
    assert shape(menu_for(request_for(staff))) == [
        "Trang chủ",
        ("Nhóm B", ["B1", "B2"]),
        "Riêng",
        ("Nhóm A", ["A1", "A2"]),
    ]


def test_a_group_with_one_visible_item_is_that_item(registry, staff):
    add_menu_item(order=10, url_name="reports:todo", label="B1", group=("Nhóm B", 20))
    add_menu_item(order=20, url_name="reports:matrix", label="B2", group=("Nhóm B", 20), visible=lambda user: False)
    bar = menu_for(request_for(staff, "/reports/"))
    assert shape(bar) == ["B1"]
    assert bar[0]["active"] is True


def test_an_item_without_group_keeps_the_old_registration_and_its_place(registry, leader):
    # As overview/ registers "Tổng quan" (order, url_name, label, visible only): a plain item at its order.
    add_menu_item(order=0, url_name="home", label="Trang chủ")
    add_menu_item(order=10, url_name="reports:matrix", label="Theo dõi báo cáo", group=("Báo cáo", 10))
    add_menu_item(order=20, url_name="reports:consolidated_list", label="Báo cáo tổng hợp", group=("Báo cáo", 10))
    add_menu_item(order=5, url_name="documents:register", label="Tổng quan", visible=lambda user: True)
    assert shape(menu_for(request_for(leader))) == [
        "Trang chủ",
        "Tổng quan",
        ("Báo cáo", ["Theo dõi báo cáo", "Báo cáo tổng hợp"]),
    ]


def test_a_named_page_beats_a_longer_prefix_and_an_owned_prefix_beats_a_shorter_one(registry, staff):
    add_menu_item(order=10, url_name="reports:todo", label="Việc", owns=("/reports/matrix",))
    add_menu_item(order=20, url_name="reports:consolidated_list", label="Tổng hợp", owns=("reports:detail",))
    assert active_on(staff, "/reports/matrix/") == ("Việc", None)
    # /reports/consolidated/ is the longer prefix of nothing here; the detail page is named by "Tổng hợp".
    assert active_on(staff, "/reports/5/") == ("Tổng hợp", None)
    assert active_on(staff, "/reports/consolidated/5/") == ("Tổng hợp", None)
    assert active_on(staff, "/reports/5/edit/") == ("Việc", None)


def test_an_app_above_puts_its_pages_under_another_apps_item(registry, leader):
    # As overview/ would put the full page of the home page's waiting list under "Trang chủ", and not under
    # "Tổng quan" whose URL prefixes it: here with a stand-in, the consolidated list's outline under the matrix.
    add_menu_item(order=0, url_name="home", label="Trang chủ")
    add_menu_item(order=10, url_name="reports:matrix", label="Theo dõi báo cáo")
    add_menu_item(order=20, url_name="reports:consolidated_list", label="Báo cáo tổng hợp")
    assert active_on(leader, "/reports/consolidated/outline/") == ("Báo cáo tổng hợp", None)
    add_menu_pages(url_name="reports:matrix", owns=("reports:consolidated_outline_list",))
    add_menu_pages(url_name="home", owns=("/reports/consolidated/outline/year/",))
    assert active_on(leader, "/reports/consolidated/outline/") == ("Theo dõi báo cáo", None)
    # A prefix added to "Trang chủ" is longer than the consolidated list's own URL.
    assert active_on(leader, "/reports/consolidated/outline/year/") == ("Trang chủ", None)
    assert active_on(leader, "/reports/consolidated/") == ("Báo cáo tổng hợp", None)


def test_counts_show_on_the_item_and_summed_on_its_group(registry, client, staff):
    add_menu_item(order=0, url_name="home", label="Trang chủ")
    add_menu_item(order=10, url_name="reports:todo", label="Việc cần làm", group=("Báo cáo", 10))
    add_menu_item(order=20, url_name="reports:matrix", label="Theo dõi báo cáo", group=("Báo cáo", 10))
    add_menu_item(order=30, url_name="reports:consolidated_list", label="Báo cáo tổng hợp", group=("Báo cáo", 10))
    add_menu_count(url_name="reports:todo", count=lambda request: 3)
    add_menu_count(url_name="reports:matrix", count=lambda request: 0)
    add_menu_count(url_name="reports:consolidated_list", count=lambda request: 4)
    add_menu_count(url_name="home", count=lambda request: 0)
    group = menu_for(request_for(staff))[1]
    assert [item["count"] for item in group["items"]] == [3, 0, 4]
    assert group["count"] == 7

    client.force_login(staff)
    body = client.get("/").content.decode()
    badges = re.findall(r"([^>\s][^<>]*?)\s*<span class=\"badge[^\"]*portal-menu-count\">(\d+)<", body)
    # The group's badge (3 + 4) and its items' with a count above 0; none for 0.
    assert badges == [("Báo cáo", "7"), ("Việc cần làm", "3"), ("Báo cáo tổng hợp", "4")]


def test_a_refusal_page_keeps_the_menu_without_its_counts(registry, client, leader):
    add_menu_item(order=0, url_name="home", label="Trang chủ")
    add_menu_item(order=10, url_name="reports:matrix", label="Theo dõi báo cáo")
    asked = []
    add_menu_count(url_name="reports:matrix", count=lambda request: asked.append(request.path) or 5)
    client.force_login(leader)
    assert "portal-menu-count" in client.get("/").content.decode()
    assert asked == ["/"]

    # 404 (nothing there) and 403 (the office's outline, which leadership reads but may not edit).
    outline = reverse("reports:consolidated_outline_edit", args=["annual"])
    for path, status in (("/khong-co-trang-nay/", 404), (outline, 403)):
        response = client.get(path)
        body = response.content.decode()
        assert response.status_code == status
        assert 'data-menu-item="Theo dõi báo cáo"' in body
        assert "portal-menu-count" not in body
    assert asked == ["/"]


@pytest.fixture
def counts_without_queries(monkeypatch):
    """The counts replaced by ones reading nothing: what they cost is pinned where they are made (overview/)."""
    monkeypatch.setattr(
        portal.navigation, "_COUNTS", {url_name: lambda request: 2 for url_name in portal.navigation._COUNTS}
    )


def test_navigation_loads_capabilities_with_one_query(django_assert_num_queries, counts_without_queries, reviewer):
    request = request_for(reviewer)
    # As units.backends.UnitModelBackend loads the signed-in user: with their unit.
    with django_assert_num_queries(1):
        navigation(request)


def test_the_menu_costs_the_same_queries_for_every_role(
    django_assert_num_queries, counts_without_queries, leader, staff, administrator
):
    # The capabilities' one query (the person's groups), whatever the role and however many items are shown.
    for person in (leader, staff, administrator):
        request = request_for(person, "/reports/7/changes/")
        with django_assert_num_queries(1):
            navigation(request)
