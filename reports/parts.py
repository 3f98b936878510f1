"""The editable parts of a report — one per criterion result and one per overall section.

A part is what two people may edit at once: conflicts are detected per part, by its revision.
Part keys: "criterion-<criterion id>" and "section-<section key>".
"""

import hashlib
import json
import re
from decimal import Decimal, InvalidOperation

from portal.text import clean_text

from .models import Addressee

CRITERION_FIELDS = ("activities", "quantities", "assessment", "not_applicable_reason")
SECTION_FIELDS = ("text",)
PROPOSALS = "recommendations"  # ReportSection.Key.RECOMMENDATIONS: a list of items, not a text


def criterion_part_key(result):
    return f"criterion-{result.criterion_id}"


def section_part_key(section):
    return f"section-{section.key}"


def result_values(result):
    return {
        "activities": result.activities,
        "quantities": dict(result.quantities or {}),
        "assessment": result.assessment_id,
        "not_applicable_reason": result.not_applicable_reason,
    }


def section_values(section):
    if section.key == PROPOSALS:
        return {"items": [{"text": item.get("text", ""), "to": item.get("to", "")} for item in section.items or []]}
    return {"text": section.text}


def section_text(section):
    """What a section says, as text; the proposals as lines with whom each asks ("- … (gửi: …)"), for history,
    diffs and the unit's own document."""
    if section.key == PROPOSALS and section.items:
        labels = dict(Addressee.choices)
        return "\n".join(
            f"- {item['text']} (gửi: {labels.get(item.get('to') or '', labels[''])})" for item in section.items
        )
    return section.text


def normalise_text(value):
    # Browsers send CRLF; store LF so an unchanged textarea compares equal. The service cleans too, for
    # callers that do not come through a request (portal.text.CleanTextMiddleware cleans those).
    return clean_text(value or "")


def digest(values):
    canonical = json.dumps(values, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def stored_decimal(raw):
    """A stored quantity (or any stored number) as a finite Decimal, or None when it is not a number."""
    try:
        value = Decimal(str(raw))
    except (InvalidOperation, TypeError, ValueError):
        return None
    return value if value.is_finite() else None


def parse_quantity(raw):
    """A quantity typed by a person (VND, dots or spaces as thousands separators) → Decimal string, or None.

    Raises ValueError with a Vietnamese message when it is not a number.
    """
    text = (raw or "").strip().replace(" ", "").replace("\u00a0", "")
    if not text:
        return None
    # Vietnamese writes 1.250.000,5: dots group thousands, a comma marks decimals.
    if "," in text:
        text = text.replace(".", "").replace(",", ".")
    elif text.count(".") > 1 or (text.count(".") == 1 and len(text.split(".")[1]) == 3):
        text = text.replace(".", "")
    try:
        value = Decimal(text)
    except InvalidOperation:
        raise ValueError("Vui lòng nhập một số (ví dụ 1.250.000.000).") from None
    if not value.is_finite():
        raise ValueError("Vui lòng nhập một số (ví dụ 1.250.000.000).")
    return format(value.normalize(), "f")


NEGATIVE = "Số liệu không được âm."
_PLAIN_NUMBER = re.compile(r"^-?\d+(?:\.\d+)?$")


def display_quantity(raw):
    """A stored quantity as Vietnamese writes it ("1050000000" → "1.050.000.000", "1250.5" → "1.250,5"), which
    `parse_quantity` reads back to the same value; anything else (what a person typed and the form refused) as is."""
    text = "" if raw is None else str(raw)
    if not _PLAIN_NUMBER.match(text):
        return text
    sign = "-" if text.startswith("-") else ""
    whole, _, fraction = text.lstrip("-").partition(".")
    fraction = fraction.rstrip("0")
    grouped = f"{int(whole):,}".replace(",", ".")
    return sign + grouped + (f",{fraction}" if fraction else "")


def display_rate(value):
    """An indicator's value with two decimals and a decimal comma ("47,16"); never "-0,00"."""
    rounded = Decimal(value).quantize(Decimal("0.01"))
    if rounded == 0:
        rounded = abs(rounded)
    sign = "-" if rounded < 0 else ""
    whole, _, fraction = format(abs(rounded), "f").partition(".")
    return f"{sign}{int(whole):,}".replace(",", ".") + f",{fraction}"


def whole_of(indicator):
    """The value at which a ratio indicator reaches 100% (its numerator equal to its denominator)."""
    return Decimal(100) if indicator.result_unit == "%" else Decimal(1)


def above_whole(indicator, value):
    """A ratio indicator above 100%: every such value asks the head to confirm it at submission, and is flagged
    wherever the office reads it (the review page, the trend)."""
    return indicator.formula == indicator.Formula.RATIO and value is not None and Decimal(value) > whole_of(indicator)


def above_whole_message(indicator):
    """The one refusal of a ratio above 100% without the head's confirmation, named by the indicator's quantities."""
    labels = {quantity["key"]: quantity["label"] for quantity in indicator.quantities}
    top = labels.get(indicator.numerator_key, indicator.numerator_key)
    bottom = labels.get(indicator.denominator_key, indicator.denominator_key)
    return (
        f"{top} lớn hơn {bottom[:1].lower()}{bottom[1:]} ({indicator.name[:1].lower()}{indicator.name[1:]} trên 100%). "
        "Nếu đúng, hãy đánh dấu ô xác nhận rồi nộp lại."
    )
