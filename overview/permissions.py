"""Who may open the overview (Tổng quan). Every overview view goes through this module.

Leadership and the office read the whole overview and every unit's page. A member of a reporting unit (staff,
deputy, head) reads only their own unit's page; every other overview page, and another unit's page, answers 404
as if it did not exist. The figures themselves come from reports the reader may already see (accepted ones).
"""

from django.http import Http404

from units.models import Unit


def can_see_overview(user):
    """The overview's pages and every unit's page: leadership and the office."""
    return user.is_authenticated and user.is_active and (user.is_leadership or user.is_office_reviewer)


def can_see_unit(user, unit):
    """A unit's page: leadership and the office for every unit, a unit's own members for theirs."""
    if can_see_overview(user):
        return True
    return user.is_authenticated and user.is_active and user.is_unit_member and user.unit_id == unit.pk


def can_see_own_unit_page(user):
    """A member of a reporting unit, who reads that unit's page (the home page's card)."""
    return user.is_authenticated and user.is_active and user.is_unit_member


def get_visible_unit(user, pk):
    """The reporting unit `pk` if the person may read its page, else 404 (the Department itself has no page)."""
    unit = Unit.objects.filter(pk=pk, parent__isnull=False).first()
    if unit is None or not can_see_unit(user, unit):
        raise Http404("Không tìm thấy đơn vị.")
    return unit
