# The register of outgoing documents now belongs to the documents app (documents 0001 and 0002).

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0002_consolidated_report_and_register"),
        ("documents", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.AlterField(
                    model_name="consolidatedreport",
                    name="register_entry",
                    field=models.OneToOneField(
                        blank=True,
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="consolidated_report",
                        to="documents.outgoingdocument",
                    ),
                ),
                migrations.DeleteModel(name="OutgoingDocument"),
                migrations.DeleteModel(name="RegisterCounter"),
            ],
            database_operations=[],
        ),
    ]
