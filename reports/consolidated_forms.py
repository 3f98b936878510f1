"""Forms of the consolidated report's pages: they read and check what the office and leadership post.

Nothing here writes; reports.services.consolidation persists. Dates are typed as dd/mm/yyyy.
"""

import hashlib

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from portal.uploads import validate_upload

DATE_FORMAT = "%d/%m/%Y"
DATE_ERRORS = {
    "required": "Vui lòng nhập ngày (dd/mm/yyyy).",
    "invalid": "Ngày không hợp lệ; vui lòng nhập theo dạng dd/mm/yyyy, ví dụ 05/12/2026.",
}


def text_digest(text):
    """What the editor loaded for a section, so that saving leaves the sections the person did not touch."""
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()


class VietnameseDateField(forms.DateField):
    widget = forms.DateInput(format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [DATE_FORMAT])
        kwargs.setdefault("error_messages", DATE_ERRORS)
        super().__init__(**kwargs)


def _not_in_future(day, what):
    if day > timezone.localdate():
        raise ValidationError(f"{what} không được sau ngày hôm nay.")
    return day


class BootstrapForm(forms.Form):
    """Bootstrap's classes on every visible widget; the templates lay the fields out by hand."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            if not field.widget.is_hidden:
                field.widget.attrs.setdefault("class", "form-control")


class SectionsForm(forms.Form):
    """One textarea per section of the report; only the sections changed since the page loaded are saved.

    Each textarea carries the digest of the text it was loaded with: a section the person did not
    touch is left out of `texts`, so two people editing different sections do not undo each other.
    """

    def __init__(self, items, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            key = item["key"]
            self.fields[f"section-{key}"] = forms.CharField(
                label=item["heading"],
                required=False,
                strip=False,
                initial=item["text"],
                widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"}),
            )
            self.fields[f"orig-{key}"] = forms.CharField(
                required=False, initial=text_digest(item["text"]), widget=forms.HiddenInput
            )

    def sections(self):
        """(heading lines, text field, digest field) per section, for the template."""
        return [
            (item["heading"].split("\n"), self[f"section-{item['key']}"], self[f"orig-{item['key']}"])
            for item in self.items
        ]

    @property
    def texts(self):
        changed = {}
        for item in self.items:
            key = item["key"]
            text = self.cleaned_data.get(f"section-{key}")
            if text is None or f"section-{key}" not in self.data:
                continue
            loaded = self.cleaned_data.get(f"orig-{key}") or ""
            if text_digest(text) != loaded:
                changed[key] = text
        return changed


class ReturnForm(BootstrapForm):
    comment = forms.CharField(
        label="Ý kiến chỉ đạo (bắt buộc khi trả lại)",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Vui lòng ghi ý kiến khi trả lại báo cáo tổng hợp."},
    )


class RegisterIssueForm(BootstrapForm):
    """Take the next number of the portal's own register of outgoing documents."""

    issued_on = VietnameseDateField(label="Ngày ban hành")

    def clean_issued_on(self):
        return _not_in_future(self.cleaned_data["issued_on"], "Ngày ban hành")


class ClerkIssueForm(BootstrapForm):
    """Record the number the clerk (văn thư) gave, with the signed PDF, which becomes the authoritative copy."""

    number = forms.IntegerField(
        label="Số văn bản",
        min_value=1,
        error_messages={
            "required": "Vui lòng nhập số văn thư đã cấp.",
            "invalid": "Số văn bản phải là số nguyên dương.",
            "min_value": "Số văn bản phải là số nguyên dương.",
        },
    )
    issued_on = VietnameseDateField(label="Ngày ban hành")
    signed_pdf = forms.FileField(
        label="Bản đã ký (PDF)",
        error_messages={"required": "Vui lòng chọn tệp PDF bản đã ký.", "empty": "Tệp rỗng."},
    )

    def clean_issued_on(self):
        return _not_in_future(self.cleaned_data["issued_on"], "Ngày ban hành")

    def clean_signed_pdf(self):
        upload = self.cleaned_data["signed_pdf"]
        checked = validate_upload(upload)
        if checked.extension != "pdf":
            raise ValidationError("Bản đã ký phải là tệp PDF.")
        return upload


class MarkSentForm(BootstrapForm):
    sent_on = VietnameseDateField(label="Ngày gửi")
    channel = forms.CharField(
        label="Hình thức gửi",
        max_length=200,
        error_messages={"required": "Vui lòng ghi hình thức gửi (ví dụ: hệ thống quản lý văn bản)."},
    )

    def __init__(self, *args, issued_on=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.issued_on = issued_on

    def clean_sent_on(self):
        sent_on = _not_in_future(self.cleaned_data["sent_on"], "Ngày gửi")
        if self.issued_on is not None and sent_on < self.issued_on:
            raise ValidationError(f"Ngày gửi không được trước ngày ban hành ({self.issued_on:%d/%m/%Y}).")
        return sent_on


def error_messages(form):
    """Every error of a form as one list of sentences, for messages.error."""
    return [error for errors in form.errors.values() for error in errors]
