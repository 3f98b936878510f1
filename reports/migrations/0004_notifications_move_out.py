# Notifications and reminder sendings now belong to the notifications app (notifications 0001 and 0002).

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reports", "0003_register_moves_to_documents"),
        ("notifications", "0001_initial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name="Dispatch"),
                migrations.DeleteModel(name="Notification"),
            ],
            database_operations=[],
        ),
    ]
