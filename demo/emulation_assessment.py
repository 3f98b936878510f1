"""Demo data of the units' year-end assessment (bình xét): every unit's 2025 assessment confirmed, 2026's in every
state. Built through the real services (start, save, the portal's biên bản, submit, return, confirm), with the demo's
accounts and people (demo/data.py); a unit that already has an assessment of a year is left as it is.

The coordinator wires `load(years)` into load_demo, with years = {2025: EmulationYear, 2026: EmulationYear}.
"""

import datetime

from django.utils import timezone

from emulation.services import assessment as services
from units.models import Unit, User

from .data import DEMO_UNITS, UNIT_PEOPLE

# Per unit: (head's classification, head's titles), (staff member's classification, titles).
PROPOSALS_2025 = {
    "HCTH": (("excellent", ["lao-dong-tien-tien"]), ("good", ["lao-dong-tien-tien"])),
    "KHTC": (("excellent", ["lao-dong-tien-tien"]), ("good", ["lao-dong-tien-tien"])),
    "QLKH": (("excellent", ["lao-dong-tien-tien"]), ("excellent", ["lao-dong-tien-tien", "chien-si-thi-dua-co-so"])),
    "QLCN": (("good", ["lao-dong-tien-tien"]), ("good", ["lao-dong-tien-tien"])),
    "CDS": (("good", ["lao-dong-tien-tien"]), ("good", ["lao-dong-tien-tien"])),
    "TDC": (("excellent", ["lao-dong-tien-tien"]), ("good", ["lao-dong-tien-tien"])),
    "TTUD": (("good", ["lao-dong-tien-tien"]), ("excellent", ["lao-dong-tien-tien"])),
}
PROPOSALS_2026 = {
    "HCTH": (("excellent", ["lao-dong-tien-tien"]), ("good", ["lao-dong-tien-tien"])),
    "KHTC": (("excellent", ["lao-dong-tien-tien", "chien-si-thi-dua-co-so"]), ("good", ["lao-dong-tien-tien"])),
    "QLKH": (("excellent", ["lao-dong-tien-tien"]), ("excellent", ["lao-dong-tien-tien", "chien-si-thi-dua-co-so"])),
    "QLCN": (("good", ["lao-dong-tien-tien"]), ("good", ["lao-dong-tien-tien"])),
    "CDS": (("good", ["lao-dong-tien-tien"]), ("good", [])),
    "TDC": (("excellent", ["lao-dong-tien-tien"]), ("done", [])),
    "TTUD": (("good", ["lao-dong-tien-tien"]), ("excellent", ["lao-dong-tien-tien"])),
}
# 2026: the state each unit's assessment is left in.
STATES_2026 = {
    "HCTH": "confirmed",
    "KHTC": "confirmed",
    "QLKH": "submitted",
    "TTUD": "submitted",
    "QLCN": "returned",
    "CDS": "draft",
    "TDC": "draft",
}
# The competent person decided otherwise than the unit proposed (the office enters it with the note).
# (A downgrade that keeps the Lao động tiên tiến she received for 2025: the award rules read this classification.)
DECIDED_2025 = {
    ("TTUD", "staff"): (
        "good",
        "Giám đốc Trung tâm xếp loại Hoàn thành tốt nhiệm vụ (đơn vị đề xuất Hoàn thành xuất sắc nhiệm vụ; "
        "chưa có sản phẩm vượt kế hoạch).",
    )
}
RETURN_REASON = "Biên bản chưa ghi số người dự họp; đề nghị đơn vị bổ sung thành phần dự họp."


def _meeting_day(year):
    """A few days before the year's end, never after today (the portal refuses a meeting in the future)."""
    return min(datetime.date(year, 12, 19), timezone.localdate() - datetime.timedelta(days=3))


def _actors():
    users = {user.username: user for user in User.objects.select_related("unit")}
    return users


def _record(assessment, unit, users, proposals, year):
    """The meeting: the head's proposal for the unit's head, the staff member's for everyone else of the unit."""
    head_name, staff_name = UNIT_PEOPLE[unit.code]
    (head_class, head_titles), (staff_class, staff_titles) = proposals
    entries = {
        entry.person_id: (head_class, head_titles)
        if entry.person.full_name == head_name
        else (staff_class, staff_titles)
        for entry in assessment.entries.select_related("person")
    }
    return services.assessment_save(
        assessment=assessment,
        actor=users[f"canbo.{unit.code.lower()}"],
        meeting_date=_meeting_day(year),
        attendance=f"Toàn thể công chức, viên chức của đơn vị; có mặt {len(entries)}/{len(entries)} người",
        chair=head_name,
        secretary=staff_name,
        entries=entries,
    )


def _confirmer(unit, users):
    # The office's own unit goes to leadership; every other unit to the office's reviewer.
    return users["giamdoc"] if unit.code == "HCTH" else users["vanphong"]


def _decisions(assessment, unit, decided):
    head_name, staff_name = UNIT_PEOPLE[unit.code]
    roles = {head_name: "head", staff_name: "staff"}
    decisions = {}
    for entry in assessment.entries.select_related("person"):
        change = decided.get((unit.code, roles.get(entry.person.full_name)))
        if change:
            decisions[entry.pk] = change
    return decisions


def _carry(assessment, unit, users, year, proposals, state, decided=None):
    """Record, submit and move the assessment to `state`."""
    staff = users[f"canbo.{unit.code.lower()}"]
    head = users[f"truongphong.{unit.code.lower()}"]
    assessment = _record(assessment, unit, users, proposals, year)
    if state == "draft":
        return assessment
    services.assessment_generate_minutes(assessment=assessment, actor=staff)
    services.assessment_submit(assessment=assessment, actor=head)
    if state == "submitted":
        return assessment
    confirmer = _confirmer(unit, users)
    if state == "returned":
        services.assessment_return(assessment=assessment, actor=confirmer, reason=RETURN_REASON)
        return assessment
    services.assessment_confirm(
        assessment=assessment, actor=confirmer, decisions=_decisions(assessment, unit, decided or {})
    )
    return assessment


def load(years):
    """Every demo unit's 2025 assessment confirmed; 2026's in every state. Returns lines for the demo's summary."""
    users = _actors()
    units = {unit.code: unit for unit in Unit.objects.filter(code__in=[demo.code for demo in DEMO_UNITS])}
    plans = [(years.get(2025), PROPOSALS_2025, dict.fromkeys(PROPOSALS_2025, "confirmed"), DECIDED_2025)]
    plans.append((years.get(2026), PROPOSALS_2026, STATES_2026, {}))
    created = []
    for year, proposals, states, decided in plans:
        if year is None:
            continue
        for code, state in states.items():
            unit = units.get(code)
            if unit is None or year.assessments.filter(unit=unit).exists():
                continue
            started = services.assessment_start(year=year, unit=unit, actor=users[f"canbo.{code.lower()}"])
            _carry(started, unit, users, year.year, proposals[code], state, decided)
            created.append(f"Bình xét năm {year.year}: {unit.name} ({state})")
    return created
