"""Excel workbooks of the portal's exports and documents. Every text cell is written as text, never as a formula."""

import re
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

from portal.text import clean_text

# Leading characters that make a spreadsheet read typed text as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
# Characters Excel does not allow in a sheet's name.
ILLEGAL_SHEET_CHARACTERS = re.compile(r"[\[\]:*?/\\]")


def _put(sheet, row, column, value):
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
    else:
        cell.value = value
    return cell


def _fill(sheet, header, rows, widths=None):
    for column, label in enumerate(header, start=1):
        cell = _put(sheet, 1, column, label)
        cell.font = Font(bold=True)
        cell.alignment = Alignment(wrap_text=True, vertical="top")
    for row_number, row in enumerate(rows, start=2):
        for column, value in enumerate(row, start=1):
            cell = _put(sheet, row_number, column, value)
            cell.alignment = Alignment(wrap_text=True, vertical="top")
    for column, width in enumerate(widths or [], start=1):
        sheet.column_dimensions[get_column_letter(column)].width = width
    sheet.freeze_panes = "A2"


def sheets_bytes(sheets):
    """A workbook of several sheets, each (title, header, rows); titles cut to Excel's 31 characters."""
    workbook = Workbook()
    workbook.remove(workbook.active)
    used = set()
    for index, (title, header, rows) in enumerate(sheets, start=1):
        name = ILLEGAL_SHEET_CHARACTERS.sub(" ", title)[:28].strip() or f"Bảng {index}"
        if name in used:
            name = f"{name[:25]} {index}"
        used.add(name)
        _fill(workbook.create_sheet(name), header, rows)
    if not workbook.worksheets:
        workbook.create_sheet("Trống")
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def workbook_bytes(title, header, rows, widths=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
    _fill(sheet, header, rows, widths)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
