"""The demo's emulation years (demo/emulation_registration.py), loaded on the demo's units and accounts."""

import datetime

from demo import emulation_registration
from demo.data import DemoSummary, _load_accounts, _load_units
from emulation.models import EmulationYear, Registration, RegistrationTransition

Status = Registration.Status


def test_the_demo_holds_two_closed_years_and_one_open_with_every_state(plan):
    summary = DemoSummary()
    units = _load_units(summary=summary)
    _load_accounts(units=units, password="mat-khau-demo-thu", summary=summary)
    today = datetime.date(2026, 12, 7)

    years = emulation_registration.load(today=today)

    assert sorted(years) == [2025, 2026, 2027]
    for number in (2025, 2026):
        year = years[number]
        assert year.registration_state == "Đã đóng đăng ký"
        statuses = list(Registration.objects.filter(year=year).values_list("status", flat=True))
        assert statuses == [Status.ACCEPTED] * 7
    late = Registration.objects.get(year=years[2026], is_late=True)
    assert (late.unit.code, late.late_reason != "") == ("TTUD", True)
    assert not Registration.objects.filter(year=years[2025], is_late=True).exists()
    accepted = Registration.objects.filter(year=years[2025]).first()
    assert accepted.submitted_at.year == 2025
    assert accepted.commitments.filter(indicator__code="recurrent-spending-share").get().target == 10
    assert accepted.titles.filter(person__isnull=False).exists()

    open_year = years[2027]
    assert (open_year.registration_is_open, open_year.registration_due_on) == (
        True,
        today + datetime.timedelta(days=21),
    )
    states = dict(Registration.objects.filter(year=open_year).values_list("unit__code", "status"))
    assert states == {
        "HCTH": Status.ACCEPTED,
        "KHTC": Status.SUBMITTED,
        "QLKH": Status.RETURNED,
        "QLCN": Status.DRAFT,
        "CDS": Status.ACCEPTED,
        "TDC": Status.SUBMITTED,
    }
    returned = Registration.objects.get(year=open_year, unit__code="QLKH")
    assert list(returned.transitions.values_list("action", flat=True)) == ["create", "submit", "return"]
    assert returned.transitions.get(action="return").comment.startswith("Đề nghị bổ sung")

    rows = RegistrationTransition.objects.count()
    assert emulation_registration.load(today=today).keys() == years.keys()
    assert (EmulationYear.objects.count(), RegistrationTransition.objects.count()) == (3, rows)
