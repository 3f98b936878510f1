"""The register of outgoing documents (sổ đăng ký văn bản đi), shared by every document type.

Either the portal gives the next number (per year — by local date —, issuing body and type; the
counter row is locked so two issues at once get two numbers; a number is never reused), or the
office records the number the clerk gave in the Department's own document system.
"""

from django.db import IntegrityError, transaction

from reports.errors import ReportError
from reports.models import OutgoingDocument, RegisterCounter


def register_next_number(*, issuer_code, type_code, issued_on, summary, actor):
    """Take the next number of the register for the year of `issued_on` and record the document."""
    year = issued_on.year
    with transaction.atomic():
        RegisterCounter.objects.get_or_create(year=year, issuer_code=issuer_code, type_code=type_code)
        counter = RegisterCounter.objects.select_for_update().get(
            year=year, issuer_code=issuer_code, type_code=type_code
        )
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
        return OutgoingDocument.objects.create(
            year=year,
            issuer_code=issuer_code,
            type_code=type_code,
            number=number,
            issued_on=issued_on,
            summary=summary[:500],
            source=OutgoingDocument.Source.PORTAL,
            recorded_by=actor,
        )


def register_record_number(*, issuer_code, type_code, number, issued_on, summary, actor):
    """Record a number the clerk gave; refused if the register already holds it."""
    if number < 1:
        raise ReportError("Số văn bản phải là số nguyên dương.")
    try:
        with transaction.atomic():
            return OutgoingDocument.objects.create(
                year=issued_on.year,
                issuer_code=issuer_code,
                type_code=type_code,
                number=number,
                issued_on=issued_on,
                summary=summary[:500],
                source=OutgoingDocument.Source.CLERK,
                recorded_by=actor,
            )
    except IntegrityError:
        raise ReportError(
            f"Số {number:02d}/{type_code}-{issuer_code} năm {issued_on.year} đã có trong sổ đăng ký văn bản đi."
        ) from None
