"""The demo's Department registrations (đăng ký thi đua của Sở): 2025's and 2026's compiled, approved and issued in
January of their year (2025 signed by a Deputy Director "KT. GIÁM ĐỐC", 2026 by the Director), 2027's compiled as a
draft. Built through the emulation services as the office and leadership would have; the dates of those January
days are then written on the rows and their history, as demo/data.py does for the reports it backdates. The files
are left to the stored-files job (each service asks for them after commit)."""

import datetime

from django.db import transaction
from django.utils import timezone

from emulation.models import DepartmentRegistration
from emulation.services import department as services
from units.models import User
from workflow.errors import Refused

RECIPIENTS = "Sở Nội vụ\nTrưởng Khối thi đua các cơ quan quản lý nhà nước về kinh tế - kỹ thuật"
# year → (own collective titles, who signs, the January days it was compiled, approved and issued); None: a draft.
ISSUED = {
    2025: (["tap-the-lao-dong-xuat-sac"], "phogiamdoc", (8, 13, 15)),
    2026: (["co-thi-dua-ubnd-tinh", "tap-the-lao-dong-xuat-sac"], "giamdoc", (9, 14, 16)),
}
DRAFT_TITLES = ["co-thi-dua-ubnd-tinh"]


def _at(year, day, hour):
    return datetime.datetime(year, 1, day, hour, tzinfo=timezone.get_current_timezone())


def _backdate(registration, year, days):
    """The January days of the compile, the approval and the issue, on the row and in its history."""
    compiled, approved, issued = days
    DepartmentRegistration.objects.filter(pk=registration.pk).update(
        compiled_at=_at(year, compiled, 9), approved_at=_at(year, approved, 15)
    )
    moments = {
        "compile": _at(year, compiled, 9),
        "send_for_approval": _at(year, compiled, 10),
        "approve": _at(year, approved, 15),
        "issue": _at(year, issued, 10),
    }
    for action, at in moments.items():
        registration.transitions.filter(action=action).update(at=at)


def load(years):
    """`years`: {2025: EmulationYear, 2026: …, 2027: …}. Idempotent: a year compiled already is left as it is.
    Returns the years whose registration it made."""
    people = {user.username: user for user in User.objects.filter(username__in=["vanphong", "giamdoc", "phogiamdoc"])}
    office = people["vanphong"]
    choices = {title.code for title in services.own_title_choices()}
    made = []
    for number, year in sorted(years.items()):
        if DepartmentRegistration.objects.filter(year=year).exists():
            continue
        titles, signer, days = ISSUED.get(number, (DRAFT_TITLES, None, None))
        try:
            with transaction.atomic():
                registration = services.department_registration_compile(
                    year=year,
                    actor=office,
                    own_titles=[code for code in titles if code in choices],
                    recipients=RECIPIENTS,
                )
                if signer is not None:
                    services.department_registration_send(registration=registration, actor=office)
                    services.department_registration_approve(registration=registration, actor=people[signer])
                    _backdate(registration, number, days)
                    registration.refresh_from_db()
                    services.department_registration_issue(
                        registration=registration, actor=office, issued_on=datetime.date(number, 1, days[2])
                    )
                    _backdate(registration, number, days)
        except Refused:
            continue  # no unit's registration accepted that year: nothing to compile
        made.append(number)
    return made
