"""Template context shared by every page: the menu of the signed-in person (portal.navigation)."""

from .navigation import menu_for


def navigation(request):
    """The menu items for the signed-in person; nothing for anonymous visitors."""
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    return {"nav_items": menu_for(request)}
