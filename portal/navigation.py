"""The menu and the home page's panels, to which each app adds its own entries from its AppConfig.ready().

The portal knows no app above it (DESIGN.md section 3): an app registers a menu item or a home panel
with a `visible(user)` test taken from its permissions module, and the portal shows what the signed-in
person may use, in the registered order.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import reverse


@dataclass(frozen=True)
class MenuItem:
    order: int
    url_name: str
    label: str
    visible: Callable


@dataclass(frozen=True)
class HomePanel:
    order: int
    template: str
    visible: Callable
    wide: bool = False  # across the page above the cards (the campaign), instead of one card of the grid
    context: Callable | None = None  # context(request) → dict for the template


_MENU = {}
_PANELS = {}
_COUNTS = {}  # url_name → count(request): how many things wait behind that menu item for the person


def add_menu_item(*, order, url_name, label, visible=lambda user: True):
    _MENU[url_name] = MenuItem(order, url_name, label, visible)


def add_menu_count(*, url_name, count):
    """Show beside a menu item how many things wait there for the signed-in person: `count(request)` → int.

    Registered by an app above (the waiting list of overview/), which knows what waits; 0 shows nothing."""
    _COUNTS[url_name] = count


def add_home_panel(*, order, template, visible=lambda user: True, wide=False, context=None):
    _PANELS[template] = HomePanel(order, template, visible, wide, context)


def _matches(path, url):
    return path == "/" if url == "/" else path.startswith(url)


def menu_for(request):
    """The menu items of the signed-in person, the one whose URL is the longest prefix of the page's active
    ("/reports/", the to-do list, must not light up on "/reports/matrix/")."""
    user = request.user
    items = [
        {"label": item.label, "url": reverse(item.url_name), "url_name": item.url_name}
        for item in sorted(_MENU.values(), key=lambda item: item.order)
        if item.visible(user)
    ]
    for item in items:
        count = _COUNTS.get(item["url_name"])
        item["count"] = count(request) if count is not None else 0
    matching = [item for item in items if _matches(request.path, item["url"])]
    best = max(matching, key=lambda item: len(item["url"]), default=None)
    for item in items:
        item["active"] = item is best
    return items


def home_panels(request):
    """The home page's panels the person may see, each {"template", "wide", "context"}."""
    user = request.user
    return [
        {"template": panel.template, "wide": panel.wide, "context": panel.context(request) if panel.context else {}}
        for panel in sorted(_PANELS.values(), key=lambda panel: panel.order)
        if panel.visible(user)
    ]
