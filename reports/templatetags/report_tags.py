"""Template tags: a unit's reporting state (home page); quantities and indicator values as Vietnamese writes them."""

from django import template

from reports import permissions, selectors
from reports.parts import display_quantity, display_rate

register = template.Library()


@register.simple_tag
def unit_reports_owed(user):
    """{"count", "overdue"}: how many reports the person's unit still owes, in three queries; None outside a unit."""
    if not permissions.can_see_todo(user):
        return None
    owed, _ = selectors.unit_todo(user.unit)
    return {"count": len(owed), "overdue": sum(1 for item in owed if item.is_overdue)}


@register.filter
def quantity(raw):
    """A quantity as Vietnamese writes it: "1050000000" → "1.050.000.000"."""
    return display_quantity(raw)


@register.filter
def indicator_value(value, indicator):
    """An indicator's value with its unit: a sum as an amount ("1.050.000.000"), a ratio as "47,16%"; "—" if none."""
    if value is None or value == "":
        return "—"
    if indicator.formula == indicator.Formula.SUM:
        return f"{display_quantity(value)} {indicator.result_unit}".strip()
    return f"{display_rate(value)}{indicator.result_unit}"
