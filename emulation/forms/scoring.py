"""Forms of the scoring pages: a new scheme, its rows (items and adjustments, as formsets), its tie-break rules,
publication, the council's review, a unit's explanation. Forms validate; emulation.services.scoring persists."""

from decimal import Decimal

from django import forms
from django.core.exceptions import ValidationError

from campaign.models import AssessmentLevel, Criterion, Indicator
from portal.forms import BootstrapForm, VietnameseDateField

from ..models import SchemeAdjustment, SchemeItem, ScoringScheme

RULE_SLOTS = 4


class SchemeCreateForm(BootstrapForm):
    kind = forms.ChoiceField(label="Loại chấm điểm", choices=ScoringScheme.Kind.choices)
    name = forms.CharField(label="Tên bảng điểm", max_length=300)
    copy_previous = forms.BooleanField(
        label="Sao chép các mục và điểm thưởng, điểm trừ từ bảng điểm cùng loại của năm trước", required=False
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["copy_previous"].widget.attrs["class"] = "form-check-input"


class SchemeSettingsForm(BootstrapForm):
    name = forms.CharField(label="Tên bảng điểm", max_length=300)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for slot in range(1, RULE_SLOTS + 1):
            self.fields[f"rule_{slot}"] = forms.ChoiceField(
                label=f"Quy tắc {slot} khi bằng điểm",
                choices=[("", "—"), *ScoringScheme.TieBreak.choices],
                required=False,
            )
            self.fields[f"rule_{slot}"].widget.attrs["class"] = "form-select"

    @staticmethod
    def initial_for(scheme):
        initial = {"name": scheme.name}
        for slot, code in enumerate(scheme.tie_break[:RULE_SLOTS], start=1):
            initial[f"rule_{slot}"] = code
        return initial

    def clean(self):
        cleaned = super().clean()
        rules = [cleaned.get(f"rule_{slot}") for slot in range(1, RULE_SLOTS + 1)]
        chosen = [rule for rule in rules if rule]
        if len(chosen) != len(set(chosen)):
            raise ValidationError("Mỗi quy tắc xếp hạng chỉ chọn một lần.")
        cleaned["tie_break"] = chosen
        return cleaned


def _levels():
    return list(AssessmentLevel.objects.filter(is_active=True, means_not_applicable=False).order_by("sort_order"))


class SchemeItemForm(forms.ModelForm):
    """One item; the points of each self-assessment level are one field each (level_<code>)."""

    class Meta:
        model = SchemeItem
        fields = ["sort_order", "label", "basis", "criterion", "indicator", "max_points", "proportional", "late_points"]
        error_messages = {
            "label": {"required": "Vui lòng nhập nội dung chấm điểm."},
            "max_points": {"required": "Vui lòng nhập điểm tối đa."},
            "basis": {"required": "Vui lòng chọn cách tính điểm."},
        }

    def __init__(self, *args, levels=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.levels = levels
        self.fields["sort_order"].required = False
        self.fields["criterion"].queryset = Criterion.objects.active().select_related("group")
        self.fields["indicator"].queryset = Indicator.objects.filter(is_active=True)
        self.fields["criterion"].label_from_instance = lambda criterion: f"{criterion.code} {criterion.short_label}"
        for level in levels:
            self.fields[f"level_{level.code}"] = forms.DecimalField(
                label=level.label,
                required=False,
                min_value=0,
                max_digits=6,
                decimal_places=2,
                initial=(self.instance.level_points or {}).get(level.code) if self.instance.pk else None,
                error_messages={"min_value": "Điểm không được âm."},
            )
        for name, field in self.fields.items():
            if name == "proportional":
                field.widget.attrs["class"] = "form-check-input"
            elif isinstance(field.widget, forms.Select):
                field.widget.attrs["class"] = "form-select form-select-sm"
            else:
                field.widget.attrs["class"] = "form-control form-control-sm"
        for name in ("max_points", "late_points"):
            self.fields[name].error_messages["min_value"] = "Điểm không được âm."

    def level_fields(self):
        return [self[f"level_{level.code}"] for level in self.levels]

    def clean(self):
        cleaned = super().clean()
        basis = cleaned.get("basis")
        maximum = cleaned.get("max_points")
        if basis == SchemeItem.Basis.SELF_ASSESSMENT and not cleaned.get("criterion"):
            self.add_error("criterion", "Vui lòng chọn tiêu chí của mục tính theo mức tự đánh giá.")
        if basis == SchemeItem.Basis.INDICATOR and not cleaned.get("indicator"):
            self.add_error("indicator", "Vui lòng chọn chỉ số của mục tính theo kết quả chỉ số.")
        late = cleaned.get("late_points") or Decimal(0)
        if maximum is not None and late > maximum:
            self.add_error("late_points", "Điểm khi nộp muộn không được vượt quá điểm tối đa.")
        points = {}
        for level in self.levels:
            value = cleaned.get(f"level_{level.code}")
            if value is None:
                continue
            if maximum is not None and value > maximum:
                self.add_error(f"level_{level.code}", "Điểm theo mức không được vượt quá điểm tối đa.")
            points[level.code] = str(value)
        cleaned["level_points"] = points if basis == SchemeItem.Basis.SELF_ASSESSMENT else {}
        cleaned["late_points"] = late
        return cleaned

    def values(self):
        data = self.cleaned_data
        return {
            "sort_order": data.get("sort_order") or 0,
            "label": data["label"],
            "basis": data["basis"],
            "criterion": data.get("criterion"),
            "indicator": data.get("indicator"),
            "max_points": data["max_points"],
            "proportional": data.get("proportional", False),
            "late_points": data["late_points"],
            "level_points": data["level_points"],
        }


class SchemeAdjustmentForm(forms.ModelForm):
    class Meta:
        model = SchemeAdjustment
        fields = ["sort_order", "kind", "trigger", "label", "points", "max_occurrences"]
        error_messages = {
            "label": {"required": "Vui lòng nhập nội dung."},
            "points": {"required": "Vui lòng nhập điểm mỗi lần."},
        }

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs["class"] = (
                "form-select form-select-sm"
                if isinstance(field.widget, forms.Select)
                else "form-control form-control-sm"
            )
        self.fields["sort_order"].required = False
        self.fields["points"].error_messages["min_value"] = "Điểm mỗi lần không được âm (điểm trừ nhập số dương)."

    def values(self):
        data = self.cleaned_data
        return {
            "sort_order": data.get("sort_order") or 0,
            "kind": data["kind"],
            "trigger": data["trigger"],
            "label": data["label"],
            "points": data["points"],
            "max_occurrences": data.get("max_occurrences"),
        }


ItemFormSet = forms.modelformset_factory(SchemeItem, form=SchemeItemForm, extra=1, can_delete=True)
AdjustmentFormSet = forms.modelformset_factory(SchemeAdjustment, form=SchemeAdjustmentForm, extra=1, can_delete=True)


def scheme_formsets(scheme, data=None):
    levels = _levels()
    items = ItemFormSet(
        data,
        prefix="item",
        queryset=scheme.items.select_related("criterion__group", "indicator"),
        form_kwargs={"levels": levels},
    )
    adjustments = AdjustmentFormSet(data, prefix="adj", queryset=scheme.adjustments.all())
    return items, adjustments, levels


def formset_rows(formset):
    """(instance or None, values, delete?) of every form that was filled in, as emulation.services.scoring takes."""
    rows = []
    for form in formset.forms:
        if not form.has_changed() and not form.instance.pk:
            continue
        instance = form.instance if form.instance.pk else None
        if formset.can_delete and formset._should_delete_form(form):
            rows.append((instance, {}, True))
            continue
        rows.append((instance, form.values(), False))
    return rows


class PublishForm(BootstrapForm):
    explain_until = VietnameseDateField(label="Hạn đơn vị giải trình")


class ReviewForm(BootstrapForm):
    council_session_on = VietnameseDateField(label="Ngày Hội đồng họp xem xét")
    council_minutes = forms.CharField(
        label="Kết luận của Hội đồng (theo biên bản)",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Vui lòng nhập kết luận của Hội đồng."},
    )


class ExplainForm(BootstrapForm):
    explanation = forms.CharField(
        label="Nội dung giải trình",
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": "Vui lòng nhập nội dung giải trình."},
    )
