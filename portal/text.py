"""Text hygiene: what people type or paste is stored and rendered without control characters.

Word's manual line break arrives as a vertical tab, which XML (DOCX, XLSX) refuses; a NUL cannot be
stored in PostgreSQL text. `clean_text` is the one rule; it is applied at the edge
(`CleanTextMiddleware`: every form, autosave and filter of every request; `clean_deep` for imported
files and documents about to be rendered) and once to the rows stored before it existed (each app's
data migration calls `clean_stored_text`). `fold_for_search` is the one way names are compared with
diacritics and case aside, `closest` the names suggested for one that matches nothing.
"""

import dataclasses
import difflib
import re
import unicodedata

# Line breaks of other systems, and the vertical tab and form feed Word pastes for a manual line or page
# break: each becomes one "\n".
LINE_BREAKS = re.compile("\r\n|[\r\x0b\x0c]")
# Control characters other than tab and newline (C0, DEL, C1), lone surrogates, and the two noncharacters
# XML refuses as well (U+FFFE, U+FFFF). None of them is text a person meant to write.
REMOVED = re.compile("[\x00-\x08\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")
# Whatever clean_text would change: the quick test that lets clean text through untouched.
UNCLEAN = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff]")


def clean_text(value):
    """`value` (a str) with "\\r\\n", "\\r", "\\x0b" and "\\x0c" as "\\n" and other control characters removed.

    Tab and newline stay; every other character, Vietnamese letters included, is kept as typed.
    """
    if not UNCLEAN.search(value):
        return value
    return REMOVED.sub("", LINE_BREAKS.sub("\n", value))


def clean_deep(value):
    """`value` with `clean_text` applied to every string inside it: JSON (dicts, lists) or dataclasses.

    Dictionary keys are left as they are (they name fields; people type values). Anything else passes
    through unchanged.
    """
    if isinstance(value, str):
        return clean_text(value)
    if isinstance(value, list):
        return [clean_deep(item) for item in value]
    if isinstance(value, tuple):
        return tuple(clean_deep(item) for item in value)
    if isinstance(value, dict):
        return {key: clean_deep(item) for key, item in value.items()}
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        changes = {
            field.name: clean_deep(getattr(value, field.name)) for field in dataclasses.fields(value) if field.init
        }
        return dataclasses.replace(value, **changes)
    return value


def _clean_query(query):
    """A QueryDict with its values cleaned, or the same one when nothing needs it (the usual case)."""
    if not any(UNCLEAN.search(value) for _key, values in query.lists() for value in values if isinstance(value, str)):
        return query
    cleaned = query.copy()
    for key, values in query.lists():
        cleaned.setlist(key, [clean_text(value) if isinstance(value, str) else value for value in values])
    cleaned._mutable = False
    return cleaned


class CleanTextMiddleware:
    """Every request's GET and POST values cleaned before any view or form reads them.

    One place for every form of the portal, the report editor's autosave, the filters and the public
    comment form: nothing a person typed is lost but the control characters, and Django's "null characters
    are not allowed" never fires. It runs its part in process_view, after the CSRF check has read the token.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_view(self, request, view_func, view_args, view_kwargs):
        request.GET = _clean_query(request.GET)
        if request.method == "POST":
            # Uploaded files' names need nothing: Django's multipart parser drops their control characters.
            request.POST = _clean_query(request.POST)


def clean_stored_text(model, fields, *, rows=None, batch_size=500):
    """Clean `fields` (text, or JSON holding text) of every row of `model` (or of `rows`, a queryset of it).

    For data migrations: each app's migration names its fields and calls this with its historical model.
    Only rows that change are written. Returns how many were.
    """
    rows = model._default_manager.all() if rows is None else rows
    changed_count = 0
    last_pk = None
    while True:
        batch = rows.order_by("pk")
        if last_pk is not None:
            batch = batch.filter(pk__gt=last_pk)
        batch = list(batch.only("pk", *fields)[:batch_size])
        if not batch:
            return changed_count
        last_pk = batch[-1].pk
        changed = []
        for row in batch:
            dirty = False
            for field in fields:
                before = getattr(row, field)
                after = clean_deep(before)
                if after != before:
                    setattr(row, field, after)
                    dirty = True
            if dirty:
                changed.append(row)
        if changed:
            model._default_manager.bulk_update(changed, fields)
            changed_count += len(changed)


def fold_for_search(text):
    """Lower case without diacritics ("Đỗ Thị Ánh" → "do thi anh"), spaces collapsed: how names are matched when
    people type them with or without diacritics (searches, imports)."""
    text = unicodedata.normalize("NFD", (text or "").replace("đ", "d").replace("Đ", "D"))
    text = "".join(char for char in text if not unicodedata.combining(char))
    return " ".join(text.casefold().split())


def closest(name, choices, count=3):
    """The `count` names of `choices` closest to `name`, diacritics and case aside (difflib)."""
    folded = {fold_for_search(choice): choice for choice in choices}
    return [folded[key] for key in difflib.get_close_matches(fold_for_search(name), folded, n=count, cutoff=0.0)]
