"""Text the office typed before the portal cleaned it: control characters removed (portal.text.clean_text)."""

from django.db import migrations

from portal.text import clean_stored_text

TYPED_TEXT = {
    "CitedDocument": ["kind", "number", "issuer", "title", "signer"],
    "CriterionApplicability": ["note"],
}


def clean_typed_text(apps, schema_editor):
    for model_name, fields in TYPED_TEXT.items():
        clean_stored_text(apps.get_model("campaign", model_name), fields)


class Migration(migrations.Migration):
    dependencies = [("campaign", "0003_cited_documents_themes_content_links")]

    operations = [migrations.RunPython(clean_typed_text, migrations.RunPython.noop, elidable=True)]
