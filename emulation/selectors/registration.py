"""Reads of the year's and the registrations' pages, each in a fixed number of queries whatever the number of units.

Other areas may call `registration_of(unit, year)` and `accepted_registrations(year)` for what a unit registered.
"""

from django.db.models import Count, Prefetch
from django.utils import timezone

from units.models import Unit

from .. import permissions
from ..models import (
    Commitment,
    EmulationYear,
    RegisteredTitle,
    Registration,
    RegistrationTransition,
    ScoringScheme,
)

Status = Registration.Status
NOT_REGISTERED = "not_started"
NOT_REGISTERED_LABEL = "Chưa đăng ký"


def registration_of(unit, year):
    """The unit's registration for the year, or None."""
    return Registration.objects.filter(unit=unit, year=year).first()


def accepted_registrations(year):
    """The year's accepted registrations with their titles (and people) and commitments, in the units' order."""
    return (
        Registration.objects.filter(year=year, status=Status.ACCEPTED)
        .select_related("unit")
        .prefetch_related(
            Prefetch("titles", queryset=RegisteredTitle.objects.select_related("person")),
            Prefetch("commitments", queryset=Commitment.objects.select_related("criterion__group", "indicator")),
        )
        .order_by("unit__sort_order", "unit_name")
    )


def status_counts(year, units=None):
    """[(status, label, count)] over the reporting units, "Chưa đăng ký" first (no registration at all)."""
    units = list(Unit.objects.reporting(timezone.localdate())) if units is None else units
    unit_ids = {unit.pk for unit in units}
    rows = (
        Registration.objects.filter(year=year, unit_id__in=unit_ids)
        .values("status")
        .annotate(count=Count("pk"))
        .order_by()
    )
    counts = {row["status"]: row["count"] for row in rows}
    registered = sum(counts.values())
    return [(NOT_REGISTERED, NOT_REGISTERED_LABEL, len(unit_ids) - registered)] + [
        (status, label, counts.get(status, 0)) for status, label in Status.choices
    ]


def year_page(year, user):
    """The year page: its counts by status (office, leadership) or the user's unit's registration."""
    page = {"year": year, "counts": None, "own": None, "reporting_units": None, "rankings": []}
    if permissions.can_see_department(user):
        units = list(Unit.objects.reporting(timezone.localdate()))
        page["counts"] = status_counts(year, units)
        page["reporting_units"] = len(units)
    if user.is_unit_member:
        page["own"] = registration_of(user.unit_id, year)
    # The rankings the person may open: every scheme for the office and leadership, a published one for a unit.
    schemes = ScoringScheme.objects.filter(year=year).order_by("kind")
    if not permissions.can_see_department(user):
        schemes = schemes.exclude(status=ScoringScheme.Status.DRAFT)
    page["rankings"] = [(kind, ScoringScheme.Kind(kind).label) for kind in schemes.values_list("kind", flat=True)]
    return page


# The office's list of the year's registrations (issue 17, item 3): filtered, sorted and paginated on the server from
# two value queries, the counts over every reporting unit. "action" puts the registrations waiting for the office
# first (submitted), then those sent back, the drafts, the units not registered, and the accepted last.
LIST_SORTS = {
    "unit": "Thứ tự đơn vị",
    "action": "Cần xử lý trước",
    "submitted": "Gửi gần nhất",
}
ACTION_RANK = {Status.SUBMITTED: 0, Status.RETURNED: 1, Status.DRAFT: 2, NOT_REGISTERED: 3, Status.ACCEPTED: 4}


def list_rows(year):
    """Every reporting unit's row for the year as plain dicts, in unit order, in two queries.

    Each row: unit_id, code, name, status, label, registration_id (None before one exists), is_late, late_reason,
    submitted_at (aware or None), order (its place in unit order).
    """
    units = (
        Unit.objects.reporting(timezone.localdate()).order_by("sort_order", "name").values_list("pk", "code", "name")
    )
    registrations = {
        unit_id: (pk, status, is_late, late_reason, submitted_at)
        for pk, unit_id, status, is_late, late_reason, submitted_at in Registration.objects.filter(
            year=year
        ).values_list("pk", "unit_id", "status", "is_late", "late_reason", "submitted_at")
    }
    labels = {NOT_REGISTERED: NOT_REGISTERED_LABEL, **dict(Status.choices)}
    rows = []
    for order, (unit_id, code, name) in enumerate(units):
        registration_id, status, is_late, late_reason, submitted_at = registrations.get(
            unit_id, (None, NOT_REGISTERED, False, "", None)
        )
        rows.append(
            {
                "unit_id": unit_id,
                "code": code,
                "name": name,
                "status": status,
                "label": labels[status],
                "registration_id": registration_id,
                "is_late": is_late,
                "late_reason": late_reason,
                "submitted_at": submitted_at,
                "order": order,
            }
        )
    return rows


def list_counts(rows):
    """[(status, label, count)] over every row given (the whole year, never a page), "Chưa đăng ký" first; and the
    number sent late."""
    counts = {}
    late = 0
    for row in rows:
        counts[row["status"]] = counts.get(row["status"], 0) + 1
        late += bool(row["is_late"])
    totals = [(NOT_REGISTERED, NOT_REGISTERED_LABEL, counts.get(NOT_REGISTERED, 0))] + [
        (status, label, counts.get(status, 0)) for status, label in Status.choices
    ]
    return totals, late


def home_years(user):
    """The years, newest first, each with what the user has to do: a unit member's registration, the office's and
    leadership's counts by status. Three queries at most."""
    years = list(EmulationYear.objects.order_by("-year"))
    own = {}
    if user.is_unit_member:
        own = {
            registration.year_id: registration
            for registration in Registration.objects.filter(unit_id=user.unit_id, year__in=years)
        }
    counts = {}
    reporting = 0
    if permissions.can_see_department(user):
        reporting = Unit.objects.reporting(timezone.localdate()).count()
        rows = (
            Registration.objects.filter(year__in=years)
            .values("year_id", "status")
            .annotate(count=Count("pk"))
            .order_by()
        )
        for row in rows.order_by():
            counts.setdefault(row["year_id"], {})[row["status"]] = row["count"]
    return [
        {
            "year": year,
            "own": own.get(year.pk),
            "counts": counts.get(year.pk, {}),
            "not_registered": reporting - sum(counts.get(year.pk, {}).values()) if reporting else None,
        }
        for year in years
    ]


def registration_detail(registration):
    """The registration's titles, commitments and history of moves: three queries."""
    titles = list(registration.titles.select_related("person"))
    commitments = list(registration.commitments.select_related("criterion__group", "indicator"))
    transitions = list(registration.transitions.select_related("actor"))
    labels = dict(RegistrationTransition.Action.choices)
    states = dict(Status.choices)
    return {
        "collective": [title for title in titles if title.person_id is None],
        "individuals": [title for title in titles if title.person_id is not None],
        "commitments": commitments,
        "history": [
            {
                "transition": transition,
                "action": labels.get(transition.action, transition.action),
                "state": states.get(transition.to_status, transition.to_status),
            }
            for transition in transitions
        ],
        "last_return": next(
            (
                transition
                for transition in reversed(transitions)
                if transition.action == RegistrationTransition.Action.RETURN
            ),
            None,
        )
        if registration.status == Status.RETURNED
        else None,
    }
