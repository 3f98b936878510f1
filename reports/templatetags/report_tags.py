"""Template tags for pages outside the reports app that show a unit's reporting state (the home page)."""

from django import template

from reports import selectors

register = template.Library()


@register.simple_tag
def unit_reports_owed(user):
    """{"count", "overdue"}: how many reports the person's unit still owes, in three queries; None outside a unit."""
    if not user.is_unit_member:
        return None
    owed, _ = selectors.unit_todo(user.unit)
    return {"count": len(owed), "overdue": sum(1 for item in owed if item.is_overdue)}
