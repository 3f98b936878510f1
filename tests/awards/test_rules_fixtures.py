"""Helpers of the award-rule tests (no tests here): records, nominations and the result of one rule."""

import datetime

from django.utils import timezone

from awards.models import AwardRecord, AwardRule, Nomination
from awards.services import eligibility, rules
from emulation.models import EmulationYear, RegisteredTitle, Registration
from tests.awards.conftest import make_nomination
from tests.factories import PersonFactory, UserFactory


def record(form, year, *, person=None, unit=None):
    """A title in the award register."""
    return AwardRecord.objects.create(
        year=year,
        form=form,
        form_name=str(form),
        recipient_kind="individual" if person else "collective",
        recipient_name=person.full_name if person else unit.name,
        person=person,
        unit=unit if person is None else person.unit,
        decision_number=f"{year}/{AwardRecord.objects.count() + 1}/QĐ-SKHCN",
        source=AwardRecord.Source.IMPORTED,
    )


def result(nomination, code):
    """The result of the nomination's rule `code`."""
    (found,) = [each for each in rules.evaluate_one(nomination) if each.rule.code == code]
    return found


def problem_of(nomination, code):
    """The eligibility problem a rule's result makes (None when it passed)."""
    rule = AwardRule.objects.get(form=nomination.form, code=code)
    found = [problem for problem in eligibility.check_rules(nomination) if problem.message.startswith(rule.label)]
    return found[0] if found else None


def individual(award_round, form, person, *, status=Nomination.Status.DRAFT):
    return make_nomination(award_round, form, unit=person.unit, person=person, status=status)


def collective(award_round, form, unit, *, status=Nomination.Status.DRAFT):
    return make_nomination(award_round, form, unit=unit, status=status)


def members(unit, count, prefix="Thành viên"):
    return [PersonFactory(unit=unit, full_name=f"{prefix} {number:02d}") for number in range(count)]


def accepted_registration(plan, year, unit, title_code, *, person=None, status=Registration.Status.ACCEPTED):
    actor = UserFactory(unit=unit, position="head")
    emulation_year, _ = EmulationYear.objects.get_or_create(year=year, defaults={"campaign": plan, "created_by": actor})
    registration = Registration.objects.create(
        year=emulation_year,
        unit=unit,
        unit_name=unit.name,
        status=status,
        created_by=actor,
        submitted_at=timezone.now(),
        submitted_by=actor,
    )
    return RegisteredTitle.objects.create(
        registration=registration, person=person, title_code=title_code, title_name=title_code
    )


def day(year, month, day_of_month):
    return datetime.date(year, month, day_of_month)


def this_year():
    return timezone.localdate().year
