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
    number before it in its register (confirmed by the clerk when recorded, `out_of_order`, or older rows)."""
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
    for pk, issuer, kind, number, issued_on, summary, source, full_name, username, out_of_order, reason in rows:
        same_register = previous is not None and previous[:2] == (issuer, kind)
        entries.append(
            RegisterEntry(
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
                dated_back=out_of_order or (same_register and issued_on < previous[2]),
            )
        )
        previous = (issuer, kind, issued_on)
    return entries


def register_counts(entries):
    """Over every entry of the year (never a page): [(register key, symbol pattern, count)] in order, {source: count},
    and the number dated back."""
    registers = {}
    sources = dict.fromkeys(SOURCE_LABELS, 0)
    dated_back = 0
    for entry in entries:
        registers[entry.register] = registers.get(entry.register, 0) + 1
        sources[entry.source] = sources.get(entry.source, 0) + 1
        dated_back += entry.dated_back
    named = [
        (key, document_symbol(0, kind, issuer).removeprefix("00/"), count)
        for key, count in registers.items()
        for issuer, kind in [key.split("|", 1)]
    ]
    return named, sources, dated_back


def register_filter(entries, *, register="", source="", dated_back_only=False, search=""):
    """The entries of one register, one source, only those dated back, and/or whose number, symbol or summary holds
    `search` (case-insensitive)."""
    needle = search.strip().casefold()
    return [
        entry
        for entry in entries
        if (not register or entry.register == register)
        and (not source or entry.source == source)
        and (not dated_back_only or entry.dated_back)
        and (not needle or needle in entry.symbol.casefold() or needle in entry.summary.casefold())
    ]
