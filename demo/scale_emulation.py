"""Synthetic emulation data at scale for the list benchmarks (bench/lists_emulation.py) and the lists' scale tests.

`seed_emulation_scale(year=2025)` gives every reporting unit (those of `seed_scale`, demo/scale.py, or any others)
what the office's lists of the year show:

- the emulation year (its plan recorded, registration closed) if it is missing;
- a registration per unit but every seventh (not registered), in a mix of states: submitted, accepted, returned,
  draft; every fifth sent late with its reason;
- three people per unit (made once) and an assessment per unit but every sixth, in a mix of states, an entry per
  person with the classification proposed (and decided once confirmed);
- a confirmed annual scoring scheme of two items with every unit's score and its two lines, totals spread so that
  some tie (the tie-break rules have work to do);
- `documents` entries in the register of outgoing documents of the year, in two registers (BC and KH), every
  third numbered by the clerk, every twentieth dated back with the clerk's reason.

Seeding is not a user flow: rows are written with `bulk_create`, shaped as the services leave them, and nothing is
notified. Idempotent: a unit that already has its registration, assessment, people or score is left alone, and
register numbers already taken are skipped, so a second run adds only what is missing (for units added since).
"""

import datetime
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from campaign.models import Campaign
from documents.models import OutgoingDocument
from emulation.models import (
    Assessment,
    AssessmentEntry,
    EmulationYear,
    Registration,
    SchemeItem,
    ScoreLine,
    ScoringScheme,
    UnitScore,
)
from units.models import Person, Unit, User

OFFICE_USERNAME = "scale.thidua"
PEOPLE_PER_UNIT = 3
KINDS = {"BC": "Báo cáo", "KH": "Kế hoạch"}
_REGISTRATION_STATES = (
    Registration.Status.SUBMITTED,
    Registration.Status.ACCEPTED,
    Registration.Status.ACCEPTED,
    Registration.Status.RETURNED,
    Registration.Status.DRAFT,
    Registration.Status.ACCEPTED,
)
_ASSESSMENT_STATES = (
    Assessment.Status.SUBMITTED,
    Assessment.Status.CONFIRMED,
    Assessment.Status.RETURNED,
    Assessment.Status.DRAFT,
    Assessment.Status.CONFIRMED,
)


def seed_emulation_scale(*, year=2025, documents=0):
    """Seed the year's registrations, assessments, confirmed annual scores for every reporting unit, and `documents`
    register entries; returns {what: rows created}. See the module docstring."""
    created = {}
    with transaction.atomic():
        actor = _office_user()
        emulation_year = _year(year, actor)
        units = list(Unit.objects.reporting(timezone.localdate()).order_by("sort_order", "name"))
        created["registrations"] = _registrations(emulation_year, units, actor)
        created["people"] = _people(units)
        created["assessments"] = _assessments(emulation_year, units, actor)
        created["scores"] = _scores(emulation_year, units, actor)
        created["documents"] = _documents(year, documents, actor)
    return created


def _office_user():
    office = Unit.objects.filter(kind=Unit.Kind.OFFICE).order_by("sort_order", "pk").first()
    user, _ = User.objects.get_or_create(
        username=OFFICE_USERNAME,
        defaults={
            "full_name": "Văn phòng (thi đua, dữ liệu thử tải)",
            "unit": office,
            "position": User.Position.STAFF,
            "password": make_password(None),
        },
    )
    return user


def _year(number, actor):
    campaign = Campaign.objects.order_by("pk").first()
    emulation_year, _ = EmulationYear.objects.get_or_create(
        year=number,
        defaults={
            "campaign": campaign,
            "plan_number": "15/KH-SKHCN",
            "plan_date": datetime.date(number, 1, 10),
            "plan_title": f"Kế hoạch tổ chức phong trào thi đua năm {number}",
            "registration_opens_on": datetime.date(number, 1, 10),
            "registration_due_on": datetime.date(number, 2, 28),
            "registration_opened_at": _at(number, 1, 10, 8),
            "registration_closed_at": _at(number, 3, 1, 8),
            "created_by": actor,
        },
    )
    return emulation_year


def _moment(year, index, month):
    """A fixed time of the year per unit, so two databases seeded alike hold the same times."""
    return _at(year, month, 1 + index % 27, 8 + index % 9, index % 60)


def _at(year, month, day, hour, minute=0):
    return datetime.datetime(year, month, day, hour, minute, tzinfo=timezone.get_current_timezone())


def _registrations(emulation_year, units, actor):
    existing = set(Registration.objects.filter(year=emulation_year).values_list("unit_id", flat=True))
    rows = []
    for index, unit in enumerate(units):
        if unit.pk in existing or index % 7 == 6:
            continue
        status = _REGISTRATION_STATES[index % len(_REGISTRATION_STATES)]
        sent = status != Registration.Status.DRAFT
        late = sent and index % 5 == 4
        rows.append(
            Registration(
                year=emulation_year,
                unit=unit,
                unit_name=unit.name,
                status=status,
                submission_count=(2 if status == Registration.Status.RETURNED else 1) if sent else 0,
                submitted_at=_moment(emulation_year.year, index, 3 if late else 2) if sent else None,
                is_late=late,
                late_reason="Đơn vị chờ ý kiến của lãnh đạo Sở về chỉ tiêu giải ngân." if late else "",
                accepted_at=_moment(emulation_year.year, index, 3) if status == Registration.Status.ACCEPTED else None,
                created_by=actor,
            )
        )
    Registration.objects.bulk_create(rows, batch_size=500)
    return len(rows)


def _people(units):
    have = set(Person.objects.filter(unit__in=units).values_list("unit_id", flat=True).distinct())
    rows = [
        Person(full_name=f"Cán bộ {number + 1} {unit.code}", position_title="Chuyên viên", unit=unit)
        for unit in units
        if unit.pk not in have
        for number in range(PEOPLE_PER_UNIT)
    ]
    Person.objects.bulk_create(rows, batch_size=1000)
    return len(rows)


def _assessments(emulation_year, units, actor):
    existing = set(Assessment.objects.filter(year=emulation_year).values_list("unit_id", flat=True))
    rows = []
    for index, unit in enumerate(units):
        if unit.pk in existing or index % 6 == 5:
            continue
        status = _ASSESSMENT_STATES[index % len(_ASSESSMENT_STATES)]
        sent = status != Assessment.Status.DRAFT
        rows.append(
            Assessment(
                year=emulation_year,
                unit=unit,
                status=status,
                meeting_date=datetime.date(emulation_year.year, 12, 1 + index % 20),
                meeting_attendance="Toàn thể cán bộ của đơn vị",
                submitted_at=_moment(emulation_year.year, index, 12) if sent else None,
                confirmed_at=_moment(emulation_year.year, index, 12) if status == Assessment.Status.CONFIRMED else None,
                created_by=actor,
            )
        )
    Assessment.objects.bulk_create(rows, batch_size=500)
    created = {assessment.unit_id: assessment for assessment in rows}
    people = Person.objects.filter(unit_id__in=created).order_by("unit_id", "pk").values_list("pk", "unit_id")
    entries = []
    for number, (person_id, unit_id) in enumerate(people):
        assessment = created[unit_id]
        confirmed = assessment.status == Assessment.Status.CONFIRMED
        proposed = "excellent" if number % 4 == 0 else "good"
        entries.append(
            AssessmentEntry(
                assessment=assessment,
                person_id=person_id,
                proposed_classification=proposed,
                decided_classification=proposed if confirmed else "",
            )
        )
    AssessmentEntry.objects.bulk_create(entries, batch_size=1000)
    return len(rows)


def _scores(emulation_year, units, actor):
    scheme, made = ScoringScheme.objects.get_or_create(
        year=emulation_year,
        kind=ScoringScheme.Kind.ANNUAL,
        defaults={
            "name": f"Bảng điểm thi đua năm {emulation_year.year}",
            "status": ScoringScheme.Status.CONFIRMED,
            "tie_break": ["on_time", "fewer_deductions", "items_in_order", "unit_order"],
            "confirmed_at": _moment(emulation_year.year, 0, 12),
            "confirmed_by": actor,
        },
    )
    if made:
        SchemeItem.objects.bulk_create(
            [
                SchemeItem(
                    scheme=scheme, label="Kết quả thực hiện nhiệm vụ", basis="office", max_points=60, sort_order=1
                ),
                SchemeItem(
                    scheme=scheme, label="Công tác thi đua, khen thưởng", basis="office", max_points=40, sort_order=2
                ),
            ]
        )
    items = list(scheme.items.order_by("sort_order", "pk"))
    existing = set(scheme.scores.values_list("unit_id", flat=True))
    scores = []
    points = {}
    for index, unit in enumerate(units):
        if unit.pk in existing:
            continue
        first, second = Decimal(40 + index % 21), Decimal(20 + (index * 7) % 21)
        deductions = Decimal(index % 3)
        score = UnitScore(
            scheme=scheme,
            unit=unit,
            unit_name=unit.name,
            self_total=first + second,
            total=first + second - deductions,
            on_time=index % 4 != 3,
            deductions=deductions,
            explanation="Đơn vị đã giải trình số liệu giải ngân." if index % 9 == 0 else "",
        )
        scores.append(score)
        points[unit.pk] = (first, second)
    UnitScore.objects.bulk_create(scores, batch_size=500)
    lines = [
        ScoreLine(score=score, item=item, self_points=value)
        for score in scores
        for item, value in zip(items, points[score.unit_id], strict=False)
    ]
    ScoreLine.objects.bulk_create(lines, batch_size=1000)
    return len(scores)


def _documents(year, count, actor):
    if count <= 0:
        return 0
    taken = set(OutgoingDocument.objects.filter(year=year, issuer_code="SKHCN").values_list("type_code", "number"))
    rows = []
    for index in range(count):
        type_code = "KH" if index % 4 == 3 else "BC"
        number = index // 4 + 1 if type_code == "KH" else index - index // 4 + 1
        if (type_code, number) in taken:
            continue
        back = index % 20 == 19
        rows.append(
            OutgoingDocument(
                year=year,
                issuer_code="SKHCN",
                type_code=type_code,
                number=number,
                issued_on=datetime.date(year, 1, 1) + datetime.timedelta(days=(index * 360) // max(count, 1)),
                summary=f"{KINDS[type_code]} số {number} về công tác thi đua, khen thưởng",
                source=OutgoingDocument.Source.CLERK if index % 3 == 2 else OutgoingDocument.Source.PORTAL,
                recorded_by=actor,
                out_of_order=back,
                out_of_order_reason="Văn thư cấp số trên sổ giấy." if back else "",
            )
        )
    OutgoingDocument.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
