"""The demo's year-end assessments: 2025 confirmed for every demo unit, 2026 in every state, through the services."""

import pytest

from demo.data import DEMO_PASSWORD, DEMO_UNITS, DemoSummary, _load_accounts, _load_units
from demo.emulation_assessment import load
from emulation.models import Assessment
from tests.emulation.conftest import open_year
from units.models import User


@pytest.fixture
def demo_years(plan):
    # The demo's units, accounts and people only: its reports (most of load_demo's time) play no part here.
    summary = DemoSummary()
    _load_accounts(units=_load_units(summary=summary), password=DEMO_PASSWORD, summary=summary)
    office = User.objects.get(username="vanphong")
    return {2025: open_year(plan, office, year=2025), 2026: open_year(plan, office, year=2026)}


def test_2025_confirmed_everywhere_and_2026_in_every_state_once(demo_years):
    created = load(demo_years)
    assert len(created) == 2 * len(DEMO_UNITS)
    confirmed_2025 = Assessment.objects.filter(year=demo_years[2025], status=Assessment.Status.CONFIRMED)
    assert confirmed_2025.count() == len(DEMO_UNITS)
    states_2026 = dict(Assessment.objects.filter(year=demo_years[2026]).values_list("unit__code", "status"))
    assert set(states_2026.values()) == {"draft", "submitted", "returned", "confirmed"}
    changed = Assessment.objects.get(year=demo_years[2025], unit__code="TTUD").entries.exclude(note="").get()
    assert (changed.proposed_classification, changed.decided_classification) == ("excellent", "good")
    assert changed.note
    assert load(demo_years) == []  # a second run adds nothing
