# Every workflow writes its transitions (workflow/transitions.py): rounds and meetings get their records;
# award documents record the states they move between (earlier rows keep an empty "to").

import django.db.models.deletion
import django.utils.timezone
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0004_register_entry_in_documents"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.AddField(
            model_name="awarddocumenttransition",
            name="from_status",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AddField(
            model_name="awarddocumenttransition",
            name="to_status",
            field=models.CharField(default="", max_length=20),
            preserve_default=False,
        ),
        migrations.AlterField(
            model_name="nominationtransition",
            name="from_status",
            field=models.CharField(blank=True, max_length=20),
        ),
        migrations.AlterField(
            model_name="nominationtransition",
            name="to_status",
            field=models.CharField(max_length=20),
        ),
        migrations.CreateModel(
            name="MeetingTransition",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("action", models.CharField(max_length=30)),
                ("from_status", models.CharField(blank=True, max_length=20)),
                ("to_status", models.CharField(max_length=20)),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("comment", models.TextField(blank=True)),
                (
                    "actor",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "meeting",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="transitions",
                        to="awards.councilmeeting",
                    ),
                ),
            ],
            options={
                "verbose_name": "lịch sử cuộc họp Hội đồng",
                "verbose_name_plural": "lịch sử cuộc họp Hội đồng",
                "ordering": ["at", "pk"],
                "abstract": False,
            },
        ),
        migrations.CreateModel(
            name="RoundTransition",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("action", models.CharField(max_length=30)),
                ("from_status", models.CharField(blank=True, max_length=20)),
                ("to_status", models.CharField(max_length=20)),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                ("comment", models.TextField(blank=True)),
                (
                    "actor",
                    models.ForeignKey(
                        null=True,
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to=settings.AUTH_USER_MODEL,
                    ),
                ),
                (
                    "round",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT, related_name="transitions", to="awards.awardround"
                    ),
                ),
            ],
            options={
                "verbose_name": "lịch sử đợt xét khen thưởng",
                "verbose_name_plural": "lịch sử đợt xét khen thưởng",
                "ordering": ["at", "pk"],
                "abstract": False,
            },
        ),
    ]
