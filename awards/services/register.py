"""The award register (sổ theo dõi khen thưởng): importing past decisions from xlsx, the xlsx template and
export, and the public's comments on nominees under notice.

An import reads every row first and writes nothing unless every row is valid; rows already in the
register (the award_record_once constraint) are skipped and counted. An individual whose unit is
known is linked to the unit's person of that name, or a new person is created, so the eligibility
checks find the history when the person is nominated later.
"""

import datetime
from dataclasses import dataclass

from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from documents import imports
from documents.xlsx import Sheet, sheets_bytes, workbook_bytes
from notifications.services import notify
from portal.text import fold_for_search
from units.models import Person, Unit
from units.selectors import office_reviewers

from .. import permissions
from ..errors import AwardError, NotAllowed
from ..models import (
    AwardForm,
    AwardRecord,
    Nomination,
    NominationTransition,
    PublicComment,
    RegisterImport,
)
from ..selectors import NOTICE_STATES
from .imports import Catalogue, begin_register_import, finish_register_import

TEMPLATE_HEADER = (
    "Năm",
    "Hình thức, danh hiệu",
    "Đối tượng (Tập thể/Cá nhân)",
    "Họ và tên / Tên tập thể",
    "Chức vụ",
    "Đơn vị",
    "Số quyết định",
    "Ngày quyết định (dd/mm/yyyy)",
    "Cấp quyết định",
)
TEMPLATE_WIDTHS = (8, 40, 16, 32, 22, 36, 20, 18, 36)
MAX_ROWS, MAX_ROWS_LABEL, MAX_LISTED_PROBLEMS = imports.MAX_ROWS, imports.MAX_ROWS_LABEL, imports.MAX_LISTED_PROBLEMS
EARLIEST_YEAR = 1945
DATE_FORMAT = "%d/%m/%Y"
KIND_WORDS = {
    "tap the": Nomination.NomineeKind.COLLECTIVE,
    "ca nhan": Nomination.NomineeKind.INDIVIDUAL,
}
LIMITS = {
    "form_name": 255,
    "recipient_name": 255,
    "position": 150,
    "unit_name": 255,
    "decision_number": 60,
    "conferring_authority": 200,
}


class RegisterFileInvalid(AwardError):
    """The file cannot be imported; `problems` lists what is wrong, row by row."""

    def __init__(self, problems, *, total=None):
        total = len(problems) if total is None else total
        super().__init__(f"Tệp chưa nhập được: có {total} lỗi. Không dòng nào được nhập; vui lòng sửa và tải lên lại.")
        self.problems = problems
        self.total = total

    @classmethod
    def from_preview(cls, preview):
        problems = _register_problems(preview)
        return cls(problems[:MAX_LISTED_PROBLEMS], total=len(problems))


@dataclass
class RegisterRow:
    line: int
    year: int
    form: AwardForm | None
    form_name: str
    recipient_kind: str
    recipient_name: str
    position: str
    unit: Unit | None
    unit_name: str
    decision_number: str
    decision_date: datetime.date | None
    conferring_authority: str
    person: Person | None = None

    @property
    def key(self):
        return (self.year, self.form_name, self.recipient_name, self.unit_name, self.decision_number)


@dataclass
class ImportResult:
    register_import: RegisterImport
    persons_created: int
    persons_linked: int


# ---------------------------------------------------------------------------------------------
# Reading a file (documents.imports reads the workbook; this module reads a row)
# ---------------------------------------------------------------------------------------------

_text, _year, _date = imports.text, imports.year, imports.date


def _read_row(line, cells, catalogue, today):
    """A RegisterRow, or the row's problems."""
    year_cell, form_cell, kind_cell, name_cell, position_cell, unit_cell, number_cell, date_cell, authority_cell = (
        list(cells) + [None] * len(TEMPLATE_HEADER)
    )[: len(TEMPLATE_HEADER)]
    problems = []
    year = _year(year_cell)
    if year is None or not EARLIEST_YEAR <= year <= today.year:
        problems.append(f"năm không hợp lệ (“{_text(year_cell)}”), phải là năm từ {EARLIEST_YEAR} đến {today.year}")
    form_name = _text(form_cell)
    form = catalogue.form(form_name) if form_name else None
    if form is not None:
        form_name = form.display_name
    elif not form_name:
        problems.append("thiếu hình thức, danh hiệu")
    else:
        problems.append(catalogue.unknown_form(form_name))
    kind = KIND_WORDS.get(fold_for_search(_text(kind_cell)))
    if kind is None:
        problems.append(f"đối tượng phải là “Tập thể” hoặc “Cá nhân” (đang ghi “{_text(kind_cell)}”)")
    elif form is not None and form.recipient_kind not in (AwardForm.RecipientKind.BOTH, kind):
        problems.append(f"{form_name} chỉ dành cho {form.get_recipient_kind_display().lower()}")
    name = _text(name_cell)
    if not name:
        problems.append("thiếu họ và tên / tên tập thể")
    position = _text(position_cell)
    unit_name = _text(unit_cell)
    if kind == Nomination.NomineeKind.INDIVIDUAL and not unit_name:
        problems.append("thiếu đơn vị của cá nhân")
    number = _text(number_cell)
    if not number:
        problems.append("thiếu số quyết định")
    try:
        decision_date = _date(date_cell)
    except (ValueError, OverflowError, TypeError):
        decision_date = None
        problems.append(f"ngày quyết định không hợp lệ (“{_text(date_cell)}”), phải theo dạng dd/mm/yyyy")
    else:
        if decision_date is not None and decision_date > today:
            problems.append("ngày quyết định sau ngày hôm nay")
        elif decision_date is not None and year is not None and decision_date.year < year:
            problems.append("ngày quyết định trước năm được khen thưởng")
    authority = _text(authority_cell) or (form.conferring_authority if form is not None else "")
    values = {
        "form_name": form_name,
        "recipient_name": name,
        "position": position,
        "unit_name": unit_name,
        "decision_number": number,
        "conferring_authority": authority,
    }
    for field, limit in LIMITS.items():
        if len(values[field]) > limit:
            label = AwardRecord._meta.get_field(field).verbose_name
            problems.append(f"{label} dài quá {limit} ký tự")
    if problems:
        return None, problems
    # A collective is a unit itself: its name alone may identify it.
    unit = catalogue.unit(unit_name, name) if kind == Nomination.NomineeKind.COLLECTIVE else catalogue.unit(unit_name)
    if unit is not None:
        # "PKT" or "phong ke hoach" is written as the unit's name, so the register reads (and dedupes) alike.
        unit_name = unit.name
    return (
        RegisterRow(
            line=line,
            year=year,
            form=form,
            form_name=form_name,
            recipient_kind=kind,
            recipient_name=name,
            position=position,
            unit=unit,
            unit_name=unit_name,
            decision_number=number,
            decision_date=decision_date,
            conferring_authority=authority,
        ),
        [],
    )


def _parse_row(line, cells, context):
    catalogue, today = context
    row, problems = _read_row(line, cells, catalogue, today)
    return row, [(None, problem) for problem in problems]


def _write(rows, register_import, actor, context):
    return _store([row.value for row in rows[""]], register_import, actor)


REGISTER_IMPORT = imports.ImportSpec(
    slug="register",
    label="Sổ theo dõi khen thưởng",
    sheets=(
        imports.SheetSpec(
            name=None,
            columns=tuple(
                imports.Column(header, width=width)
                for header, width in zip(TEMPLATE_HEADER, TEMPLATE_WIDTHS, strict=True)
            ),
            parse=_parse_row,
        ),
    ),
    context=lambda: (Catalogue(), timezone.localdate()),
    begin=begin_register_import,
    write=_write,
    finish=finish_register_import,
)


def _register_problems(preview):
    """The problems as the register's page lists them: one line per row ("Dòng 3: …; …."), or the file's own."""
    rows = {}
    listed = []
    for problem in preview.problems:
        if problem.line is None:
            listed.append(problem.message)
        elif problem.line in rows:
            rows[problem.line].append(problem.message)
        else:
            rows[problem.line] = [problem.message]
            listed.append(problem.line)
    return [item if isinstance(item, str) else f"Dòng {item}: {'; '.join(rows[item])}." for item in listed]


def read_register_file(upload):
    """Every row of an uploaded register file, checked; RegisterFileInvalid listing each bad row otherwise."""
    preview = imports.read(REGISTER_IMPORT, upload)
    if preview.problems:
        raise RegisterFileInvalid.from_preview(preview)
    return preview


# ---------------------------------------------------------------------------------------------
# Importing
# ---------------------------------------------------------------------------------------------


def _person_key(unit_id, name):
    return unit_id, " ".join(name.split()).casefold()


def _link_people(rows):
    """Link each individual of a known unit to its person, creating the people not yet known; (created, linked)."""
    wanted = [row for row in rows if row.recipient_kind == Nomination.NomineeKind.INDIVIDUAL and row.unit is not None]
    known = {}
    for person in Person.objects.filter(unit__in={row.unit.pk for row in wanted}):
        known.setdefault(_person_key(person.unit_id, person.full_name), []).append(person)
    new = {}
    for row in wanted:
        key = _person_key(row.unit.pk, row.recipient_name)
        matches = known.get(key)
        if matches is None:
            if key not in new:
                new[key] = Person(full_name=row.recipient_name, position_title=row.position, unit=row.unit)
            row.person = new[key]
        elif len(matches) == 1:
            row.person = matches[0]
        # Two people of the same name in one unit: the record keeps the names and links no one.
    Person.objects.bulk_create(new.values())
    linked = sum(1 for row in wanted if row.person is not None)
    return len(new), linked


def register_import(*, upload, actor):
    """Import past decisions from an xlsx file in the template's columns; all rows or none.

    Raises NotAllowed for anyone but the office and RegisterFileInvalid (with the rows' problems) for a
    file that cannot be imported whole. Read, checked and written by documents.imports.
    """
    if not permissions.can_import_register(actor):
        raise NotAllowed("Chỉ Phòng Hành chính - Tổng hợp nhập sổ theo dõi khen thưởng.")
    applied = imports.apply(REGISTER_IMPORT, read_register_file(upload), actor=actor)
    return ImportResult(register_import=applied.batch, **applied.details)


def _store(rows, register_import, actor):
    existing = set(
        AwardRecord.objects.filter(
            year__in={row.year for row in rows}, decision_number__in={row.decision_number for row in rows}
        ).values_list("year", "form_name", "recipient_name", "unit_name", "decision_number")
    )
    fresh, skipped = [], 0
    for row in rows:
        if row.key in existing:
            skipped += 1
            continue
        existing.add(row.key)
        fresh.append(row)
    persons_created, persons_linked = _link_people(fresh)
    records = []
    for row in fresh:
        record = AwardRecord(
            year=row.year,
            form=row.form,
            form_name=row.form_name,
            recipient_kind=row.recipient_kind,
            recipient_name=row.recipient_name,
            position=row.position,
            unit_name=row.unit_name,
            unit=row.unit,
            person=row.person,
            decision_number=row.decision_number,
            decision_date=row.decision_date,
            conferring_authority=row.conferring_authority,
            source=AwardRecord.Source.IMPORTED,
            imported_in=register_import,
        )
        record.fill_search_key()
        records.append(record)
    AwardRecord.objects.bulk_create(records, batch_size=500)
    notify(
        office_reviewers(),
        f"{actor.get_full_name()} đã nhập {len(fresh)} khen thưởng vào sổ theo dõi từ tệp "
        f"“{register_import.original_name}” (bỏ qua {skipped} dòng đã có).",
        reverse("awards:register_list"),
        actor=actor,
    )
    return len(fresh), skipped, {"persons_created": persons_created, "persons_linked": persons_linked}


# ---------------------------------------------------------------------------------------------
# The template and the export
# ---------------------------------------------------------------------------------------------

INSTRUCTIONS = (
    "Điền mỗi khen thưởng trên một dòng của trang tính đầu tiên, giữ nguyên dòng tiêu đề và thứ tự các cột.",
    "Năm: năm được khen thưởng, ví dụ 2024.",
    "Hình thức, danh hiệu: ghi đúng tên trong danh mục (trang “Danh mục”) để Cổng nhận ra; "
    "tên khác danh mục vẫn được nhập và giữ nguyên như đã ghi.",
    "Đối tượng: ghi “Tập thể” hoặc “Cá nhân”.",
    "Đơn vị: tên đầy đủ hoặc chữ viết tắt của phòng, đơn vị thuộc Sở; bắt buộc với cá nhân.",
    "Ngày quyết định: theo dạng dd/mm/yyyy, ví dụ 20/12/2024.",
    "Cấp quyết định: để trống thì lấy thẩm quyền của hình thức trong danh mục.",
    f"Mỗi tệp tối đa {MAX_ROWS_LABEL} dòng; dòng trống được bỏ qua.",
    "Nếu có dòng sai, Cổng liệt kê lỗi theo từng dòng và không nhập dòng nào; dòng đã có trong sổ được bỏ qua.",
)


def register_template_bytes():
    forms = AwardForm.objects.filter(is_active=True).order_by("sort_order", "name")
    return sheets_bytes(
        [
            Sheet(
                "Sổ khen thưởng",
                TEMPLATE_HEADER,
                [],
                title=["Mẫu nhập Sổ theo dõi khen thưởng", "Điền từ dòng dưới tiêu đề các cột; xem trang “Hướng dẫn”."],
                widths=TEMPLATE_WIDTHS,
            ),
            Sheet(
                "Hướng dẫn",
                ["Hướng dẫn điền"],
                [(line,) for line in INSTRUCTIONS],
                title=["Hướng dẫn điền mẫu nhập Sổ theo dõi khen thưởng"],
                widths=[110],
            ),
            Sheet(
                "Danh mục",
                ["Hình thức, danh hiệu", "Đối tượng", "Thẩm quyền quyết định"],
                [(form.display_name, form.get_recipient_kind_display(), form.conferring_authority) for form in forms],
                title=["Danh mục hình thức, danh hiệu khen thưởng"],
            ),
        ]
    )


def register_rows(records):
    """The export's rows, in the template's columns, so an export can be imported again."""
    kinds = dict(Nomination.NomineeKind.choices)
    for record in records.iterator(chunk_size=2000):
        yield (
            record.year,
            record.form_name,
            kinds.get(record.recipient_kind, ""),
            record.recipient_name,
            record.position,
            record.unit_name,
            record.decision_number,
            record.decision_date,
            record.conferring_authority,
        )


def register_export_bytes(records, *, year=None):
    """The register's rows under a title block (read past by the import), years and decision dates typed."""
    title = [
        "Sổ theo dõi khen thưởng",
        f"Năm khen thưởng: {year}" if year else "Các năm khen thưởng: tất cả",
        f"Trích xuất ngày {timezone.localdate():%d/%m/%Y}",
    ]
    return workbook_bytes(
        "Sổ theo dõi khen thưởng", TEMPLATE_HEADER, register_rows(records), widths=TEMPLATE_WIDTHS, title=title
    )


# ---------------------------------------------------------------------------------------------
# The public's comments
# ---------------------------------------------------------------------------------------------


def public_comment_add(*, nomination_id, sender_name, sender_contact, message, today=None):
    """Save a comment from the public on a nominee under notice and tell the office."""
    today = today or timezone.localdate()
    with transaction.atomic():
        nomination = (
            Nomination.objects.select_for_update(of=("self",))
            .select_related("round", "form")
            .filter(pk=nomination_id, status__in=NOTICE_STATES)
            .first()
        )
        if nomination is None or not nomination.round.notice_runs_on(today):
            raise NotAllowed("Đề nghị khen thưởng này không còn trong thời gian công khai.")
        comment = PublicComment.objects.create(
            nomination=nomination, sender_name=sender_name, sender_contact=sender_contact, message=message
        )
        NominationTransition.objects.create(
            nomination=nomination,
            action="public_comment",
            from_status=nomination.status,
            to_status=nomination.status,
            actor=None,
            comment="Nhận ý kiến góp ý của công chúng qua trang công khai.",
        )
        notify(
            office_reviewers(),
            f"Có ý kiến góp ý của công chúng về {nomination.nominee_name} ({nomination.form}).",
            reverse("awards:public_comments"),
        )
    return comment


def public_comment_handle(*, comment, actor):
    """The office marks a comment handled; a second press changes nothing."""
    if not permissions.can_handle_public_comments(actor):
        raise NotAllowed("Chỉ Phòng Hành chính - Tổng hợp xử lý ý kiến góp ý.")
    with transaction.atomic():
        comment = PublicComment.objects.select_for_update().select_related("nomination").get(pk=comment.pk)
        if comment.handled_at is not None:
            raise AwardError("Ý kiến này đã được đánh dấu đã xử lý.")
        comment.handled_at = timezone.now()
        comment.handled_by = actor
        comment.save(update_fields=["handled_at", "handled_by"])
        NominationTransition.objects.create(
            nomination=comment.nomination,
            action="public_comment_handled",
            from_status=comment.nomination.status,
            to_status=comment.nomination.status,
            actor=actor,
            comment="Đã xử lý ý kiến góp ý của công chúng.",
        )
    return comment
