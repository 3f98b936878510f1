"""The award catalogue of the plan's data file ([[award_forms]] with their prerequisites), loaded with the plan by
campaign.plan_loader through the section this app registers."""

from campaign.plan_loader import PlanFileError

from .models import AwardForm, AwardPrerequisite

# The fields the loader writes; the others belong to the administrator.
AWARD_FORM_FIELDS = (
    "code",
    "name",
    "award_class",
    "plan_item",
    "is_annual_title",
    "conferring_authority",
    "recipient_kind",
    "conferred_by_department",
    "proposal_recipient",
    "award_type",
    "counts_towards_merit_awards",
    "dossier_parts",
    "requires_council_ballot",
    "ballot_threshold_percent",
    "threshold_base",
    "quorum_percent",
    "chair_breaks_ties",
    "proposal_route",
    # Bonus amounts only when the file gives them (we do not invent amounts): absent means none.
    "bonus_individual",
    "bonus_collective",
    "sort_order",
)
PREREQUISITE_FIELDS = ("award_form", "required_form", "window", "note")


def load_award_catalogue(loader):
    """The award forms (with the file's defaults and dossier part sets) and their prerequisites."""
    defaults = loader.data.get("award_form_defaults", {})
    part_sets = loader.data.get("dossier_part_sets", {})
    forms, prerequisites = [], []
    for form in loader.list("award_forms"):
        form = {**defaults, **form}
        form_key = loader.key(form, "award_forms")
        prerequisites += [{"award_form": form_key, **rule} for rule in form.pop("prerequisites", [])]
        parts = form.get("dossier_parts")
        if isinstance(parts, str):
            if parts not in part_sets:
                raise PlanFileError(f"{form_key}: không có bộ thành phần hồ sơ “{parts}” trong [dossier_part_sets].")
            form["dossier_parts"] = part_sets[parts]
        forms.append(form)
    loader.upsert(AwardForm, forms, fields=AWARD_FORM_FIELDS, natural_key=("code",))
    loader.upsert(
        AwardPrerequisite, prerequisites, fields=PREREQUISITE_FIELDS, natural_key=("award_form", "required_form")
    )
