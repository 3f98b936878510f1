"""Admin of the plan as data: campaign, phases, contents, criteria, indicators, scale, periods."""

import uuid

from django.contrib import admin
from django.utils.text import Truncator

from portal.admin import PortalModelAdmin, PortalStackedInline, PortalTabularInline

from .models import (
    AssessmentLevel,
    Campaign,
    CitedDocument,
    ContentArea,
    Criterion,
    CriterionApplicability,
    CriterionGroup,
    Indicator,
    Phase,
    PlanRecord,
    ReportingPeriod,
    Theme,
)


def assign_admin_plan_key(record):
    """Give a row added in the admin a unique key of its own, outside the plan file's keys.

    plan_key is unique and not editable, so without this a second row added by hand would clash
    on the empty key.
    """
    if isinstance(record, PlanRecord) and not record.plan_key:
        record.plan_key = f"admin-{uuid.uuid4().hex}"


class PlanRecordAdmin(PortalModelAdmin):
    """Admin of a row load_plan writes: shows its key in the plan file, keys rows added by hand."""

    readonly_fields = ("plan_key",)

    def save_model(self, request, obj, form, change):
        assign_admin_plan_key(obj)
        super().save_model(request, obj, form, change)

    def save_formset(self, request, form, formset, change):
        for inline_form in formset.forms:
            assign_admin_plan_key(inline_form.instance)
        super().save_formset(request, form, formset, change)


@admin.register(Campaign)
class CampaignAdmin(PlanRecordAdmin):
    list_display = ("short_name", "start_year", "end_year", "portal_start_date")
    search_fields = ("name", "short_name")
    fieldsets = (
        (None, {"fields": ("name", "short_name", "start_year", "end_year", "portal_start_date", "plan_key")}),
        (
            "Văn bản",
            {
                "fields": (
                    "issuing_unit",
                    "governing_body",
                    "issuing_body",
                    "issuing_body_abbreviation",
                    "place_name",
                    "report_recipient",
                    "coordinating_unit_name",
                )
            },
        ),
    )


@admin.register(CitedDocument)
class CitedDocumentAdmin(PlanRecordAdmin):
    """The office edits these on the portal's page "Văn bản căn cứ"; the admin sees the same rows."""

    list_display = ("role", "kind", "number", "issued_on", "issuer", "confirmed", "decision_basis", "sort_order")
    list_filter = ("role", "confirmed", "decision_basis")
    search_fields = ("number", "title", "issuer")


@admin.register(Theme)
class ThemeAdmin(PlanRecordAdmin):
    list_display = ("label", "sort_order", "campaign")
    list_filter = ("campaign",)
    search_fields = ("label",)


@admin.register(Phase)
class PhaseAdmin(PlanRecordAdmin):
    list_display = ("name", "number", "campaign", "start_year", "end_year", "review_kind", "review_year")
    list_filter = ("campaign", "review_kind")
    list_select_related = ("campaign",)
    search_fields = ("name",)


@admin.register(ContentArea)
class ContentAreaAdmin(PlanRecordAdmin):
    list_display = ("section", "short_text", "group_title", "sort_order", "campaign")
    list_display_links = ("section", "short_text")
    list_filter = ("campaign",)
    list_select_related = ("campaign",)
    search_fields = ("section", "group_title", "text")

    @admin.display(description="nội dung")
    def short_text(self, area):
        return Truncator(area.text).chars(120)


@admin.register(CriterionGroup)
class CriterionGroupAdmin(PlanRecordAdmin):
    list_display = ("section", "name", "sort_order", "campaign")
    list_display_links = ("section", "name")
    list_filter = ("campaign",)
    list_select_related = ("campaign",)
    search_fields = ("section", "name")


class CriterionApplicabilityInline(PortalTabularInline):
    model = CriterionApplicability
    fields = ("unit", "applies", "note")
    autocomplete_fields = ("unit",)
    verbose_name = "quy định áp dụng riêng cho đơn vị"
    verbose_name_plural = "quy định áp dụng riêng cho từng đơn vị"


class IndicatorInline(PortalStackedInline):
    model = Indicator
    fields = (
        ("code", "name", "is_active"),
        "quantities",
        ("formula", "numerator_key", "denominator_key", "result_unit"),
        ("comparison", "target_value", "half_year_target", "direction"),
        "aggregation_note",
        "plan_key",
    )
    readonly_fields = ("plan_key",)


@admin.register(Criterion)
class CriterionAdmin(PlanRecordAdmin):
    list_display = ("code_display", "short_label", "group", "applies_to_all_units", "is_active")
    list_display_links = ("code_display", "short_label")
    list_filter = ("group", "is_active", "applies_to_all_units")
    list_select_related = ("group",)
    search_fields = ("short_label", "text")
    fields = (
        "group",
        "number",
        "short_label",
        "text",
        "content_areas",
        "applies_to_all_units",
        "is_active",
        "plan_key",
    )
    filter_horizontal = ("content_areas",)
    inlines = (CriterionApplicabilityInline, IndicatorInline)

    @admin.display(description="mục", ordering="group__section")
    def code_display(self, criterion):
        return criterion.code


@admin.register(Indicator)
class IndicatorAdmin(PlanRecordAdmin):
    list_display = ("name", "code", "criterion", "formula", "comparison", "target_value", "direction", "is_active")
    list_filter = ("formula", "comparison", "direction", "is_active")
    list_select_related = ("criterion__group",)
    search_fields = ("code", "name")


@admin.register(AssessmentLevel)
class AssessmentLevelAdmin(PlanRecordAdmin):
    list_display = ("label", "code", "sort_order", "means_not_applicable", "is_active")
    list_filter = ("is_active",)
    search_fields = ("code", "label")


@admin.register(ReportingPeriod)
class ReportingPeriodAdmin(PlanRecordAdmin):
    list_display = (
        "code",
        "label",
        "kind",
        "start",
        "end",
        "data_cutoff",
        "unit_due_date",
        "department_due_date",
    )
    list_display_links = ("code", "label")
    list_filter = ("kind", "phase")
    list_select_related = ("phase",)
    search_fields = ("code", "label")
    fieldsets = (
        (None, {"fields": ("campaign", "phase", "code", "kind", "label", "year", "plan_key")}),
        ("Thời gian", {"fields": ("start", "end", "data_cutoff", "unit_due_date", "department_due_date")}),
    )
