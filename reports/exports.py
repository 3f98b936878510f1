"""Excel exports of the office's views. Every text cell is written as text, never as a formula."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
from openpyxl.styles import Alignment, Font
from openpyxl.utils import get_column_letter

# Leading characters that make a spreadsheet read typed text as a formula (OWASP "CSV injection").
FORMULA_TRIGGERS = ("=", "+", "-", "@", "\t", "\r")


def _put(sheet, row, column, value):
    cell = sheet.cell(row=row, column=column)
    if isinstance(value, str):
        # Control characters pasted from Word are not allowed in the XML; openpyxl would refuse the file.
        value = ILLEGAL_CHARACTERS_RE.sub("", value)
        cell.value = value
        # openpyxl makes any string starting with "=" a formula: force the text type. The quote prefix keeps
        # Excel from turning the text into a formula when someone edits the cell.
        cell.data_type = "s"
        if value.startswith(FORMULA_TRIGGERS):
            cell.quotePrefix = True
    else:
        cell.value = value
    return cell


def workbook_bytes(title, header, rows, widths=None):
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = title[:31]
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
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
