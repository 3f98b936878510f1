"""Reads of the year-end assessment's pages, each in a fixed number of queries whatever the number of units."""

from dataclasses import dataclass

from django.db.models import Count, Q

from units.models import Unit

from ..extensions import INDIVIDUAL, titles
from ..models import Assessment, Classification

ACTION_LABELS = {
    "create": "Bắt đầu bình xét",
    "edit": "Cập nhật kết quả họp bình xét",
    "submit": "Gửi kết quả bình xét",
    "return": "Trả lại để bổ sung",
    "confirm": "Xác nhận xếp loại",
}


def meeting_roles(assessment):
    """The chair and the secretary of the unit's meeting, as last recorded (the model has no field for them: the
    transitions' snapshots keep them, each edit recording the form as saved)."""
    latest = assessment.transitions.order_by("-at", "-pk").values_list("snapshot", flat=True).first() or {}
    return {"chair": latest.get("chair", ""), "secretary": latest.get("secretary", "")}


@dataclass
class UnitRow:
    unit: Unit
    assessment: Assessment | None
    people: int = 0
    proposed: int = 0
    confirmed: int = 0


def year_overview(year):
    """Every reporting unit with its assessment of the year (or none yet) and its counts: two queries."""
    units = list(Unit.objects.reporting().order_by("sort_order", "name"))
    assessments = {
        assessment.unit_id: assessment
        for assessment in Assessment.objects.filter(year=year).annotate(
            people=Count("entries"),
            proposed=Count("entries", filter=~Q(entries__proposed_classification="")),
            confirmed=Count("entries", filter=~Q(entries__decided_classification="")),
        )
    }
    rows = []
    for unit in units:
        assessment = assessments.get(unit.pk)
        row = UnitRow(unit=unit, assessment=assessment)
        if assessment is not None:
            row.people, row.proposed, row.confirmed = assessment.people, assessment.proposed, assessment.confirmed
        rows.append(row)
    return rows


def status_counts(rows):
    """(label, count) of each state among the rows, "Chưa bắt đầu" for the units without an assessment."""
    counts = {}
    for row in rows:
        label = row.assessment.get_status_display() if row.assessment else "Chưa bắt đầu"
        counts[label] = counts.get(label, 0) + 1
    return list(counts.items())


def own_assessment(year, unit_id):
    return Assessment.objects.filter(year=year, unit_id=unit_id).first()


def individual_titles():
    """[(code, name)] of the catalogue's titles a person may be proposed for."""
    return [(title.code, title.name) for title in titles(INDIVIDUAL)]


def assessment_page(assessment):
    """The entries with their people and titles named, the history, the meeting's chair and secretary."""
    names = dict(individual_titles())
    labels = dict(Classification.choices)
    entries = list(assessment.entries.select_related("person").order_by("person__full_name", "pk"))
    for entry in entries:
        entry.title_names = [names.get(code, code) for code in entry.proposed_titles or []]
        entry.proposed_label = labels.get(entry.proposed_classification, "")
        entry.decided_label = labels.get(entry.decided_classification, "")
    transitions = list(assessment.transitions.select_related("actor").order_by("at", "pk"))
    statuses = dict(Assessment.Status.choices)
    for transition in transitions:
        transition.action_label = ACTION_LABELS.get(transition.action, transition.action)
        transition.status_label = statuses.get(transition.to_status, transition.to_status)
    latest = transitions[-1].snapshot if transitions else {}
    last_return = next((t for t in reversed(transitions) if t.action == "return"), None)
    return {
        "entries": entries,
        "transitions": transitions,
        "roles": {"chair": latest.get("chair", ""), "secretary": latest.get("secretary", "")},
        "last_return": last_return if assessment.status == Assessment.Status.RETURNED else None,
    }
