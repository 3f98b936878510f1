"""The overview's entries in the menu and on the home page, registered from OverviewConfig.ready()."""

from portal.navigation import add_home_panel, add_menu_item

from . import permissions


def register():
    add_menu_item(order=5, url_name="overview:index", label="Tổng quan", visible=permissions.can_see_overview)
    # A unit's members reach their unit's page (the only overview page they may open) from the home page.
    add_home_panel(order=15, template="overview/home_unit_card.html", visible=permissions.can_see_own_unit_page)
