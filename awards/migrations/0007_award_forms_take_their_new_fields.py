"""Award forms nobody edited take the file's values of the fields 0006 added (proposal_route, the bonuses).

Without this, load_plan would see every award form's digest (made over the fields loaded before) mismatch and
keep the rows as an administrator's edits, never writing the file's proposal_route (campaign.plan_loader).
"""

from django.db import migrations

from campaign.plan_loader import adopt_new_fields

OLD_FIELDS = (
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
    "sort_order",
)
NEW_FIELDS = (*OLD_FIELDS[:-1], "proposal_route", "bonus_individual", "bonus_collective", "sort_order")


def adopt(apps, schema_editor):
    adopt_new_fields(apps.get_model("awards", "AwardForm"), old_fields=OLD_FIELDS, new_fields=NEW_FIELDS)


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0006_award_documents_bases_bonus_meeting_end"),
    ]

    operations = [migrations.RunPython(adopt, migrations.RunPython.noop)]
