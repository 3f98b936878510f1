"""Create the capability groups (office reviewer, leadership, council member, administrator)."""

from django.db import migrations

CAPABILITY_GROUPS = [
    "Văn phòng - rà soát, tổng hợp báo cáo",
    "Lãnh đạo Sở",
    "Hội đồng Thi đua - Khen thưởng",
    "Quản trị hệ thống",
]


def create_groups(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    for name in CAPABILITY_GROUPS:
        Group.objects.get_or_create(name=name)


class Migration(migrations.Migration):
    dependencies = [
        ("units", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_groups, migrations.RunPython.noop)]
