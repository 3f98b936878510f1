"""Form pieces every app's forms share: dates typed dd/mm/yyyy, Bootstrap's classes, errors as sentences."""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

DATE_FORMAT = "%d/%m/%Y"
DATE_ERRORS = {
    "required": "Vui lòng nhập ngày (dd/mm/yyyy).",
    "invalid": "Ngày không hợp lệ; vui lòng nhập theo dạng dd/mm/yyyy, ví dụ 05/12/2026.",
}


class VietnameseDateField(forms.DateField):
    widget = forms.DateInput(format=DATE_FORMAT, attrs={"placeholder": "dd/mm/yyyy", "inputmode": "numeric"})

    def __init__(self, **kwargs):
        kwargs.setdefault("input_formats", [DATE_FORMAT])
        kwargs.setdefault("error_messages", DATE_ERRORS)
        super().__init__(**kwargs)


XLSX_ACCEPT = ".xlsx,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class SpreadsheetFileField(forms.FileField):
    """The workbook an import reads (documents/imports.py): an .xlsx chosen in the browser, errors in Vietnamese."""

    def __init__(
        self, *, label="Tệp Excel (.xlsx) theo mẫu", required_message="Vui lòng chọn tệp Excel để xem trước.", **kwargs
    ):
        kwargs.setdefault(
            "error_messages",
            {"required": required_message, "empty": "Tệp rỗng.", "invalid": "Không nhận được tệp; vui lòng chọn lại."},
        )
        kwargs.setdefault("widget", forms.ClearableFileInput(attrs={"accept": XLSX_ACCEPT}))
        super().__init__(label=label, **kwargs)


def not_in_future(day, what):
    """Refuse a date after today (local), naming what it is."""
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


class CrispyForm(forms.Form):
    """A form crispy lays out; the template writes the <form> tag and the buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


def error_messages(form):
    """Every error of a form as one list of sentences, for messages.error."""
    return [error for errors in form.errors.values() for error in errors]
