"""Fixtures of the emulation year's tests (the plan, units and people: tests/conftest.py).

Each area's own fixtures live in its test modules; what several areas share is here.
"""

import datetime

import pytest
from django.utils import timezone

from emulation.models import EmulationYear


def open_year(plan, actor, *, year=None, opens_on=None, due_on=None):
    """An emulation year whose plan is recorded and whose registration is open (the window as given)."""
    today = timezone.localdate()
    return EmulationYear.objects.create(
        campaign=plan,
        year=year or today.year,
        plan_number="15/KH-SKHCN",
        plan_date=opens_on or today - datetime.timedelta(days=10),
        plan_title="Kế hoạch thi đua năm",
        registration_opens_on=opens_on or today - datetime.timedelta(days=10),
        registration_due_on=due_on or today + datetime.timedelta(days=10),
        registration_opened_at=timezone.now(),
        created_by=actor,
    )


@pytest.fixture
def emulation_year(plan, reviewer):
    """This year, its plan recorded, registration open for ten more days."""
    return open_year(plan, reviewer)
