"""Forms of the consolidated report's pages: they read and check what the office and leadership post.

Nothing here writes; reports.services.consolidation persists. Dates are typed as dd/mm/yyyy.
"""

import hashlib

from django import forms

from portal.forms import BootstrapForm


def text_digest(text):
    """What the editor loaded for a section, so that saving leaves the sections the person did not touch."""
    return hashlib.sha256(text.replace("\r\n", "\n").encode("utf-8")).hexdigest()


class SectionsForm(forms.Form):
    """One textarea per section of the report; only the sections changed since the page loaded are saved.

    Each textarea carries the digest of the text it was loaded with: a section the person did not
    touch is left out of `texts`, so two people editing different sections do not undo each other.
    """

    def __init__(self, items, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            key = item["key"]
            self.fields[f"section-{key}"] = forms.CharField(
                label=item["heading"],
                required=False,
                strip=False,
                initial=item["text"],
                widget=forms.Textarea(attrs={"rows": 8, "class": "form-control"}),
            )
            self.fields[f"orig-{key}"] = forms.CharField(
                required=False, initial=text_digest(item["text"]), widget=forms.HiddenInput
            )

    def sections(self):
        """(heading lines, text field, digest field) per section, for the template."""
        return [
            (item["heading"].split("\n"), self[f"section-{item['key']}"], self[f"orig-{item['key']}"])
            for item in self.items
        ]

    @property
    def texts(self):
        changed = {}
        for item in self.items:
            key = item["key"]
            text = self.cleaned_data.get(f"section-{key}")
            if text is None or f"section-{key}" not in self.data:
                continue
            loaded = self.cleaned_data.get(f"orig-{key}") or ""
            if text_digest(text) != loaded:
                changed[key] = text
        return changed


class ReturnForm(BootstrapForm):
    comment = forms.CharField(
        label="Ý kiến chỉ đạo (bắt buộc khi trả lại)",
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": "Vui lòng ghi ý kiến khi trả lại báo cáo tổng hợp."},
    )
