"""What waits for the signed-in person ("Việc chờ tôi"): the home page's list and the menu's counts.

The list is computed once per request (`waiting_for`), in a fixed number of queries whatever the number of units,
reports or nominations (overview/waiting_selectors.py), and both the home panel and every menu count read it.
Each process also keeps the last list it computed for each person, with the database's change token
(portal/db_changes.py) and the day: while nothing at all has been written to the database since, the same queries
would return the same list, so it is reused, and a page costs one query instead of up to eighteen. Any write (a
submission, an autosave, a session renewed, in any process) and the next page computes the list again.
"""

from django.core.cache import caches
from django.utils import timezone

from portal.db_changes import change_token
from portal.navigation import add_home_panel, add_menu_count

from . import waiting_selectors as selectors

# Right under the campaign's panel (campaign/home.py, order 0), above the cards.
HOME_PANEL_ORDER = 1
# The home panel shows this many, the most pressing first; the full list is on its own page.
HOME_PANEL_LIMIT = 8
# The overview's strip (overview/templates/overview/waiting_strip.html) shows fewer: the figures come first there.
STRIP_LIMIT = 5
_CACHE = "_overview_waiting"
# The cache of this process's last lists (settings.CACHES: local memory, one per process).
RECENT_CACHE = "waiting"


def waiting_items(user, today=None):
    """Everything waiting for the person, the earliest due first, then the longest waiting."""
    if not user.is_authenticated or not user.is_active:
        return []
    today = today or timezone.localdate()
    roles = selectors.Roles.of(user)
    items = []
    if roles.reviews:
        reviewer_units_of = selectors.reviewer_units()
        items += selectors.reports_to_review(user, roles, reviewer_units_of)
        items += selectors.registrations_to_review(user, roles, reviewer_units_of)
        items += selectors.assessments_to_confirm(user, roles, reviewer_units_of)
    items += selectors.consolidated(roles)
    items += selectors.department_registrations(roles)
    items += selectors.schemes(roles, today)
    items += selectors.nominations_waiting(user, roles)
    if roles.office:
        items += selectors.documents_to_issue()
    if roles.handles_public_comments:
        items += selectors.public_comments()
    if roles.unit_member:
        items += selectors.reports_owed(user)
        items += selectors.registration_owed(user, today)
        items += selectors.assessments_owed(user)
        items += selectors.nominations_owed(user)
    if roles.council:
        items += selectors.council_meetings(user)
    return sorted(items, key=lambda item: item.sort_key(today))


def waiting_for(request):
    """The person's waiting list, computed once per request (or reused, see `recent_or_computed`)."""
    cached = getattr(request, _CACHE, None)
    if cached is None:
        cached = recent_or_computed(request.user)
        setattr(request, _CACHE, cached)
    return cached


def recent_or_computed(user, today=None):
    """`waiting_items`, or the same list this process computed for the person earlier today if nothing has been
    written to the database since (the change token is the same); without a token, always computed."""
    if not user.is_authenticated or not user.is_active:
        return []
    today = today or timezone.localdate()
    token = change_token()
    if token is None:
        return waiting_items(user, today)
    recent = caches[RECENT_CACHE]
    key = str(user.pk)
    kept = recent.get(key)
    if kept is not None and kept[:2] == (token, today):
        return kept[2]
    items = waiting_items(user, today)
    recent.set(key, (token, today, items))
    return items


def menu_count(url_name):
    """count(request) for the menu item `url_name`: the things waiting behind it."""

    def count(request):
        return sum(item.count for item in waiting_for(request) if item.menu == url_name)

    return count


def rows(items, today=None):
    """The items as the templates show them, with the days left before each due date."""
    today = today or timezone.localdate()
    shown = []
    for item in items:
        days_left = item.days_left(today)
        shown.append({"item": item, "days_left": days_left, "overdue": -days_left if days_left is not None else 0})
    return shown


def home_panel(request, limit=HOME_PANEL_LIMIT):
    """The first `limit` things waiting, the total and how many more: the home panel's and the overview's strip."""
    items = waiting_for(request)
    return {
        "rows": rows(items[:limit]),
        "total": len(items),
        "more": max(0, len(items) - limit),
    }


def _signed_in(user):
    return user.is_authenticated and user.is_active


MENUS = (
    selectors.MENU_TODO,
    selectors.MENU_MATRIX,
    selectors.MENU_CONSOLIDATED,
    selectors.MENU_EMULATION,
    selectors.MENU_NOMINATIONS,
    selectors.MENU_APPROVALS,
    selectors.MENU_COUNCIL,
    selectors.MENU_DOCUMENTS,
)


def register():
    add_home_panel(
        order=HOME_PANEL_ORDER,
        template="overview/waiting_panel.html",
        visible=_signed_in,
        wide=True,
        context=home_panel,
    )
    for url_name in MENUS:
        add_menu_count(url_name=url_name, count=menu_count(url_name))
