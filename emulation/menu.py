"""The emulation year's entry in the portal's menu (portal.navigation)."""

from portal.navigation import add_menu_item

from . import permissions


def register():
    add_menu_item(order=35, url_name="emulation:home", label="Thi đua", visible=permissions.can_see_emulation)
