"""App configs of the project package: the portal itself and the Django admin bound to the portal's site."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps

from .navigation import add_home_panel, add_menu_item


class PortalConfig(AppConfig):
    # Explicit default: this module holds a second AppConfig (the admin's) that must not be picked
    # for the plain "portal" entry of INSTALLED_APPS.
    default = True
    name = "portal"
    verbose_name = "Cổng thi đua"

    def ready(self):
        add_menu_item(order=0, url_name="home", label="Trang chủ")
        add_menu_item(order=100, url_name="admin:index", label="Quản trị", visible=_is_administrator)
        add_home_panel(order=90, template="portal/card_administrator.html", visible=_is_administrator)


def _is_administrator(user):
    return user.is_active and user.is_administrator


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's site (administrators only, Vietnamese, no deletes)."""

    default = False
    default_site = "portal.admin.PortalAdminSite"
