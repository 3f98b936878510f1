"""Rendering a Document to PDF (WeasyPrint), DOCX (python-docx) and XLSX (openpyxl)."""

from io import BytesIO
from pathlib import Path
from urllib.parse import unquote, urlparse
from urllib.request import url2pathname

from django.conf import settings
from django.template.loader import render_to_string
from docx import Document as WordDocument
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Cm, Mm, Pt
from weasyprint import HTML
from weasyprint.urls import URLFetcher

from portal.text import clean_deep

from .xlsx import Sheet, sheet_names, sheets_bytes

STATIC_DIR = Path(settings.BASE_DIR) / "static"
DOCX_FONT = "Times New Roman"


class StaticOnlyFetcher(URLFetcher):
    """WeasyPrint fetches any URL a document names; this one fetches only files under static/ (fonts, CSS)."""

    def fetch(self, url, headers=None):
        parsed = urlparse(url)
        if parsed.scheme != "file":
            raise ValueError(f"Documents may not load {url}")
        path = Path(url2pathname(unquote(parsed.path))).resolve()
        if not path.is_relative_to(STATIC_DIR.resolve()):
            raise ValueError(f"Documents may not load {url}")
        return super().fetch(url, headers)


def static_only_fetcher():
    return StaticOnlyFetcher(allowed_protocols={"file"}, allow_redirects=False)


def render_html(document):
    # Text stored before it was cleaned at the edge (a vertical tab would print as a missing glyph).
    return render_to_string("documents/nd30.html", {"document": clean_deep(document)})


def render_pdf(document):

    html = HTML(string=render_html(document), base_url=STATIC_DIR.as_uri() + "/", url_fetcher=static_only_fetcher())
    return html.write_pdf()


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


def _paragraph(container, text="", *, size=14, bold=False, italic=False, align=None, indent=False, space_after=6):

    paragraph = container.add_paragraph()
    paragraph.alignment = align if align is not None else WD_ALIGN_PARAGRAPH.JUSTIFY
    paragraph.paragraph_format.space_after = Pt(space_after)
    paragraph.paragraph_format.space_before = Pt(0)
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
        _paragraph(document, section.heading, bold=True, indent=level > 0, align=WD_ALIGN_PARAGRAPH.JUSTIFY)
    for text in section.paragraphs:
        _paragraph(document, text, indent=True)
    for table in section.tables:
        if table.title:
            _paragraph(document, table.title, size=13, italic=True)
        _docx_table(document, table)
    for subsection in section.subsections:
        _docx_section(document, subsection, level + 1)


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
    header = word.add_table(rows=2, cols=2)
    left, right = header.rows[0].cells
    left.width, right.width = Cm(6.5), Cm(9.5)
    for cell, lines in (
        (left, [(document.governing_body, False, False), (document.issuing_body, True, False)]),
        (right, [("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", True, False), ("Độc lập - Tự do - Hạnh phúc", True, False)]),
    ):
        cell.paragraphs[0].text = ""
        for index, (text, bold, italic) in enumerate(lines):
            paragraph = cell.paragraphs[0] if index == 0 else cell.add_paragraph()
            paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
            _font(paragraph.add_run(text), size=13 if cell is right and index == 1 else 12, bold=bold, italic=italic)
    number, place = header.rows[1].cells
    number.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(number.paragraphs[0].add_run(document.number_line), size=13)
    place.paragraphs[0].alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(place.paragraphs[0].add_run(document.date_line), size=13, italic=True)

    _paragraph(word, document.type_name, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
    _paragraph(word, document.summary, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    if document.authority:
        _paragraph(word, document.authority, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    for line in document.basis:
        _paragraph(word, line, italic=True, indent=True)
    if document.addressee:
        _paragraph(word, f"Kính gửi: {document.addressee}.", align=WD_ALIGN_PARAGRAPH.CENTER, space_after=12)
    for part in document.sections:
        _docx_section(word, part, 0)

    footer = word.add_table(rows=1, cols=2)
    recipients, signature = footer.rows[0].cells
    recipients.paragraphs[0].text = ""
    _font(recipients.paragraphs[0].add_run("Nơi nhận:"), size=12, bold=True, italic=True)
    for line in document.recipients:
        _font(recipients.add_paragraph().add_run(line), size=11)
    signature_lines = [document.signature.on_behalf_of, document.signature.title, "", "", "", document.signature.name]
    signature.paragraphs[0].text = ""
    for index, text in enumerate(line for line in signature_lines if line is not None):
        paragraph = signature.paragraphs[0] if index == 0 else signature.add_paragraph()
        paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
        if text:
            _font(paragraph.add_run(text), size=14, bold=True)

    for annex in document.annexes:
        annex_section = word.add_section()
        if annex.landscape:
            annex_section.orientation = WD_ORIENT.LANDSCAPE
            annex_section.page_width, annex_section.page_height = Mm(297), Mm(210)
        _paragraph(word, annex.label, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
        _paragraph(word, annex.title, bold=True, align=WD_ALIGN_PARAGRAPH.CENTER, space_after=0)
        _paragraph(word, annex.reference, italic=True, align=WD_ALIGN_PARAGRAPH.CENTER)
        for table in annex.tables:
            if table.title:
                _paragraph(word, table.title, size=13, bold=True)
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
    lines = [f"{document.type_name.capitalize()} {summary}".strip()]
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
