"""The overview's entries in the menu and on the home page, registered from OverviewConfig.ready()."""

from portal.navigation import add_menu_item

from . import permissions


def register():
    add_menu_item(order=5, url_name="overview:index", label="Tổng quan", visible=permissions.can_see_overview)
