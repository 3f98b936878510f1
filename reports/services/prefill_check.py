"""Before a report is submitted: the texts that may still be last period's.

A report starts as a copy of the unit's previous one (`UnitReport.prefilled_from`). At submission the head is shown
every text still identical to that report's, and every text naming the previous year ("Trong năm 2025, phòng đã:"
in a 2026 report), to confirm or edit them; the submission goes through once they confirm. Nothing here writes.
"""

import re
from dataclasses import dataclass, field

from workflow.errors import NeedsConfirmation

from ..models import CriterionResult, ReportSection
from ..parts import PROPOSALS, normalise_text
from .editing import part_objects

EXCERPT_LENGTH = 160


@dataclass
class StaleText:
    """One text the head should look at again: which part and field, and why."""

    part_key: str
    field_id: str  # the editor's input for it, to jump to
    title: str
    reasons: list = field(default_factory=list)


class PrefillNeedsConfirmation(NeedsConfirmation):
    """Refused until the head confirms the listed texts are meant as they are (or edits them)."""

    def __init__(self, texts):
        super().__init__(
            "Một số nội dung vẫn giống báo cáo kỳ trước hoặc còn nhắc năm trước. Vui lòng sửa, hoặc xác nhận giữ "
            "nguyên rồi nộp."
        )
        self.texts = texts


def _excerpt(text, position):
    """The line around `position`, shortened to EXCERPT_LENGTH characters."""
    start = text.rfind("\n", 0, position) + 1
    end = text.find("\n", position)
    line = text[start : end if end >= 0 else len(text)].strip()
    return line if len(line) <= EXCERPT_LENGTH else line[: EXCERPT_LENGTH - 1] + "…"


def _proposals_text(items):
    return "\n".join(item.get("text", "") for item in items or [])


def _texts_of(key, part, edits):
    """[(field, label, text now, text of the source field name)] of one part, with the posted edits applied."""
    posted = (edits or {}).get(key, {}).get("values", {})
    if isinstance(part, ReportSection):
        title = part.get_key_display()
        if part.key == PROPOSALS:
            return [("items", "item-0-text", title, _proposals_text(posted.get("items", part.items)))]
        return [("text", "text", title, posted.get("text", part.text))]
    title = f"Tiêu chí {part.criterion_code}"
    return [
        ("activities", "activities", f"{title} — Kết quả thực hiện", posted.get("activities", part.activities)),
        (
            "not_applicable_reason",
            "not_applicable_reason",
            f"{title} — Lý do không áp dụng",
            posted.get("not_applicable_reason", part.not_applicable_reason),
        ),
    ]


def _source_texts(source):
    """{(part identity, field): text} of the report the draft was pre-filled from."""
    if source is None:
        return {}
    texts = {}
    for result in CriterionResult.objects.filter(report=source).only(
        "criterion_id", "activities", "not_applicable_reason"
    ):
        texts[("criterion", result.criterion_id, "activities")] = result.activities
        texts[("criterion", result.criterion_id, "not_applicable_reason")] = result.not_applicable_reason
    for section in ReportSection.objects.filter(report=source):
        if section.key == PROPOSALS:
            texts[("section", section.key, "items")] = _proposals_text(section.items)
        else:
            texts[("section", section.key, "text")] = section.text
    return texts


def _identity(part, field_name):
    if isinstance(part, ReportSection):
        return ("section", part.key, field_name)
    return ("criterion", part.criterion_id, field_name)


def stale_texts(report, edits=None):
    """[StaleText] of the report as it would be submitted (the posted `edits` applied), in the editor's order."""
    source = report.prefilled_from
    source_texts = _source_texts(source)
    period = report.period
    # A phase review names every year of its phase; only a yearly or half-yearly report should not name the last.
    previous_year = None if period.is_phase_review else period.year - 1
    year_pattern = re.compile(rf"(?<!\d){previous_year}(?!\d)") if previous_year else None
    found = []
    for key, part in part_objects(report).items():
        for field_name, input_suffix, title, text in _texts_of(key, part, edits):
            text = normalise_text(text).strip()
            if not text:
                continue
            reasons = []
            before = normalise_text(source_texts.get(_identity(part, field_name), "")).strip()
            if source is not None and text == before:
                reasons.append(f"Giống hệt báo cáo {source.period.label}.")
            match = year_pattern.search(text) if year_pattern else None
            if match:
                reasons.append(f"Nhắc năm {previous_year}: “{_excerpt(text, match.start())}”")
            if reasons:
                found.append(StaleText(part_key=key, field_id=f"{key}-{input_suffix}", title=title, reasons=reasons))
    return found


def check_prefilled(report, edits=None, *, confirmed=False):
    """Refuse (PrefillNeedsConfirmation, listing them) while texts may still be last period's and the head has not
    confirmed them; once confirmed, what they confirmed, for the submission's history ("" when nothing was listed).
    The view calls it before `report_submit`."""
    texts = stale_texts(report, edits)
    if not texts:
        return ""
    if not confirmed:
        raise PrefillNeedsConfirmation(texts)
    return (
        "Xác nhận giữ nguyên nội dung giống báo cáo kỳ trước hoặc nhắc năm trước: "
        + "; ".join(text.title for text in texts)
        + "."
    )
