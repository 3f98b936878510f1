"""Reads of the person's and the unit's record (hồ sơ thành tích) for their pages, year by year, newest first.

Each record is read in a fixed number of queries whatever the number of years and rows: the memberships, the
confirmed year-end assessments (emulation), the classifications entered or imported, initiatives, discipline and
the award register. A person without any membership row counts as a member of their current unit (the page says
so). Each row carries the link to where it comes from, when there is one.
"""

from dataclasses import dataclass, field

from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone

from emulation.models import Assessment, AssessmentEntry, Classification
from portal.text import closest

from .models import AwardForm, AwardRecord, ClassificationRecord, Discipline, Initiative, Membership, RecordSource

CLASSIFICATION_LABELS = dict(Classification.choices)


@dataclass
class Source:
    """Where a row of the record comes from: a label, and the page it links to (None if it has none)."""

    label: str
    url: str | None = None


@dataclass
class Entry:
    """One row of a year: what it says, its source, and the stored row the office may edit (None if not theirs)."""

    kind: str
    text: str
    source: Source
    row: object = None
    detail: str = ""


@dataclass
class Year:
    year: int
    units: list = field(default_factory=list)
    classification: Entry | None = None
    entries: list = field(default_factory=list)
    members: list = field(default_factory=list)


@dataclass
class PersonRecord:
    person: object
    memberships: list
    assumed_membership: bool
    years: list


@dataclass
class UnitRecord:
    unit: object
    years: list
    unmembered: list  # people of the unit counted as members of every year (they have no membership row)


def _imported(row):
    """The source of an entered or imported row of the record."""
    if row.source == RecordSource.IMPORTED and row.imported_in_id:
        when = timezone.localtime(row.imported_in.imported_at)
        return Source(
            f"Nhập từ tệp “{row.imported_in.original_name}” ngày {when:%d/%m/%Y}", reverse("awards:records_import")
        )
    return Source(RecordSource(row.source).label)


def _decision(number, day):
    if not number:
        return ""
    return f"Quyết định số {number}" + (f" ngày {day:%d/%m/%Y}" if day else "")


def _award_source(record):
    nomination = record.nomination
    if nomination is not None and nomination.decision_id:
        return Source(
            _decision(record.decision_number, record.decision_date) or "Quyết định khen thưởng",
            reverse("awards:document_detail", args=[nomination.decision_id]),
        )
    if nomination is not None:
        return Source("Đề nghị khen thưởng", reverse("awards:nomination_detail", args=[nomination.pk]))
    if record.imported_in_id:
        when = timezone.localtime(record.imported_in.imported_at)
        return Source(
            f"Nhập từ tệp “{record.imported_in.original_name}” ngày {when:%d/%m/%Y}", reverse("awards:register_import")
        )
    return Source(record.get_source_display())


def _award_entry(record):
    name = record.form.display_name if record.form_id else record.form_name
    detail = _decision(record.decision_number, record.decision_date)
    if record.conferring_authority:
        detail = f"{detail} — {record.conferring_authority}" if detail else record.conferring_authority
    if not record.form_id:
        detail = f"{detail} (chưa gắn với danh mục)".strip()
    return Entry("khen-thuong", name, _award_source(record), detail=detail)


def _award_records(**held_by):
    return list(
        AwardRecord.objects.held_by(**held_by)
        .select_related("form", "nomination", "imported_in")
        .order_by("-year", "form_name", "pk")
    )


def _years_between(start_on, end_on, today):
    return range(start_on.year, (end_on or today).year + 1)


def person_record(person):
    """The person's record, by year newest first, in 6 queries."""
    today = timezone.localdate()
    memberships = list(
        Membership.objects.filter(person=person).select_related("unit", "imported_in").order_by("start_on", "pk")
    )
    confirmed = list(
        AssessmentEntry.objects.filter(person=person, assessment__status=Assessment.Status.CONFIRMED)
        .exclude(decided_classification="")
        .select_related("assessment__year", "assessment__unit")
    )
    entered = list(ClassificationRecord.objects.filter(person=person).select_related("imported_in"))
    initiatives = list(Initiative.objects.filter(person=person).select_related("imported_in").order_by("year", "pk"))
    disciplines = list(
        Discipline.objects.filter(person=person).select_related("imported_in").order_by("start_on", "pk")
    )
    awards = _award_records(person=person)

    years = {}

    def year(number):
        return years.setdefault(number, Year(number))

    for row in entered:
        year(row.year).classification = Entry(
            "xep-loai",
            row.get_classification_display(),
            _imported(row),
            row=row,
            detail=row.decided_by,
        )
    # A confirmed assessment of the portal wins over a row entered for the same year.
    for entry in confirmed:
        assessment = entry.assessment
        year(assessment.year.year).classification = Entry(
            "xep-loai",
            CLASSIFICATION_LABELS.get(entry.decided_classification, entry.decided_classification),
            Source(
                f"Bình xét cuối năm của {assessment.unit}",
                reverse("emulation:assessment_detail", args=[assessment.pk]),
            ),
            detail=entry.decided_by,
        )
    for row in initiatives:
        text = f"{row.get_kind_display()}: {row.title}"
        detail = f"{row.get_scope_display()} — công nhận bởi {row.recognised_by}"
        decision = _decision(row.decision_number, row.decision_date)
        year(row.year).entries.append(
            Entry("sang-kien", text, _imported(row), row=row, detail=f"{detail}; {decision}" if decision else detail)
        )
    for row in disciplines:
        period = f"từ {row.start_on:%d/%m/%Y}" + (f" đến {row.end_on:%d/%m/%Y}" if row.end_on else "")
        decision = _decision(row.decision_number, row.decision_date)
        for number in _years_between(row.start_on, row.end_on, today):
            year(number).entries.append(
                Entry(
                    "ky-luat",
                    f"Kỷ luật {row.get_kind_display().lower()}",
                    _imported(row),
                    row=row if number == row.start_on.year else None,
                    detail=f"{period}; {decision}" if decision else period,
                )
            )
    for record in awards:
        year(record.year).entries.append(_award_entry(record))
    for membership in memberships:
        year(membership.start_on.year)
    assumed = not memberships
    for number, row in years.items():
        if assumed:
            row.units = [person.unit]
        else:
            row.units = [m.unit for m in memberships if m.covers_year(number)]
    return PersonRecord(
        person=person,
        memberships=[(membership, _imported(membership)) for membership in memberships],
        assumed_membership=assumed,
        years=[years[number] for number in sorted(years, reverse=True)],
    )


def unit_record(unit):
    """The unit's record, by year newest first: its classification, titles and awards, and its members; 4 queries."""
    today = timezone.localdate()
    entered = list(ClassificationRecord.objects.filter(unit=unit).select_related("imported_in"))
    awards = _award_records(unit=unit)
    memberships = list(
        Membership.objects.filter(unit=unit).select_related("person").order_by("person__full_name", "start_on")
    )
    # People of the unit without any membership row count as its members (their current unit).
    unmembered = list(
        unit.people.annotate(recorded=Exists(Membership.objects.filter(person=OuterRef("pk"))))
        .filter(recorded=False)
        .order_by("full_name")
    )
    years = {}

    def year(number):
        return years.setdefault(number, Year(number))

    for row in entered:
        year(row.year).classification = Entry(
            "xep-loai", row.get_classification_display(), _imported(row), row=row, detail=row.decided_by
        )
    for record in awards:
        year(record.year).entries.append(_award_entry(record))
    for membership in memberships:
        year(membership.start_on.year)
    if memberships or unmembered:
        year(today.year)
    for number, row in years.items():
        members = {m.person.pk: m.person for m in memberships if m.covers_year(number)}
        if number <= today.year:
            members.update({person.pk: person for person in unmembered})
        row.members = sorted(members.values(), key=lambda person: person.full_name)
    return UnitRecord(unit=unit, years=[years[number] for number in sorted(years, reverse=True)], unmembered=unmembered)


def unmapped_awards():
    """The register's rows whose form names nothing in the catalogue (typed as free text), for the office to map."""
    return AwardRecord.objects.filter(form__isnull=True).order_by("form_name", "-year", "recipient_name", "pk")


@dataclass
class UnmappedRow:
    record: AwardRecord
    suggestions: list  # the closest catalogue forms, best first


def unmapped_rows(page_records):
    """The page's free-text rows with the closest catalogue forms (difflib, diacritics aside), and every form for the
    select; 1 query besides the page's."""
    forms = list(AwardForm.objects.order_by("sort_order", "name"))
    by_name = {form.display_name: form for form in forms}
    rows = [
        UnmappedRow(record, [by_name[name] for name in closest(record.form_name, by_name)]) for record in page_records
    ]
    return rows, forms
