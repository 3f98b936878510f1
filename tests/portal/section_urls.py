"""A URL map with the sections that later apps will add, so navigation tests can light them up."""

from django.http import HttpResponse
from django.urls import URLResolver, include, path

from portal.urls import urlpatterns as portal_urlpatterns

# The portal's own pages without the apps' sections, which the placeholders below stand in for.
base_urlpatterns = [
    pattern
    for pattern in portal_urlpatterns
    if not (isinstance(pattern, URLResolver) and pattern.namespace in ("reports", "awards"))
]


def placeholder(request):
    return HttpResponse("")


reports_patterns = (
    [
        path("todo/", placeholder, name="todo"),
        path("matrix/", placeholder, name="matrix"),
        path("consolidated/", placeholder, name="consolidated_list"),
    ],
    "reports",
)
awards_patterns = (
    [
        path("nominations/", placeholder, name="nomination_list"),
        path("council/", placeholder, name="council_home"),
    ],
    "awards",
)

urlpatterns = [
    *base_urlpatterns,
    path("reports/", include(reports_patterns)),
    path("awards/", include(awards_patterns)),
]
