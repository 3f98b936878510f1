"""The office's form for one cited document (number, date, issuer, title, signer, whether it is confirmed)."""

from django import forms

from portal.forms import VietnameseDateField, not_in_future

from .models import CitedDocument


class CitedDocumentForm(forms.ModelForm):
    issued_on = VietnameseDateField(label="Ngày ban hành", required=False)

    class Meta:
        model = CitedDocument
        fields = (
            "kind",
            "number",
            "issued_on",
            "issuer",
            "title",
            "signer",
            "confirmed",
            "decision_basis",
            "sort_order",
        )
        widgets = {"title": forms.Textarea(attrs={"rows": 2})}
        error_messages = {
            "kind": {"required": "Vui lòng nhập loại văn bản (ví dụ: Quyết định)."},
            "title": {"required": "Vui lòng nhập trích yếu của văn bản."},
            "sort_order": {"invalid": "Thứ tự phải là số nguyên không âm."},
        }

    def __init__(self, *args, **kwargs):
        instance = kwargs.get("instance")
        prefix = f"doc{instance.pk}" if instance is not None and instance.pk else "new"
        kwargs.setdefault("prefix", prefix)
        super().__init__(*args, **kwargs)
        for name, field in self.fields.items():
            if isinstance(field.widget, forms.CheckboxInput):
                field.widget.attrs.setdefault("class", "form-check-input")
            else:
                field.widget.attrs.setdefault("class", "form-control")
            field.widget.attrs.setdefault("id", f"{prefix}-{name}")

    def clean_number(self):
        return self.cleaned_data["number"].strip().lstrip("/").strip()

    def clean_issued_on(self):
        day = self.cleaned_data.get("issued_on")
        return not_in_future(day, "Ngày ban hành") if day else day
