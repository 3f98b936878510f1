"""Excel workbooks of the portal's exports and documents: one writer, one look for every sheet.

A sheet opens with its title block (what it holds, the document's number and date, the period), a bold
header row frozen under it, then the rows. Text is written as text, never as a formula. Amounts and rates
(`documents.model.Amount`, `Rate`) are numbers formatted "#,##0" and "0.00%", which a Vietnamese-locale
Excel shows as 27.700.000.000 and 47,16%; dates and datetimes are dates (local time), shown dd/mm/yyyy.
Sheet names are chosen by the caller to say what the sheet holds; the writer only makes them legal for Excel
(at most 31 characters, unique) as a last resort.

Workbooks are written in openpyxl's write-only mode (issue 17): each row goes to the file as it is appended,
so a long export (24,000 rows of the award register) keeps neither its cells nor their row heights in memory.
A sheet's column widths, frozen pane and page properties are written before its first row, so they are set
first: with the caller's widths the rows stream straight from their iterable; widths from the content need the
rows read once beforehand (their values only, a fraction of openpyxl's cells). Merges, the autofilter and the
print settings go with the sheet's end. The one difference from a workbook held in memory: a row wider than its
header and the caller's widths leaves its extra columns at Excel's default width (6 characters before); no
caller writes such rows. Every caller's sheet works in write-only mode, so there is no normal-mode path.
"""

import contextlib
import datetime
import re
import textwrap
from copy import copy
from dataclasses import dataclass, field
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter
from openpyxl.worksheet.cell_range import CellRange
from openpyxl.worksheet.worksheet import Worksheet

from portal.text import clean_text

from .model import Amount, Rate

# Leading characters that make a spreadsheet read typed text as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters Excel does not allow in a sheet's name, and its limit on the name's length.
ILLEGAL_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")
SHEET_NAME_LIMIT = 31
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# Column widths in characters, when the caller gives none: from the content, within these bounds.
MIN_WIDTH = 6
MAX_WIDTH = 60
# A header wraps; its column need not be wider than this for it (its longest word aside).
HEADER_WIDTH = 18
HEADER_FILL = PatternFill("solid", fgColor="D9E2F3")
# Row heights in points: a line of the default 11-point font, of the 13-point title; Excel's maximum.
LINE_HEIGHT = 15
TITLE_LINE_HEIGHT = 18
MAX_ROW_HEIGHT = 409
TEXT_PER_DIGIT = 1.1
TOP_WRAPPED = Alignment(wrap_text=True, vertical="top")
HEADER_ALIGNMENT = Alignment(wrap_text=True, horizontal="center", vertical="center")


@dataclass(frozen=True)
class CellStyle:
    """The look of a kind of cell (title, header, table)."""

    alignment: Alignment
    font: Font | None = None
    fill: PatternFill | None = None

    def in_workbook(self, sheet):
        """The style's entries in the sheet's workbook, to give each cell a copy of: looking the font, alignment
        and fill up for every cell took a fifth of a long export's time. (A cell's `_style` is openpyxl's own
        array of those entries; its copy is how openpyxl itself copies a cell's style.)"""
        cell = WriteOnlyCell(sheet)
        if self.font is not None:
            cell.font = self.font
        cell.alignment = self.alignment
        if self.fill is not None:
            cell.fill = self.fill
        return copy(cell._style)


TITLE_STYLE = CellStyle(TOP_WRAPPED, Font(bold=True, size=13))
SUBTITLE_STYLE = CellStyle(TOP_WRAPPED, Font(italic=True))
HEADER_STYLE = CellStyle(HEADER_ALIGNMENT, Font(bold=True), HEADER_FILL)
BODY_STYLE = CellStyle(TOP_WRAPPED)


@dataclass
class Sheet:
    """One sheet: its tab's name (at most 31 characters, saying what it holds), the title block above the
    table (one line each: the document or list, its number and date, the period), the header and the rows."""

    name: str
    header: list
    rows: object  # any iterable of rows, a generator included (read once)
    title: list = field(default_factory=list)
    widths: list | None = None  # characters per column; from the content when None


def _shortened(name):
    """`name` cut to Excel's limit at a word boundary, without a dangling separator."""
    if len(name) <= SHEET_NAME_LIMIT:
        return name
    head = name[: SHEET_NAME_LIMIT + 1]
    head = head.rsplit(" ", 1)[0] if " " in head else head[:SHEET_NAME_LIMIT]
    return head[:SHEET_NAME_LIMIT].rstrip(" -–.,;")


def sheet_names(names):
    """Names Excel accepts for these tabs, in order: illegal characters dropped, at most 31 characters (a
    longer name is shortened at a word), unique ignoring case ("… (2)"); "Bảng N" for an empty one."""
    used = set()
    result = []
    for index, name in enumerate(names, start=1):
        name = " ".join(ILLEGAL_SHEET_CHARACTERS.sub(" ", clean_text(name or "")).split()).strip("'")
        name = _shortened(name) or f"Bảng {index}"
        candidate, number = name, 2
        while candidate.casefold() in used:
            suffix = f" ({number})"
            candidate = name[: SHEET_NAME_LIMIT - len(suffix)].rstrip() + suffix
            number += 1
        used.add(candidate.casefold())
        result.append(candidate)
    return result


def _cell(sheet, value, style):
    """A cell of `value` with its type (text as text, figures as numbers with their format, dates as dates) and
    `style` (a `CellStyle.in_workbook`); None for an empty value."""
    if value is None or value == "":
        return None
    cell = WriteOnlyCell(sheet)
    cell._style = copy(style)
    if isinstance(value, str):
        # Control characters pasted from Word are not allowed in the XML; openpyxl would refuse the file.
        value = clean_text(value)
        cell.value = value
        # openpyxl makes any string starting with "=" a formula: force the text type. The quote prefix keeps
        # Excel from turning the text into a formula when someone edits the cell.
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    elif isinstance(value, Amount | Rate):
        cell.value = value.spreadsheet_value
        cell.number_format = value.spreadsheet_format
    elif isinstance(value, datetime.datetime):
        # Excel has no time zones: the time as read in the Department's zone (Asia/Ho_Chi_Minh).
        if timezone.is_aware(value):
            value = timezone.make_naive(value, timezone.get_default_timezone())
        # To the second: a fraction of a day in floating point would read back a few microseconds off.
        cell.value = value.replace(microsecond=0)
        cell.number_format = DATETIME_FORMAT
    elif isinstance(value, datetime.date):
        cell.value = value
        cell.number_format = DATE_FORMAT
    else:
        cell.value = value
    return cell


def _shown_length(value):
    """Roughly how many characters the cell shows, for its column's width."""
    if value is None:
        return 0
    if isinstance(value, datetime.datetime):
        return len("dd/mm/yyyy hh:mm")
    if isinstance(value, datetime.date):
        return len("dd/mm/yyyy")
    return max((len(line) for line in str(value).split("\n")), default=0)


def _header_length(label):
    text = str(label)
    return max(min(len(text), HEADER_WIDTH), *(len(word) for word in text.split()), 0)


def _line_count(text, width):
    """About how many lines `text` takes wrapped in a column `width` wide.

    A width counts digits; letters of Vietnamese text are narrower on average (LibreOffice fits about 40 of them in
    a column 36 wide), less a character for the cell's margins.
    """
    characters = max(int(width * TEXT_PER_DIGIT) - 1, 1)
    text = str(text)
    if len(text) <= characters and "\n" not in text:
        return 1
    return sum(max(1, len(textwrap.wrap(line, characters))) for line in text.split("\n"))


def _height(lines, line_height=LINE_HEIGHT):
    """LibreOffice (seen here) does not grow a row for wrapped text when it opens a file: the height is set here,
    None for a row of one line."""
    return min(line_height * lines + 3, MAX_ROW_HEIGHT) if lines > 1 else None


class _Rows:
    """A write-only sheet's rows, appended in order; `number` is the last one's."""

    def __init__(self, sheet):
        self.sheet = sheet
        self.number = 0

    def append(self, cells, height=None):
        """Append a row of cells (None for an empty one), `height` points high. The row is written as it is
        appended, with the height its dimension holds then; the dimension is dropped afterwards so that a long
        sheet keeps no object per row."""
        self.number += 1
        if height is not None:
            self.sheet.row_dimensions[self.number].height = height
        self.sheet.append(cells)
        self.sheet.row_dimensions.pop(self.number, None)


def _widths(spec):
    """The rows to write (`spec.rows`, or its rows read once into a list when the widths come from them) and the
    width of each column: the caller's, or from the content within MIN_WIDTH..MAX_WIDTH.

    Column widths must be written before the first row; streaming needs them known. With the caller's widths the
    rows stream; without, they are read once first (values only, far smaller than openpyxl's cells).
    """
    lengths = [_header_length(label) for label in spec.header]
    if spec.widths:
        widths = list(spec.widths)
        return spec.rows, widths + [MIN_WIDTH] * (len(lengths) - len(widths))
    rows = [row if isinstance(row, list | tuple) else list(row) for row in spec.rows]
    for row in rows:
        if len(row) > len(lengths):
            lengths += [0] * (len(row) - len(lengths))
        for column, value in enumerate(row):
            lengths[column] = max(lengths[column], _shown_length(value))
    return rows, [min(max(length + 2, MIN_WIDTH), MAX_WIDTH) for length in lengths]


def _fill(sheet, spec):
    header_row = len(spec.title) + 2 if spec.title else 1
    rows, widths = _widths(spec)
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    # The sheet's view and properties are written with its first row: set before it.
    sheet.freeze_panes = f"A{header_row + 1}"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    written = _Rows(sheet)
    _title_block(written, spec.title, columns=max(len(spec.header), 1), width=sum(widths[: len(spec.header)]))
    if spec.title:
        written.append([])
    written.append(*_cells(sheet, spec.header, widths, HEADER_STYLE.in_workbook(sheet)))
    body = BODY_STYLE.in_workbook(sheet)
    for row in rows:
        written.append(*_cells(sheet, row, widths, body))
    last_row = written.number
    if spec.header and last_row > header_row:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(spec.header))}{last_row}"
    # Printed on A4, as wide as the page, the header repeated on every page.
    sheet.page_setup.paperSize = Worksheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if sum(widths) > 100 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.print_title_rows = f"{header_row}:{header_row}"


def _cells(sheet, values, widths, style):
    """A row's cells in `style` and its height: enough lines for its longest wrapped text."""
    cells = [_cell(sheet, value, style) for value in values]
    lines = 1
    for column, cell in enumerate(cells):
        if cell is not None and isinstance(cell.value, str):
            width = widths[column] if column < len(widths) else MIN_WIDTH
            lines = max(lines, _line_count(cell.value, width))
    return cells, _height(lines)


def _title_block(written, lines, *, columns, width):
    """The title lines, each across the table's width (merged) and wrapped, so that it prints whole."""
    styles = [TITLE_STYLE.in_workbook(written.sheet), SUBTITLE_STYLE.in_workbook(written.sheet)]
    for row, line in enumerate(lines, start=1):
        first = row == 1
        cell = _cell(written.sheet, line, styles[0] if first else styles[1])
        if cell is None:
            written.append([])
            continue
        if columns > 1:
            # A write-only sheet has no merge_cells(): its ranges are written with the sheet's tail.
            written.sheet.merged_cells.add(CellRange(min_col=1, min_row=row, max_col=columns, max_row=row))
        # A 13-point bold line takes about 1.3 characters of an 11-point column each.
        count = _line_count(cell.value, width / 1.3 if first else width)
        written.append([cell], _height(count, TITLE_LINE_HEIGHT if first else LINE_HEIGHT))


def sheets_bytes(sheets):
    """A workbook of several sheets, each a `Sheet` (or a (name, header, rows) tuple), streamed to the file row by
    row (openpyxl's write-only mode)."""
    sheets = [sheet if isinstance(sheet, Sheet) else Sheet(*sheet) for sheet in sheets]
    workbook = Workbook(write_only=True)
    try:
        for name, spec in zip(sheet_names([sheet.name for sheet in sheets]), sheets, strict=True):
            _fill(workbook.create_sheet(name), spec)
        if not workbook.worksheets:
            workbook.create_sheet("Trống")
        buffer = BytesIO()
        workbook.save(buffer)
    except BaseException:
        _discard(workbook)
        raise
    return buffer.getvalue()


def _discard(workbook):
    """Remove the temporary files a failed build streamed its sheets to (a query failing halfway through the
    rows, say), which openpyxl would otherwise leave until the process exits: a web worker lives for long."""
    for sheet in workbook.worksheets:
        writer = sheet._writer
        if writer is None or sheet.closed:
            continue
        with contextlib.suppress(Exception):
            if sheet._rows is not None:
                sheet._rows.close()
            writer.close()
        with contextlib.suppress(OSError, ValueError):
            writer.cleanup()


def workbook_bytes(name, header, rows, widths=None, *, title=()):
    """A workbook of one sheet."""
    return sheets_bytes([Sheet(name, header, rows, title=list(title), widths=widths)])
