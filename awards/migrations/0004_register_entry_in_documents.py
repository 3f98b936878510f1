# The register of outgoing documents now belongs to the documents app.

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0003_register_search_key"),
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="awarddocument",
                    name="register_entry",
                    field=models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="award_document",
                        to="documents.outgoingdocument",
                    ),
                ),
            ],
            database_operations=[],
        ),
    ]
