"""Demo data of the emulation year's start: three years with the Department's plan and the units' registrations.

`load()` runs after the demo's units and accounts exist (demo.data.load_demo) and finds them by unit code and
username. Everything goes through emulation's services, so each registration has its history; the services stamp
each step with the moment given (`now=`), and the rows' own creation times are set to match:

- 2025 and 2026: plan recorded, registration opened and closed, every unit's registration accepted (in 2026 one
  unit registered after the due date, with its reason);
- 2027: plan recorded, registration open now and due in three weeks, the units' registrations in every state —
  accepted, submitted, returned with a reason, a draft — and one unit not registered yet.

A year that exists already is left as it is, so a second run adds nothing.
"""

import datetime
from decimal import Decimal

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from campaign.models import Campaign
from emulation.extensions import COLLECTIVE, INDIVIDUAL
from emulation.models import EmulationYear, Registration
from emulation.services import registration as services
from emulation.services import year as year_services
from notifications.models import Notification
from units.models import Person, Unit, User

from .data import DEMO_UNITS

OFFICE = "vanphong"
DIRECTOR = "giamdoc"
TEAM = "tap-the-lao-dong-tien-tien"
EXCELLENT_TEAM = "tap-the-lao-dong-xuat-sac"
BASE_FIGHTER = "chien-si-thi-dua-co-so"
ADVANCED_WORKER = "lao-dong-tien-tien"
# The units aiming at "Tập thể lao động xuất sắc" (the others at "Tập thể lao động tiên tiến").
EXCELLENT_UNITS = ("QLKH", "TDC")
# Targets by indicator code; an indicator not named here takes its plan target (or 100).
TARGETS = {"disbursement-rate": Decimal(100), "recurrent-spending-share": Decimal(10)}
COMMITMENT_TEXT = "Hoàn thành 100% nhiệm vụ được giao đúng tiến độ, chất lượng."

# 2027: the state each unit's registration is left in (a unit not named has not registered).
STATES_2027 = {
    "HCTH": Registration.Status.ACCEPTED,
    "KHTC": Registration.Status.SUBMITTED,
    "QLKH": Registration.Status.RETURNED,
    "QLCN": Registration.Status.DRAFT,
    "CDS": Registration.Status.ACCEPTED,
    "TDC": Registration.Status.SUBMITTED,
}
RETURN_REASON = (
    "Đề nghị bổ sung chỉ tiêu tỷ lệ giải ngân vốn đầu tư công và danh sách cá nhân đăng ký Chiến sĩ thi đua cơ sở."
)
# 2026: the unit that registered after the due date, and why.
LATE_2026 = ("TTUD", "Đơn vị chờ Ủy ban nhân dân tỉnh giao dự toán và nhiệm vụ năm 2026 nên đăng ký chậm.")


def _local(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


class _World:
    """The demo's units, people and accounts, found by code and username."""

    def __init__(self):
        codes = [demo_unit.code for demo_unit in DEMO_UNITS]
        self.units = list(Unit.objects.filter(code__in=codes).order_by("sort_order", "name"))
        usernames = [OFFICE, DIRECTOR] + [
            f"{role}.{code.lower()}" for code in codes for role in ("truongphong", "canbo")
        ]
        self.users = {
            user.username: user for user in User.objects.select_related("unit").filter(username__in=usernames)
        }
        self.people = {}
        for person in Person.objects.filter(unit__in=self.units, is_active=True).select_related("user"):
            self.people.setdefault(person.unit_id, []).append(person)
        collective = {title.code for title in services.annual_titles(COLLECTIVE)}
        individual = {title.code for title in services.annual_titles(INDIVIDUAL)}
        self.collective, self.individual = collective, individual

    def head(self, unit):
        return self.users.get(f"truongphong.{unit.code.lower()}")

    def staff(self, unit):
        return self.users.get(f"canbo.{unit.code.lower()}") or self.head(unit)

    def reviewer(self, unit):
        office = self.users[OFFICE]
        return self.users[DIRECTOR] if office.unit_id == unit.pk else office

    def content(self, unit):
        """What the unit registers: its collective title, its head and staff for individual titles, a target for
        each indicator that applies to it and a short commitment on the criteria without one."""
        team = EXCELLENT_TEAM if unit.code in EXCELLENT_UNITS else TEAM
        individuals = []
        for person in self.people.get(unit.pk, []):
            head = person.user_id is not None and person.user.position == User.Position.HEAD
            code = BASE_FIGHTER if head else ADVANCED_WORKER
            if code in self.individual:
                individuals.append((person.pk, code))
        targets, texts = {}, {}
        for criterion in services.applicable_criteria(unit):
            indicators = [indicator for indicator in criterion.indicators.all() if indicator.is_active]
            for indicator in indicators:
                targets[indicator.pk] = TARGETS.get(indicator.code, indicator.target_value or Decimal(100))
            if not indicators and len(texts) < 3:
                texts[criterion.pk] = COMMITMENT_TEXT
        return services.RegistrationContent(
            collective=[team] if team in self.collective else [],
            individuals=individuals,
            targets=targets,
            texts=texts,
        )


def load(*, today=None):
    """The demo's emulation years 2025, 2026 and 2027 (those missing); returns {year number: EmulationYear}."""
    today = today or timezone.localdate()
    campaign = Campaign.objects.order_by("pk").first()
    world = _World()
    if campaign is None or OFFICE not in world.users or not world.units:
        return {}
    years = {}
    with transaction.atomic():
        for number, build in ((2025, _closed_year), (2026, _closed_year), (2027, _open_year)):
            existing = EmulationYear.objects.filter(year=number).first()
            years[number] = existing or build(campaign, world, number, today)
    return years


def _year(campaign, world, number, *, plan_number, plan_date, opens_on, due_on):
    office = world.users[OFFICE]
    year = year_services.year_create(campaign=campaign, year=number, actor=office)
    year = year_services.year_record_plan(
        year=year,
        actor=office,
        plan_number=plan_number,
        plan_date=plan_date,
        plan_title=f"Tổ chức phong trào thi đua năm {number}",
        opens_on=opens_on,
        due_on=due_on,
    )
    EmulationYear.objects.filter(pk=year.pk).update(created_at=_local(plan_date, 8))
    return year_services.registration_open(year=year, actor=office, now=_local(opens_on, 8, 15))


def _register(world, year, unit, *, started, submitted=None, late_reason="", answered=None, returned=False):
    """The unit's registration built as its staff and head would have: started, filled, sent; then answered."""
    staff, head = world.staff(unit), world.head(unit)
    registration = services.registration_start(year=year, unit=unit, actor=staff, now=started)
    services.registration_save(registration=registration, actor=staff, content=world.content(unit))
    Registration.objects.filter(pk=registration.pk).update(created_at=started, updated_at=started)
    if submitted is None:
        return registration
    services.registration_submit(registration=registration, actor=head, late_reason=late_reason, now=submitted)
    if answered is not None:
        reviewer = world.reviewer(unit)
        if returned:
            services.registration_return(registration=registration, actor=reviewer, reason=RETURN_REASON, now=answered)
        else:
            services.registration_accept(registration=registration, actor=reviewer, now=answered)
    last = answered or submitted
    Registration.objects.filter(pk=registration.pk).update(updated_at=last)
    # What the units were told then has long been read.
    Notification.objects.filter(url=reverse("emulation:registration", args=[registration.pk])).update(
        created_at=last, read_at=last
    )
    return registration


def _closed_year(campaign, world, number, today):
    """A past year: every unit registered and accepted, then the office closed registration."""
    opens_on = datetime.date(number, 1, 15)
    due_on = datetime.date(number, 2, 27)
    year = _year(
        campaign,
        world,
        number,
        plan_number=f"{8 + number % 10}/KH-SKHCN",
        plan_date=datetime.date(number, 1, 10),
        opens_on=opens_on,
        due_on=due_on,
    )
    late_code, late_reason = LATE_2026 if number == 2026 else (None, "")
    for index, unit in enumerate(world.units):
        late = unit.code == late_code
        sent_on = due_on + datetime.timedelta(days=6) if late else due_on - datetime.timedelta(days=3 + index)
        submitted = _local(sent_on, 9 + index % 6)
        _register(
            world,
            year,
            unit,
            started=_local(opens_on + datetime.timedelta(days=2 + index % 4), 8, 30),
            submitted=submitted,
            late_reason=late_reason if late else "",
            answered=submitted + datetime.timedelta(days=2, hours=4),
        )
    closed = _local(due_on + datetime.timedelta(days=12), 16)
    year = year_services.registration_close(year=year, actor=world.users[OFFICE], now=closed)
    Notification.objects.filter(url=reverse("emulation:year", args=[number])).update(
        created_at=_local(opens_on, 8, 15), read_at=closed
    )
    return year


def _open_year(campaign, world, number, today):
    """The year being registered for: open now, due in three weeks, its units in every state."""
    opens_on = today - datetime.timedelta(days=5)
    year = _year(
        campaign,
        world,
        number,
        plan_number="215/KH-SKHCN",
        plan_date=opens_on,
        opens_on=opens_on,
        due_on=today + datetime.timedelta(days=21),
    )
    for index, unit in enumerate(world.units):
        state = STATES_2027.get(unit.code)
        if state is None:
            continue
        started = _local(opens_on + datetime.timedelta(days=1), 8 + index)
        sent = state != Registration.Status.DRAFT
        _register(
            world,
            year,
            unit,
            started=started,
            submitted=started + datetime.timedelta(days=1, hours=1) if sent else None,
            answered=started + datetime.timedelta(days=2, hours=2)
            if state in (Registration.Status.ACCEPTED, Registration.Status.RETURNED)
            else None,
            returned=state == Registration.Status.RETURNED,
        )
    return year
