"""Template tags for pages outside the reports app that show a unit's reporting state (the home page)."""

from django import template

from reports import permissions, selectors

register = template.Library()


@register.simple_tag
def unit_reports_owed(user):
    """{"count", "overdue"}: how many reports the person's unit still owes, in three queries; None outside a unit."""
    if not permissions.can_see_todo(user):
        return None
    owed, _ = selectors.unit_todo(user.unit)
    return {"count": len(owed), "overdue": sum(1 for item in owed if item.is_overdue)}
