"""The register of outgoing documents in the portal's menu (portal.navigation)."""

from portal.navigation import add_menu_item

from . import permissions


def register():
    add_menu_item(order=90, url_name="documents:register", label="Sổ văn bản đi", visible=permissions.can_see_register)
