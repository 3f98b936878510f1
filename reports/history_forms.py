"""The forms of the history import: the period and the file to preview, then the token of the kept file."""

from django import forms

from campaign.models import ReportingPeriod
from portal.forms import CrispyForm, SpreadsheetFileField


class HistoryUploadForm(CrispyForm):
    period = forms.ModelChoiceField(
        label="Kỳ báo cáo",
        queryset=ReportingPeriod.objects.none(),
        to_field_name="code",
        empty_label="— Chọn kỳ báo cáo —",
        error_messages={
            "required": "Vui lòng chọn kỳ báo cáo.",
            "invalid_choice": "Chỉ nhập được các kỳ trước ngày bắt đầu thu báo cáo trên Cổng.",
        },
    )
    file = SpreadsheetFileField(label="Tệp Excel (.xlsx) theo mẫu của kỳ")

    def __init__(self, *args, periods, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["period"].queryset = ReportingPeriod.objects.filter(pk__in=[period.pk for period in periods])
        self.fields["period"].label_from_instance = lambda period: period.label


class HistoryApplyForm(forms.Form):
    period = forms.CharField(widget=forms.HiddenInput, max_length=20)
    token = forms.RegexField(regex=r"^[0-9a-f]{64}$", widget=forms.HiddenInput)
