"""The register of outgoing documents (sổ đăng ký văn bản đi), shared by every document type.

Either the portal gives the next number (per year — by local date —, issuing body and type; the
counter row is locked so two issues at once get two numbers; a number is never reused), or the
office records the number the clerk gave in the Department's own document system.
"""

import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from workflow.errors import Refused

from .models import OutgoingDocument, RegisterCounter


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


def _locked_counter(*, year, issuer_code, type_code):
    """The register's counter row, created when the year's first number is taken, locked until commit."""
    RegisterCounter.objects.get_or_create(year=year, issuer_code=issuer_code, type_code=type_code)
    return RegisterCounter.objects.select_for_update().get(year=year, issuer_code=issuer_code, type_code=type_code)


def register_next_number(*, issuer_code, type_code, issued_on=None, summary, actor):
    """Take the next number of the register for the (local) year of `issued_on` and record the document."""
    issued_on = local_issue_date(issued_on)
    year = issued_on.year
    with transaction.atomic():
        counter = _locked_counter(year=year, issuer_code=issuer_code, type_code=type_code)
        taken = set(
            OutgoingDocument.objects.filter(
                year=year, issuer_code=issuer_code, type_code=type_code, number__gt=counter.last_number
            ).values_list("number", flat=True)
        )
        number = counter.last_number + 1
        while number in taken:  # skip numbers the clerk already recorded by hand
            number += 1
        counter.last_number = number
        counter.save(update_fields=["last_number"])
        return _record(issuer_code, type_code, number, issued_on, summary, actor, OutgoingDocument.Source.PORTAL)


def register_record_number(*, issuer_code, type_code, number, issued_on, summary, actor):
    """Record a number the clerk gave; refused if the register already holds it.

    The counter row is locked here too, so a clerk's number recorded while the portal is giving the
    next one cannot collide with it (the portal would otherwise read the register before the clerk's
    row is committed and take the same number).
    """
    if number < 1:
        raise Refused("Số văn bản phải là số nguyên dương.")
    issued_on = local_issue_date(issued_on)
    refusal = f"Số {number:02d}/{type_code}-{issuer_code} năm {issued_on.year} đã có trong sổ đăng ký văn bản đi."
    try:
        with transaction.atomic():
            _locked_counter(year=issued_on.year, issuer_code=issuer_code, type_code=type_code)
            if OutgoingDocument.objects.filter(
                year=issued_on.year, issuer_code=issuer_code, type_code=type_code, number=number
            ).exists():
                raise Refused(refusal)
            return _record(issuer_code, type_code, number, issued_on, summary, actor, OutgoingDocument.Source.CLERK)
    except IntegrityError:
        raise Refused(refusal) from None


def _record(issuer_code, type_code, number, issued_on, summary, actor, source):
    return OutgoingDocument.objects.create(
        year=issued_on.year,
        issuer_code=issuer_code,
        type_code=type_code,
        number=number,
        issued_on=issued_on,
        summary=summary[:500],
        source=source,
        recorded_by=actor,
    )
