"""Template tags of the record (hồ sơ thành tích): a link to a person's record where the viewer may open it."""

from django import template
from django.urls import reverse

from .. import permissions

register = template.Library()


@register.simple_tag(takes_context=True)
def person_record_url(context, person):
    """The person's record page if the viewer may see it, else ""."""
    request = context.get("request")
    if person is None or request is None or not permissions.can_see_record(request.user, person):
        return ""
    return reverse("awards:person_record", args=[person.pk])
