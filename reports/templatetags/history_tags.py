"""The template tag that tells the office's pages whether to link to the import of past periods' reports."""

from django import template

from reports import permissions

register = template.Library()


@register.simple_tag
def can_import_history(user):
    """Whether the page links to the import of past periods' reports (the office)."""
    return permissions.can_import_history(user)
