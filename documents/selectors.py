"""The register's page: one year's entries, each register (issuing body, type) in number order, as plain rows in one
query (and the years in another); filtered and paginated by the view, counted over the whole year."""

from dataclasses import dataclass

from .models import OutgoingDocument, document_symbol

SOURCE_LABELS = dict(OutgoingDocument.Source.choices)


def register_years():
    return list(OutgoingDocument.objects.order_by("-year").values_list("year", flat=True).distinct())


@dataclass(slots=True)
class RegisterEntry:
    """One row of the register as the page shows it: no model instance, no lookup left for the template."""

    pk: int
    issuer_code: str
    type_code: str
    number: int
    symbol: str
    issued_on: object
    issued: str  # dd/mm/yyyy
    summary: str
    source: str
    source_label: str
    recorded_by: str
    out_of_order_reason: str
    dated_back: bool

    @property
    def register(self):
        """The register the entry belongs to, as ?so= names it: "<issuer>|<type>"."""
        return f"{self.issuer_code}|{self.type_code}"


def register_entries(year):
    """The year's entries by issuing body, type and number; `dated_back` marks a number dated earlier than the
    number before it in its register (confirmed by the clerk when recorded, `out_of_order`, or older rows).

    Plain tuples (RegisterRow) for the whole year — what the counts and filters need; the page's rows become
    RegisterEntry with `entry_of`, so a year of thousands of numbers never builds an object per number."""
    rows = (
        OutgoingDocument.objects.filter(year=year)
        .order_by("issuer_code", "type_code", "number")
        .values_list(
            "pk",
            "issuer_code",
            "type_code",
            "number",
            "issued_on",
            "summary",
            "source",
            "recorded_by__full_name",
            "recorded_by__username",
            "out_of_order",
            "out_of_order_reason",
        )
    )
    entries = []
    previous = None  # (issuer, type, issued_on) of the entry before
    for row in rows:
        issuer, kind, issued_on = row[1], row[2], row[4]
        dated_back = row[9] or (previous is not None and previous[:2] == (issuer, kind) and issued_on < previous[2])
        entries.append((*row, dated_back))
        previous = (issuer, kind, issued_on)
    return entries


# The positions in a row of register_entries.
_ISSUER, _TYPE, _NUMBER, _SUMMARY, _SOURCE, _DATED_BACK = 1, 2, 3, 5, 6, 11


def entry_of(row):
    """The RegisterEntry of a row of register_entries (a page's rows only)."""
    pk, issuer, kind, number, issued_on, summary, source, full_name, username, _, reason, dated_back = row
    return RegisterEntry(
        pk=pk,
        issuer_code=issuer,
        type_code=kind,
        number=number,
        symbol=document_symbol(number, kind, issuer),
        issued_on=issued_on,
        issued=f"{issued_on:%d/%m/%Y}",
        summary=summary,
        source=source,
        source_label=SOURCE_LABELS.get(source, source),
        recorded_by=full_name or username,
        out_of_order_reason=reason,
        dated_back=dated_back,
    )


def register_counts(entries):
    """Over every row of the year (never a page): [(register key, symbol pattern, count)] in order, {source: count},
    and the number dated back."""
    registers = {}
    sources = dict.fromkeys(SOURCE_LABELS, 0)
    dated_back = 0
    for row in entries:
        key = (row[_ISSUER], row[_TYPE])
        registers[key] = registers.get(key, 0) + 1
        sources[row[_SOURCE]] = sources.get(row[_SOURCE], 0) + 1
        dated_back += row[_DATED_BACK]
    named = [
        (f"{issuer}|{kind}", document_symbol(0, kind, issuer).removeprefix("00/"), count)
        for (issuer, kind), count in registers.items()
    ]
    return named, sources, dated_back


def register_filter(entries, *, register="", source="", dated_back_only=False, search=""):
    """The rows of one register ("<issuer>|<type>"), one source, only those dated back, and/or whose number, symbol
    or summary holds `search` (case-insensitive)."""
    needle = search.strip().casefold()
    wanted = tuple(register.split("|", 1)) if register else None
    return [
        row
        for row in entries
        if (wanted is None or (row[_ISSUER], row[_TYPE]) == wanted)
        and (not source or row[_SOURCE] == source)
        and (not dated_back_only or row[_DATED_BACK])
        and (
            not needle
            or needle in row[_SUMMARY].casefold()
            or needle in document_symbol(row[_NUMBER], row[_TYPE], row[_ISSUER]).casefold()
        )
    ]
