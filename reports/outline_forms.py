"""The form of the consolidated report's outline page: its sections as a formset, and "Nơi nhận".

It reads and checks what the office posts, then the model's own clean() has the last word;
nothing here writes: reports.services.outline persists.
"""

import re

from django import forms
from django.core.exceptions import ValidationError
from django.forms.formsets import DELETION_FIELD_NAME, ORDERING_FIELD_NAME
from django.utils.text import slugify

from .models import ConsolidatedOutline

# What the compile fills each kind of section with, as the office reads it.
SOURCE_LABELS = {
    "direction": "Công tác chỉ đạo, tổ chức triển khai (tự động)",
    "results": "Kết quả thực hiện theo tiêu chí (tự động)",
    "awards": "Công tác khen thưởng (từ sổ khen thưởng)",
    "highlights": "Ưu điểm, kết quả nổi bật (trích từ báo cáo của các đơn vị)",
    "shortcomings": "Tồn tại, hạn chế (trích từ báo cáo của các đơn vị)",
    "causes": "Nguyên nhân (các câu “Nguyên nhân…” trong phần tồn tại, hạn chế của các đơn vị)",
    "next_steps": "Phương hướng, nhiệm vụ kỳ tới (trích từ báo cáo của các đơn vị)",
    "recommendations": "Đề xuất, kiến nghị (trích từ báo cáo của các đơn vị)",
    "phase_assessment": "Đánh giá cả giai đoạn (trích từ báo cáo của các đơn vị)",
    "lessons": "Bài học kinh nghiệm (trích từ báo cáo của các đơn vị)",
    "text": "Văn phòng tự viết",
}
SOURCE_CHOICES = [(source, SOURCE_LABELS[source]) for source in ConsolidatedOutline.SOURCES]
TEXT_SOURCE = "text"
MAX_SECTIONS = 40
KEY_PATTERN = re.compile(r"^[a-z0-9_]{1,50}$")
KEY_LENGTH = 40
# The numbering the office types in front of a heading ("IV.", "3."), left out of a new section's key.
NUMBERING = re.compile(r"^\s*(?:[IVXLC]+|\d+)\s*[.)]\s*", re.IGNORECASE)


def _lines(value):
    """A textarea's text as lines: browsers post CRLF; blank lines and stray spaces dropped."""
    return [line.strip() for line in value.replace("\r\n", "\n").replace("\r", "\n").split("\n") if line.strip()]


def new_key(heading, taken):
    """A key for a section the office added: its last heading line without numbering, slugified, unique."""
    title = NUMBERING.sub("", heading.split("\n")[-1])
    base = slugify(title.replace("đ", "d").replace("Đ", "D")).replace("-", "_")[:KEY_LENGTH].strip("_") or "muc"
    key, number = base, 2
    while key in taken:
        key = f"{base}_{number}"
        number += 1
    return key


class SectionForm(forms.Form):
    """One section: its heading (a line break for a heading over two lines), what fills it, its default text."""

    key = forms.CharField(required=False, widget=forms.HiddenInput)
    heading = forms.CharField(
        label="Tiêu đề mục",
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 2, "class": "form-control"}),
        help_text="Xuống dòng để tách tiêu đề phần và tiêu đề mục, ví dụ “IV. ĐÁNH GIÁ CHUNG” rồi “1. Ưu điểm”.",
        error_messages={
            "required": "Vui lòng nhập tiêu đề mục.",
            "max_length": "Tiêu đề mục dài tối đa %(limit_value)d ký tự (hiện có %(show_value)d).",
        },
    )
    source = forms.ChoiceField(
        label="Nội dung lấy từ",
        choices=SOURCE_CHOICES,
        initial=TEXT_SOURCE,
        widget=forms.Select(attrs={"class": "form-select"}),
        error_messages={
            "required": "Vui lòng chọn nguồn nội dung của mục.",
            "invalid_choice": "Nguồn nội dung “%(value)s” không hợp lệ.",
        },
    )
    text = forms.CharField(
        label="Nội dung mặc định",
        required=False,
        max_length=10000,
        widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}),
        help_text="Chỉ dùng cho mục “Văn phòng tự viết”: nội dung có sẵn khi tổng hợp, sửa tiếp trên báo cáo.",
        error_messages={"max_length": "Nội dung mặc định dài tối đa %(limit_value)d ký tự (hiện có %(show_value)d)."},
    )

    def clean_key(self):
        key = self.cleaned_data["key"]
        if key and not KEY_PATTERN.match(key):
            raise ValidationError("Khóa của mục không hợp lệ; vui lòng tải lại trang.")
        return key

    def clean_heading(self):
        return "\n".join(_lines(self.cleaned_data["heading"]))

    def clean_text(self):
        return self.cleaned_data["text"].replace("\r\n", "\n").strip()


class BaseSectionFormSet(forms.BaseFormSet):
    default_error_messages = {
        "missing_management_form": "Biểu mẫu thiếu dữ liệu quản lý; vui lòng tải lại trang.",
        "too_many_forms": "Đề cương có tối đa %(num)d mục.",
        "too_few_forms": "Đề cương cần có ít nhất %(num)d mục.",
    }

    def add_fields(self, form, index):
        super().add_fields(form, index)
        order = form.fields[ORDERING_FIELD_NAME]
        order.label = "Thứ tự"
        order.widget.attrs.update({"class": "form-control", "min": 1})
        order.error_messages = {**order.error_messages, "invalid": "Thứ tự phải là một số nguyên."}
        form.fields[DELETION_FIELD_NAME].label = "Xóa mục này"
        form.fields[DELETION_FIELD_NAME].widget.attrs["class"] = "form-check-input"

    def _kept_forms(self):
        """The sections that stay, in the order the office gave: numbered ones first, then new ones as added."""
        kept = [
            form
            for form in self.forms
            if form.has_changed() or not form.empty_permitted
            if not self._should_delete_form(form)
        ]
        return sorted(
            kept,
            key=lambda form: (
                form.cleaned_data.get(ORDERING_FIELD_NAME) is None,
                form.cleaned_data.get(ORDERING_FIELD_NAME) or 0,
                self.forms.index(form),
            ),
        )

    def clean(self):
        if any(self.errors):
            return
        if not self._kept_forms():
            raise ValidationError("Đề cương cần có ít nhất một mục.")

    def outline_sections(self):
        """The sections as ConsolidatedOutline stores them; only after is_valid().

        Sections keep their keys (the recompile carries the office's edits forward by key); a new one
        gets a key from its heading that no section, kept or deleted, already has.
        """
        taken = {form.cleaned_data.get("key") for form in self.forms if form.cleaned_data.get("key")}
        sections = []
        for form in self._kept_forms():
            data = form.cleaned_data
            key = data["key"] or new_key(data["heading"], taken)
            taken.add(key)
            item = {"key": key, "heading": data["heading"], "source": data["source"]}
            if data["source"] == TEXT_SOURCE and data["text"]:
                item["text"] = data["text"]
            sections.append(item)
        return sections


SectionFormSet = forms.formset_factory(
    SectionForm,
    formset=BaseSectionFormSet,
    extra=0,
    can_order=True,
    can_delete=True,
    max_num=MAX_SECTIONS,
    validate_max=True,
)


class RecipientsForm(forms.Form):
    recipients = forms.CharField(
        label="Nơi nhận",
        required=False,
        widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}),
        help_text="Mỗi dòng một nơi nhận, ví dụ “- Sở Nội vụ;”. Để trống thì dùng nơi nhận mặc định.",
    )

    def clean_recipients(self):
        lines = _lines(self.cleaned_data["recipients"])
        if any(len(line) > 200 for line in lines):
            raise ValidationError("Mỗi dòng nơi nhận dài tối đa 200 ký tự.")
        return lines


class OutlineEditor:
    """The sections formset and the recipients form of one kind of period, checked together.

    After is_valid(), `sections` and `recipients` hold what to save; `errors` the outline-wide refusals.
    """

    def __init__(self, period_kind, *, sections, recipients, data=None):
        self.period_kind = period_kind
        self.formset = SectionFormSet(data, initial=sections, prefix="sections")
        self.recipients_form = RecipientsForm(data, initial={"recipients": "\n".join(recipients)})
        self.errors = []
        self.sections = self.recipients = None

    def is_valid(self):
        sections_valid = self.formset.is_valid()
        recipients_valid = self.recipients_form.is_valid()
        if not (sections_valid and recipients_valid):
            return False
        sections = self.formset.outline_sections()
        recipients = self.recipients_form.cleaned_data["recipients"]
        outline = ConsolidatedOutline(period_kind=self.period_kind, sections=sections, recipients=recipients)
        try:
            outline.clean()
        except ValidationError as error:
            self.errors = error.messages
            return False
        self.sections, self.recipients = sections, recipients
        return True

    def all_errors(self):
        """Every refusal as one list of sentences, for the alert above the form."""
        messages = list(self.errors) + list(self.formset.non_form_errors())
        messages += self.recipients_form.errors.get("recipients", [])
        for number, form in enumerate(self.formset.forms, start=1):
            for field_errors in form.errors.values():
                messages += [f"Mục {number}: {message}" for message in field_errors]
        return messages
