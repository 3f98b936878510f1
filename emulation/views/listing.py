"""What the lists that grow with the units share (issue 17, item 3): a page of LIST_PAGE_SIZE rows from a list
already filtered and sorted on the server, the query string its page links keep, and links formatted from one
reverse() instead of one per row."""

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.http import urlencode

LIST_PAGE_SIZE = 100
_PK_MARK = 987654321


def link_pattern(name):
    """The URL of `name` with "{}" where its one integer argument goes: reversed once, formatted per row."""
    return reverse(name, args=[_PK_MARK]).replace(str(_PK_MARK), "{}")


def paged(request, rows, query, size=None):
    """The page ?page= asks for (an unknown or out-of-range one answers the nearest: the first or the last), with
    what documents/_pages.html needs: the page, its numbers (elided around the current one) and the query string of
    the filters that every page link keeps (`query`, empty values left out)."""
    page = Paginator(rows, size or LIST_PAGE_SIZE).get_page(request.GET.get("page"))
    return {
        "page": page,
        "page_numbers": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
        "page_query": urlencode({key: value for key, value in query.items() if value not in ("", None)}),
        "shown": page.paginator.count,
    }


def search_text(request):
    """The ?q= typed into a list's search box, trimmed and bounded."""
    return request.GET.get("q", "").strip()[:100]


def matches(needle, *texts):
    """Whether any of `texts` holds `needle` (already casefolded), case-insensitively; an empty needle matches."""
    return not needle or any(needle in (text or "").casefold() for text in texts)
