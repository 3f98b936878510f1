"""What the awards' imports add to the one import mechanism (documents.imports): the catalogue and the units names are
matched against, and the `RegisterImport` batch every imported register or record row points to.

The award register's import (services/register.py) and the past records' import (services/records.py) are two
`documents.imports.ImportSpec`s that use these: `begin=begin_register_import`, `finish=finish_register_import`.
"""

from django.utils import timezone

from portal.text import closest, fold_for_search
from units.models import Unit

from ..models import AwardForm, RegisterImport


def begin_register_import(preview, actor):
    """The batch the rows of an applied preview are written under (source "imported", imported_in)."""
    return RegisterImport.objects.create(original_name=preview.original_name, imported_by=actor)


def finish_register_import(register_import, created, skipped):
    register_import.rows_created, register_import.rows_skipped = created, skipped
    register_import.save(update_fields=["rows_created", "rows_skipped"])


class Catalogue:
    """The award forms and the units an import matches names against (diacritics and case aside), one query each."""

    def __init__(self):
        forms = list(AwardForm.objects.all())
        by_name = {}
        for form in forms:
            by_name.setdefault(fold_for_search(form.name), []).append(form)
        self.forms = {fold_for_search(form.display_name): form for form in forms}
        for key, matches in by_name.items():
            # "Huân chương Lao động" alone names three classes: only the full name matches those.
            if len(matches) == 1:
                self.forms.setdefault(key, matches[0])
        self.forms.update({fold_for_search(form.code): form for form in forms})
        today = timezone.localdate()
        candidates = {}
        for unit in Unit.objects.all():
            for label in {unit.name, unit.abbreviation, unit.code}:
                if label:
                    candidates.setdefault(fold_for_search(label), []).append(unit)
        self.units = {}
        for key, units in candidates.items():
            active = [unit for unit in units if unit.is_active_on(today)]
            if len(active) == 1:
                self.units[key] = active[0]
            elif len(units) == 1:
                self.units[key] = units[0]

    def form(self, name):
        return self.forms.get(fold_for_search(name))

    def unknown_form(self, name):
        """Why a name that matches no form is refused, with the catalogue's closest names: never stored as free text."""
        names = sorted({form.display_name for form in self.forms.values()})
        suggestions = ", ".join(f"“{choice}”" for choice in closest(name, names))
        return (
            f"“{name}” không có trong danh mục hình thức khen thưởng, không nhập tên ngoài danh mục; "
            f"tên gần nhất trong danh mục: {suggestions}"
        )

    def unit(self, *names):
        for name in names:
            unit = self.units.get(fold_for_search(name)) if name else None
            if unit is not None:
                return unit
        return None
