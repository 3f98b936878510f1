"""Notifications and reminder sendings in the admin: for looking them up; only the services write them."""

from django.contrib import admin

from portal.admin import PortalModelAdmin, ReadOnlyAdminMixin

from .models import Dispatch, Notification


@admin.register(Notification)
class NotificationAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ("created_at", "recipient", "message", "read_at", "emailed_at")
    list_select_related = ("recipient",)
    search_fields = ("message", "recipient__username")


@admin.register(Dispatch)
class DispatchAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ("key", "created_at", "recipients")
    search_fields = ("key",)
