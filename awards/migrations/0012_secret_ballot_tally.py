"""Secret ballots: one tally per agenda item replaces the row per vote (issue 16, item 7).

The existing anonymous `Ballot` rows of each item are summed into its `BallotTally` (sealed with the portal's key,
closed when the item was already counted), then the per-vote table is dropped: the database keeps no row per vote.
Backups taken before this migration still hold the old rows; on SQLite their pages stay in the file's free list
until `VACUUM`.
"""

import uuid

import django.db.models.deletion
from django.db import migrations, models

# Imported at module level on purpose: the migration seals with the same function the ballot uses, so the counts it
# writes open with the portal's key like any vote's.
from awards.ballot_seal import seal, unseal

AGREE, DISAGREE = "agree", "disagree"


def sum_ballots_into_tallies(apps, schema_editor):
    AgendaItem = apps.get_model("awards", "AgendaItem")
    Ballot = apps.get_model("awards", "Ballot")
    BallotTally = apps.get_model("awards", "BallotTally")
    totals = {}
    for item_id, choice in Ballot.objects.values_list("item_id", "choice").iterator():
        agree, disagree = totals.get(item_id, (0, 0))
        totals[item_id] = (agree + (choice == AGREE), disagree + (choice == DISAGREE))
    counted = set(
        AgendaItem.objects.filter(meeting__voting="electronic", agree__isnull=False).values_list("pk", flat=True)
    )
    BallotTally.objects.bulk_create(
        BallotTally(item_id=item_id, sealed=seal(item_id, *totals.get(item_id, (0, 0))), closed=item_id in counted)
        for item_id in sorted(set(totals) | counted)
    )


def tallies_back_into_ballots(apps, schema_editor):
    Ballot = apps.get_model("awards", "Ballot")
    BallotTally = apps.get_model("awards", "BallotTally")
    rows = []
    for tally in BallotTally.objects.all():
        agree, disagree = unseal(tally.item_id, tally.sealed)
        rows += [Ballot(id=uuid.uuid4(), item_id=tally.item_id, choice=AGREE) for _ in range(agree)]
        rows += [Ballot(id=uuid.uuid4(), item_id=tally.item_id, choice=DISAGREE) for _ in range(disagree)]
    Ballot.objects.bulk_create(rows)


class Migration(migrations.Migration):
    dependencies = [
        ("awards", "0011_person_record_and_rules"),
    ]

    operations = [
        migrations.CreateModel(
            name="BallotTally",
            fields=[
                (
                    "item",
                    models.OneToOneField(
                        on_delete=django.db.models.deletion.PROTECT,
                        primary_key=True,
                        related_name="tally",
                        serialize=False,
                        to="awards.agendaitem",
                    ),
                ),
                ("sealed", models.CharField(max_length=120, verbose_name="số phiếu (đã niêm phong)")),
                ("closed", models.BooleanField(default=False, verbose_name="đã kết thúc bỏ phiếu")),
            ],
            options={
                "verbose_name": "kết quả bỏ phiếu điện tử",
                "verbose_name_plural": "kết quả bỏ phiếu điện tử",
            },
        ),
        migrations.RunPython(sum_ballots_into_tallies, tallies_back_into_ballots),
        migrations.DeleteModel(
            name="Ballot",
        ),
    ]
