"""The forms of issuing a document (vào số, ban hành) and of recording its sending, for every kind of document.

Two ways to give a number: the portal's register takes the next one (REGISTER), or the office records the
number the clerk (văn thư) gave, with the signed PDF, which then is the document (CLERK). A document whose
signer is chosen when it is issued (a decision, a proposal) asks for the signer among `signers`.

A date out of the record's order (before the approval, out of the register's date order) is refused by the
service unless the clerk ticks "confirm" and gives a reason; the reason goes to the service as `confirmation`.
"""

from django import forms
from django.core.exceptions import ValidationError

from portal.forms import BootstrapForm, VietnameseDateField, not_in_future
from portal.uploads import validate_upload

REGISTER, CLERK = "register", "clerk"


class SignerField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        title = user.position_title or ("Phó Giám đốc" if user.position == user.Position.DEPUTY else "Giám đốc")
        return f"{user.get_full_name()} — {title}"


class _IssueForm(BootstrapForm):
    issued_on = VietnameseDateField(label="Ngày ban hành")
    confirm_dates = forms.BooleanField(
        label="Xác nhận ngày, số như văn bản đã ký",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
        help_text="Chỉ đánh dấu khi Cổng báo ngày ban hành trước ngày duyệt hoặc số lùi ngày, "
        "mà văn bản giấy đã ký đúng như vậy.",
    )
    confirm_reason = forms.CharField(
        label="Lý do xác nhận",
        required=False,
        max_length=500,
        error_messages={"max_length": "Lý do dài quá 500 ký tự."},
    )

    def __init__(self, *args, signers=None, **kwargs):
        super().__init__(*args, **kwargs)
        if signers is not None:
            self.fields = {
                "signer": SignerField(
                    label="Người ký",
                    queryset=signers,
                    error_messages={"required": "Vui lòng chọn người ký.", "invalid_choice": "Người ký không hợp lệ."},
                    widget=forms.Select(attrs={"class": "form-select"}),
                ),
                **self.fields,
            }

    def clean_issued_on(self):
        return not_in_future(self.cleaned_data["issued_on"], "Ngày ban hành")

    def clean(self):
        data = super().clean()
        data["confirm_reason"] = (data.get("confirm_reason") or "").strip()
        if data.get("confirm_dates") and not data["confirm_reason"]:
            self.add_error("confirm_reason", "Vui lòng ghi lý do khi xác nhận ngày, số như văn bản đã ký.")
        return data

    @property
    def service_arguments(self):
        """The issue service's keyword arguments: signer (when asked), date, and the clerk's number and PDF."""
        data = self.cleaned_data
        arguments = {"issued_on": data["issued_on"]}
        if data.get("confirm_dates"):
            arguments["confirmation"] = data["confirm_reason"]
        if "signer" in data:
            arguments["signer"] = data["signer"]
        if "number" in data:
            arguments.update(number=data["number"], signed_pdf=data["signed_pdf"])
        return arguments


class RegisterIssueForm(_IssueForm):
    """Take the next number of the portal's own register of outgoing documents."""

    numbering = REGISTER


class ClerkIssueForm(_IssueForm):
    """Record the number the clerk (văn thư) gave, with the signed PDF, which becomes the authoritative copy."""

    numbering = CLERK
    number = forms.IntegerField(
        label="Số văn bản",
        min_value=1,
        error_messages={
            "required": "Vui lòng nhập số văn thư đã cấp.",
            "invalid": "Số văn bản phải là số nguyên dương.",
            "min_value": "Số văn bản phải là số nguyên dương.",
        },
    )
    signed_pdf = forms.FileField(
        label="Bản đã ký (PDF)",
        error_messages={"required": "Vui lòng chọn tệp PDF bản đã ký.", "empty": "Tệp rỗng."},
    )

    field_order = ["signer", "number", "issued_on", "signed_pdf", "confirm_dates", "confirm_reason"]

    def clean_signed_pdf(self):
        upload = self.cleaned_data["signed_pdf"]
        checked = validate_upload(upload)
        if checked.extension != "pdf":
            raise ValidationError("Bản đã ký phải là tệp PDF.")
        return upload


ISSUE_FORMS = {REGISTER: RegisterIssueForm, CLERK: ClerkIssueForm}


class MarkSentForm(BootstrapForm):
    """The date and the channel an issued document went out by; never before its issue date."""

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
        sent_on = not_in_future(self.cleaned_data["sent_on"], "Ngày gửi")
        if self.issued_on is not None and sent_on < self.issued_on:
            raise ValidationError(f"Ngày gửi không được trước ngày ban hành ({self.issued_on:%d/%m/%Y}).")
        return sent_on
