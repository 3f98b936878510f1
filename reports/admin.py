"""Admin of unit reports: for looking things up. Reports change only through the portal's services.

Content, status and history are written by the report workflow (reports.services), which checks
who may do what and records every change; the admin shows them read-only and deletes nothing.
"""

from django.contrib import admin

from portal.admin import PortalModelAdmin, PortalTabularInline, ReadOnlyAdminMixin

from .models import (
    ConsolidatedOutline,
    ConsolidatedReport,
    ConsolidatedTransition,
    CriterionResult,
    HistoryImport,
    ReportTransition,
    UnitReport,
)


class CriterionResultInline(ReadOnlyAdminMixin, PortalTabularInline):
    model = CriterionResult
    fields = ("criterion_code", "activities", "quantities", "assessment", "not_applicable_reason", "revision")


class ReportTransitionInline(ReadOnlyAdminMixin, PortalTabularInline):
    model = ReportTransition
    fields = ("at", "action", "from_status", "to_status", "actor", "comment")


@admin.register(UnitReport)
class UnitReportAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ("unit_name", "period", "status", "submitted_at", "is_late", "submission_count")
    list_filter = ("status", "is_late", "period")
    search_fields = ("unit_name", "unit__code")
    list_select_related = ("period",)
    inlines = (CriterionResultInline, ReportTransitionInline)


@admin.register(HistoryImport)
class HistoryImportAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    """A past period's reports imported by the office (reports/services/history.py); the source file is kept and
    downloaded from the office's page, never changed here."""

    list_display = ("original_name", "period", "imported_by", "imported_at", "rows_created")
    list_filter = ("period",)
    list_select_related = ("period", "imported_by")
    exclude = ("source",)


class ConsolidatedTransitionInline(ReadOnlyAdminMixin, PortalTabularInline):
    model = ConsolidatedTransition
    fields = ("at", "action", "from_status", "to_status", "actor", "comment")


@admin.register(ConsolidatedReport)
class ConsolidatedReportAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ("period", "version", "status", "requested_at", "approved_at", "register_entry", "sent_on")
    list_filter = ("status",)
    list_select_related = ("period", "register_entry")
    exclude = ("snapshot", "sections", "attempt_token")
    inlines = (ConsolidatedTransitionInline,)


@admin.register(ConsolidatedOutline)
class ConsolidatedOutlineAdmin(PortalModelAdmin):
    """The outline the office adapts to what Sở Nội vụ asks for, one per kind of period.

    `sections` is a list of {"key", "heading", "source"}; sources: direction, results, awards,
    highlights, shortcomings, next_steps, recommendations, phase_assessment, lessons, text.
    Without an outline for a kind, the compile uses the default of reports/services/compile.py.
    """

    list_display = ("period_kind",)
