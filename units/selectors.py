"""Who holds a capability or a position: the people a notification or a signature goes to."""

from .capabilities import Capability
from .models import Unit, User


def office_reviewers(exclude_unit_id=None):
    """The office's reviewers (Phòng Hành chính - Tổng hợp), optionally without those of one unit."""
    reviewers = User.objects.filter(is_active=True, groups__name=Capability.OFFICE_REVIEWER)
    if exclude_unit_id is not None:
        reviewers = reviewers.exclude(unit_id=exclude_unit_id)
    return reviewers.distinct()


def leaders():
    """The Director and the Deputy Directors."""
    return User.objects.filter(is_active=True, groups__name=Capability.LEADERSHIP).distinct()


def unit_managers(unit_id):
    """Heads and deputies of a unit, who submit its reports and nominations."""
    return User.objects.filter(is_active=True, unit_id=unit_id, position__in=[User.Position.HEAD, User.Position.DEPUTY])


def office_code():
    """The abbreviation of the office that drafts the Department's documents ("Lưu: VT, HCTH.")."""
    office = Unit.objects.active().filter(kind=Unit.Kind.OFFICE).order_by("sort_order", "pk").first()
    return (office.abbreviation or office.code) if office else "HCTH"
