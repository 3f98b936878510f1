"""Admin of unit reports: for looking things up. Reports change only through the portal's services.

Content, status and history are written by the report workflow (reports.services), which checks
who may do what and records every change; the admin shows them read-only and deletes nothing.
"""

from django.contrib import admin

from portal.admin import PortalModelAdmin, PortalTabularInline

from .models import CriterionResult, Dispatch, Notification, ReportTransition, UnitReport


class ReadOnlyMixin:
    def has_add_permission(self, request, obj=None):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class CriterionResultInline(ReadOnlyMixin, PortalTabularInline):
    model = CriterionResult
    fields = ("criterion_code", "activities", "quantities", "assessment", "not_applicable_reason", "revision")


class ReportTransitionInline(ReadOnlyMixin, PortalTabularInline):
    model = ReportTransition
    fields = ("at", "action", "from_status", "to_status", "actor", "comment")


@admin.register(UnitReport)
class UnitReportAdmin(ReadOnlyMixin, PortalModelAdmin):
    list_display = ("unit_name", "period", "status", "submitted_at", "is_late", "submission_count")
    list_filter = ("status", "is_late", "period")
    search_fields = ("unit_name", "unit__code")
    list_select_related = ("period",)
    inlines = (CriterionResultInline, ReportTransitionInline)


@admin.register(Notification)
class NotificationAdmin(ReadOnlyMixin, PortalModelAdmin):
    list_display = ("created_at", "recipient", "message", "read_at", "emailed_at")
    list_select_related = ("recipient",)
    search_fields = ("message", "recipient__username")


@admin.register(Dispatch)
class DispatchAdmin(ReadOnlyMixin, PortalModelAdmin):
    list_display = ("key", "created_at", "recipients")
    search_fields = ("key",)
