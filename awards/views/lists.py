"""What the awards lists share so that a page costs the same at 10 rows and at 10,000: a page of rows with the count
the view already knows, row links formatted from one reverse, and filter options written without a widget per option.
"""

from html import escape

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils.safestring import mark_safe

# Reversed once per request with this mark, each row's link formatted from it (no reverse per row).
_PK_MARK = 987654321


def link_pattern(name):
    """The URL of `name` with "{}" where its one argument (a primary key) goes."""
    return reverse(name, args=[_PK_MARK]).replace(str(_PK_MARK), "{}")


def page_of(rows, per_page, number, *, count=None):
    """The page `number` of `rows` (an unknown or out-of-range number answers the nearest page); `count`, when the
    view has counted the rows already (its counts by status), spares the paginator its COUNT query."""
    paginator = Paginator(rows, per_page)
    if count is not None:
        paginator.count = count  # a cached_property: set, it is never queried
    page = paginator.get_page(number)
    # The numbers the controls show: the first and last, two on each side of this one, None for the "…" between.
    page.numbers = [
        number if isinstance(number, int) else None
        for number in paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)
    ]
    return page


def query_without(request, *names):
    """The request's query string without `names` (the page number), for the pagination links."""
    query = request.GET.copy()
    for name in names:
        query.pop(name, None)
    return query.urlencode()


def select_options(choices, chosen):
    """The <option> elements of (value, label) pairs, `chosen` (a string) selected: one escaped f-string per option,
    not a widget template (nor a format_html) per option — a thousand units' filter would cost more than the page.
    The standard library's escape: Django's adds a lazy-string wrapper per call and nothing else."""
    options = []
    for value, label in choices:
        value = str(value)
        selected = " selected" if value == chosen else ""
        options.append(f'<option value="{escape(value)}"{selected}>{escape(str(label))}</option>')
    return mark_safe("".join(options))  # noqa: S308 — every value and label is escaped above


def select_field(name, label, choices, chosen, *, empty_label="Tất cả", errors=()):
    """A filter's <select> as the page shows it (label, id, Bootstrap classes), its first option `empty_label` (none
    when None: a sort has no "all")."""
    return {
        "name": name,
        "label": label,
        "id": f"id_{name}",
        "options": select_options([("", empty_label), *choices] if empty_label is not None else choices, chosen),
        "errors": list(errors),
    }
