"""The register's page: one year's entries, each register (issuing body, type) in number order, in two queries."""

from .models import OutgoingDocument


def register_years():
    return list(OutgoingDocument.objects.order_by("-year").values_list("year", flat=True).distinct())


def register_entries(year):
    """The year's entries by issuing body, type and number; `dated_back` marks a number dated earlier than the
    number before it in its register (confirmed by the clerk when recorded, `out_of_order`, or older rows)."""
    entries = list(
        OutgoingDocument.objects.filter(year=year)
        .select_related("recorded_by")
        .order_by("issuer_code", "type_code", "number")
    )
    previous = None
    for entry in entries:
        same_register = previous is not None and (previous.issuer_code, previous.type_code) == (
            entry.issuer_code,
            entry.type_code,
        )
        entry.dated_back = entry.out_of_order or (same_register and entry.issued_on < previous.issued_on)
        previous = entry
    return entries
