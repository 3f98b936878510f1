"""Excel workbooks of the portal's exports and documents: one writer, one look for every sheet.

A sheet opens with its title block (what it holds, the document's number and date, the period), a bold
header row frozen under it, then the rows. Text is written as text, never as a formula. Amounts and rates
(`documents.model.Amount`, `Rate`) are numbers formatted "#,##0" and "0.00%", which a Vietnamese-locale
Excel shows as 27.700.000.000 and 47,16%; dates and datetimes are dates (local time), shown dd/mm/yyyy.
Sheet names are chosen by the caller to say what the sheet holds; the writer only makes them legal for Excel
(at most 31 characters, unique) as a last resort.
"""

import datetime
import re
import textwrap
from dataclasses import dataclass, field
from io import BytesIO

from django.utils import timezone
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

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


def _put(sheet, row, column, value):
    """Write one value with its type: text as text, figures as numbers with their format, dates as dates."""
    if value is None or value == "":
        return None
    cell = sheet.cell(row=row, column=column)
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


def _fit_height(sheet, row, lines, line_height=LINE_HEIGHT):
    """LibreOffice (seen here) does not grow a row for wrapped text when it opens a file: the height is set here."""
    if lines > 1:
        sheet.row_dimensions[row].height = min(line_height * lines + 3, MAX_ROW_HEIGHT)


def _fill(sheet, spec):
    header_row = len(spec.title) + 2 if spec.title else 1
    lengths = [_header_length(label) for label in spec.header]
    for column, label in enumerate(spec.header, start=1):
        cell = _put(sheet, header_row, column, label)
        if cell is not None:
            cell.font = Font(bold=True)
            cell.alignment = HEADER_ALIGNMENT
            cell.fill = HEADER_FILL
    last_row = header_row
    for last_row, row in enumerate(spec.rows, start=header_row + 1):
        for column, value in enumerate(row, start=1):
            cell = _put(sheet, last_row, column, value)
            if cell is not None:
                cell.alignment = TOP_WRAPPED
            if column > len(lengths):
                lengths.append(0)
            lengths[column - 1] = max(lengths[column - 1], _shown_length(value))
    widths = list(spec.widths or [min(max(length + 2, MIN_WIDTH), MAX_WIDTH) for length in lengths])
    widths += [MIN_WIDTH] * (len(lengths) - len(widths))
    for column, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    for cells in sheet.iter_rows(min_row=header_row, max_row=last_row):
        lines = [_line_count(cell.value, widths[cell.column - 1]) for cell in cells if isinstance(cell.value, str)]
        _fit_height(sheet, cells[0].row, max(lines, default=1))
    _title_block(sheet, spec.title, columns=max(len(spec.header), 1), width=sum(widths[: len(spec.header)]))
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=1).coordinate
    if spec.header and last_row > header_row:
        sheet.auto_filter.ref = f"A{header_row}:{get_column_letter(len(spec.header))}{last_row}"
    # Printed on A4, as wide as the page, the header repeated on every page.
    sheet.page_setup.paperSize = sheet.PAPERSIZE_A4
    sheet.page_setup.orientation = "landscape" if sum(widths) > 100 else "portrait"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.print_title_rows = f"{header_row}:{header_row}"


def _title_block(sheet, lines, *, columns, width):
    """The title lines, each across the table's width (merged) and wrapped, so that it prints whole."""
    for row, line in enumerate(lines, start=1):
        cell = _put(sheet, row, 1, line)
        if cell is None:
            continue
        first = row == 1
        cell.font = Font(bold=True, size=13) if first else Font(italic=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
        if columns > 1:
            sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=columns)
        # A 13-point bold line takes about 1.3 characters of an 11-point column each.
        _fit_height(
            sheet,
            row,
            _line_count(line, width / 1.3 if first else width),
            line_height=TITLE_LINE_HEIGHT if first else LINE_HEIGHT,
        )


def sheets_bytes(sheets):
    """A workbook of several sheets, each a `Sheet` (or a (name, header, rows) tuple)."""
    sheets = [sheet if isinstance(sheet, Sheet) else Sheet(*sheet) for sheet in sheets]
    workbook = Workbook()
    workbook.remove(workbook.active)
    for name, spec in zip(sheet_names([sheet.name for sheet in sheets]), sheets, strict=True):
        _fill(workbook.create_sheet(name), spec)
    if not workbook.worksheets:
        workbook.create_sheet("Trống")
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_bytes(name, header, rows, widths=None, *, title=()):
    """A workbook of one sheet."""
    return sheets_bytes([Sheet(name, header, rows, title=list(title), widths=widths)])
