# The register's tables take this app's names, and its content types follow (the admin's history keeps
# pointing at the right rows).

from django.db import migrations

MOVED = ("outgoingdocument", "registercounter")


def content_types_follow(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="reports", model__in=MOVED).update(app_label="documents")


def content_types_go_back(apps, schema_editor):
    ContentType = apps.get_model("contenttypes", "ContentType")
    ContentType.objects.filter(app_label="documents", model__in=MOVED).update(app_label="reports")


class Migration(migrations.Migration):
    dependencies = [
        ("documents", "0001_initial"),
        ("reports", "0003_register_moves_to_documents"),
        ("awards", "0004_register_entry_in_documents"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [
        migrations.AlterModelTable(name="outgoingdocument", table=None),
        migrations.AlterModelTable(name="registercounter", table=None),
        migrations.RunPython(content_types_follow, content_types_go_back),
    ]
