"""Data of the Department registration's tests: units' registrations written straight as rows (their own services
are tested in test_registration*.py), accepted or in other states, and the year's compiled registration."""

import datetime
from decimal import Decimal

from django.utils import timezone

from campaign.models import Campaign, Criterion, Indicator
from emulation.models import Commitment, EmulationYear, RegisteredTitle, Registration
from tests import factories

UNIT_COLLECTIVE = ("tap-the-lao-dong-xuat-sac", "Tập thể lao động xuất sắc")
UNIT_COLLECTIVE_2 = ("tap-the-lao-dong-tien-tien", "Tập thể lao động tiên tiến")
INDIVIDUAL = ("lao-dong-tien-tien", "Lao động tiên tiến")
INDIVIDUAL_2 = ("chien-si-thi-dua-co-so", "Chiến sĩ thi đua cơ sở")
RECIPIENTS = "Sở Nội vụ\nTrưởng Khối thi đua các cơ quan tham mưu tổng hợp"


def emulation_year(actor, year=None):
    today = timezone.localdate()
    return EmulationYear.objects.create(
        campaign=Campaign.objects.get(),
        year=year or today.year,
        plan_number="15/KH-SKHCN",
        plan_date=datetime.date(year or today.year, 1, 10),
        plan_title="Tổ chức phong trào thi đua năm",
        registration_opens_on=datetime.date(year or today.year, 1, 10),
        registration_due_on=datetime.date(year or today.year, 1, 31),
        registration_opened_at=timezone.now(),
        created_by=actor,
    )


def registration(
    year, unit, actor, *, status=Registration.Status.ACCEPTED, collective=(), people=(), targets=(), texts=()
):
    """A unit's registration as a row: `people` are (Person, (code, name)), `targets` (Indicator, Decimal),
    `texts` (Criterion, text)."""
    now = timezone.now()
    row = Registration.objects.create(
        year=year,
        unit=unit,
        unit_name=unit.name,
        status=status,
        submitted_at=None if status == Registration.Status.DRAFT else now,
        accepted_at=now if status == Registration.Status.ACCEPTED else None,
        created_by=actor,
    )
    for order, (code, name) in enumerate(collective):
        RegisteredTitle.objects.create(registration=row, title_code=code, title_name=name, sort_order=order)
    for order, (person, (code, name)) in enumerate(people):
        RegisteredTitle.objects.create(
            registration=row, person=person, title_code=code, title_name=name, sort_order=order
        )
    for indicator, target in targets:
        Commitment.objects.create(registration=row, criterion=indicator.criterion, indicator=indicator, target=target)
    for criterion, text in texts:
        Commitment.objects.create(registration=row, criterion=criterion, text=text)
    return row


def build_units_and_registrations():
    """Three units: the own unit and the office accepted, the other unit only submitted; the office drafts as "VP"."""
    personas = {
        "staff": factories.staff_of_own_unit(),
        "head": factories.head_of_own_unit(),
        "other_staff": factories.staff_of_other_unit(),
        "reviewer": factories.office_reviewer(),
        "leader": factories.director(),
        "administrator": factories.administrator(),
    }
    office = factories.office_unit()
    office.abbreviation = "VP"
    office.save(update_fields=["abbreviation"])
    deputy = factories.UserFactory(
        username="phogiamdoc",
        full_name="Trần Thị Phó Giám Đốc",
        unit=factories.department(),
        position="deputy",
        capabilities=[factories.Capability.LEADERSHIP],
    )
    own, other = factories.own_unit(), factories.other_unit()
    year = emulation_year(personas["reviewer"])
    indicator = Indicator.objects.order_by("pk").first()
    criterion = Criterion.objects.exclude(pk=indicator.criterion_id).order_by("pk").first()
    alice = factories.PersonFactory(full_name="Nguyễn Thị An", position_title="Chuyên viên", unit=own)
    binh = factories.PersonFactory(full_name="Lê Văn Bình", position_title="Phó Trưởng phòng", unit=own)
    chau = factories.PersonFactory(full_name="Phạm Minh Châu", position_title="Chuyên viên", unit=office)
    outsider = factories.PersonFactory(full_name="Võ Văn Chưa", unit=other)
    registration(
        year,
        own,
        personas["head"],
        collective=[UNIT_COLLECTIVE],
        people=[(alice, INDIVIDUAL), (binh, INDIVIDUAL), (binh, INDIVIDUAL_2)],
        targets=[(indicator, Decimal("95.50"))],
        texts=[(criterion, "Hoàn thành 100% nhiệm vụ được giao đúng hạn.")],
    )
    registration(year, office, personas["reviewer"], collective=[UNIT_COLLECTIVE_2], people=[(chau, INDIVIDUAL)])
    registration(
        year,
        other,
        personas["other_staff"],
        status=Registration.Status.SUBMITTED,
        collective=[UNIT_COLLECTIVE],
        people=[(outsider, INDIVIDUAL)],
    )
    return {
        "personas": personas,
        "deputy": deputy,
        "year": year,
        "units": {"own": own, "other": other, "office": office},
        "indicator": indicator,
    }
