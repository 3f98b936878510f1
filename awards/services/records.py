"""The office's entries in the person's and the unit's record for past years (memberships, classifications,
initiatives, discipline), their import from the XLSX template through documents.imports, and the mapping of
the register's free-text award names to the catalogue.

Every write refuses with a Vietnamese message naming its form field (RecordRefused.field) and changes nothing then.
Only the office writes (permissions.can_edit_records).
"""

import datetime
from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from documents import imports
from documents.xlsx import Sheet, sheets_bytes
from emulation.models import Assessment, AssessmentEntry, Classification
from notifications.services import notify
from portal.text import fold_for_search
from portal.uploads import validate_upload
from units.models import Person
from units.selectors import office_reviewers

from .. import permissions
from ..errors import AwardError, NotAllowed
from ..models import (
    AwardForm,
    AwardRecord,
    ClassificationRecord,
    Discipline,
    DisciplineKind,
    Initiative,
    InitiativeScope,
    Membership,
    Nomination,
    RecordSource,
)
from .imports import Catalogue, begin_register_import, finish_register_import

EARLIEST_YEAR = 2000
OFFICE_ONLY = "Chỉ Phòng Hành chính - Tổng hợp nhập và sửa hồ sơ thành tích."


class RecordRefused(AwardError):
    """An entry of the record refused; `field` names the form field."""


def _require_office(actor):
    if not permissions.can_edit_records(actor):
        raise NotAllowed(OFFICE_ONLY)


def year_problem(year):
    today = timezone.localdate()
    if year is None or not EARLIEST_YEAR <= year <= today.year:
        return f"Năm phải từ {EARLIEST_YEAR} đến {today.year}."
    return None


def day_problem(day, label, *, future=False):
    """A date of the record: from 01/01/2000 up to today (or later, for the end of a term decided already)."""
    today = timezone.localdate()
    if day is None:
        return None
    if day > today and not future:
        return f"{label} không được sau ngày hôm nay."
    if day.year < EARLIEST_YEAR:
        return f"{label} phải từ năm {EARLIEST_YEAR} trở đi."
    return None


def _check_year(year, field="year"):
    problem = year_problem(year)
    if problem:
        raise RecordRefused(problem, field=field)


def _check_day(day, field, label):
    problem = day_problem(day, label)
    if problem:
        raise RecordRefused(problem, field=field)


def _check_period(start_on, end_on, *, open_end=False):
    """A period from a past day; its end may lie ahead when `open_end` (a discipline's term runs past today)."""
    _check_day(start_on, "start_on", "Ngày bắt đầu")
    problem = day_problem(end_on, "Ngày kết thúc", future=open_end)
    if problem:
        raise RecordRefused(problem, field="end_on")
    if end_on is not None and end_on < start_on:
        raise RecordRefused("Ngày kết thúc trước ngày bắt đầu.", field="end_on")


def covered(memberships, year):
    """Whether the person belonged to a unit that year: a person without any membership row counts as a member of
    their current unit."""
    return not memberships or any(membership.covers_year(year) for membership in memberships)


def _check_in_a_unit(person, year, field):
    if not covered(list(person.memberships.all()), year):
        raise RecordRefused(
            f"Năm {year}, {person.full_name} không thuộc đơn vị nào theo quá trình công tác đã nhập; "
            "hãy nhập quá trình công tác của năm đó trước.",
            field=field,
        )


def _lock(row):
    return type(row).objects.select_for_update().get(pk=row.pk)


# --- Memberships ---------------------------------------------------------------------------------------------------


def membership_save(*, actor, person, unit, start_on, end_on=None, membership=None):
    """Add (or correct) a person's time in a unit."""
    _require_office(actor)
    _check_period(start_on, end_on)
    with transaction.atomic():
        others = Membership.objects.select_for_update().filter(person=person, unit=unit)
        if membership is not None:
            others = others.exclude(pk=membership.pk)
        for other in others:
            if other.start_on <= (end_on or datetime.date.max) and start_on <= (other.end_on or datetime.date.max):
                raise RecordRefused(
                    f"{person.full_name} đã có quá trình công tác tại {unit} trùng thời gian này "
                    f"(từ {other.start_on:%d/%m/%Y}); sửa dòng đã có thay vì thêm mới.",
                    field="start_on",
                )
        row = _lock(membership) if membership is not None else Membership(person=person)
        row.unit, row.start_on, row.end_on = unit, start_on, end_on
        row.save()
    return row


# --- Classifications -----------------------------------------------------------------------------------------------


def _confirmed_classification(person, year):
    return (
        AssessmentEntry.objects.filter(
            person=person, assessment__year__year=year, assessment__status=Assessment.Status.CONFIRMED
        )
        .exclude(decided_classification="")
        .exists()
    )


def classification_save(*, actor, year, classification, decided_by="", person=None, unit=None, row=None):
    """Add (or correct) the year's classification of a person or of a collective; one per year."""
    _require_office(actor)
    _check_year(year)
    if classification not in Classification.values:
        raise RecordRefused("Xếp loại không hợp lệ.", field="classification")
    if row is not None:
        person, unit = row.person, row.unit
    with transaction.atomic():
        if person is not None:
            Person.objects.select_for_update().get(pk=person.pk)  # one writer of a person's year at a time
            _check_in_a_unit(person, year, "year")
            if _confirmed_classification(person, year):
                raise RecordRefused(
                    f"Năm {year} đã có xếp loại của {person.full_name} từ bình xét cuối năm đã xác nhận.",
                    field="year",
                )
        same_year = ClassificationRecord.objects.filter(year=year, **({"person": person} if person else {"unit": unit}))
        if row is not None:
            same_year = same_year.exclude(pk=row.pk)
        if same_year.exists():
            whose = person.full_name if person else unit
            raise RecordRefused(
                f"Năm {year} đã có xếp loại của {whose}; sửa dòng đã có thay vì thêm mới.", field="year"
            )
        record = _lock(row) if row is not None else ClassificationRecord(person=person, unit=unit)
        record.year, record.classification, record.decided_by = year, classification, (decided_by or "").strip()
        try:
            with transaction.atomic():
                record.save()
        except IntegrityError:
            raise RecordRefused(f"Năm {year} vừa được nhập xếp loại; vui lòng tải lại trang.", field="year") from None
    return record


# --- Initiatives ---------------------------------------------------------------------------------------------------


def _check_pdf(upload):
    try:
        checked = validate_upload(upload)
    except ValidationError as error:
        raise RecordRefused(" ".join(error.messages), field="file") from None
    if checked.extension != "pdf":
        raise RecordRefused("Quyết định công nhận tải lên phải là tệp PDF.", field="file")


def initiative_save(
    *,
    actor,
    person,
    kind,
    title,
    year,
    recognised_by,
    scope,
    decision_number="",
    decision_date=None,
    file=None,
    remove_file=False,
    row=None,
):
    """Add (or correct) a recognised initiative or research work, with its decision's PDF if given."""
    _require_office(actor)
    _check_year(year)
    if not (title or "").strip():
        raise RecordRefused("Vui lòng nhập tên sáng kiến, đề tài.", field="title")
    if not (recognised_by or "").strip():
        raise RecordRefused("Vui lòng nhập cơ quan công nhận.", field="recognised_by")
    if scope not in InitiativeScope.values:
        raise RecordRefused("Phạm vi ảnh hưởng không hợp lệ.", field="scope")
    if kind not in Initiative.Kind.values:
        raise RecordRefused("Loại không hợp lệ.", field="kind")
    _check_day(decision_date, "decision_date", "Ngày quyết định")
    if decision_date is not None and decision_date.year < year:
        raise RecordRefused("Ngày quyết định trước năm được công nhận.", field="decision_date")
    if file is not None:
        _check_pdf(file)
    if row is not None:
        person = row.person
    with transaction.atomic():
        _check_in_a_unit(person, year, "year")
        record = _lock(row) if row is not None else Initiative(person=person)
        record.kind, record.title, record.year = kind, title.strip(), year
        record.recognised_by, record.scope = recognised_by.strip(), scope
        record.decision_number, record.decision_date = (decision_number or "").strip(), decision_date
        old_file = record.file.name or None
        if remove_file or file is not None:
            record.file = ""
        if file is not None:
            record.file.save(file.name, file, save=False)
        record.save()
        if old_file and old_file != record.file.name:
            storage = record.file.storage
            transaction.on_commit(lambda: storage.delete(old_file))
    return record


# --- Discipline ----------------------------------------------------------------------------------------------------


def discipline_save(*, actor, person, kind, start_on, end_on=None, decision_number="", decision_date=None, row=None):
    """Add (or correct) a disciplinary measure in force from `start_on` to `end_on`."""
    _require_office(actor)
    if kind not in DisciplineKind.values:
        raise RecordRefused("Hình thức kỷ luật không hợp lệ.", field="kind")
    _check_period(start_on, end_on, open_end=True)
    _check_day(decision_date, "decision_date", "Ngày quyết định")
    if row is not None:
        person = row.person
    with transaction.atomic():
        _check_in_a_unit(person, start_on.year, "start_on")
        record = _lock(row) if row is not None else Discipline(person=person)
        record.kind, record.start_on, record.end_on = kind, start_on, end_on
        record.decision_number, record.decision_date = (decision_number or "").strip(), decision_date
        record.save()
    return record


# --- Deleting a row ------------------------------------------------------------------------------------------------


def record_row_delete(*, actor, row):
    """Delete a row the office entered or imported (a membership, a classification, an initiative, discipline)."""
    _require_office(actor)
    with transaction.atomic():
        locked = type(row).objects.select_for_update().filter(pk=row.pk).first()
        if locked is None:
            raise RecordRefused("Dòng này đã được xóa.")
        stored = getattr(locked, "file", None)
        old_file, storage = (stored.name, stored.storage) if stored else (None, None)
        locked.delete()
        if old_file:
            transaction.on_commit(lambda: storage.delete(old_file))


# --- The register's free-text rows ---------------------------------------------------------------------------------


def award_record_map(*, actor, record, form):
    """Map a register row whose name matched nothing to a catalogue form; its name as written is kept."""
    _require_office(actor)
    with transaction.atomic():
        locked = AwardRecord.objects.select_for_update().get(pk=record.pk)
        if locked.form_id is not None:
            raise RecordRefused(f"Dòng này đã được gắn với “{locked.form.display_name}”.", field="form")
        if form.recipient_kind not in (AwardForm.RecipientKind.BOTH, locked.recipient_kind):
            raise RecordRefused(
                f"{form.display_name} chỉ dành cho {form.get_recipient_kind_display().lower()}.", field="form"
            )
        locked.form = form
        locked.save(update_fields=["form"])
    return locked


# --- Importing past records ----------------------------------------------------------------------------------------

PERSON_ID = imports.Column("Mã cá nhân", example="", width=12)
PERSON_NAME = imports.Column("Họ và tên", example="Nguyễn Văn A", width=28)
UNIT_NAME = imports.Column("Đơn vị", example="Phòng Quản lý khoa học", width=32)
KIND_COLUMN = imports.Column("Đối tượng (Cá nhân/Tập thể)", example="Cá nhân", width=14)
RECIPIENT = imports.Column("Họ và tên / Tên tập thể", example="Nguyễn Văn A", width=28)
DECISION_NUMBER = imports.Column("Số quyết định", example="15/QĐ-SKHCN", width=18)
DECISION_DATE = imports.Column("Ngày quyết định (dd/mm/yyyy)", example="20/12/2019", width=16)

KIND_WORDS = {"ca nhan": Nomination.NomineeKind.INDIVIDUAL, "tap the": Nomination.NomineeKind.COLLECTIVE}


def _choices(choices, *extra):
    words = {}
    for value, label in choices:
        words[fold_for_search(value)] = value
        words[fold_for_search(label)] = value
    for word, value in extra:
        words[fold_for_search(word)] = value
    return words


CLASSIFICATION_WORDS = _choices(Classification.choices)
SCOPE_WORDS = _choices(InitiativeScope.choices, ("cơ sở", "base"), ("tỉnh", "province"), ("quốc gia", "national"))
INITIATIVE_KIND_WORDS = _choices(Initiative.Kind.choices, ("đề tài", "research"))
DISCIPLINE_WORDS = _choices(DisciplineKind.choices)


class _RecordContext:
    """What the rows are matched against, each loaded in one query: the catalogue and units (the register's), the
    people and their memberships, the classifications already held."""

    def __init__(self):
        self.catalogue = Catalogue()
        self.today = timezone.localdate()
        self.people = {person.pk: person for person in Person.objects.select_related("unit")}
        self.memberships = {}
        for membership in Membership.objects.all():
            self.memberships.setdefault(membership.person_id, []).append(membership)
        self.by_name = {}
        for person in self.people.values():
            units = {person.unit_id} | {m.unit_id for m in self.memberships.get(person.pk, [])}
            for unit_id in units:
                self.by_name.setdefault((fold_for_search(person.full_name), unit_id), []).append(person)
        self.classified = {
            ("person", row.person_id, row.year) if row.person_id else ("unit", row.unit_id, row.year): row
            for row in ClassificationRecord.objects.all()
        }
        self.confirmed = set(
            AssessmentEntry.objects.filter(assessment__status=Assessment.Status.CONFIRMED)
            .exclude(decided_classification="")
            .values_list("person_id", "assessment__year__year")
        )


def _match_person(context, id_cell, name_cell, unit_cell, columns):
    """(person, problems): by the person id column, else by full name and unit (current or recorded)."""
    id_index, name_index, unit_index = columns
    typed_id, name, unit_name = imports.text(id_cell), imports.text(name_cell), imports.text(unit_cell)
    if typed_id:
        person = context.people.get(int(typed_id)) if typed_id.isdigit() else None
        if person is None:
            return None, [(id_index, f"không có cá nhân mã “{typed_id}”")]
        if name and fold_for_search(name) != fold_for_search(person.full_name):
            return None, [(name_index, f"mã {typed_id} là của {person.full_name}, không phải “{name}”")]
        return person, []
    if not name:
        return None, [(name_index, "thiếu họ và tên (hoặc mã cá nhân)")]
    if not unit_name:
        return None, [(unit_index, f"thiếu đơn vị của {name}")]
    unit = context.catalogue.unit(unit_name)
    if unit is None:
        return None, [(unit_index, f"không có đơn vị “{unit_name}” trong danh sách đơn vị của Sở")]
    matches = context.by_name.get((fold_for_search(name), unit.pk), [])
    if not matches:
        return None, [(name_index, f"không tìm thấy cá nhân “{name}” của {unit}; ghi mã cá nhân nếu đã chuyển đơn vị")]
    if len(matches) > 1:
        ids = ", ".join(str(person.pk) for person in matches)
        return None, [(name_index, f"có {len(matches)} cá nhân tên “{name}” ở {unit} (mã {ids}); ghi mã cá nhân")]
    return matches[0], []


def _day(cell, index, label, problems, *, required=False, future=False):
    try:
        day = imports.date(cell)
    except (ValueError, OverflowError, TypeError):
        problems.append((index, f"{label} không hợp lệ (“{imports.text(cell)}”), phải theo dạng dd/mm/yyyy"))
        return None
    if day is None:
        if required:
            problems.append((index, f"thiếu {label.lower()}"))
        return None
    problem = day_problem(day, label, future=future)
    if problem:
        problems.append((index, problem.rstrip(".")))
    return day


def _year(cell, index, problems):
    number = imports.year(cell)
    problem = year_problem(number)
    if problem:
        problems.append((index, f"năm “{imports.text(cell)}” không hợp lệ: {problem[0].lower()}{problem[1:-1]}"))
        return None
    return number


def _word(words, cell, index, what, problems):
    value = words.get(fold_for_search(imports.text(cell)))
    if value is None:
        problems.append((index, f"{what} “{imports.text(cell)}” không hợp lệ"))
    return value


def _membership_row(line, cells, context):
    person_id, name, unit_cell, start_cell, end_cell = cells
    person, problems = _match_person(context, person_id, name, unit_cell, (0, 1, 2))
    unit = context.catalogue.unit(imports.text(unit_cell))
    if unit is None and not any(index == 2 for index, _ in problems):
        problems.append((2, f"không có đơn vị “{imports.text(unit_cell)}” trong danh sách đơn vị của Sở"))
    start_on = _day(start_cell, 3, "Từ ngày", problems, required=True)
    end_on = _day(end_cell, 4, "Đến ngày", problems)
    if start_on and end_on and end_on < start_on:
        problems.append((4, "ngày kết thúc trước ngày bắt đầu"))
    return {"person": person, "unit": unit, "start_on": start_on, "end_on": end_on}, problems


def _classification_row(line, cells, context):
    year_cell, kind_cell, person_id, name, unit_cell, value_cell, decided_cell = cells
    problems = []
    year = _year(year_cell, 0, problems)
    kind = _word(KIND_WORDS, kind_cell, 1, "đối tượng (ghi “Cá nhân” hoặc “Tập thể”)", problems)
    person = unit = None
    if kind == Nomination.NomineeKind.INDIVIDUAL:
        person, found = _match_person(context, person_id, name, unit_cell, (2, 3, 4))
        problems += found
    elif kind == Nomination.NomineeKind.COLLECTIVE:
        unit = context.catalogue.unit(imports.text(name), imports.text(unit_cell))
        if unit is None:
            problems.append((3, f"không có đơn vị “{imports.text(name) or imports.text(unit_cell)}” của Sở"))
    classification = _word(CLASSIFICATION_WORDS, value_cell, 5, "xếp loại", problems)
    if year and person is not None:
        if (person.pk, year) in context.confirmed:
            problems.append((0, f"năm {year} đã có xếp loại của {person.full_name} từ bình xét cuối năm đã xác nhận"))
        held = context.classified.get(("person", person.pk, year))
        if held is not None and held.classification != classification:
            problems.append((0, f"năm {year} đã có xếp loại “{held.get_classification_display()}” khác với tệp"))
    if year and unit is not None:
        held = context.classified.get(("unit", unit.pk, year))
        if held is not None and held.classification != classification:
            problems.append((0, f"năm {year} đã có xếp loại “{held.get_classification_display()}” khác với tệp"))
    value = {
        "person": person,
        "unit": unit,
        "year": year,
        "classification": classification,
        "decided_by": imports.text(decided_cell)[:200],
    }
    return value, problems


def _initiative_row(line, cells, context):
    person_id, name, unit_cell, kind_cell, title_cell, year_cell, body_cell, scope_cell, number_cell, date_cell = cells
    person, problems = _match_person(context, person_id, name, unit_cell, (0, 1, 2))
    kind = _word(INITIATIVE_KIND_WORDS, kind_cell, 3, "loại (ghi “Sáng kiến” hoặc “Đề tài”)", problems)
    title = imports.text(title_cell)
    if not title:
        problems.append((4, "thiếu tên sáng kiến, đề tài"))
    year = _year(year_cell, 5, problems)
    recognised_by = imports.text(body_cell)
    if not recognised_by:
        problems.append((6, "thiếu cơ quan công nhận"))
    scope = _word(SCOPE_WORDS, scope_cell, 7, "phạm vi ảnh hưởng (Cấp cơ sở, Cấp tỉnh hoặc Toàn quốc)", problems)
    decision_date = _day(date_cell, 9, "Ngày quyết định", problems)
    if len(title) > 500 or len(recognised_by) > 255 or len(imports.text(number_cell)) > 60:
        problems.append((None, "tên, cơ quan công nhận hoặc số quyết định dài quá giới hạn"))
    value = {
        "person": person,
        "kind": kind,
        "title": title,
        "year": year,
        "recognised_by": recognised_by,
        "scope": scope,
        "decision_number": imports.text(number_cell),
        "decision_date": decision_date,
    }
    return value, problems


def _discipline_row(line, cells, context):
    person_id, name, unit_cell, kind_cell, start_cell, end_cell, number_cell, date_cell = cells
    person, problems = _match_person(context, person_id, name, unit_cell, (0, 1, 2))
    kind = _word(DISCIPLINE_WORDS, kind_cell, 3, "hình thức kỷ luật", problems)
    start_on = _day(start_cell, 4, "Từ ngày", problems, required=True)
    end_on = _day(end_cell, 5, "Đến ngày", problems, future=True)  # a reprimand's twelve months may run on
    if start_on and end_on and end_on < start_on:
        problems.append((5, "ngày kết thúc trước ngày bắt đầu"))
    value = {
        "person": person,
        "kind": kind,
        "start_on": start_on,
        "end_on": end_on,
        "decision_number": imports.text(number_cell)[:60],
        "decision_date": _day(date_cell, 7, "Ngày quyết định", problems),
    }
    return value, problems


def unknown_form_message(name, context):
    return context.catalogue.unknown_form(name)


def _award_row(line, cells, context):
    year_cell, form_cell, kind_cell, person_id, name, unit_cell, number_cell, date_cell, authority_cell = cells
    problems = []
    year = _year(year_cell, 0, problems)
    form_name = imports.text(form_cell)
    form = context.catalogue.form(form_name) if form_name else None
    if not form_name:
        problems.append((1, "thiếu hình thức, danh hiệu"))
    elif form is None:
        problems.append((1, unknown_form_message(form_name, context)))
    kind = _word(KIND_WORDS, kind_cell, 2, "đối tượng (ghi “Cá nhân” hoặc “Tập thể”)", problems)
    if form is not None and kind and form.recipient_kind not in (AwardForm.RecipientKind.BOTH, kind):
        problems.append((1, f"{form.display_name} chỉ dành cho {form.get_recipient_kind_display().lower()}"))
    person = unit = None
    if kind == Nomination.NomineeKind.INDIVIDUAL:
        person, found = _match_person(context, person_id, name, unit_cell, (3, 4, 5))
        problems += found
        unit = context.catalogue.unit(imports.text(unit_cell)) or (person.unit if person else None)
    elif kind == Nomination.NomineeKind.COLLECTIVE:
        unit = context.catalogue.unit(imports.text(name), imports.text(unit_cell))
        if unit is None:
            problems.append((4, f"không có đơn vị “{imports.text(name) or imports.text(unit_cell)}” của Sở"))
    number = imports.text(number_cell)
    if not number:
        problems.append((6, "thiếu số quyết định"))
    elif len(number) > 60:
        problems.append((6, "số quyết định dài quá 60 ký tự"))
    decision_date = _day(date_cell, 7, "Ngày quyết định", problems)
    if decision_date and year and decision_date.year < year:
        problems.append((7, "ngày quyết định trước năm được khen thưởng"))
    authority = imports.text(authority_cell) or (form.conferring_authority if form else "")
    value = {
        "year": year,
        "form": form,
        "recipient_kind": kind,
        "person": person,
        "unit": unit,
        "decision_number": number,
        "decision_date": decision_date,
        "conferring_authority": authority[:200],
    }
    return value, problems


MEMBERSHIPS, CLASSIFICATIONS, INITIATIVES, DISCIPLINES, AWARDS = (
    "Quá trình công tác",
    "Xếp loại",
    "Sáng kiến",
    "Kỷ luật",
    "Khen thưởng",
)


def _check_across(rows, context):
    """Problems across rows: a year's classification twice, and a year in which the person belonged to no unit (by
    the memberships recorded and those of the file)."""
    problems = []
    memberships = {person_id: list(items) for person_id, items in context.memberships.items()}
    for row in rows.get(MEMBERSHIPS, []):
        value = row.value
        memberships.setdefault(value["person"].pk, []).append(
            Membership(person=value["person"], unit=value["unit"], start_on=value["start_on"], end_on=value["end_on"])
        )
    seen = {}
    for row in rows.get(CLASSIFICATIONS, []):
        value = row.value
        key = (value["person"].pk if value["person"] else None, value["unit"].pk if value["unit"] else None)
        key = (*key, value["year"])
        if key in seen:
            problems.append(
                imports.Problem(CLASSIFICATIONS, row.line, "Năm", f"năm {value['year']} đã có ở dòng {seen[key]}")
            )
        seen.setdefault(key, row.line)
    checks = (
        (CLASSIFICATIONS, "year", "Năm"),
        (INITIATIVES, "year", "Năm được công nhận"),
        (DISCIPLINES, "start_on", "Từ ngày"),
    )
    for sheet, key, column in checks:
        for row in rows.get(sheet, []):
            person = row.value["person"]
            if person is None:
                continue
            when = row.value[key]
            year = when if isinstance(when, int) else when.year
            if not covered(memberships.get(person.pk, []), year):
                problems.append(
                    imports.Problem(
                        sheet,
                        row.line,
                        column,
                        f"năm {year}, {person.full_name} không thuộc đơn vị nào theo quá trình công tác",
                    )
                )
    return problems


def _write(rows, register_import, actor, context):
    """Store the checked rows; a row already held (the same person, unit or title and dates) is skipped."""
    imported = {"source": RecordSource.IMPORTED, "imported_in": register_import}
    created, skipped = {}, 0

    def fresh(sheet, key, existing):
        nonlocal skipped
        kept = []
        for row in rows.get(sheet, []):
            identity = key(row.value)
            if identity in existing:
                skipped += 1
                continue
            existing.add(identity)
            kept.append(row.value)
        created[sheet] = len(kept)
        return kept

    person_ids = {row.value["person"].pk for sheet in rows.values() for row in sheet if row.value.get("person")}
    held = set(Membership.objects.filter(person__in=person_ids).values_list("person_id", "unit_id", "start_on"))
    Membership.objects.bulk_create(
        Membership(**value, **imported)
        for value in fresh(MEMBERSHIPS, lambda v: (v["person"].pk, v["unit"].pk, v["start_on"]), held)
    )
    held = {(row.person_id, row.unit_id, row.year) for row in context.classified.values()}
    ClassificationRecord.objects.bulk_create(
        ClassificationRecord(**value, **imported)
        for value in fresh(
            CLASSIFICATIONS,
            lambda v: (v["person"].pk if v["person"] else None, v["unit"].pk if v["unit"] else None, v["year"]),
            held,
        )
    )
    held = {
        (person_id, fold_for_search(title), year)
        for person_id, title, year in Initiative.objects.filter(person__in=person_ids).values_list(
            "person_id", "title", "year"
        )
    }
    Initiative.objects.bulk_create(
        Initiative(**value, **imported)
        for value in fresh(INITIATIVES, lambda v: (v["person"].pk, fold_for_search(v["title"]), v["year"]), held)
    )
    held = set(Discipline.objects.filter(person__in=person_ids).values_list("person_id", "kind", "start_on"))
    Discipline.objects.bulk_create(
        Discipline(**value, **imported)
        for value in fresh(DISCIPLINES, lambda v: (v["person"].pk, v["kind"], v["start_on"]), held)
    )
    awards = []
    for value in rows.get(AWARDS, []):
        value = value.value
        person, unit = value["person"], value["unit"]
        record = AwardRecord(
            year=value["year"],
            form=value["form"],
            form_name=value["form"].display_name,
            recipient_kind=value["recipient_kind"],
            recipient_name=person.full_name if person else unit.name,
            position=person.position_title if person else "",
            unit=unit,
            unit_name=unit.name if unit else "",
            person=person,
            decision_number=value["decision_number"],
            decision_date=value["decision_date"],
            conferring_authority=value["conferring_authority"],
            source=AwardRecord.Source.IMPORTED,
            imported_in=register_import,
        )
        record.fill_search_key()
        awards.append(record)
    held = set(
        AwardRecord.objects.filter(
            year__in={record.year for record in awards},
            decision_number__in={record.decision_number for record in awards},
        ).values_list("year", "form_name", "recipient_name", "unit_name", "decision_number")
    )
    new_awards = []
    for record in awards:
        key = (record.year, record.form_name, record.recipient_name, record.unit_name, record.decision_number)
        if key in held:
            skipped += 1
            continue
        held.add(key)
        new_awards.append(record)
    AwardRecord.objects.bulk_create(new_awards, batch_size=500)
    created[AWARDS] = len(new_awards)
    total = sum(created.values())
    notify(
        office_reviewers(),
        f"{actor.get_full_name()} đã nhập {total} dòng hồ sơ thành tích từ tệp “{register_import.original_name}” "
        f"(bỏ qua {skipped} dòng đã có).",
        reverse("awards:records_import"),
        actor=actor,
    )
    return total, skipped, {"created": created}


RECORDS_IMPORT = imports.ImportSpec(
    slug="records",
    label="hồ sơ thành tích",
    sheets=(
        imports.SheetSpec(
            MEMBERSHIPS,
            (
                PERSON_ID,
                PERSON_NAME,
                UNIT_NAME,
                imports.Column("Từ ngày (dd/mm/yyyy)", example="01/01/2015", width=14),
                imports.Column("Đến ngày (dd/mm/yyyy)", example="31/07/2025", width=14),
            ),
            _membership_row,
            title="Mỗi dòng một thời gian công tác tại một đơn vị; để trống “Đến ngày” nếu đang công tác.",
        ),
        imports.SheetSpec(
            CLASSIFICATIONS,
            (
                imports.Column("Năm", example=2019, width=8),
                KIND_COLUMN,
                PERSON_ID,
                RECIPIENT,
                UNIT_NAME,
                imports.Column("Xếp loại", example="Hoàn thành xuất sắc nhiệm vụ", width=30),
                imports.Column("Cấp xếp loại", example="Giám đốc Sở", width=24),
            ),
            _classification_row,
            title="Mỗi dòng xếp loại chất lượng một năm của một cá nhân hoặc một tập thể.",
        ),
        imports.SheetSpec(
            INITIATIVES,
            (
                PERSON_ID,
                PERSON_NAME,
                UNIT_NAME,
                imports.Column("Loại (Sáng kiến/Đề tài)", example="Sáng kiến", width=12),
                imports.Column("Tên sáng kiến, đề tài", example="Số hóa hồ sơ thẩm định công nghệ", width=40),
                imports.Column("Năm được công nhận", example=2019, width=10),
                imports.Column("Cơ quan công nhận", example="Hội đồng sáng kiến tỉnh", width=28),
                imports.Column("Phạm vi ảnh hưởng (Cấp cơ sở/Cấp tỉnh/Toàn quốc)", example="Cấp tỉnh", width=16),
                DECISION_NUMBER,
                DECISION_DATE,
            ),
            _initiative_row,
            title="Mỗi dòng một sáng kiến, đề tài được công nhận.",
        ),
        imports.SheetSpec(
            DISCIPLINES,
            (
                PERSON_ID,
                PERSON_NAME,
                UNIT_NAME,
                imports.Column("Hình thức kỷ luật", example="Khiển trách", width=16),
                imports.Column("Từ ngày (dd/mm/yyyy)", example="01/03/2018", width=14),
                imports.Column("Đến ngày (dd/mm/yyyy)", example="28/02/2019", width=14),
                DECISION_NUMBER,
                DECISION_DATE,
            ),
            _discipline_row,
            title="Mỗi dòng một quyết định kỷ luật, thời gian có hiệu lực từ ngày đến ngày.",
        ),
        imports.SheetSpec(
            AWARDS,
            (
                imports.Column("Năm", example=2019, width=8),
                imports.Column("Hình thức, danh hiệu", example="Chiến sĩ thi đua cơ sở", width=36),
                KIND_COLUMN,
                PERSON_ID,
                RECIPIENT,
                UNIT_NAME,
                DECISION_NUMBER,
                DECISION_DATE,
                imports.Column("Cấp quyết định", example="", width=28),
            ),
            _award_row,
            title="Mỗi dòng một danh hiệu, hình thức khen thưởng; tên đúng như trang “Danh mục”.",
        ),
    ),
    context=_RecordContext,
    begin=begin_register_import,
    write=_write,
    check=_check_across,
    finish=finish_register_import,
)

INSTRUCTIONS = (
    "Mỗi trang một loại: Quá trình công tác, Xếp loại, Sáng kiến, Kỷ luật, Khen thưởng; giữ nguyên tên trang, dòng "
    "tiêu đề và thứ tự các cột. Trang không dùng có thể để trống hoặc xóa.",
    "Xóa dòng ví dụ dưới tiêu đề trước khi điền.",
    "Cá nhân được nhận ra theo họ và tên cùng đơn vị (đơn vị hiện tại hoặc đơn vị trong quá trình công tác đã nhập); "
    "người đã chuyển đơn vị hoặc trùng tên thì ghi mã cá nhân (số ở cuối địa chỉ trang hồ sơ cá nhân).",
    f"Năm từ {EARLIEST_YEAR} đến năm nay; ngày theo dạng dd/mm/yyyy.",
    "Xếp loại: Hoàn thành xuất sắc nhiệm vụ, Hoàn thành tốt nhiệm vụ, Hoàn thành nhiệm vụ, Không hoàn thành nhiệm vụ.",
    "Phạm vi ảnh hưởng của sáng kiến: Cấp cơ sở, Cấp tỉnh, Toàn quốc.",
    "Hình thức kỷ luật: " + ", ".join(label for _, label in DisciplineKind.choices) + ".",
    "Khen thưởng: tên hình thức, danh hiệu phải đúng như trang “Danh mục” (gõ không dấu cũng được); "
    "tên ngoài danh mục bị từ chối, Cổng gợi ý các tên gần nhất.",
    "Cổng kiểm tra mọi dòng và liệt kê lỗi (trang, dòng, cột) trước khi ghi; chỉ khi không còn lỗi mới bấm “Nhập”, "
    "và mọi dòng được nhập cùng lúc. Dòng đã có trong hồ sơ được bỏ qua.",
)


def records_template_bytes():
    """The XLSX template: one tab per kind with its header and an example row, the instructions and the catalogue."""
    forms = AwardForm.objects.filter(is_active=True).order_by("sort_order", "name")
    sheets = [
        Sheet(
            spec.name,
            list(spec.header),
            [tuple(column.example for column in spec.columns)],
            title=[f"Mẫu nhập hồ sơ thành tích — {spec.name}", spec.title],
            widths=[column.width for column in spec.columns],
        )
        for spec in RECORDS_IMPORT.sheets
    ]
    sheets.append(
        Sheet(
            "Hướng dẫn",
            ["Hướng dẫn điền"],
            [(line,) for line in INSTRUCTIONS],
            title=["Hướng dẫn điền mẫu nhập hồ sơ thành tích"],
            widths=[110],
        )
    )
    sheets.append(
        Sheet(
            "Danh mục",
            ["Hình thức, danh hiệu", "Đối tượng", "Thẩm quyền quyết định"],
            [(form.display_name, form.get_recipient_kind_display(), form.conferring_authority) for form in forms],
            title=["Danh mục hình thức, danh hiệu khen thưởng"],
        )
    )
    return sheets_bytes(sheets)


@dataclass
class RecordsImported:
    register_import: object
    created: dict


def records_preview(*, upload, actor):
    """Read and check an uploaded file of past records; nothing is written."""
    _require_office(actor)
    return imports.read(RECORDS_IMPORT, upload)


def records_import(*, session, token, actor):
    """Write the previewed file (kept in the session) in one transaction; refused while any problem remains."""
    _require_office(actor)
    return _imported(imports.apply_kept(RECORDS_IMPORT, session, token, actor=actor))


def records_import_upload(*, upload, actor):
    """Read, check and write an upload at once (tests, commands): all rows or none."""
    _require_office(actor)
    return _imported(imports.apply(RECORDS_IMPORT, imports.read(RECORDS_IMPORT, upload), actor=actor))


def _imported(applied):
    return RecordsImported(register_import=applied.batch, created=applied.details["created"])
