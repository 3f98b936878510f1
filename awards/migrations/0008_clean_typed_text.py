"""Text stored before the portal cleaned what people type: control characters removed (portal.text.clean_text).

Append-only history rows (transitions) keep the content as it stood, and so does an award document's content,
whose digest is recorded when it is made; the renderers clean their text on the way out.
"""

from django.db import migrations

from portal.text import clean_stored_text

TYPED_TEXT = {
    "AwardForm": ["name", "award_class", "conferring_authority", "proposal_recipient"],
    "AwardPrerequisite": ["note"],
    "AwardRound": ["title"],
    "Nomination": [
        "nominee_name",
        "nominee_position",
        "nominee_unit_name",
        "achievement",
        "rejection_reason",
        "higher_decision_number",
    ],
    "DossierFile": ["original_name"],
    "CouncilMember": ["title_in_council"],
    "CouncilMeeting": ["title", "place", "notes"],
    "MeetingMember": ["name"],
    "AwardDocument": ["recipient", "summary", "signer_name", "sent_channel"],
    "RegisterImport": ["original_name"],
    "AwardRecord": [
        "form_name",
        "recipient_name",
        "position",
        "unit_name",
        "decision_number",
        "conferring_authority",
        "search_key",
    ],
    "PublicComment": ["sender_name", "sender_contact", "message"],
}


def clean_typed_text(apps, schema_editor):
    for model_name, fields in TYPED_TEXT.items():
        clean_stored_text(apps.get_model("awards", model_name), fields)


class Migration(migrations.Migration):
    dependencies = [("awards", "0007_award_forms_take_their_new_fields")]

    operations = [migrations.RunPython(clean_typed_text, migrations.RunPython.noop, elidable=True)]
