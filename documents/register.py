"""The register of outgoing documents (sổ đăng ký văn bản đi), shared by every document type.

Either the portal gives the next number (per year — by local date —, issuing body and type; the
counter row is locked so two issues at once get two numbers; a number is never reused), or the
office records the number the clerk gave in the Department's own document system.

A công văn (official letter) has no type code: its number reads "Số: 12/SKHCN-HCTH", the issuing body's
abbreviation then the drafting unit's (Nghị định 30, Phụ lục I). The Department numbers its công văn in one
series of their own per year, whichever unit drafted them: the caller passes type_code "" (`LETTER`) and the
drafting unit's abbreviation as `drafting_code`; the counter is the issuing body's công văn counter.

Dates fit the record: no number is dated after today, and a number dated earlier than the number before
it (or later than the one after it) in the same register is refused unless the clerk confirms it with a
reason (`confirmation`); such an entry is kept marked `out_of_order` with that reason.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone

from workflow.errors import NeedsConfirmation, Refused

from .models import OutgoingDocument, RegisterCounter, document_symbol

LETTER = ""  # the type code of a công văn: none


def local_issue_date(issued_on=None):
    """The date a document is issued on, as the Department's calendar reads it (Asia/Ho_Chi_Minh).

    None means today; an aware datetime is read in local time, so 31/12 at 23:30 is still the old
    year and 01/01 at 00:30 already the new one, whatever the server's clock zone.
    """
    if issued_on is None:
        return timezone.localdate()
    if isinstance(issued_on, datetime.datetime):
        return timezone.localdate(issued_on) if timezone.is_aware(issued_on) else issued_on.date()
    return issued_on


# What every refusal the clerk may override ends with; the issue forms carry the two fields it names.
CONFIRM_HINT = "Nếu văn bản đã ký đúng như vậy, hãy đánh dấu “Xác nhận ngày, số như văn bản đã ký” và ghi lý do."


def refuse_future(issued_on):
    """No document is dated after today (the Department's calendar)."""
    today = timezone.localdate()
    if issued_on > today:
        raise Refused(
            f"Ngày ban hành ({issued_on:%d/%m/%Y}) không được sau ngày hôm nay ({today:%d/%m/%Y}).", field="issued_on"
        )


def _symbol_issuer(issuer_code, type_code, drafting_code):
    """The issuer part of the symbol as recorded: the issuing body, and for a công văn its drafting unit."""
    if type_code == LETTER:
        if not drafting_code:
            raise ValueError("A công văn's symbol names its drafting unit: pass drafting_code.")
        return f"{issuer_code}-{drafting_code}"
    if drafting_code:
        raise ValueError("Only a công văn's symbol names its drafting unit.")
    return issuer_code


def _entries(*, year, issuer_code, type_code):
    """The entries of one series: a type's numbers of one issuing body, or all its công văn (any drafting unit)."""
    entries = OutgoingDocument.objects.filter(year=year, type_code=type_code)
    if type_code == LETTER:
        return entries.filter(Q(issuer_code=issuer_code) | Q(issuer_code__startswith=f"{issuer_code}-"))
    return entries.filter(issuer_code=issuer_code)


def _next_free(last_number, *, year, issuer_code, type_code):
    """The portal's next number: above the counter, skipping the numbers the clerk already recorded by hand."""
    taken = set(
        _entries(year=year, issuer_code=issuer_code, type_code=type_code)
        .filter(number__gt=last_number)
        .values_list("number", flat=True)
    )
    number = last_number + 1
    while number in taken:
        number += 1
    return number


def _label(number, issued_on, type_code, issuer_code):
    return f"{document_symbol(number, type_code, issuer_code)} ngày {issued_on:%d/%m/%Y}"


def order_conflict(*, issuer_code, type_code, issued_on, number=None, drafting_code=""):
    """Why `number` dated `issued_on` breaks the register's date order, or "" when it does not.

    `number` None means the portal's next number. The numbers just before and just after it in the same
    register (year, issuing body, type) must not be dated after it, respectively before it. Services call
    this first to tell the clerk every date problem at once; the register checks again under its lock.
    """
    issued_on = local_issue_date(issued_on)
    symbol_issuer = _symbol_issuer(issuer_code, type_code, drafting_code)
    register = {"year": issued_on.year, "issuer_code": issuer_code, "type_code": type_code}
    if number is None:
        counter = RegisterCounter.objects.filter(**register).first()
        number = _next_free(counter.last_number if counter else 0, **register)
    elif _entries(**register).filter(number=number).exists():
        return ""  # the register refuses a number it holds already, whatever its date
    return _conflict(_entries(**register), number, issued_on, type_code, symbol_issuer)


def _conflict(entries, number, issued_on, type_code, issuer_code):
    this = _label(number, issued_on, type_code, issuer_code)
    before = entries.filter(number__lt=number).order_by("-number").first()
    if before is not None and before.issued_on > issued_on:
        earlier = _label(before.number, before.issued_on, type_code, before.issuer_code)
        return f"Số {this} lùi ngày so với số liền trước trong sổ đăng ký văn bản đi: {earlier}."
    after = entries.filter(number__gt=number).order_by("number").first()
    if after is not None and after.issued_on < issued_on:
        later = _label(after.number, after.issued_on, type_code, after.issuer_code)
        return f"Số {this} có ngày sau số liền sau trong sổ đăng ký văn bản đi: {later}."
    return ""


def dates_confirmed(problems, confirmation):
    """The clerk's reason when `problems` (sentences on dates out of the record's order) were confirmed, "" when
    there are none; refused (NeedsConfirmation, on the issue date) when there are and no reason was given."""
    problems = [problem for problem in problems if problem]
    if not problems:
        return ""
    reason = (confirmation or "").strip()
    if not reason:
        raise NeedsConfirmation(" ".join([*problems, CONFIRM_HINT]), field="issued_on")
    return reason


def _confirmed(conflict, confirmation):
    return dates_confirmed([conflict], confirmation)


def _locked_counter(*, year, issuer_code, type_code):
    """The register's counter row, created when the year's first number is taken, locked until commit."""
    RegisterCounter.objects.get_or_create(year=year, issuer_code=issuer_code, type_code=type_code)
    return RegisterCounter.objects.select_for_update().get(year=year, issuer_code=issuer_code, type_code=type_code)


def register_next_number(*, issuer_code, type_code, issued_on=None, summary, actor, confirmation="", drafting_code=""):
    """Take the next number of the register for the (local) year of `issued_on` and record the document.

    `confirmation` is the clerk's reason for a date earlier than the previous number's (see order_conflict).
    A công văn (type_code LETTER) names its drafting unit (`drafting_code`) and takes its series' next number.
    """
    symbol_issuer = _symbol_issuer(issuer_code, type_code, drafting_code)
    issued_on = local_issue_date(issued_on)
    refuse_future(issued_on)
    year = issued_on.year
    with transaction.atomic():
        counter = _locked_counter(year=year, issuer_code=issuer_code, type_code=type_code)
        number = _next_free(counter.last_number, year=year, issuer_code=issuer_code, type_code=type_code)
        entries = _entries(year=year, issuer_code=issuer_code, type_code=type_code)
        reason = _confirmed(_conflict(entries, number, issued_on, type_code, symbol_issuer), confirmation)
        counter.last_number = number
        counter.save(update_fields=["last_number"])
        return _record(
            symbol_issuer, type_code, number, issued_on, summary, actor, OutgoingDocument.Source.PORTAL, reason
        )


def register_record_number(
    *, issuer_code, type_code, number, issued_on, summary, actor, confirmation="", drafting_code=""
):
    """Record a number the clerk gave; refused if the register already holds it, and if its date is out of
    the register's order unless the clerk confirms it (`confirmation`, the reason; see order_conflict).

    The counter row is locked here too, so a clerk's number recorded while the portal is giving the
    next one cannot collide with it (the portal would otherwise read the register before the clerk's
    row is committed and take the same number). A công văn's number is taken once in its series, whichever
    unit drafted it.
    """
    symbol_issuer = _symbol_issuer(issuer_code, type_code, drafting_code)
    if number < 1:
        raise Refused("Số văn bản phải là số nguyên dương.")
    issued_on = local_issue_date(issued_on)
    refuse_future(issued_on)
    symbol = document_symbol(number, type_code, symbol_issuer)
    refusal = f"Số {symbol} năm {issued_on.year} đã có trong sổ đăng ký văn bản đi."
    register = {"year": issued_on.year, "issuer_code": issuer_code, "type_code": type_code}
    try:
        with transaction.atomic():
            _locked_counter(**register)
            entries = _entries(**register)
            if entries.filter(number=number).exists():
                raise Refused(refusal)
            reason = _confirmed(_conflict(entries, number, issued_on, type_code, symbol_issuer), confirmation)
            return _record(
                symbol_issuer, type_code, number, issued_on, summary, actor, OutgoingDocument.Source.CLERK, reason
            )
    except IntegrityError:
        raise Refused(refusal) from None


def _record(issuer_code, type_code, number, issued_on, summary, actor, source, out_of_order_reason=""):
    return OutgoingDocument.objects.create(
        year=issued_on.year,
        issuer_code=issuer_code,
        type_code=type_code,
        number=number,
        issued_on=issued_on,
        summary=summary[:500],
        source=source,
        recorded_by=actor,
        out_of_order=bool(out_of_order_reason),
        out_of_order_reason=out_of_order_reason[:500],
    )
