# The register moves here from reports (reports 0003): this app takes over the models, their tables kept
# as they are until 0002 renames them, so no row is copied.

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("reports", "0002_consolidated_report_and_register"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name="OutgoingDocument",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("year", models.PositiveSmallIntegerField(verbose_name="năm")),
                        ("issuer_code", models.CharField(max_length=30, verbose_name="cơ quan ban hành")),
                        ("type_code", models.CharField(max_length=10, verbose_name="loại văn bản")),
                        ("number", models.PositiveIntegerField(verbose_name="số")),
                        ("issued_on", models.DateField(verbose_name="ngày ban hành")),
                        ("summary", models.CharField(max_length=500, verbose_name="trích yếu")),
                        (
                            "source",
                            models.CharField(
                                choices=[("portal", "Sổ đăng ký của Cổng"), ("clerk", "Văn thư cấp số")],
                                max_length=10,
                                verbose_name="nguồn số",
                            ),
                        ),
                        ("recorded_at", models.DateTimeField(default=django.utils.timezone.now)),
                        (
                            "recorded_by",
                            models.ForeignKey(
                                on_delete=django.db.models.deletion.PROTECT,
                                related_name="+",
                                to=settings.AUTH_USER_MODEL,
                            ),
                        ),
                    ],
                    options={
                        "verbose_name": "văn bản đi",
                        "verbose_name_plural": "sổ đăng ký văn bản đi",
                        "ordering": ["-year", "type_code", "-number"],
                        "db_table": "reports_outgoingdocument",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("year", "issuer_code", "type_code", "number"),
                                name="document_number_unique_per_register",
                            ),
                            models.CheckConstraint(
                                condition=models.Q(("number__gte", 1)), name="document_number_positive"
                            ),
                        ],
                    },
                ),
                migrations.CreateModel(
                    name="RegisterCounter",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("year", models.PositiveSmallIntegerField()),
                        ("issuer_code", models.CharField(max_length=30)),
                        ("type_code", models.CharField(max_length=10)),
                        ("last_number", models.PositiveIntegerField(default=0)),
                    ],
                    options={
                        "verbose_name": "bộ đếm số văn bản",
                        "verbose_name_plural": "bộ đếm số văn bản",
                        "db_table": "reports_registercounter",
                        "constraints": [
                            models.UniqueConstraint(
                                fields=("year", "issuer_code", "type_code"), name="one_counter_per_register"
                            )
                        ],
                    },
                ),
            ],
            database_operations=[],
        ),
    ]
