"""Forms of the Department's registration page: the office's choices (its own titles, the addressees) and
leadership's reason for returning it. Nothing here writes; emulation.services.department persists and refuses
what the catalogue or the addressees' rules do not allow."""

from django import forms

from portal.forms import BootstrapForm

from ..services.department import own_title_choices


class DepartmentRegistrationForm(BootstrapForm):
    own_titles = forms.MultipleChoiceField(
        label="Danh hiệu thi đua tập thể Sở đăng ký",
        required=False,
        widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
        error_messages={"invalid_choice": "Danh hiệu “%(value)s” không có trong danh mục danh hiệu tập thể hằng năm."},
    )
    recipients = forms.CharField(
        label="Kính gửi (mỗi nơi nhận một dòng)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        help_text="Ví dụ: Sở Nội vụ; Trưởng Khối thi đua … (ghi tên Khối thi đua của Sở).",
        error_messages={
            "required": "Vui lòng ghi nơi nhận công văn (Kính gửi), mỗi nơi một dòng.",
            "max_length": "Nơi nhận dài quá 2.000 ký tự.",
        },
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["own_titles"].choices = [(title.code, title.name) for title in own_title_choices()]


class ReturnForm(BootstrapForm):
    reason = forms.CharField(
        label="Lý do trả lại (bắt buộc)",
        widget=forms.Textarea(attrs={"rows": 3}),
        max_length=2000,
        error_messages={"required": "Vui lòng ghi lý do trả lại.", "max_length": "Lý do dài quá 2.000 ký tự."},
    )
