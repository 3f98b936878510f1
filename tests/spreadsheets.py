"""Reading the portal's workbooks in tests, and the checks every sheet of every export must pass.

Every sheet has a title block, then its header row frozen under it (documents/xlsx.py): the header is the
row above the frozen pane, so finding it also checks that it is frozen.
"""

import datetime
import re
from io import BytesIO

from openpyxl import load_workbook
from openpyxl.utils.cell import coordinate_from_string

AMOUNT_FORMATS = {"#,##0", "#,##0.00"}
RATE_FORMAT = "0.00%"
DATE_FORMAT = "dd/mm/yyyy"
DATETIME_FORMAT = "dd/mm/yyyy hh:mm"
# A whole cell of text that is really a figure: 27.700.000.000, 1.250,50, 47,16%, 05/12/2026.
FIGURE_AS_TEXT = re.compile(r"-?\d{1,3}(\.\d{3})+(,\d+)?|-?\d+,\d+%?|-?\d+%|\d{1,2}/\d{1,2}/\d{4}( \d{1,2}:\d{2})?")


def open_workbook(content):
    return load_workbook(BytesIO(content))


def header_row(sheet):
    """The number of the sheet's header row: the one just above its frozen pane."""
    assert sheet.freeze_panes, f"{sheet.title}: the header row is not frozen"
    row = coordinate_from_string(sheet.freeze_panes)[1] - 1  # sheet[...] would create the cell
    assert row >= 1, f"{sheet.title}: nothing frozen above {sheet.freeze_panes}"
    return row


def title_lines(sheet):
    """The text of the title block above the header (empty lines left out)."""
    return [row[0] for row in sheet.iter_rows(max_row=header_row(sheet) - 1, values_only=True) if row[0]]


def header(sheet):
    row = header_row(sheet)
    return [cell.value for cell in sheet[row] if cell.value is not None]


def body(sheet):
    """The cells of the table's rows, below the header."""
    width = len(header(sheet))
    first = header_row(sheet) + 1
    if first > sheet.max_row:
        return []  # iter_rows would still give one empty row
    return [row[:width] for row in sheet.iter_rows(min_row=first, max_row=sheet.max_row)]


def records(sheet):
    """The table's rows as {header: cell}."""
    labels = header(sheet)
    return [dict(zip(labels, row, strict=False)) for row in body(sheet)]


def column(sheet, label):
    """The non-empty cells of the column headed `label`."""
    return [record[label] for record in records(sheet) if record[label].value is not None]


def assert_sheet_names_are_meaningful(workbook, expected=None):
    """At most 31 characters (Excel's limit), unique, none left as openpyxl's "Sheet" or a fallback "Bảng N"."""
    names = workbook.sheetnames
    assert all(len(name) <= 31 for name in names), names
    assert len({name.casefold() for name in names}) == len(names), names
    assert not any(name.startswith("Sheet") or re.fullmatch(r"Bảng \d+", name) for name in names), names
    if expected is not None:
        assert names == expected


def assert_no_figure_is_text(workbook):
    """No cell of any table holds an amount, a rate or a date as text."""
    for sheet in workbook.worksheets:
        for row in body(sheet):
            for cell in row:
                if cell.data_type == "s" and isinstance(cell.value, str):
                    assert not FIGURE_AS_TEXT.fullmatch(cell.value.strip()), (sheet.title, cell.coordinate, cell.value)


def assert_amounts(cells):
    assert cells, "no amount to check"
    for cell in cells:
        assert cell.data_type == "n", (cell.coordinate, cell.value)
        assert isinstance(cell.value, int | float), (cell.coordinate, cell.value)
        assert cell.number_format in AMOUNT_FORMATS, (cell.coordinate, cell.number_format)


def assert_rates(cells):
    """Percentages stored as their fraction, shown with two decimals."""
    assert cells, "no rate to check"
    for cell in cells:
        assert cell.data_type == "n", (cell.coordinate, cell.value)
        assert isinstance(cell.value, int | float), (cell.coordinate, cell.value)
        assert cell.number_format == RATE_FORMAT, (cell.coordinate, cell.number_format)


def assert_dates(cells, *, with_time=False):
    assert cells, "no date to check"
    for cell in cells:
        assert cell.is_date, (cell.coordinate, cell.value)
        assert isinstance(cell.value, datetime.datetime), (cell.coordinate, cell.value)
        assert cell.number_format == (DATETIME_FORMAT if with_time else DATE_FORMAT), cell.coordinate
