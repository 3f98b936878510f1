"""Template context shared by every page: the menu of the signed-in person (portal.navigation), and the banner
saying that background jobs wait (portal.health)."""

from django.utils.functional import SimpleLazyObject

from .health import show_jobs_banner
from .navigation import menu_for


def navigation(request):
    """The menu items for the signed-in person; nothing for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": menu_for(request)}


def jobs_banner(request):
    """The banner "Hệ thống xử lý nền đang chậm" for those who see it (portal.health): one cache read, and only
    when a page shows it."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    return {"jobs_banner": SimpleLazyObject(lambda: show_jobs_banner(user))}
