"""Admin of the awards app: the catalogue and the award register are edited here; the rest is for
looking things up. Rounds, council seats, nominations, meetings and documents change only through
awards.services (the portal's pages), which check, record and notify.

The electronic ballot's tallies (BallotTally) and who has voted (BallotCast) are deliberately not registered:
the counts are shown to no one before the vote closes, and then only as the agenda item's result.
"""

from django import forms
from django.contrib import admin

from campaign.admin import PlanRecordAdmin
from portal.admin import PortalModelAdmin, PortalTabularInline, ReadOnlyAdminMixin

from .models import (
    AwardDocument,
    AwardForm,
    AwardPrerequisite,
    AwardRecord,
    AwardRound,
    AwardRule,
    CouncilMeeting,
    CouncilMember,
    MeetingMember,
    Nomination,
    NominationTransition,
    PublicComment,
    RegisterImport,
    RoundForm,
)
from .services.rules import validate_params


class AwardRuleForm(forms.ModelForm):
    """An award rule edited by the administrator: its parameters are checked as the plan loader checks them."""

    class Meta:
        model = AwardRule
        fields = (
            "form",
            "code",
            "kind",
            "params",
            "label",
            "article",
            "source_url",
            "verified",
            "blocking",
            "sort_order",
            "is_active",
        )

    def clean(self):
        cleaned = super().clean()
        kind, params = cleaned.get("kind"), cleaned.get("params")
        if kind and params is not None:
            codes = set(AwardForm.objects.values_list("code", flat=True))
            errors = validate_params(kind, params, form_codes=codes)
            if errors:
                self.add_error("params", " ".join(errors))
        if not cleaned.get("verified") and not cleaned.get("source_url"):
            self.add_error("source_url", "Điều kiện chưa đối chiếu văn bản gốc phải ghi nguồn.")
        return cleaned


class AwardRuleInline(PortalTabularInline):
    model = AwardRule
    form = AwardRuleForm
    fields = ("code", "kind", "params", "label", "article", "verified", "source_url", "blocking", "sort_order")
    fk_name = "form"


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
                    "proposal_route",
                    "counts_towards_merit_awards",
                )
            },
        ),
        ("Tiền thưởng", {"fields": ("bonus_individual", "bonus_collective")}),
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
    inlines = (AwardRuleInline,)


@admin.register(AwardRule)
class AwardRuleAdmin(PlanRecordAdmin):
    """The award rules (awards/services/rules.py): what each form requires, its parameters and its article. The
    office sees them on every nomination and in docs/award-rules.md."""

    form = AwardRuleForm
    list_display = ("form", "label", "kind", "article", "verified", "blocking", "is_active")
    list_filter = ("kind", "verified", "blocking", "is_active", "form")
    list_select_related = ("form",)
    search_fields = ("code", "label", "article", "form__name")


@admin.register(AwardPrerequisite)
class AwardPrerequisiteAdmin(ReadOnlyAdminMixin, PlanRecordAdmin):
    """Retired: the conditions on earlier titles are award rules (title_streak); old rows are kept to look up."""

    list_display = ("award_form", "required_form", "window", "note")
    list_filter = ("window",)
    list_select_related = ("award_form", "required_form")
    search_fields = ("award_form__name", "required_form__name")


class RoundFormInline(ReadOnlyAdminMixin, PortalTabularInline):
    model = RoundForm
    fields = ("form", "quota")


@admin.register(AwardRound)
class AwardRoundAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    """Rounds are created, edited, opened and closed on the office's pages (awards.services.rounds), which
    check them, record each move and tell the units."""

    list_display = ("title", "kind", "year", "deadline", "status")
    list_filter = ("kind", "status", "year")
    search_fields = ("title",)
    inlines = (RoundFormInline,)


class NominationTransitionInline(ReadOnlyAdminMixin, PortalTabularInline):
    model = NominationTransition
    fields = ("at", "action", "from_status", "to_status", "actor", "comment")


@admin.register(Nomination)
class NominationAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ("nominee_name", "form", "unit", "round", "status")
    list_filter = ("status", "round", "form")
    search_fields = ("nominee_name", "nominee_unit_name")
    list_select_related = ("form", "unit", "round")
    exclude = ("achievement",)
    inlines = (NominationTransitionInline,)


@admin.register(CouncilMember)
class CouncilMemberAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    """Seats are given and ended on the council's page (awards.services.council), which grants and revokes
    the council member capability and tells the member."""

    list_display = ("user", "role", "title_in_council", "since", "until", "is_active")
    list_filter = ("role", "is_active")
    list_select_related = ("user",)
    search_fields = ("user__full_name", "user__username")


class MeetingMemberInline(ReadOnlyAdminMixin, PortalTabularInline):
    model = MeetingMember
    fields = ("name", "role", "attended")


@admin.register(CouncilMeeting)
class CouncilMeetingAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ("title", "round", "scheduled_at", "voting", "status")
    list_filter = ("status", "voting")
    inlines = (MeetingMemberInline,)


@admin.register(AwardDocument)
class AwardDocumentAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ("__str__", "kind", "round", "status", "render_status", "created_at")
    list_filter = ("kind", "status", "render_status")
    exclude = ("content", "attempt_token")


@admin.register(AwardRecord)
class AwardRecordAdmin(PortalModelAdmin):
    list_display = ("year", "form_name", "recipient_name", "unit_name", "decision_number", "decision_date", "source")
    list_filter = ("year", "source", "recipient_kind")
    search_fields = ("recipient_name", "unit_name", "form_name", "decision_number")
    readonly_fields = ("nomination", "imported_in", "source", "recorded_at")
    raw_id_fields = ("person", "unit")

    def save_model(self, request, obj, form, change):
        if not change:
            obj.source = AwardRecord.Source.IMPORTED
        super().save_model(request, obj, form, change)


@admin.register(RegisterImport)
class RegisterImportAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ("original_name", "imported_by", "imported_at", "rows_created", "rows_skipped")


@admin.register(PublicComment)
class PublicCommentAdmin(ReadOnlyAdminMixin, PortalModelAdmin):
    list_display = ("received_at", "sender_name", "nomination", "handled_at")
    list_filter = ("handled_at",)
    search_fields = ("sender_name", "message")
