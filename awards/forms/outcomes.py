"""Forms of leadership's approval and of the outcome documents: they read and check what was typed.

Nothing here writes; awards.services.outcomes persists. Dates are typed as dd/mm/yyyy.
"""

from django import forms

from portal.forms import CrispyForm, VietnameseDateField, not_in_future

from ..models import AwardRound
from ..services.outcomes import RESULT_CONFERRED, RESULT_REFUSED

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
        return not_in_future(self.cleaned_data["decision_date"], "Ngày quyết định")

    @property
    def results(self):
        return {nomination.pk: self.cleaned_data[f"result-{nomination.pk}"] for nomination in self.nominations}
