"""Text stored before the portal cleaned what people type: control characters removed (portal.text.clean_text).

A vertical tab pasted from Word made the report's DOCX fail. Append-only history rows (transitions) keep the
content as it stood, and so does a consolidated report whose content digest was recorded at approval; the
renderers clean their text on the way out.
"""

from django.db import migrations

from portal.text import clean_stored_text

TYPED_TEXT = {
    "UnitReport": ["unit_name"],
    "ReportSection": ["text", "items"],
    "CriterionResult": ["criterion_text", "activities", "quantities", "not_applicable_reason"],
    "ReviewComment": ["text"],
    "Evidence": ["original_name"],
    "ConsolidatedReport": ["signer_name", "sent_channel"],
    "ConsolidatedOutline": ["sections", "recipients"],
}


def clean_typed_text(apps, schema_editor):
    for model_name, fields in TYPED_TEXT.items():
        clean_stored_text(apps.get_model("reports", model_name), fields)
    consolidated = apps.get_model("reports", "ConsolidatedReport")
    clean_stored_text(
        consolidated,
        ["snapshot", "sections"],
        rows=consolidated._default_manager.filter(content_sha256=""),
    )


class Migration(migrations.Migration):
    dependencies = [("reports", "0006_classify_action")]

    operations = [migrations.RunPython(clean_typed_text, migrations.RunPython.noop, elidable=True)]
