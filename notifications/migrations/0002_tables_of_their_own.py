# The tables take this app's names, and the content types follow.

from django.db import migrations

MOVED = ("notification", "dispatch")


def content_types_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="reports", model__in=MOVED).update(app_label="notifications")


def content_types_go_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="notifications", model__in=MOVED).update(app_label="reports")


class Migration(migrations.Migration):
    dependencies = [
        ("notifications", "0001_initial"),
        ("reports", "0004_notifications_move_out"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="dispatch", table=None),
        migrations.AlterModelTable(name="notification", table=None),
        migrations.RunPython(content_types_follow, content_types_go_back),
    ]
