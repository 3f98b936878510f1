"""Names typed before the portal cleaned what people type: control characters removed (portal.text.clean_text).

They are printed in every document (the issuing unit, the signer), whose DOCX a vertical tab would break.
"""

from django.db import migrations

from portal.text import clean_stored_text

TYPED_TEXT = {
    "Unit": ["name", "abbreviation"],
    "User": ["full_name", "position_title"],
    "Person": ["full_name", "position_title"],
}


def clean_typed_text(apps, schema_editor):
    for model_name, fields in TYPED_TEXT.items():
        clean_stored_text(apps.get_model("units", model_name), fields)


class Migration(migrations.Migration):
    dependencies = [("units", "0002_capability_groups")]

    operations = [migrations.RunPython(clean_typed_text, migrations.RunPython.noop, elidable=True)]
