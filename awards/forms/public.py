"""The public's comment form on a nominee under notice, with a honeypot field against bots."""

from django import forms

HONEYPOT_FIELD = "website"


class PublicCommentForm(forms.Form):
    sender_name = forms.CharField(
        label="Họ và tên",
        max_length=150,
        error_messages={"required": "Vui lòng nhập họ và tên.", "max_length": "Họ và tên tối đa 150 ký tự."},
        widget=forms.TextInput(attrs={"autocomplete": "name"}),
    )
    sender_contact = forms.CharField(
        label="Điện thoại hoặc thư điện tử",
        max_length=150,
        help_text="Để Phòng Hành chính - Tổng hợp liên hệ khi cần làm rõ; không được công khai.",
        error_messages={
            "required": "Vui lòng nhập số điện thoại hoặc địa chỉ thư điện tử.",
            "max_length": "Thông tin liên hệ tối đa 150 ký tự.",
        },
    )
    message = forms.CharField(
        label="Nội dung góp ý",
        max_length=4000,
        min_length=10,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={
            "required": "Vui lòng nhập nội dung góp ý.",
            "max_length": "Nội dung góp ý tối đa 4.000 ký tự.",
            "min_length": "Nội dung góp ý quá ngắn (ít nhất 10 ký tự).",
        },
    )
    # Hidden from people by CSS; a bot that fills every field gives itself away.
    website = forms.CharField(
        label="Để trống ô này",
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "off", "tabindex": "-1"}),
    )

    def clean_sender_contact(self):
        contact = " ".join(self.cleaned_data["sender_contact"].split())
        if not any(char.isdigit() for char in contact) and "@" not in contact:
            raise forms.ValidationError("Vui lòng nhập số điện thoại hoặc địa chỉ thư điện tử hợp lệ.")
        return contact

    def clean_sender_name(self):
        return " ".join(self.cleaned_data["sender_name"].split())

    @property
    def is_bot(self):
        return bool(self.data.get(HONEYPOT_FIELD, "").strip())
