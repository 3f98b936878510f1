"""Template context shared by every page: the navigation the signed-in person may use."""

from django.urls import NoReverseMatch, reverse
from django.utils.functional import SimpleLazyObject

# (URL name, label, user properties of which any one shows the item). An item whose URL name does
# not resolve yet is left out, so a section appears in the menu as soon as its app adds the URL.
NAV_SECTIONS = (
    ("home", "Trang chủ", ()),
    ("reports:todo", "Việc cần làm", ("is_unit_member",)),
    ("reports:matrix", "Theo dõi báo cáo", ("is_office_reviewer", "is_leadership")),
    ("reports:consolidated_list", "Báo cáo tổng hợp", ("is_office_reviewer", "is_leadership")),
    ("awards:nomination_list", "Khen thưởng", ("is_unit_member", "is_office_reviewer", "is_leadership")),
    ("awards:approvals", "Duyệt khen thưởng", ("is_leadership",)),
    ("awards:council_home", "Hội đồng TĐKT", ("is_council_member", "is_office_reviewer", "is_leadership")),
    ("awards:document_list", "Văn bản khen thưởng", ("is_office_reviewer", "is_leadership")),
    ("awards:register_list", "Sổ khen thưởng", ("is_unit_member", "is_office_reviewer", "is_leadership")),
    ("admin:index", "Quản trị", ("is_administrator",)),
)
NOTIFICATIONS_URL_NAME = "reports:notifications"


def _allowed(user, properties):
    return not properties or any(getattr(user, name) for name in properties)


def _matches(path, url):
    if url == "/":
        return path == "/"
    return path.startswith(url)


def _mark_active(path, items):
    """Mark the one item whose URL is the longest prefix of the path: "/reports/" (the to-do list)
    must not light up on "/reports/matrix/"."""
    matching = [item for item in items if _matches(path, item["url"])]
    best = max(matching, key=lambda item: len(item["url"]), default=None)
    for item in items:
        item["active"] = item is best


def _reverse_or_none(url_name):
    try:
        return reverse(url_name)
    except NoReverseMatch:
        return None


def _notifications_link(user):
    """The "Thông báo" link with the unread count, counted (one COUNT query) only if a page shows it."""
    url = _reverse_or_none(NOTIFICATIONS_URL_NAME)
    if url is None:
        return None
    # Imported here: the portal learns about the reports app only once its URLs exist.
    from reports.services.notifications import unread_count

    return {"label": "Thông báo", "url": url, "unread": SimpleLazyObject(lambda: unread_count(user))}


def navigation(request):
    """The menu items for the signed-in person; nothing for anonymous visitors.

    The capability checks read `User.capability_names`, which loads the groups once per request.
    """
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"nav_items": []}
    items = []
    for url_name, label, properties in NAV_SECTIONS:
        if not _allowed(user, properties):
            continue
        url = _reverse_or_none(url_name)
        if url is not None:
            items.append({"label": label, "url": url})
    notifications_link = _notifications_link(user)
    _mark_active(request.path, items + ([notifications_link] if notifications_link else []))
    return {"nav_items": items, "notifications_link": notifications_link}
