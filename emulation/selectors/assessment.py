"""Reads of the year-end assessment's pages, each in a fixed number of queries whatever the number of units."""

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


NOT_STARTED = "not_started"
NOT_STARTED_LABEL = "Chưa bắt đầu"
# The office's list of the year's assessments (issue 17, item 3): filtered, sorted and paginated on the server from two
# value queries, the counts over every reporting unit. "action" puts those waiting for the office first (sent), then
# those sent back, the drafts, the units not started, and the confirmed last.
LIST_SORTS = {
    "unit": "Thứ tự đơn vị",
    "action": "Cần xử lý trước",
    "submitted": "Gửi gần nhất",
}
ACTION_RANK = {
    Assessment.Status.SUBMITTED: 0,
    Assessment.Status.RETURNED: 1,
    Assessment.Status.DRAFT: 2,
    NOT_STARTED: 3,
    Assessment.Status.CONFIRMED: 4,
}


def year_overview(year):
    """Every reporting unit's row for the year as plain dicts, in unit order, with its assessment's state and counts
    of people: two queries.

    Each row: unit_id, code, name, status (NOT_STARTED without an assessment), label, assessment_id, people, proposed,
    confirmed, submitted_at, order.
    """
    units = Unit.objects.reporting().order_by("sort_order", "name").values_list("pk", "code", "name")
    assessments = {
        row[1]: row
        for row in Assessment.objects.filter(year=year)
        .annotate(
            people=Count("entries"),
            proposed=Count("entries", filter=~Q(entries__proposed_classification="")),
            confirmed=Count("entries", filter=~Q(entries__decided_classification="")),
        )
        .values_list("pk", "unit_id", "status", "submitted_at", "people", "proposed", "confirmed")
    }
    labels = {NOT_STARTED: NOT_STARTED_LABEL, **dict(Assessment.Status.choices)}
    rows = []
    for order, (unit_id, code, name) in enumerate(units):
        assessment_id, _, status, submitted_at, people, proposed, confirmed = assessments.get(
            unit_id, (None, unit_id, NOT_STARTED, None, 0, 0, 0)
        )
        rows.append(
            {
                "unit_id": unit_id,
                "code": code,
                "name": name,
                "status": status,
                "label": labels[status],
                "assessment_id": assessment_id,
                "people": people,
                "proposed": proposed,
                "confirmed": confirmed,
                "submitted_at": submitted_at,
                "order": order,
            }
        )
    return rows


def status_counts(rows):
    """[(status, label, count)] over every row given (the whole year, never a page), "Chưa bắt đầu" first."""
    counts = {}
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
    return [(NOT_STARTED, NOT_STARTED_LABEL, counts.get(NOT_STARTED, 0))] + [
        (status, label, counts.get(status, 0)) for status, label in Assessment.Status.choices
    ]


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
