"""Reading the year's plan and a unit's registration from a POST. Nothing here writes: the services persist.

The registration editor posts `collective` (the unit's title codes), `person-<id>` (the title a person of the unit
registers for, empty for none), `target-<indicator id>` (typed as Vietnamese write numbers: 1.250.000.000, 95,5),
`text-<criterion id>`, `late_reason` and `action` ("save" or "submit").
"""

import re
from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.forms import BootstrapForm, VietnameseDateField
from portal.text import clean_text
from reports.parts import parse_quantity

from ..services.registration import RegistrationContent

NUMBERED = re.compile(r"^(person|target|text)-(\d+)$")


class YearCreateForm(BootstrapForm):
    year = forms.IntegerField(
        label="Năm thi đua",
        min_value=2020,
        max_value=2100,
        error_messages={
            "required": "Vui lòng nhập năm, ví dụ 2027.",
            "invalid": "Năm phải là số, ví dụ 2027.",
            "min_value": "Năm phải từ 2020 trở đi.",
            "max_value": "Năm không được sau 2100.",
        },
    )


class YearPlanForm(BootstrapForm):
    """The Department's plan for the year and the registration window."""

    plan_number = forms.CharField(
        label="Số kế hoạch",
        max_length=50,
        error_messages={"required": "Vui lòng nhập số kế hoạch, ví dụ 15/KH-SKHCN."},
    )
    plan_date = VietnameseDateField(label="Ngày ban hành")
    plan_title = forms.CharField(label="Trích yếu", max_length=300, required=False)
    plan_file = forms.FileField(label="Tệp kế hoạch (PDF)", required=False)
    registration_opens_on = VietnameseDateField(label="Mở đăng ký từ ngày")
    registration_due_on = VietnameseDateField(label="Hạn đăng ký")

    def clean_plan_date(self):
        day = self.cleaned_data["plan_date"]
        if day > timezone.localdate():
            raise ValidationError("Ngày ban hành kế hoạch không được sau ngày hôm nay.")
        return day

    def clean(self):
        cleaned = super().clean()
        opens, due = cleaned.get("registration_opens_on"), cleaned.get("registration_due_on")
        if opens and due and due < opens:
            self.add_error("registration_due_on", "Hạn đăng ký không được trước ngày mở đăng ký.")
        return cleaned


class ReviewForm(forms.Form):
    reason = forms.CharField(required=False, widget=forms.Textarea)
    comment = forms.CharField(required=False, widget=forms.Textarea)


class RegistrationForm:
    """A registration as posted: `content` for the services, `errors` per field, `posted` to show again."""

    def __init__(self, data):
        self.data = data
        self.content = RegistrationContent()
        self.errors = {}
        self.posted = {
            "collective": [code for code in data.getlist("collective") if code],
            "people": {},
            "targets": {},
            "texts": {},
            "late_reason": clean_text(data.get("late_reason", "")),
        }

    @property
    def submitting(self):
        return self.data.get("action") == "submit"

    @property
    def late_reason(self):
        return self.posted["late_reason"]

    def is_valid(self):
        self.content.collective = list(self.posted["collective"])
        for name in self.data:
            match = NUMBERED.match(name)
            if match is None:
                continue
            kind, pk = match.group(1), int(match.group(2))
            raw = clean_text(self.data.get(name, "")).strip()
            if kind == "person":
                self.posted["people"][pk] = raw
                if raw:
                    self.content.individuals.append((pk, raw))
            elif kind == "target":
                self.posted["targets"][pk] = raw
                try:
                    parsed = parse_quantity(raw)
                except ValueError as error:
                    self.errors[name] = str(error)
                    continue
                self.content.targets[pk] = None if parsed is None else Decimal(parsed)
            else:
                self.posted["texts"][pk] = raw
                if raw:
                    self.content.texts[pk] = raw
        return not self.errors
