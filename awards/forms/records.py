"""Forms of the record pages: the office's entries for past years, the import's upload and its "Nhập", the mapping
of a free-text register row to the catalogue. Nothing here writes; awards.services.records persists."""

from django import forms

from emulation.models import Classification
from portal.forms import CrispyForm, SpreadsheetFileField, VietnameseDateField
from units.models import Unit

from ..models import AwardForm, DisciplineKind, Initiative, InitiativeScope

REQUIRED = {"required": "Vui lòng nhập mục này."}


class MembershipForm(CrispyForm):
    unit = forms.ModelChoiceField(
        label="Đơn vị",
        queryset=Unit.objects.filter(parent__isnull=False).order_by("sort_order", "name"),
        error_messages={"required": "Vui lòng chọn đơn vị.", "invalid_choice": "Đơn vị không hợp lệ."},
    )
    start_on = VietnameseDateField(label="Từ ngày")
    end_on = VietnameseDateField(label="Đến ngày", required=False, help_text="Để trống nếu đang công tác.")


class ClassificationForm(CrispyForm):
    year = forms.IntegerField(label="Năm", error_messages={"required": "Vui lòng nhập năm.", "invalid": "Năm là số."})
    classification = forms.ChoiceField(
        label="Xếp loại",
        choices=Classification.choices,
        error_messages={"required": "Vui lòng chọn xếp loại.", "invalid_choice": "Xếp loại không hợp lệ."},
    )
    decided_by = forms.CharField(label="Cấp xếp loại", max_length=200, required=False)


class InitiativeForm(CrispyForm):
    kind = forms.ChoiceField(label="Loại", choices=Initiative.Kind.choices)
    title = forms.CharField(label="Tên sáng kiến, đề tài", max_length=500, error_messages=REQUIRED)
    year = forms.IntegerField(
        label="Năm được công nhận", error_messages={"required": "Vui lòng nhập năm.", "invalid": "Năm là số."}
    )
    recognised_by = forms.CharField(label="Cơ quan công nhận", max_length=255, error_messages=REQUIRED)
    scope = forms.ChoiceField(label="Phạm vi ảnh hưởng", choices=InitiativeScope.choices)
    decision_number = forms.CharField(label="Số quyết định công nhận", max_length=60, required=False)
    decision_date = VietnameseDateField(label="Ngày quyết định", required=False)
    file = forms.FileField(
        label="Tệp quyết định (PDF)",
        required=False,
        widget=forms.ClearableFileInput(attrs={"accept": ".pdf,application/pdf"}),
    )
    remove_file = forms.BooleanField(label="Xóa tệp đã tải lên", required=False)


class DisciplineForm(CrispyForm):
    kind = forms.ChoiceField(label="Hình thức kỷ luật", choices=DisciplineKind.choices)
    start_on = VietnameseDateField(label="Có hiệu lực từ ngày")
    end_on = VietnameseDateField(label="Đến ngày", required=False)
    decision_number = forms.CharField(label="Số quyết định", max_length=60, required=False)
    decision_date = VietnameseDateField(label="Ngày quyết định", required=False)


class RecordsUploadForm(CrispyForm):
    file = SpreadsheetFileField()


class RecordsApplyForm(forms.Form):
    token = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)


class AwardMapForm(forms.Form):
    form = forms.ModelChoiceField(
        label="Hình thức trong danh mục",
        queryset=AwardForm.objects.order_by("sort_order", "name"),
        empty_label="— Chọn hình thức —",
        error_messages={"required": "Vui lòng chọn hình thức.", "invalid_choice": "Hình thức không có trong danh mục."},
    )
