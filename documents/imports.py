"""The one import mechanism for spreadsheets: read and check every row, show the problems, then write all rows in
one transaction or none.

An importer is an `ImportSpec`: its sheets (`SheetSpec`: the tab's name, the columns in order, a row parser), a
context loaded once per reading (what the rows are matched against — a fixed number of queries), an optional check
across rows and sheets, the batch row the import is recorded in (`begin`) and a writer. The flow:

    preview = imports.read(spec, upload)          # writes nothing; preview.problems lists sheet, row, column, text
    token = imports.keep(session, spec, upload)   # the upload kept (private storage + session) until it is applied
    applied = imports.apply_kept(spec, session, token, actor=actor)   # read again, refused while any problem remains

`apply(spec, preview, actor=)` writes a checked preview directly (a one-step page, a command, the demo). The app
that owns the rows owns its batch: `begin(preview, actor)` creates it (the award register's `RegisterImport`, a
past period's `HistoryImport` with its source file), `write(rows, batch, actor, context)` stores the rows and
returns (created, skipped, details), `finish(batch, created, skipped)` records the counts. A refusal is an
`ImportRefused` (workflow.errors.Refused), its text shown as it is.
"""

import datetime
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from openpyxl import load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.utils.escape import unescape

from portal.text import clean_text, fold_for_search
from portal.uploads import private_storage, upload_sha256, validate_upload
from workflow.errors import Refused

MAX_ROWS = 5000
MAX_ROWS_LABEL = "5.000"
# A sheet formatted down to row 1,048,576 reads as a million empty rows: stop after this many in a row.
MAX_EMPTY_RUN = 1000
# A sheet may open with a few title lines, each in column A alone, above the header.
MAX_TITLE_LINES = 10
# Problems listed on a page; the rest are counted.
MAX_LISTED_PROBLEMS = 100
DATE_FORMAT = "%d/%m/%Y"
DATE_TEXT = re.compile(r"(\d{1,2})/(\d{1,2})/(\d{4})")
PENDING_FOLDER = "imports/pending"
SESSION_KEY = "import-{slug}"


@dataclass(frozen=True)
class Column:
    header: str
    example: object = ""
    width: int = 20


@dataclass(frozen=True)
class SheetSpec:
    """A tab of the workbook. `name` None reads the first tab whatever its name (the award register's file).

    `parse(line, cells, context)` returns (value, problems): problems are (column index or None, message); a row
    with problems gives no value.
    """

    name: str | None
    columns: tuple
    parse: Callable
    title: str = ""

    @property
    def header(self):
        return tuple(column.header for column in self.columns)


@dataclass(frozen=True)
class ImportSpec:
    """An importer: `context()` loads what rows are matched against; `check(rows, context)` returns problems across
    rows ({sheet name: [Row]} → [Problem]); `begin(preview, actor)` creates the batch row the import is recorded in;
    `write(rows, batch, actor, context)` stores the rows inside the transaction and returns (created, skipped,
    details); `finish(batch, created, skipped)` records the counts on the batch."""

    slug: str
    label: str
    sheets: tuple
    context: Callable
    begin: Callable
    write: Callable
    check: Callable | None = None
    finish: Callable | None = None


@dataclass(frozen=True)
class Problem:
    sheet: str
    line: int | None
    column: str
    message: str

    def __str__(self):
        where = ", ".join(
            part
            for part in (
                f"Trang “{self.sheet}”" if self.sheet else "",
                f"dòng {self.line}" if self.line else "",
                f"cột “{self.column}”" if self.column else "",
            )
            if part
        )
        return f"{where[:1].upper()}{where[1:]}: {self.message}" if where else self.message


@dataclass
class Row:
    line: int
    value: object


@dataclass
class Preview:
    """What a file holds: its checked rows per sheet and every problem found, before anything is written."""

    spec: ImportSpec
    original_name: str
    sha256: str
    rows: dict = field(default_factory=dict)  # sheet name → [Row]
    problems: list = field(default_factory=list)
    fatal: bool = False  # the file could not be read as a whole (not xlsx, wrong header, too many rows)
    context: object = None  # what the rows were matched against, handed to the writer
    upload: object = None  # the file read, for a batch that keeps its source

    @property
    def ok(self):
        return not self.problems

    @property
    def listed_problems(self):
        return self.problems[:MAX_LISTED_PROBLEMS]

    @property
    def more_problems(self):
        return max(len(self.problems) - MAX_LISTED_PROBLEMS, 0)

    @property
    def counts(self):
        return [(sheet.name or sheet.title, len(self.rows.get(sheet.name or "", []))) for sheet in self.spec.sheets]

    @property
    def row_count(self):
        return sum(len(rows) for rows in self.rows.values())


@dataclass
class Applied:
    batch: object
    details: dict


class ImportRefused(Refused):
    """An import that cannot go ahead (the kept file is gone, the records changed underneath)."""


class ImportInvalid(ImportRefused):
    """The file cannot be imported whole; `preview` holds its problems."""

    def __init__(self, preview):
        total = len(preview.problems)
        super().__init__(f"Tệp chưa nhập được: có {total} lỗi. Không dòng nào được nhập; vui lòng sửa và tải lên lại.")
        self.preview = preview
        self.total = total


# --- Cells ---------------------------------------------------------------------------------------------------------


def text(value):
    """A cell as one line of clean text ("" if blank)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime | datetime.date):
        return value.strftime(DATE_FORMAT)
    # A cell may hold what was pasted from Word, which Excel stores escaped ("_x000B_" for a vertical tab).
    return " ".join(clean_text(unescape(str(value))).split())


def year(value):
    """A year cell as an int, or None."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    typed = text(value)
    return int(typed) if typed.isdigit() else None


def date(value):
    """A date cell, a dd/mm/yyyy text or an unformatted Excel serial; None if blank; ValueError if unreadable."""
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, int | float) and not isinstance(value, bool):
        return from_excel(value).date()
    match = DATE_TEXT.fullmatch(text(value))
    if match is None:
        raise ValueError(value)
    day, month, number = (int(part) for part in match.groups())
    return datetime.date(number, month, day)


# --- Reading -------------------------------------------------------------------------------------------------------


def _header_matches(cells, header):
    cells = (list(cells) + [None] * len(header))[: len(header)]
    for cell, expected in zip(cells, header, strict=True):
        # The part before a bracket is enough: "Ngày quyết định" matches "Ngày quyết định (dd/mm/yyyy)".
        if fold_for_search(text(cell)).split(" (")[0] != fold_for_search(expected).split(" (")[0]:
            return False
    return True


class _FileRefused(Exception):
    def __init__(self, message):
        self.message = message


def _find_sheet(workbook, spec_sheet):
    if spec_sheet.name is None:
        return workbook.worksheets[0]
    wanted = fold_for_search(spec_sheet.name)
    for sheet in workbook.worksheets:
        if fold_for_search(sheet.title) == wanted:
            return sheet
    return None


def _read_sheet(sheet, spec_sheet, context, preview, seen):
    """The sheet's rows into the preview; a header not in the template or too many rows refuse the file."""
    header = spec_sheet.header
    label = spec_sheet.name or ""
    rows = preview.rows.setdefault(label, [])
    header_seen = False
    empty_run = 0
    for line, cells in enumerate(sheet.iter_rows(max_col=len(header), values_only=True), start=1):
        cells = (list(cells) + [None] * len(header))[: len(header)]
        if all(text(cell) == "" for cell in cells):
            empty_run += 1
            if empty_run >= MAX_EMPTY_RUN:
                break
            continue
        empty_run = 0
        if not header_seen:
            if _header_matches(cells, header):
                header_seen = True
                continue
            if line <= MAX_TITLE_LINES and all(text(cell) == "" for cell in cells[1:]):
                continue  # a title line of an export or of the template
            where = f"Trang “{label}”, dòng {line}" if label else f"Dòng {line}"
            raise _FileRefused(
                f"{where}: tiêu đề các cột không đúng mẫu. Cần đúng thứ tự: "
                + " | ".join(header)
                + ". Hãy tải tệp mẫu và chép dữ liệu vào."
            )
        seen[0] += 1
        if seen[0] > MAX_ROWS:
            raise _FileRefused(f"Tệp có hơn {MAX_ROWS_LABEL} dòng dữ liệu; vui lòng chia thành nhiều tệp.")
        value, problems = spec_sheet.parse(line, cells, context)
        for index, message in problems:
            column = header[index] if index is not None else ""
            preview.problems.append(Problem(label, line, column, message))
        if not problems:
            rows.append(Row(line, value))
    if not header_seen:
        if label:
            raise _FileRefused(f"Trang “{label}”: không thấy dòng tiêu đề theo mẫu.")
        raise _FileRefused("Tệp không có dữ liệu: không thấy dòng tiêu đề theo mẫu.")


def read(spec, upload, *, context=None):
    """Every row of the upload, checked: a Preview listing each problem. Writes nothing."""
    sha256 = upload_sha256(upload)
    preview = Preview(spec=spec, original_name=(upload.name or "")[:255], sha256=sha256, upload=upload)
    try:
        _read_workbook(spec, upload, preview, context)
    except _FileRefused as refusal:
        preview.rows = {}
        preview.problems = [Problem("", None, "", refusal.message)]
        preview.fatal = True
    return preview


def _read_workbook(spec, upload, preview, context):
    try:
        checked = validate_upload(upload)
    except ValidationError as error:
        raise _FileRefused(" ".join(error.messages)) from None
    if checked.extension != "xlsx":
        raise _FileRefused(f"Chỉ nhận tệp Excel .xlsx theo mẫu của {spec.label}.")
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
    except Exception:
        raise _FileRefused("Không đọc được tệp Excel; vui lòng lưu lại tệp dưới dạng .xlsx.") from None
    try:
        context = spec.context() if context is None else context
        seen = [0]
        found = 0
        for spec_sheet in spec.sheets:
            sheet = _find_sheet(workbook, spec_sheet)
            if sheet is None:
                continue  # a tab left out of the file: nothing of that kind to import
            found += 1
            _read_sheet(sheet, spec_sheet, context, preview, seen)
    finally:
        workbook.close()
    if not found:
        names = ", ".join(f"“{sheet.name}”" for sheet in spec.sheets)
        raise _FileRefused(f"Tệp không có trang nào theo mẫu ({names}).")
    if spec.check is not None and not preview.problems:
        preview.problems.extend(spec.check(preview.rows, context))
    if not preview.problems and not preview.row_count:
        raise _FileRefused("Tệp chỉ có dòng tiêu đề, không có dòng dữ liệu nào.")
    preview.problems.sort(key=lambda problem: (_sheet_order(spec, problem.sheet), problem.line or 0))
    preview.context = context


def _sheet_order(spec, name):
    for index, sheet in enumerate(spec.sheets):
        if (sheet.name or "") == name:
            return index
    return len(spec.sheets)


# --- Writing -------------------------------------------------------------------------------------------------------


def apply(spec, preview, *, actor):
    """Write every row of a checked preview in one transaction; refused (ImportInvalid) while any problem remains."""
    if preview.problems:
        raise ImportInvalid(preview)
    try:
        with transaction.atomic():
            batch = spec.begin(preview, actor)
            created, skipped, details = spec.write(preview.rows, batch, actor, preview.context)
            if spec.finish is not None:
                spec.finish(batch, created, skipped)
    except IntegrityError:
        raise ImportRefused(
            f"{spec.label[:1].upper()}{spec.label[1:]} vừa được cập nhật cùng lúc; vui lòng tải tệp lên lại."
        ) from None
    return Applied(batch=batch, details=details)


# --- Keeping the upload between the preview and "Nhập" -------------------------------------------------------------


def keep(session, spec, upload):
    """Keep the upload in private storage, named by its sha256, and remember it in the session; the token."""
    sha256 = upload_sha256(upload)
    discard(session, spec)
    upload.seek(0)
    stored = private_storage.save(f"{PENDING_FOLDER}/{sha256}.xlsx", ContentFile(upload.read()))
    upload.seek(0)
    session[SESSION_KEY.format(slug=spec.slug)] = {"sha256": sha256, "path": stored, "name": (upload.name or "")[:255]}
    return sha256


def kept(session, spec, token):
    """The kept upload for this token as a file to read again, or None if there is none (or it changed)."""
    pending = session.get(SESSION_KEY.format(slug=spec.slug))
    if not pending or pending.get("sha256") != token or not private_storage.exists(pending["path"]):
        return None
    with private_storage.open(pending["path"], "rb") as stored:
        content = stored.read()
    if hashlib.sha256(content).hexdigest() != token:
        return None
    return ContentFile(content, name=pending["name"])


def discard(session, spec):
    pending = session.pop(SESSION_KEY.format(slug=spec.slug), None)
    if pending and private_storage.exists(pending["path"]):
        private_storage.delete(pending["path"])


def apply_kept(spec, session, token, *, actor):
    """Read the kept upload again (the records may have changed since the preview), then apply it; the kept file is
    removed once written. ImportInvalid with the new preview if a problem appeared, ImportRefused if nothing is
    kept."""
    upload = kept(session, spec, token)
    if upload is None:
        raise ImportRefused("Không còn tệp đã xem trước; vui lòng tải tệp lên lại.")
    applied = apply(spec, read(spec, upload), actor=actor)
    discard(session, spec)
    return applied
