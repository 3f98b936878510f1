"""Forms of the year-end assessment: the unit's record of its meeting, the office's confirmation, a return."""

from django import forms

from portal.forms import BootstrapForm, VietnameseDateField

from ..models import Classification

CLASSIFICATION_CHOICES = [("", "— Chọn mức xếp loại —"), *Classification.choices]


def add_refusal(form, refusal):
    """Put a service's refusal on the form: each field's message on its field, the rest above the form."""
    errors = getattr(refusal, "errors", None) or {}
    for field, message in errors.items():
        form.add_error(field if field in form.fields else None, message)
    if not errors or any(field not in form.fields for field in errors):
        form.add_error(None, refusal.message)


class AssessmentForm(BootstrapForm):
    """The meeting: date, attendance, chair, secretary, minutes; per person the proposed classification and titles."""

    meeting_date = VietnameseDateField(label="Ngày họp bình xét", required=False)
    attendance = forms.CharField(
        label="Thành phần, số người dự họp",
        max_length=300,
        required=False,
        help_text="Ví dụ: toàn thể công chức của phòng, có mặt 8/9 người.",
    )
    chair = forms.CharField(label="Chủ trì (chủ tọa)", max_length=150, required=False)
    secretary = forms.CharField(label="Thư ký (người ghi biên bản)", max_length=150, required=False)
    minutes = forms.FileField(label="Biên bản họp đã ký (PDF)", required=False, error_messages={"empty": "Tệp rỗng."})
    remove_minutes = forms.BooleanField(
        label="Bỏ tệp biên bản đã tải lên",
        required=False,
        widget=forms.CheckboxInput(attrs={"class": "form-check-input"}),
    )

    def __init__(self, *args, people, entries, title_choices, **kwargs):
        """`people`: the persons listed (the entries' and the unit's newcomers), `entries`: {person id: entry}."""
        super().__init__(*args, **kwargs)
        self.people = people
        self.entries = entries
        for person in people:
            entry = entries.get(person.pk)
            self.fields[f"p-{person.pk}-classification"] = forms.ChoiceField(
                label=f"Đề xuất xếp loại — {person.full_name}",
                choices=CLASSIFICATION_CHOICES,
                required=False,
                initial=entry.proposed_classification if entry else "",
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"p-{person.pk}-titles"] = forms.MultipleChoiceField(
                label=f"Danh hiệu đề nghị — {person.full_name}",
                choices=title_choices,
                required=False,
                initial=list(entry.proposed_titles or []) if entry else [],
                widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}),
                error_messages={
                    "invalid_choice": "Danh hiệu “%(value)s” không có trong danh mục danh hiệu, hình thức khen thưởng."
                },
            )

    def rows(self):
        """(person, entry, classification field, titles field) per person, for the template's table."""
        return [
            (person, self.entries.get(person.pk), self[f"p-{person.pk}-classification"], self[f"p-{person.pk}-titles"])
            for person in self.people
        ]

    def proposals(self):
        """{person id: (classification, [title codes])} of the cleaned form."""
        data = self.cleaned_data
        return {
            person.pk: (data.get(f"p-{person.pk}-classification", ""), data.get(f"p-{person.pk}-titles", []))
            for person in self.people
        }


class ConfirmForm(BootstrapForm):
    """The office's entry of each classification decided: the proposal by default, a note where it differs."""

    def __init__(self, *args, entries, **kwargs):
        super().__init__(*args, **kwargs)
        self.entries = entries
        for entry in entries:
            self.fields[f"e-{entry.pk}-decided"] = forms.ChoiceField(
                label=f"Xếp loại được quyết định — {entry.person.full_name}",
                choices=Classification.choices,
                initial=entry.decided_classification or entry.proposed_classification,
                error_messages={
                    "required": "Vui lòng chọn mức xếp loại.",
                    "invalid_choice": "Mức xếp loại không hợp lệ.",
                },
                widget=forms.Select(attrs={"class": "form-select form-select-sm"}),
            )
            self.fields[f"e-{entry.pk}-note"] = forms.CharField(
                label=f"Ghi chú — {entry.person.full_name}", max_length=300, required=False, initial=entry.note
            )

    def rows(self):
        return [(entry, self[f"e-{entry.pk}-decided"], self[f"e-{entry.pk}-note"]) for entry in self.entries]

    def decisions(self):
        data = self.cleaned_data
        return {entry.pk: (data[f"e-{entry.pk}-decided"], data.get(f"e-{entry.pk}-note", "")) for entry in self.entries}


class ReturnForm(BootstrapForm):
    reason = forms.CharField(
        label="Lý do trả lại",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Vui lòng nêu lý do trả lại để đơn vị biết cần bổ sung gì."},
    )
