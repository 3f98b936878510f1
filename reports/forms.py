"""Reading a report's editable parts from a POST, and the small review forms.

The report editor is one HTML form holding every part (criterion results and sections); each
part carries its revision and the digest of what the editor loaded, so saving compares per part.
Nothing here writes: the services persist.
"""

import re

from django import forms

from .models import Addressee, CriterionResult, ReportSection
from .parts import NEGATIVE, normalise_text, parse_quantity

ITEM_FIELD = re.compile(r"-item-(\d+)-text$")
SUBMIT = "submit"
# "Giữ nguyên và nộp báo cáo", under the texts left from the last period (reports.services.prefill_check).
SUBMIT_KEEPING_PREFILLED = "submit_keeping_prefilled"


class ReportPartsForm:
    """The parts of one report as posted; `edits` for the services, `errors` per part and field."""

    def __init__(self, parts, data, *, levels, only=None):
        self.parts = parts
        self.data = data
        self.levels = {level.pk: level for level in levels}
        self.only = only
        self.edits = {}
        self.errors = {}
        self.posted = {}

    @property
    def submitting(self):
        """The head pressed "Nộp báo cáo" (or "Giữ nguyên và nộp báo cáo") rather than "Lưu nháp"."""
        return self.data.get("action") in (SUBMIT, SUBMIT_KEEPING_PREFILLED)

    @property
    def keeps_prefilled(self):
        """The head saw the texts left from the last period listed and submits them as they are."""
        return self.data.get("action") == SUBMIT_KEEPING_PREFILLED

    @property
    def confirm_over_plan(self):
        """The head confirmed that ratios above 100% (disbursed above the plan, a share above the whole) are right."""
        return self.data.get("confirm_over_plan") == "1"

    def is_valid(self):
        for key, part in self.parts.items():
            if self.only is not None and key != self.only:
                continue
            if f"rev-{key}" not in self.data:
                continue
            values, problems = self._read(key, part)
            self.posted[key] = values
            if problems:
                self.errors[key] = problems
                continue
            self.edits[key] = {
                "values": values,
                "revision": self._int(f"rev-{key}"),
                "original": self.data.get(f"orig-{key}") or None,
            }
        return not self.errors

    def _int(self, name):
        try:
            return int(self.data.get(name, "0"))
        except ValueError:
            return -1

    def _read(self, key, part):
        if isinstance(part, ReportSection):
            if part.key == ReportSection.Key.RECOMMENDATIONS:
                return self._read_proposals(key)
            return {"text": normalise_text(self.data.get(f"{key}-text"))}, {}
        return self._read_result(key, part)

    def _read_proposals(self, key):
        """The proposals' rows ({key}-item-<n>-text, -to) in the order shown; empty rows dropped."""
        rows = sorted(
            int(match.group(1))
            for name in self.data
            if name.startswith(f"{key}-item-") and (match := ITEM_FIELD.search(name))
        )
        items, problems = [], {}
        for index in rows:
            text = normalise_text(self.data.get(f"{key}-item-{index}-text")).strip()
            to = self.data.get(f"{key}-item-{index}-to", "")
            if to not in Addressee.values:
                problems["items"] = "Nơi nhận đề xuất, kiến nghị không hợp lệ."
                to = ""
            if text:
                items.append({"text": text, "to": to})
        return {"items": items}, problems

    def _read_result(self, key, result: CriterionResult):
        problems = {}
        quantities = {}
        raw_quantities = {}
        for indicator in result.criterion.indicators.all():
            for quantity in indicator.quantities:
                name = quantity["key"]
                raw = self.data.get(f"{key}-q-{name}", "")
                raw_quantities[name] = raw
                try:
                    parsed = parse_quantity(raw)
                except ValueError as error:
                    problems[f"q-{name}"] = str(error)
                    continue
                if parsed is not None and parsed.startswith("-"):
                    # Refused while typing (autosave) and on save, not only at submission.
                    problems[f"q-{name}"] = NEGATIVE
                    continue
                if parsed is not None:
                    quantities[name] = parsed
        assessment = self.data.get(f"{key}-assessment") or None
        if assessment is not None:
            try:
                assessment = int(assessment)
            except ValueError:
                assessment = -1
            if assessment not in self.levels:
                problems["assessment"] = "Mức tự đánh giá không hợp lệ."
                assessment = None
        values = {
            "activities": normalise_text(self.data.get(f"{key}-activities")),
            "quantities": quantities,
            "assessment": assessment,
            "not_applicable_reason": normalise_text(self.data.get(f"{key}-not_applicable_reason")),
        }
        if problems:
            # Keep what was typed, not the parsed numbers, so the person sees their own input again.
            values = {**values, "quantities": raw_quantities}
        return values, problems


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="Lý do trả lại",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Vui lòng nêu lý do trả lại để đơn vị biết cần bổ sung gì."},
    )


class AcceptForm(forms.Form):
    comment = forms.CharField(label="Ý kiến (không bắt buộc)", required=False, widget=forms.Textarea(attrs={"rows": 2}))


class CommentForm(forms.Form):
    text = forms.CharField(
        label="Nhận xét",
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": "Vui lòng nhập nội dung nhận xét."},
    )
    result = forms.IntegerField(required=False, widget=forms.HiddenInput)


class EvidenceForm(forms.Form):
    file = forms.FileField(
        label="Tệp minh chứng",
        error_messages={"required": "Vui lòng chọn tệp.", "empty": "Tệp rỗng."},
    )
