"""Rendering a Document to PDF (WeasyPrint), DOCX (python-docx) and XLSX (openpyxl)."""

import logging
from io import BytesIO
from pathlib import Path

from django.conf import settings
from django.template.loader import render_to_string
from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt

from portal.text import clean_deep

from . import parallel_pdf
from .fonts import text_width_mm
from .xlsx import Sheet, sheet_names, sheets_bytes

logger = logging.getLogger(__name__)

STATIC_DIR = Path(settings.BASE_DIR) / "static"
DOCX_FONT = "Times New Roman"


def static_only_fetcher():
    """WeasyPrint fetches any URL a document names; this one fetches only files under static/ (fonts, CSS)."""
    # Imported here: WeasyPrint (about 15 MiB) loads only in the processes that render, never in a web worker.
    from . import pdf_worker

    return pdf_worker.static_only_fetcher(STATIC_DIR)


def render_html(document):
    """The document's HTML; a long one's annex tables with the rows marked where its chunks start a page."""
    # Text stored before it was cleaned at the edge (a vertical tab would print as a missing glyph).
    return render_to_string("documents/nd30.html", {"document": parallel_pdf.with_cuts(clean_deep(document))})


def render_pdf(document):
    """The document's PDF: a long one rendered in chunks by several processes (documents/parallel_pdf.py)."""
    document = clean_deep(document)
    try:
        outcome = parallel_pdf.render_parallel(document)
    except parallel_pdf.ParallelRenderError:
        logger.exception("rendering the PDF in several processes failed; rendering it in one")
        outcome = None
    if outcome is not None:
        return outcome.pdf
    # Imported here: WeasyPrint (about 15 MiB) loads only in the processes that render, never in a web worker.
    from . import pdf_worker

    return pdf_worker.html_to_pdf(render_html(document), STATIC_DIR).write_pdf()


# --- DOCX -------------------------------------------------------------------------------------------------


def _font(run, *, size=None, bold=None, italic=None):

    run.font.name = DOCX_FONT
    fonts = run._element.get_or_add_rPr().get_or_add_rFonts()
    for attribute in ("w:ascii", "w:hAnsi", "w:cs", "w:eastAsia"):
        fonts.set(qn(attribute), DOCX_FONT)
    if size is not None:
        run.font.size = Pt(size)
    if bold is not None:
        run.bold = bold
    if italic is not None:
        run.italic = italic
    return run


def _paragraph(
    container,
    text="",
    *,
    size=14,
    bold=False,
    italic=False,
    align=None,
    indent=False,
    space_after=6,
    keep_with_next=False,
):

    paragraph = container.add_paragraph()
    paragraph.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.space_before = Pt(0)
    paragraph.paragraph_format.keep_with_next = keep_with_next
    if indent:
        paragraph.paragraph_format.first_line_indent = Cm(1)
    if text:
        _font(paragraph.add_run(text), size=size, bold=bold, italic=italic)
    return paragraph


def _page_number_header(section):

    section.different_first_page_header_footer = True
    paragraph = section.header.paragraphs[0]
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = _font(paragraph.add_run(), size=13)
    for kind, text in (("begin", None), (None, "PAGE"), ("end", None)):
        if kind:
            element = OxmlElement("w:fldChar")
            element.set(qn("w:fldCharType"), kind)
        else:
            element = OxmlElement("w:instrText")
            element.set(qn("xml:space"), "preserve")
            element.text = text
        run._element.append(element)


def _docx_table(container, table, size=12):

    grid = container.add_table(rows=1, cols=len(table.header))
    grid.style = "Table Grid"
    for cell, label in zip(grid.rows[0].cells, table.header, strict=True):
        cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
        _font(cell.paragraphs[0].add_run(str(label)), size=size, bold=True)
    for row in table.rows:
        cells = grid.add_row().cells
        for index, (cell, value) in enumerate(zip(cells, row, strict=True)):
            if index in table.numeric_columns:
                cell.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.RIGHT
            _font(cell.paragraphs[0].add_run("" if value is None else str(value)), size=size)
    return grid


def _docx_section(document, section, level):

    if section.heading:
        if section.centered:
            _paragraph(document, section.heading, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        else:
            _paragraph(document, section.heading, bold=True, indent=True, keep_with_next=True)
    for lead, text in section.paragraph_parts:
        paragraph = _paragraph(document, indent=True)
        if lead:
            _font(paragraph.add_run(lead), size=14, bold=True)
        _font(paragraph.add_run(text), size=14)
    for table in section.tables:
        if table.title:
            _paragraph(document, table.title, size=13, italic=True, keep_with_next=True)
        _docx_table(document, table)
    for subsection in section.subsections:
        _docx_section(document, subsection, level + 1)


# The two header columns (Nghị định 30, Phụ lục I, Mục IV) on the 165 mm between the portrait margins.
HEADER_COLUMNS_MM = (70, 95)
BODY_WIDTH_MM = 165


def _fixed_table(container, widths_mm, rows):
    """A borderless layout table whose grid equals its cells, so Word and LibreOffice keep the widths."""
    table = container.add_table(rows=rows, cols=len(widths_mm))
    table.autofit = False
    properties = table._tbl.tblPr
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    properties.append(layout)
    for column, width in zip(table._tbl.tblGrid.findall(qn("w:gridCol")), widths_mm, strict=True):
        column.set(qn("w:w"), str(int(Mm(width).twips)))
    for row in table.rows:
        for cell, width in zip(row.cells, widths_mm, strict=True):
            cell.width = Mm(width)
    return table


def _rule(container, *, length_mm, width_mm, space_after=0):
    """A solid 0.75 pt rule of `length_mm`, centred in `width_mm`: an empty paragraph's bottom border."""
    paragraph = container.add_paragraph()
    indent = max((width_mm - length_mm) / 2, 0)
    form = paragraph.paragraph_format
    form.left_indent = form.right_indent = Mm(indent)
    form.space_before, form.space_after = Pt(0), Pt(space_after)
    form.line_spacing = Pt(3)
    borders = OxmlElement("w:pBdr")
    bottom = OxmlElement("w:bottom")
    for name, value in (("w:val", "single"), ("w:sz", "6"), ("w:space", "1"), ("w:color", "000000")):
        bottom.set(qn(name), value)
    borders.append(bottom)
    paragraph._p.get_or_add_pPr().append(borders)
    return paragraph


def _lines(cell, lines, *, size, bold=False, align=WD_ALIGN_PARAGRAPH.CENTER):
    """Single-spaced lines in a layout cell, the cell's own first paragraph reused."""
    for index, text in enumerate(lines):
        paragraph = cell.paragraphs[0] if index == 0 and not cell.paragraphs[0].text else cell.add_paragraph()
        paragraph.alignment = align
        form = paragraph.paragraph_format
        form.space_before, form.space_after, form.line_spacing = Pt(0), Pt(0), 1.0
        if text:
            _font(paragraph.add_run(text), size=size, bold=bold)


def _signature_lines(cell, signature):
    authority = [signature.on_behalf_of] if signature.on_behalf_of else []
    _lines(cell, [*authority, signature.title, "", "", "", signature.name], size=14, bold=True)


def _docx_header(word, document):
    left_mm, right_mm = HEADER_COLUMNS_MM
    header = _fixed_table(word, HEADER_COLUMNS_MM, rows=2)
    left, right = header.rows[0].cells
    left.paragraphs[0].text = ""
    _lines(left, [document.governing_body.upper()], size=12)
    _lines(left, [document.issuing_body.upper()], size=12, bold=True)
    issuing_width = min(text_width_mm(document.issuing_body.upper(), size=12, bold=True), left_mm - 4)
    _rule(left, length_mm=issuing_width * 0.4, width_mm=left_mm)
    right.paragraphs[0].text = ""
    _lines(right, ["CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"], size=12, bold=True)
    _lines(right, ["Độc lập - Tự do - Hạnh phúc"], size=13, bold=True)
    _rule(right, length_mm=text_width_mm("Độc lập - Tự do - Hạnh phúc", size=13, bold=True), width_mm=right_mm)
    number, place = header.rows[1].cells
    for cell in (number, place):
        cell.paragraphs[0].paragraph_format.space_before = Pt(6)
    number.paragraphs[0].alignment = place.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    if document.numbered:
        _font(number.paragraphs[0].add_run(document.number_line), size=13)
    if document.is_letter:
        # A công văn's trích yếu stands under its number (Nghị định 30, Mẫu 1.4), upright.
        _lines(number, [document.summary], size=13)
    _font(place.paragraphs[0].add_run(document.date_line), size=13, italic=True)


def _docx_addressees(word, lines):
    """ "Kính gửi:" over several addressees, each on its line, aligned after the label, the block centred."""
    label = "Kính gửi:"
    label_mm = text_width_mm(f"{label} ", size=14)
    block_mm = min(label_mm + max(text_width_mm(line, size=14) for line in lines), BODY_WIDTH_MM)
    left_mm = (BODY_WIDTH_MM - block_mm) / 2 + label_mm
    for index, line in enumerate(lines):
        paragraph = _paragraph(word, align=WD_ALIGN_PARAGRAPH.LEFT, space_after=12 if index == len(lines) - 1 else 0)
        paragraph.paragraph_format.left_indent = Mm(left_mm)
        if index == 0:
            # A hanging indent, and a tab stop where it ends for the label's tab to jump to (Word and LibreOffice).
            paragraph.paragraph_format.first_line_indent = Mm(-label_mm)
            paragraph.paragraph_format.tab_stops.add_tab_stop(Mm(left_mm))
            paragraph.paragraph_format.space_before = Pt(6)
            _font(paragraph.add_run(f"{label}\t{line}"), size=14)
        else:
            _font(paragraph.add_run(line), size=14)


def _docx_footer(word, document):
    recipients_lines = ["Nơi nhận:", *document.recipients]
    if document.co_signature:
        # Mẫu 1.9: the secretary left, the chair right, "Nơi nhận" under both.
        footer = _fixed_table(word, (BODY_WIDTH_MM / 2, BODY_WIDTH_MM / 2), rows=1)
        left, right = footer.rows[0].cells
        _signature_lines(left, document.co_signature)
        _signature_lines(right, document.signature)
        _paragraph(word, space_after=0)
        recipients = word
    else:
        footer = _fixed_table(word, (BODY_WIDTH_MM / 2, BODY_WIDTH_MM / 2), rows=1)
        recipients, signature = footer.rows[0].cells
        _signature_lines(signature, document.signature)
    for index, line in enumerate(recipients_lines):
        paragraph = recipients.paragraphs[0] if recipients is not word and index == 0 else recipients.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.LEFT
        form = paragraph.paragraph_format
        form.space_before, form.space_after, form.line_spacing = Pt(0), Pt(0), 1.0
        if index == 0:
            _font(paragraph.add_run(line), size=12, bold=True, italic=True)
        else:
            _font(paragraph.add_run(line), size=11)


def render_docx(document):
    """The same document for editing in Word: A4, the decree's margins, Times New Roman."""
    # python-docx refuses control characters (a vertical tab pasted from Word) with a ValueError.
    document = clean_deep(document)

    word = WordDocument()
    style = word.styles["Normal"]
    style.font.name = DOCX_FONT
    section = word.sections[0]
    section.page_width, section.page_height = Mm(210), Mm(297)
    section.top_margin, section.bottom_margin = Mm(20), Mm(20)
    section.left_margin, section.right_margin = Mm(30), Mm(15)
    _page_number_header(section)

    if document.draft:
        _paragraph(word, "DỰ THẢO", size=13, bold=True, align=WD_ALIGN_PARAGRAPH.RIGHT)
    _docx_header(word, document)

    if not document.is_letter:
        _paragraph(word, document.type_name, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
        _paragraph(word, document.summary, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
        summary_width = min(text_width_mm(document.summary, size=14, bold=True), BODY_WIDTH_MM)
        _rule(word, length_mm=summary_width / 3, width_mm=BODY_WIDTH_MM, space_after=12)
    if document.authority:
        _paragraph(word, document.authority, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    for line in document.basis:
        _paragraph(word, line, italic=True, indent=True)
    if document.addressee_lines:
        _docx_addressees(word, document.addressee_lines)
    elif document.addressee:
        _paragraph(word, f"Kính gửi: {document.addressee}.", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    for part in document.sections:
        _docx_section(word, part, 0)
    _docx_footer(word, document)

    for annex in document.annexes:
        annex_section = word.add_section()
        if annex.landscape:
            # The binding margin on the bound edge, the top of a landscape page (docs/architecture.md).
            annex_section.orientation = WD_ORIENT.LANDSCAPE
            annex_section.page_width, annex_section.page_height = Mm(297), Mm(210)
            annex_section.top_margin, annex_section.bottom_margin = Mm(30), Mm(20)
            annex_section.left_margin, annex_section.right_margin = Mm(20), Mm(20)
        _paragraph(word, annex.label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
        _paragraph(word, annex.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
        _paragraph(word, annex.reference, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for table in annex.tables:
            if table.title:
                _paragraph(word, table.title, size=13, bold=True, keep_with_next=True)
            _docx_table(word, table, size=11)

    buffer = BytesIO()
    word.save(buffer)
    return buffer.getvalue()


# --- XLSX -------------------------------------------------------------------------------------------------


def _all_tables(document):
    """(annex or None for the body, table) for every table of the document, in its order."""

    def walk(sections):
        for section in sections:
            for table in section.tables:
                yield None, table
            yield from walk(section.subsections)

    yield from walk(document.sections)
    for annex in document.annexes:
        for table in annex.tables:
            yield annex, table


def _xlsx_heading(document):
    """The lines above every sheet's table: what the document is, its number and date, its period."""
    summary = document.summary
    if summary[1:2].islower():  # "Kết quả …" reads on after the type's name; "UBND …" keeps its capitals
        summary = summary[:1].lower() + summary[1:]
    type_name = document.type_name.capitalize() or "Công văn"
    lines = [f"{type_name} {summary}".strip()]
    if document.number and document.issued_on:
        lines.append(f"{document.number_line} ngày {document.issued_on:%d/%m/%Y}")
    else:
        lines.append("Dự thảo, chưa có số và ngày ban hành" if document.draft else "Chưa có số và ngày ban hành")
    if document.period:
        lines.append(f"Kỳ báo cáo: {document.period}")
    return lines


def render_xlsx(document):
    """The document's tables, one sheet each under the document's title block, their figures as numbers; the
    marks of tables with a legend explained on a "Chú giải" sheet. Text cells stay text (never formulas)."""
    # Sheet names and title lines come from the document's text too (portal.text, as for PDF and DOCX).
    document = clean_deep(document)
    heading = _xlsx_heading(document)
    tables = list(_all_tables(document))
    has_legend = any(table.legend for _, table in tables)
    names = sheet_names(
        [table.sheet_name or f"Bảng {index}" for index, (_, table) in enumerate(tables, start=1)]
        + (["Chú giải"] if has_legend else [])
    )
    sheets, legend = [], []
    for name, (annex, table) in zip(names, tables, strict=False):
        lines = [*heading, f"{annex.label}: {annex.title}"] if annex else list(heading)
        if table.title:
            lines.append(table.title)
        sheets.append(Sheet(name, table.header, table.rows, title=lines))
        legend += [(name, mark, meaning) for mark, meaning in table.legend]
    if has_legend:
        title = [*heading, "Chú giải các ký hiệu trong bảng"]
        sheets.append(Sheet(names[-1], ["Bảng", "Ký hiệu", "Ý nghĩa"], legend, title=title))
    return sheets_bytes(sheets)
