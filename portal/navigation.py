"""The menu and the home page's panels, to which each app adds its own entries from its AppConfig.ready().

The portal knows no app above it (DESIGN.md section 3): an app registers a menu item or a home panel
with a `visible(user)` test taken from its permissions module, and the portal shows what the signed-in
person may use, in the registered order.

Menu items may share a group (`group=MenuGroup("Báo cáo", 10)` or `group=("Báo cáo", 10)`): the group is one
entry of the menu bar, a dropdown of its items, placed by its own order among the ungrouped items. A group
of which the person sees one item only shows that item as a plain link. So every role's menu fits one row
at 1280 px.

The active item is the one that owns the page: first the item that names the page's URL (its own URL name
or one of its `owns` URL names), then the item with the longest URL prefix (its own URL or one of its `owns`
prefixes). Its group is marked active too.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.urls import Resolver404, resolve, reverse


@dataclass(frozen=True)
class MenuGroup:
    label: str
    order: int


@dataclass(frozen=True)
class MenuItem:
    order: int
    url_name: str
    label: str
    visible: Callable
    group: MenuGroup | None = None
    # Pages the item owns beyond its URL's prefix: URL names ("reports:changes") and path prefixes
    # ("/reports/consolidated/"), told apart by the leading slash.
    owns: tuple[str, ...] = ()


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
_PAGES = {}  # url_name → pages an app above adds to that menu item's own `owns`


def add_menu_item(*, order, url_name, label, visible=lambda user: True, group=None, owns=()):
    """Register a menu item. `group`: a MenuGroup or a (label, order) pair; items of one label share one group
    (give them the same order: the first item shown places the group).

    `owns`: URL names and path prefixes (starting with "/") of pages reached from this item whose URL does
    not start with the item's own, e.g. a report's "changes" page reached from the office's matrix."""
    if group is not None and not isinstance(group, MenuGroup):
        group = MenuGroup(*group)
    _MENU[url_name] = MenuItem(order, url_name, label, visible, group, tuple(owns))


def add_menu_pages(*, url_name, owns):
    """Put pages of an app above under another app's menu item, as `owns` of add_menu_item does for one's own:
    e.g. the full page of the home page's waiting list lights "Trang chủ" (url_name "home")."""
    _PAGES[url_name] = (*_PAGES.get(url_name, ()), *owns)


def add_menu_count(*, url_name, count):
    """Show beside a menu item how many things wait there for the signed-in person: `count(request)` → int.

    Registered by an app above (the waiting list of overview/), which knows what waits; 0 shows nothing."""
    _COUNTS[url_name] = count


def add_home_panel(*, order, template, visible=lambda user: True, wide=False, context=None):
    _PANELS[template] = HomePanel(order, template, visible, wide, context)


def _prefix_matches(path, prefix):
    return path == "/" if prefix == "/" else path.startswith(prefix)


def _page_url_name(request):
    """The URL name of the page ("reports:changes"), from the resolver's match or by resolving the path."""
    match = getattr(request, "resolver_match", None)
    if match is None:
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return None
    return match.view_name


def _claim(item, url, path, url_name):
    """How strongly the item owns the page: (2, …) names the page, (1, length) by URL prefix, None not at all."""
    owns = (*item.owns, *_PAGES.get(item.url_name, ()))
    if url_name is not None and (url_name == item.url_name or url_name in owns):
        return (2, len(url))
    prefixes = [url, *(owned for owned in owns if owned.startswith("/"))]
    lengths = [len(prefix) for prefix in prefixes if _prefix_matches(path, prefix)]
    return (1, max(lengths)) if lengths else None


def _visible_items(request):
    user = request.user
    return [item for item in sorted(_MENU.values(), key=lambda item: item.order) if item.visible(user)]


_WITHOUT_COUNTS = "_menu_without_counts"


def menu_without_counts(request):
    """This page's menu shows no counts (the refusal pages: nothing is computed for what waits)."""
    setattr(request, _WITHOUT_COUNTS, True)


def menu_items(request):
    """The person's menu items, flat, in order: {"label", "url", "url_name", "count", "active", "group"}.

    At most one item is active: the one that owns the page (none on the notifications or password pages); of two
    with the same claim, the first in order."""
    path = request.path
    url_name = _page_url_name(request)
    counts = not getattr(request, _WITHOUT_COUNTS, False)
    items = []
    best, best_claim = None, None
    for item in _visible_items(request):
        url = reverse(item.url_name)
        count = _COUNTS.get(item.url_name)
        entry = {
            "label": item.label,
            "url": url,
            "url_name": item.url_name,
            "count": count(request) if count is not None and counts else 0,
            "active": False,
            "group": item.group,
        }
        claim = _claim(item, url, path, url_name)
        if claim is not None and (best_claim is None or claim > best_claim):
            best, best_claim = entry, claim
        items.append(entry)
    if best is not None:
        best["active"] = True
    return items


def menu_for(request):
    """The entries of the person's menu bar, in order: plain items, and groups with their items.

    An item: {"label", "url", "url_name", "count", "active", "group"}. A group: {"label", "is_group": True,
    "items", "count" (the sum of its items'), "active" (one of its items is)}. A group with one visible
    item is shown as that item."""
    placed = []  # ((order, position), entry): a group sits at its own order, an item at its own
    groups = {}
    for position, entry in enumerate(menu_items(request)):
        group = entry["group"]
        if group is None:
            placed.append(((_MENU[entry["url_name"]].order, position), entry))
        elif group.label in groups:
            groups[group.label]["items"].append(entry)
        else:
            groups[group.label] = {"label": group.label, "is_group": True, "items": [entry]}
            placed.append(((group.order, position), groups[group.label]))
    bar = []
    for _, entry in sorted(placed, key=lambda pair: pair[0]):
        if entry.get("is_group"):
            if len(entry["items"]) == 1:
                entry = entry["items"][0]
            else:
                entry["count"] = sum(item["count"] for item in entry["items"])
                entry["active"] = any(item["active"] for item in entry["items"])
        bar.append(entry)
    return bar


def home_panels(request):
    """The home page's panels the person may see, each {"template", "wide", "context"}."""
    user = request.user
    return [
        {"template": panel.template, "wide": panel.wide, "context": panel.context(request) if panel.context else {}}
        for panel in sorted(_PANELS.values(), key=lambda panel: panel.order)
        if panel.visible(user)
    ]
