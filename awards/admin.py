"""Admin of the award forms catalogue and the prerequisites between forms."""

from django.contrib import admin

from campaign.admin import PlanRecordAdmin
from portal.admin import PortalTabularInline

from .models import AwardForm, AwardPrerequisite


class AwardPrerequisiteInline(PortalTabularInline):
    model = AwardPrerequisite
    fk_name = "award_form"
    fields = ("required_form", "window", "note", "plan_key")
    readonly_fields = ("plan_key",)


@admin.register(AwardForm)
class AwardFormAdmin(PlanRecordAdmin):
    list_display = (
        "name",
        "award_class",
        "code",
        "conferring_authority",
        "recipient_kind",
        "award_type",
        "conferred_by_department",
        "requires_council_ballot",
        "is_active",
    )
    list_filter = ("recipient_kind", "award_type", "conferred_by_department", "requires_council_ballot", "is_active")
    search_fields = ("code", "name", "conferring_authority")
    fieldsets = (
        (None, {"fields": ("code", "name", "award_class", "plan_item", "sort_order", "is_active", "plan_key")}),
        (
            "Thẩm quyền, đối tượng",
            {
                "fields": (
                    "award_type",
                    "recipient_kind",
                    "is_annual_title",
                    "conferring_authority",
                    "conferred_by_department",
                    "proposal_recipient",
                    "counts_towards_merit_awards",
                )
            },
        ),
        ("Hồ sơ", {"fields": ("dossier_parts",)}),
        (
            "Xét tại Hội đồng",
            {
                "fields": (
                    "requires_council_ballot",
                    "ballot_threshold_percent",
                    "threshold_base",
                    "quorum_percent",
                    "chair_breaks_ties",
                )
            },
        ),
    )
    inlines = (AwardPrerequisiteInline,)


@admin.register(AwardPrerequisite)
class AwardPrerequisiteAdmin(PlanRecordAdmin):
    list_display = ("award_form", "required_form", "window", "note")
    list_filter = ("window",)
    list_select_related = ("award_form", "required_form")
    search_fields = ("award_form__name", "required_form__name")
