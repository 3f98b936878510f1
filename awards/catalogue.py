"""The award catalogue of the plan's data file ([[award_forms]] with their rules, [[award_forms.rules]]), loaded with
the plan by campaign.plan_loader through the section this app registers.

The rules replace the old prerequisites ([[award_forms.prerequisites]], "a title in any year"): a condition on earlier
titles is a `title_streak` rule with its count and window, its article and whether it was checked against the text.
"""

from campaign.plan_loader import PlanFileError

from .models import AwardForm, AwardRule
from .services.rules import validate_params

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
RULE_FIELDS = ("form", "code", "kind", "params", "label", "article", "source_url", "verified", "blocking", "sort_order")


def load_award_catalogue(loader):
    """The award forms (with the file's defaults and dossier part sets) and their rules."""
    defaults = loader.data.get("award_form_defaults", {})
    part_sets = loader.data.get("dossier_part_sets", {})
    forms, rules = [], []
    codes = {form.get("code") for form in loader.list("award_forms")} | set(
        AwardForm.objects.values_list("code", flat=True)
    )
    for form in loader.list("award_forms"):
        form = {**defaults, **form}
        form_key = loader.key(form, "award_forms")
        if "prerequisites" in form:
            raise PlanFileError(
                f"{form_key}: [[award_forms.prerequisites]] không còn dùng; ghi điều kiện bằng [[award_forms.rules]] "
                "(loại title_streak, có số lần, năm kết thúc và căn cứ)."
            )
        rules += _rules_of(form_key, form, form.pop("rules", []), codes)
        parts = form.get("dossier_parts")
        if isinstance(parts, str):
            if parts not in part_sets:
                raise PlanFileError(f"{form_key}: không có bộ thành phần hồ sơ “{parts}” trong [dossier_part_sets].")
            form["dossier_parts"] = part_sets[parts]
        forms.append(form)
    loader.upsert(AwardForm, forms, fields=AWARD_FORM_FIELDS, natural_key=("code",))
    loader.upsert(AwardRule, rules, fields=RULE_FIELDS, natural_key=("form", "code"))


def _rules_of(form_key, form, rows, codes):
    """The form's rules as loader rows: keyed by form and code, ordered as written, their parameters checked."""
    rules = []
    for position, row in enumerate(rows, start=1):
        where = f"{form_key}, điều kiện {row.get('code', position)}"
        errors = validate_params(row.get("kind"), row.get("params", {}), form_codes=codes)
        if errors:
            raise PlanFileError(f"{where}: {' '.join(errors)}")
        if not row.get("verified") and not row.get("source_url"):
            raise PlanFileError(f"{where}: điều kiện chưa đối chiếu văn bản gốc phải ghi nguồn (source_url).")
        rules.append(
            {
                "plan_key": f"rule-{form['code']}-{row.get('code', '')}",
                "form": form_key,
                "sort_order": position * 10,
                **row,
            }
        )
    return rules
