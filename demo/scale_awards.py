"""Synthetic awards at scale for the list benchmarks (bench/lists.py): people, a round of nominations, a register.

`seed_awards(units=N)` builds on demo/scale.py's synthetic units (SCALE0001 …, created if missing, without reports)
and adds, idempotently:

- `people_per_unit` people per unit (Person rows, "Chuyên viên");
- one closed annual round of this year (title ending "(thử tải)") offering Lao động tiên tiến and the Director's
  Giấy khen, under public notice today, with one Lao động tiên tiến nomination per person, sent, their states
  spread over the office's and the council's steps (every fifth one recommended by the council);
- the award register: one Lao động tiên tiến record per person for each of the `years` years before this one.

Seeding is not a user flow: rows are written with `bulk_create` (the register's search key filled as the importer
fills it); nothing is notified. A second run creates nothing.
"""

import datetime

from django.db import transaction
from django.utils import timezone

from awards.models import AwardForm, AwardRecord, AwardRound, Nomination, RoundForm
from campaign.models import Campaign
from campaign.plan_loader import load_plan
from demo.scale import ScaleSummary, _ensure_heads, _ensure_reviewer, _ensure_units, _person_name
from units.models import Person

ROUND_SUFFIX = "(thử tải)"
FORM_CODE = "lao-dong-tien-tien"
# The nominations' states in turn: what the office and leadership lists show across a round.
STATES = (
    Nomination.Status.SUBMITTED,
    Nomination.Status.ON_AGENDA,
    Nomination.Status.RETURNED,
    Nomination.Status.APPROVED,
    Nomination.Status.RECOMMENDED,
)


def seed_awards(*, units, people_per_unit=3, years=3):
    """Seed N units' people, a round of nominations and `years` years of register; returns what it made."""
    load_plan()
    campaign = Campaign.objects.select_related("issuing_unit").order_by("pk").first()
    today = timezone.localdate()
    made = {"people": 0, "nominations": 0, "records": 0}
    with transaction.atomic():
        scale_units = _ensure_units(campaign, units, ScaleSummary())
        heads = _ensure_heads(scale_units)
        reviewer = _ensure_reviewer()
        people = _ensure_people(scale_units, people_per_unit, made)
        form = AwardForm.objects.get(code=FORM_CODE)
        award_round = _ensure_round(campaign, reviewer, form, today)
        _ensure_nominations(award_round, form, people, heads, today, made)
        _ensure_records(form, people, today.year, years, made)
    return made


def _ensure_people(scale_units, per_unit, made):
    existing = {}
    for person in Person.objects.filter(unit__in=scale_units).order_by("pk"):
        existing.setdefault(person.unit_id, []).append(person)
    new = []
    for unit in scale_units:
        index = int(unit.code[5:])
        for number in range(len(existing.get(unit.pk, [])), per_unit):
            new.append(Person(full_name=_person_name(index * 7 + number + 1), position_title="Chuyên viên", unit=unit))
    Person.objects.bulk_create(new, batch_size=500)
    made["people"] = len(new)
    units_by_pk = {unit.pk: unit for unit in scale_units}
    people = list(Person.objects.filter(unit__in=scale_units).order_by("unit__sort_order", "pk"))
    for person in people:
        person.unit = units_by_pk[person.unit_id]
    return people


def _ensure_round(campaign, reviewer, form, today):
    title = f"Xét khen thưởng năm {today.year} {ROUND_SUFFIX}"
    award_round, created = AwardRound.objects.get_or_create(
        title=title,
        defaults={
            "campaign": campaign,
            "kind": AwardRound.Kind.ANNUAL,
            "year": today.year,
            "deadline": today - datetime.timedelta(days=5),
            "notice_starts_on": today - datetime.timedelta(days=2),
            "notice_ends_on": today + datetime.timedelta(days=5),
            "status": AwardRound.Status.CLOSED,
            "created_by": reviewer,
        },
    )
    if created:
        RoundForm.objects.create(round=award_round, form=form)
        RoundForm.objects.create(round=award_round, form=AwardForm.objects.get(code="giay-khen-giam-doc-so"))
    return award_round


def _ensure_nominations(award_round, form, people, heads, today, made):
    nominated = set(Nomination.objects.filter(round=award_round).values_list("person_id", flat=True))
    sent_at = timezone.make_aware(datetime.datetime.combine(today - datetime.timedelta(days=7), datetime.time(9)))
    new = []
    for index, person in enumerate(people):
        if person.pk in nominated:
            continue
        head = heads[person.unit_id]
        new.append(
            Nomination(
                round=award_round,
                form=form,
                unit_id=person.unit_id,
                nominee_kind=Nomination.NomineeKind.INDIVIDUAL,
                person=person,
                status=STATES[index % len(STATES)],
                nominee_name=person.full_name,
                nominee_position=person.position_title,
                nominee_unit_name=person.unit.name,
                achievement={},
                created_by=head,
                submitted_at=sent_at + datetime.timedelta(minutes=index),
                submitted_by=head,
            )
        )
    Nomination.objects.bulk_create(new, batch_size=500)
    made["nominations"] = len(new)


def _ensure_records(form, people, this_year, years, made):
    first = this_year - years
    recorded = set(AwardRecord.objects.filter(person__in=people, year__gte=first).values_list("person_id", "year"))
    new = []
    for year in range(first, this_year):
        for index, person in enumerate(people):
            if (person.pk, year) in recorded:
                continue
            record = AwardRecord(
                year=year,
                form=form,
                form_name=form.name,
                recipient_kind=Nomination.NomineeKind.INDIVIDUAL,
                recipient_name=person.full_name,
                position=person.position_title,
                unit_name=person.unit.name,
                unit_id=person.unit_id,
                person=person,
                decision_number=f"{100 + index // 500}/QĐ-SKHCN",
                decision_date=datetime.date(year, 12, 20),
                conferring_authority="Giám đốc Sở Khoa học và Công nghệ",
                source=AwardRecord.Source.IMPORTED,
            )
            record.fill_search_key()
            new.append(record)
    AwardRecord.objects.bulk_create(new, batch_size=500)
    made["records"] = len(new)
