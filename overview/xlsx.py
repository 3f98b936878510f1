"""The overview's tables as one workbook through documents.xlsx (the portal's one spreadsheet writer): a sheet per
table, its title block saying what it holds, the filters and when the figures were read."""

from django.http import HttpResponse
from django.utils import timezone

from documents.xlsx import Sheet, sheets_bytes

from .views_tables import Link, Names

CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def cell(value):
    """A page's cell as the spreadsheet holds it: a link's text, every name of a list; the rest as is."""
    if isinstance(value, Link):
        return value.text
    if isinstance(value, Names):
        return value.full
    return value


def scope_line(scope):
    phase = scope.phase.name if scope.phase else "Tất cả giai đoạn"
    year = f", năm {scope.year}" if scope.year else ""
    return f"{phase}{year}"


def workbook(tables, scope, heading):
    now = timezone.localtime()
    sheets = [
        Sheet(
            table.sheet_name or table.title,
            list(table.header),
            [[cell(value) for value in row] for row in table.rows],
            title=[
                table.title,
                f"{heading} · {scope_line(scope)}",
                f"Số liệu lúc {now:%H:%M} ngày {now:%d/%m/%Y}",
            ],
        )
        for table in tables
    ]
    legend = [(mark, meaning) for table in tables for mark, meaning in table.legend]
    if legend:
        sheets.append(Sheet("Chú giải", ["Ký hiệu", "Ý nghĩa"], legend, title=["Chú giải các ký hiệu"]))
    return sheets_bytes(sheets)


def response(content, filename):
    answer = HttpResponse(content, content_type=CONTENT_TYPE)
    answer["Content-Disposition"] = f'attachment; filename="{filename}"'
    return answer
