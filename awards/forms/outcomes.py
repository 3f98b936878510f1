"""Forms of leadership's approval and of the outcome documents: they read and check what was typed.

Nothing here writes; awards.services.outcomes persists. Dates are typed as dd/mm/yyyy.
"""

from crispy_forms.helper import FormHelper
from django import forms
from django.core.exceptions import ValidationError

from portal.uploads import validate_upload
from reports import consolidated_forms
from reports.consolidated_forms import VietnameseDateField, _not_in_future
from units.selectors import leaders

from ..models import AwardRound
from ..services.outcomes import RESULT_CONFERRED, RESULT_REFUSED


class CrispyForm(forms.Form):
    """A form crispy lays out; the template writes the <form> tag and the buttons."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.helper = FormHelper()
        self.helper.form_tag = False


REASON_ERRORS = {"required": "Vui lòng ghi lý do không đồng ý."}


class BulkDecisionForm(forms.Form):
    """The approvals page: the ticked nominations, and approve or reject (a reason required to reject)."""

    APPROVE, REJECT = "approve", "reject"

    nominations = forms.TypedMultipleChoiceField(
        coerce=int,
        error_messages={
            "required": "Vui lòng chọn ít nhất một đề nghị khen thưởng.",
            "invalid_choice": "Có đề nghị không còn chờ lãnh đạo quyết định; vui lòng tải lại trang.",
        },
    )
    action = forms.ChoiceField(
        choices=((APPROVE, "Đồng ý"), (REJECT, "Không đồng ý")),
        error_messages={"required": "Vui lòng chọn đồng ý hoặc không đồng ý."},
    )
    reason = forms.CharField(
        label="Lý do không đồng ý (bắt buộc khi không đồng ý)",
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
    )

    def __init__(self, *args, choices=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["nominations"].choices = [(pk, pk) for pk in choices]

    def clean(self):
        data = super().clean()
        if data.get("action") == self.REJECT and not (data.get("reason") or "").strip():
            self.add_error("reason", REASON_ERRORS["required"])
        return data

    @property
    def selected(self):
        """The ticked ids as typed, to tick them again when the page is shown with an error."""
        if not self.is_bound:
            return set()
        return set(self.data.getlist("nominations"))


class RejectForm(CrispyForm):
    reason = forms.CharField(
        label="Lý do không đồng ý",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages=REASON_ERRORS,
    )


class RoundChoiceForm(CrispyForm):
    """Choose the round a decision or proposal is drafted for."""

    award_round = forms.ModelChoiceField(
        label="Đợt xét khen thưởng",
        queryset=AwardRound.objects.none(),
        error_messages={
            "required": "Vui lòng chọn đợt xét khen thưởng.",
            "invalid_choice": "Đợt xét được chọn không hợp lệ.",
        },
    )

    def __init__(self, *args, rounds, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["award_round"].queryset = rounds


class _SignerField(forms.ModelChoiceField):
    def label_from_instance(self, user):
        title = user.position_title or ("Phó Giám đốc" if user.position == user.Position.DEPUTY else "Giám đốc")
        return f"{user.get_full_name()} — {title}"


class IssueForm(CrispyForm):
    """Number and date: the next number of the portal's register, or the clerk's number with the signed PDF."""

    REGISTER, CLERK = "register", "clerk"

    signer = _SignerField(
        label="Người ký",
        queryset=None,
        error_messages={"required": "Vui lòng chọn người ký.", "invalid_choice": "Người ký không hợp lệ."},
    )
    issued_on = VietnameseDateField(label="Ngày ban hành")
    numbering = forms.ChoiceField(
        label="Cách vào số",
        choices=(
            (REGISTER, "Lấy số tiếp theo trong sổ đăng ký văn bản đi của Cổng"),
            (CLERK, "Ghi số văn thư đã cấp (kèm bản đã ký)"),
        ),
        initial=REGISTER,
        widget=forms.RadioSelect,
        error_messages={"required": "Vui lòng chọn cách vào số."},
    )
    number = forms.IntegerField(
        label="Số văn thư đã cấp",
        min_value=1,
        required=False,
        error_messages={
            "invalid": "Số văn bản phải là số nguyên dương.",
            "min_value": "Số văn bản phải là số nguyên dương.",
        },
    )
    signed_pdf = forms.FileField(
        label="Bản đã ký (PDF) — là bản chính thức",
        required=False,
        error_messages={"empty": "Tệp rỗng."},
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["signer"].queryset = leaders().order_by("full_name")

    def clean_issued_on(self):
        return _not_in_future(self.cleaned_data["issued_on"], "Ngày ban hành")

    def clean_signed_pdf(self):
        upload = self.cleaned_data.get("signed_pdf")
        if upload:
            checked = validate_upload(upload)
            if checked.extension != "pdf":
                raise ValidationError("Bản đã ký phải là tệp PDF.")
        return upload

    def clean(self):
        data = super().clean()
        if data.get("numbering") == self.CLERK:
            if not data.get("number") and "number" not in self.errors:
                self.add_error("number", "Vui lòng nhập số văn thư đã cấp.")
            if not data.get("signed_pdf") and "signed_pdf" not in self.errors:
                self.add_error("signed_pdf", "Vui lòng chọn tệp PDF bản đã ký.")
        return data

    @property
    def service_arguments(self):
        data = self.cleaned_data
        clerk = data["numbering"] == self.CLERK
        return {
            "signer": data["signer"],
            "issued_on": data["issued_on"],
            "number": data["number"] if clerk else None,
            "signed_pdf": data["signed_pdf"] if clerk else None,
        }


class MarkSentForm(CrispyForm, consolidated_forms.MarkSentForm):
    """The date and channel a document was sent by: the same rules as the consolidated report's."""


class HigherResultForm(CrispyForm):
    """The higher authority's decision number and date, and conferred or refused for each nomination."""

    decision_number = forms.CharField(
        label="Số quyết định của cấp trên",
        max_length=60,
        help_text="Ví dụ: 1234/QĐ-UBND.",
        error_messages={"required": "Vui lòng ghi số quyết định của cấp trên."},
    )
    decision_date = VietnameseDateField(label="Ngày quyết định")

    def __init__(self, *args, nominations, **kwargs):
        super().__init__(*args, **kwargs)
        self.nominations = nominations
        for nomination in nominations:
            self.fields[f"result-{nomination.pk}"] = forms.ChoiceField(
                label=f"{nomination.nominee_name} — {nomination.form}",
                choices=((RESULT_CONFERRED, "Được khen thưởng"), (RESULT_REFUSED, "Không được khen thưởng")),
                widget=forms.RadioSelect,
                error_messages={"required": f"Vui lòng chọn kết quả cho {nomination.nominee_name}."},
            )

    def clean_decision_date(self):
        return _not_in_future(self.cleaned_data["decision_date"], "Ngày quyết định")

    @property
    def results(self):
        return {nomination.pk: self.cleaned_data[f"result-{nomination.pk}"] for nomination in self.nominations}


def error_messages(form):
    """Every error of a form as one list of sentences, for messages.error."""
    return [error for errors in form.errors.values() for error in errors]
