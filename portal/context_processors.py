"""Template context shared by every page: the navigation the signed-in person may use."""

from django.urls import NoReverseMatch, reverse

# (URL name, label, user properties of which any one shows the item). An item whose URL name does
# not resolve yet is left out, so a section appears in the menu as soon as its app adds the URL.
NAV_SECTIONS = (
    ("home", "Trang chủ", ()),
    ("reports:todo", "Việc cần làm", ("is_unit_member",)),
    ("reports:matrix", "Theo dõi báo cáo", ("is_office_reviewer", "is_leadership")),
    ("reports:consolidated_list", "Báo cáo tổng hợp", ("is_office_reviewer", "is_leadership")),
    ("awards:nomination_list", "Khen thưởng", ("is_unit_member", "is_office_reviewer", "is_leadership")),
    ("awards:council_home", "Hội đồng TĐKT", ("is_council_member",)),
    ("admin:index", "Quản trị", ("is_administrator",)),
)


def _allowed(user, properties):
    return not properties or any(getattr(user, name) for name in properties)


def _is_active(path, url):
    if url == "/":
        return path == "/"
    return path.startswith(url)


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
        try:
            url = reverse(url_name)
        except NoReverseMatch:
            continue
        items.append({"label": label, "url": url, "active": _is_active(request.path, url)})
    return {"nav_items": items}
