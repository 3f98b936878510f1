"""The overview's entries in the menu and on the home page, registered from OverviewConfig.ready()."""

from portal.navigation import add_home_panel, add_menu_item, add_menu_pages

from . import permissions


def register():
    add_menu_item(order=5, url_name="overview:index", label="Tổng quan", visible=permissions.can_see_overview)
    # The full page of the home page's waiting list belongs to "Trang chủ", not to "Tổng quan" whose URL prefixes it.
    add_menu_pages(url_name="home", owns=("overview:waiting",))
    # A unit's members reach their unit's page (the only overview page they may open) from the home page.
    add_home_panel(order=15, template="overview/home_unit_card.html", visible=permissions.can_see_own_unit_page)
