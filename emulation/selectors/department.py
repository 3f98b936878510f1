"""The reads of the Department's registration page, each in a fixed number of queries whatever the number of units."""

from django.http import Http404

from units.models import Unit

from .. import permissions
from ..models import DepartmentRegistration, EmulationYear, Registration

NOT_FOUND = "Không tìm thấy đăng ký thi đua của Sở."


def get_department_year(user, year_number):
    """The emulation year of the Department's registration page: the office and leadership only (404 otherwise)."""
    if not permissions.can_see_department(user):
        raise Http404(NOT_FOUND)
    try:
        return EmulationYear.objects.select_related("campaign").get(year=year_number)
    except EmulationYear.DoesNotExist:
        raise Http404("Không tìm thấy năm thi đua.") from None


def department_registration_of(year):
    """The year's compiled registration with what its page prints, or None before the first compile."""
    return (
        DepartmentRegistration.objects.select_related("year", "approved_by", "compiled_by", "register_entry")
        .filter(year=year)
        .first()
    )


def get_visible_department_registration(user, pk):
    """For the stored files (documents.stored): the office and leadership; 404 for everyone else."""
    if not permissions.can_see_department(user):
        raise Http404(NOT_FOUND)
    try:
        return DepartmentRegistration.objects.select_related("year", "approved_by", "register_entry").get(pk=pk)
    except DepartmentRegistration.DoesNotExist:
        raise Http404(NOT_FOUND) from None


def unit_states(year, compiled_units=()):
    """Every reporting unit with its registration's state now, and whether the compiled list holds it (2 queries).

    The units not accepted are what the page warns about: they are not in the compiled list.
    """
    states = dict(Registration.objects.filter(year=year).values_list("unit_id", "status"))
    labels = dict(Registration.Status.choices)
    compiled = set(compiled_units)
    rows = []
    for unit in Unit.objects.reporting().order_by("sort_order", "name"):
        status = states.get(unit.pk, "")
        rows.append(
            {
                "unit": unit,
                "status": status,
                "status_label": labels.get(status, "Chưa đăng ký"),
                "accepted": status == Registration.Status.ACCEPTED,
                "compiled": unit.code in compiled,
            }
        )
    return rows


def history(registration):
    """The registration's moves, oldest first, with who made them (1 query)."""
    if registration is None:
        return []
    return list(registration.transitions.select_related("actor"))
