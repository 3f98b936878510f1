"""App configs of the project package: the portal itself and the Django admin bound to the portal's site."""

from django.apps import AppConfig
from django.contrib.admin import apps as admin_apps


class PortalConfig(AppConfig):
    # Explicit default: this module holds a second AppConfig (the admin's) that must not be picked
    # for the plain "portal" entry of INSTALLED_APPS.
    default = True
    name = "portal"
    verbose_name = "Cổng thi đua"


class PortalAdminConfig(admin_apps.AdminConfig):
    """django.contrib.admin with the portal's site (administrators only, Vietnamese, no deletes)."""

    default = False
    default_site = "portal.admin.PortalAdminSite"
