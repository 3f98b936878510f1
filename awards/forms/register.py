"""Forms of the award register's pages: the search and filter bar, the xlsx upload, the comment list filter.

Nothing here writes; awards.services.register persists.
"""

from django import forms

from portal.forms import SpreadsheetFileField

from ..models import AwardForm, Nomination

KIND_CHOICES = [("", "Tất cả đối tượng"), *Nomination.NomineeKind.choices]


class RegisterFilterForm(forms.Form):
    """The register's search (diacritics optional) and filters, read from the query string."""

    q = forms.CharField(
        label="Tìm kiếm",
        required=False,
        max_length=200,
        widget=forms.TextInput(
            attrs={"placeholder": "Tên, đơn vị, hình thức, số quyết định (gõ không dấu cũng được)", "type": "search"}
        ),
    )
    year = forms.TypedChoiceField(label="Năm", required=False, coerce=int, empty_value=None)
    form = forms.ModelChoiceField(
        label="Hình thức, danh hiệu",
        required=False,
        queryset=AwardForm.objects.order_by("sort_order", "name"),
        empty_label="Tất cả hình thức",
    )
    kind = forms.ChoiceField(label="Đối tượng", required=False, choices=KIND_CHOICES)

    def __init__(self, *args, years=(), **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["year"].choices = [("", "Tất cả các năm"), *((year, year) for year in years)]
        self.fields["form"].error_messages["invalid_choice"] = "Hình thức không có trong danh mục."
        self.fields["year"].error_messages["invalid_choice"] = "Năm không có trong sổ."
        self.fields["kind"].error_messages["invalid_choice"] = "Đối tượng không hợp lệ."

    def filters(self):
        """The valid filters; an invalid one is ignored rather than emptying the list."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        return {
            "query": (data.get("q") or "").strip(),
            "year": data.get("year"),
            "form": data.get("form"),
            "kind": data.get("kind") or "",
        }


class RegisterImportForm(forms.Form):
    file = SpreadsheetFileField(label="Tệp Excel (.xlsx) theo mẫu", required_message="Vui lòng chọn tệp Excel để nhập.")


class CommentFilterForm(forms.Form):
    STATES = [("open", "Chưa xử lý"), ("handled", "Đã xử lý"), ("all", "Tất cả")]

    state = forms.ChoiceField(label="Trạng thái", required=False, choices=STATES)

    def handled(self):
        self.is_valid()
        state = getattr(self, "cleaned_data", {}).get("state") or "open"
        return {"open": False, "handled": True}.get(state)
