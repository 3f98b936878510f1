"""Admin of the emulation year: for looking things up. Everything here changes only through emulation.services.

The year's plan and window, registrations, assessments, schemes and scores carry workflows, history and
notifications, which the services check and record; the admin shows them read-only and deletes nothing.
"""

from django.contrib import admin

from portal.admin import PortalModelAdmin, PortalTabularInline, ReadOnlyAdminMixin

from .models import (
    Assessment,
    AssessmentEntry,
    AssessmentTransition,
    Commitment,
    DepartmentRegistration,
    DepartmentRegistrationTransition,
    EmulationYear,
    RegisteredTitle,
    Registration,
    RegistrationTransition,
    SchemeAdjustment,
    SchemeItem,
    SchemeTransition,
    ScoreLine,
    ScoringScheme,
    UnitScore,
)

HISTORY = ("at", "action", "from_status", "to_status", "actor", "comment")


@admin.register(EmulationYear)
class EmulationYearAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ("year", "plan_number", "plan_date", "registration_opens_on", "registration_due_on")
    list_select_related = ("campaign",)


class RegisteredTitleInline(ReadOnlyAdminMixin, PortalTabularInline):
    model = RegisteredTitle
    fields = ("person", "title_code", "title_name")


class CommitmentInline(ReadOnlyAdminMixin, PortalTabularInline):
    model = Commitment
    fields = ("criterion", "indicator", "target", "text")


class RegistrationTransitionInline(ReadOnlyAdminMixin, PortalTabularInline):
    model = RegistrationTransition
    fields = HISTORY


@admin.register(Registration)
class RegistrationAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ("unit_name", "year", "status", "submitted_at", "is_late", "submission_count")
    list_filter = ("status", "is_late", "year")
    search_fields = ("unit_name", "unit__code")
    list_select_related = ("year",)
    inlines = (RegisteredTitleInline, CommitmentInline, RegistrationTransitionInline)


class DepartmentRegistrationTransitionInline(ReadOnlyAdminMixin, PortalTabularInline):
    model = DepartmentRegistrationTransition
    fields = HISTORY


@admin.register(DepartmentRegistration)
class DepartmentRegistrationAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ("year", "status", "compiled_at", "approved_at", "register_entry")
    list_filter = ("status",)
    list_select_related = ("year", "register_entry")
    exclude = ("snapshot",)
    inlines = (DepartmentRegistrationTransitionInline,)


class AssessmentEntryInline(ReadOnlyAdminMixin, PortalTabularInline):
    model = AssessmentEntry
    fields = ("person", "proposed_classification", "decided_classification", "decided_by", "note")


class AssessmentTransitionInline(ReadOnlyAdminMixin, PortalTabularInline):
    model = AssessmentTransition
    fields = HISTORY


@admin.register(Assessment)
class AssessmentAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ("unit", "year", "status", "meeting_date", "submitted_at")
    list_filter = ("status", "year")
    list_select_related = ("unit", "year")
    inlines = (AssessmentEntryInline, AssessmentTransitionInline)


class SchemeItemInline(ReadOnlyAdminMixin, PortalTabularInline):
    model = SchemeItem


class SchemeAdjustmentInline(ReadOnlyAdminMixin, PortalTabularInline):
    model = SchemeAdjustment


class SchemeTransitionInline(ReadOnlyAdminMixin, PortalTabularInline):
    model = SchemeTransition
    fields = HISTORY


@admin.register(ScoringScheme)
class ScoringSchemeAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ("name", "year", "kind", "status", "confirmed_at")
    list_filter = ("kind", "status")
    list_select_related = ("year",)
    inlines = (SchemeItemInline, SchemeAdjustmentInline, SchemeTransitionInline)


class ScoreLineInline(ReadOnlyAdminMixin, PortalTabularInline):
    model = ScoreLine
    fields = ("item", "adjustment", "occurrences", "self_points", "office_points", "reason", "scored_by")


@admin.register(UnitScore)
class UnitScoreAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ("unit_name", "scheme", "self_total", "total", "on_time", "deductions")
    list_filter = ("scheme",)
    list_select_related = ("scheme",)
    inlines = (ScoreLineInline,)
