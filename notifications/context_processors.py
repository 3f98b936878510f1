"""The menu's "Thông báo" link with the unread count, counted (one COUNT query) only if a page shows it."""

from django.urls import reverse
from django.utils.functional import SimpleLazyObject

from .services import unread_count


def notifications_link(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    url = reverse("notifications:list")
    return {
        "notifications_link": {
            "label": "Thông báo",
            "url": url,
            "active": request.path.startswith(url),
            "unread": SimpleLazyObject(lambda: unread_count(user)),
        }
    }
