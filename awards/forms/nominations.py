"""Forms of rounds and nominations: they read and check what the office and the units post.

Nothing here writes; awards.services.rounds and awards.services.nominations persist. Dates are
typed as dd/mm/yyyy.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.utils import timezone

from campaign.models import Phase, ReportingPeriod
from portal.forms import VietnameseDateField
from units.models import Person, User

from ..errors import AwardError
from ..models import ACHIEVEMENT_PARTS, AwardForm, AwardRound, Nomination
from ..services.nominations import parse_lines


class AwardRoundForm(forms.Form):
    """A round: its kind, year or phase, deadline, notice window, periods, and per form on offer a quota."""

    kind = forms.ChoiceField(label="Loại đợt", choices=AwardRound.Kind.choices)
    title = forms.CharField(label="Tên đợt", max_length=255)
    year = forms.IntegerField(label="Năm xét", min_value=2000, max_value=2100)
    phase = forms.ModelChoiceField(
        label="Giai đoạn", queryset=Phase.objects.none(), required=False, help_text="Bắt buộc với đợt sơ kết, tổng kết."
    )
    deadline = VietnameseDateField(label="Hạn nộp hồ sơ")
    notice_starts_on = VietnameseDateField(label="Công khai từ ngày", required=False)
    notice_ends_on = VietnameseDateField(label="Công khai đến ngày", required=False)
    periods = forms.ModelMultipleChoiceField(
        label="Các kỳ báo cáo phải được tiếp nhận",
        queryset=ReportingPeriod.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text="Để trống: kỳ báo cáo năm của năm xét (đợt hằng năm) hoặc các kỳ năm và kỳ sơ kết, "
        "tổng kết của giai đoạn (đợt giai đoạn).",
    )

    def __init__(self, *args, campaign, offers=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["phase"].queryset = Phase.objects.filter(campaign=campaign)
        self.fields["periods"].queryset = ReportingPeriod.objects.owed(campaign).order_by("end", "start")
        self.fields["periods"].label_from_instance = lambda period: period.label
        self.fields["year"].initial = timezone.localdate().year
        offers = offers or {}
        self.award_forms = list(AwardForm.objects.filter(is_active=True))
        for form in self.award_forms:
            self.fields[f"offer_{form.pk}"] = forms.BooleanField(
                label=str(form), required=False, initial=form.pk in offers
            )
            self.fields[f"quota_{form.pk}"] = forms.IntegerField(
                label=f"Chỉ tiêu {form}", required=False, min_value=1, initial=offers.get(form.pk)
            )

    def offer_rows(self):
        """(form, offered checkbox, quota field) per active award form, for the template's table."""
        return [(form, self[f"offer_{form.pk}"], self[f"quota_{form.pk}"]) for form in self.award_forms]

    def main_fields(self):
        return [
            self[name] for name in ("kind", "title", "year", "phase", "deadline", "notice_starts_on", "notice_ends_on")
        ]

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("kind") == AwardRound.Kind.PHASE_REVIEW and not cleaned.get("phase"):
            self.add_error("phase", "Đợt xét sơ kết, tổng kết phải chọn giai đoạn.")
        starts, ends = cleaned.get("notice_starts_on"), cleaned.get("notice_ends_on")
        if bool(starts) != bool(ends):
            self.add_error("notice_ends_on", "Vui lòng nhập cả ngày bắt đầu và ngày kết thúc công khai.")
        elif starts and ends and ends < starts:
            self.add_error("notice_ends_on", "Ngày kết thúc công khai phải sau ngày bắt đầu.")
        offers = {}
        for form in self.award_forms:
            if cleaned.get(f"offer_{form.pk}"):
                offers[form] = cleaned.get(f"quota_{form.pk}")
        if not offers:
            raise ValidationError("Vui lòng chọn ít nhất một hình thức khen thưởng được xét trong đợt.")
        cleaned["offers"] = offers
        return cleaned


class NominationCreateForm(forms.Form):
    """One nomination: a form on offer, then the unit itself or one person (chosen, or new)."""

    form = forms.ModelChoiceField(label="Hình thức khen thưởng", queryset=AwardForm.objects.none(), empty_label=None)
    nominee_kind = forms.ChoiceField(
        label="Đối tượng", choices=Nomination.NomineeKind.choices, widget=forms.RadioSelect, initial="individual"
    )
    person = forms.ModelChoiceField(
        label="Cá nhân của đơn vị",
        queryset=Person.objects.none(),
        required=False,
        empty_label="— Thêm người mới (nhập bên dưới) —",
    )
    new_person_name = forms.CharField(label="Họ và tên (người mới)", max_length=150, required=False)
    new_person_position = forms.CharField(label="Chức vụ (người mới)", max_length=150, required=False)
    new_person_user = forms.ModelChoiceField(
        label="Tài khoản trên Cổng của người mới (nếu có)",
        queryset=User.objects.none(),
        required=False,
        empty_label="— Không có tài khoản —",
    )

    def __init__(self, *args, award_round, unit, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = AwardForm.objects.filter(pk__in=award_round.round_forms.values("form_id"))
        self.fields["person"].queryset = Person.objects.filter(unit=unit, is_active=True).order_by("full_name")
        self.fields["new_person_user"].queryset = User.objects.filter(
            unit=unit, is_active=True, person__isnull=True
        ).order_by("full_name")

    def clean(self):
        cleaned = super().clean()
        form = cleaned.get("form")
        kind = cleaned.get("nominee_kind")
        if form is not None and kind and form.recipient_kind not in (AwardForm.RecipientKind.BOTH, kind):
            label = "cá nhân" if form.recipient_kind == AwardForm.RecipientKind.INDIVIDUAL else "tập thể"
            self.add_error("nominee_kind", f"Hình thức “{form}” chỉ xét cho {label}.")
        new_name = (cleaned.get("new_person_name") or "").strip()
        if kind == Nomination.NomineeKind.INDIVIDUAL and not cleaned.get("person") and not new_name:
            self.add_error("person", "Vui lòng chọn một cá nhân của đơn vị hoặc nhập họ và tên người mới.")
        return cleaned


class NominationBatchForm(forms.Form):
    """A list: many people for one form, one line each ("Họ và tên | Chức vụ")."""

    form = forms.ModelChoiceField(label="Hình thức khen thưởng", queryset=AwardForm.objects.none(), empty_label=None)
    lines = forms.CharField(
        label="Danh sách (mỗi dòng một người: Họ và tên | Chức vụ)",
        widget=forms.Textarea(
            attrs={"rows": 10, "placeholder": "Nguyễn Văn A | Chuyên viên\nTrần Thị B | Phó Trưởng phòng"}
        ),
        error_messages={"required": "Vui lòng nhập danh sách người được đề nghị."},
    )
    achievement = forms.CharField(
        label="Thành tích đạt được (chung cho danh sách)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text="Có thể để trống và nhập riêng cho từng người sau.",
    )

    def __init__(self, *args, award_round, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["form"].queryset = AwardForm.objects.filter(
            pk__in=award_round.round_forms.values("form_id")
        ).exclude(recipient_kind=AwardForm.RecipientKind.COLLECTIVE)

    def clean_lines(self):
        try:
            rows = parse_lines(self.cleaned_data["lines"])
        except AwardError as error:
            raise ValidationError(error.message) from None
        if not rows:
            raise ValidationError("Vui lòng nhập ít nhất một người.")
        self.cleaned_data["rows"] = rows
        return self.cleaned_data["lines"]


class AchievementForm(forms.Form):
    """The achievement summary in the parts of the thematic-campaign report of achievement, and linked reports."""

    revision = forms.IntegerField(widget=forms.HiddenInput)
    evidence_reports = forms.ModelMultipleChoiceField(
        label="Báo cáo đã được tiếp nhận làm minh chứng",
        queryset=None,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args, reports, **kwargs):
        super().__init__(*args, **kwargs)
        for key, label in ACHIEVEMENT_PARTS:
            self.fields[key] = forms.CharField(label=label, required=False, widget=forms.Textarea(attrs={"rows": 5}))
        self.fields["evidence_reports"].queryset = reports
        self.fields["evidence_reports"].label_from_instance = lambda report: f"Báo cáo {report.period.label}"
        self.order_fields([key for key, _ in ACHIEVEMENT_PARTS] + ["evidence_reports", "revision"])

    def achievement(self):
        return {key: self.cleaned_data.get(key, "") for key, _ in ACHIEVEMENT_PARTS}


class DossierUploadForm(forms.Form):
    part = forms.ChoiceField(label="Thành phần hồ sơ")
    file = forms.FileField(label="Tệp", error_messages={"required": "Vui lòng chọn tệp.", "empty": "Tệp rỗng."})

    def __init__(self, *args, award_form, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["part"].choices = [
            (part["code"], part["label"] + (" (bắt buộc)" if part.get("required") else ""))
            for part in award_form.dossier_parts or []
        ]


class ReturnForm(forms.Form):
    reason = forms.CharField(
        label="Lý do trả lại",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Vui lòng nêu lý do trả lại để đơn vị biết cần bổ sung gì."},
    )


class RulesOverrideForm(forms.Form):
    reason = forms.CharField(
        label="Lý do vẫn xét khi chưa đạt điều kiện",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Vui lòng ghi rõ lý do vẫn xét đề nghị khi chưa đạt điều kiện."},
    )


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label="Lý do rút (không bắt buộc)", required=False, widget=forms.Textarea(attrs={"rows": 2})
    )


class NominationFilterForm(forms.Form):
    """The office's filters of the submitted nominations."""

    round = forms.ModelChoiceField(
        label="Đợt xét", queryset=AwardRound.objects.none(), required=False, empty_label="Tất cả"
    )
    form = forms.ModelChoiceField(
        label="Hình thức", queryset=AwardForm.objects.none(), required=False, empty_label="Tất cả"
    )
    unit = forms.ModelChoiceField(label="Đơn vị", queryset=None, required=False, empty_label="Tất cả")
    status = forms.ChoiceField(label="Trạng thái", required=False)

    def __init__(self, *args, rounds, units, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["round"].queryset = rounds
        self.fields["form"].queryset = AwardForm.objects.all()
        self.fields["unit"].queryset = units
        self.fields["status"].choices = [("", "Tất cả")] + [
            choice for choice in Nomination.Status.choices if choice[0] != Nomination.Status.DRAFT
        ]
        for field in self.fields.values():
            field.widget.attrs["class"] = "form-select form-select-sm"
