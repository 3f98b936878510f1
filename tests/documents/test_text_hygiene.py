"""A report holding control characters stored before the edge cleaned them (a vertical tab pasted from Word,
a NUL) still renders to PDF, DOCX and XLSX: the renderers clean text through portal.text on the way out."""

from io import BytesIO

import pytest
from django.db import connection
from docx import Document as WordDocument
from openpyxl import load_workbook
from pypdf import PdfReader

from documents.model import Document, Section, Signature, Table
from documents.render import render_docx, render_pdf, render_xlsx
from reports import services
from reports.documents.unit_report import unit_report_document
from reports.models import ReportSection

# PostgreSQL text cannot hold a NUL (the reason the edge cleans); there the stored report holds the other
# controls, and the NUL is rendered from a document built in memory below.
STORED_NUL = "" if connection.vendor == "postgresql" else "\x00"
CONTROLS = "\x00\x01\x0b\x0c\x1f\x7f\x9f"


@pytest.fixture
def report_with_controls(open_period, own_unit, staff):
    report = services.report_start(unit=own_unit, period=open_period, actor=staff)
    ReportSection.objects.filter(report=report, key="highlights").update(
        text=f"Hoàn thành 3 công trình\x0bđúng tiến độ{STORED_NUL}\x01."
    )
    ReportSection.objects.filter(report=report, key="recommendations").update(
        items=[{"text": f"Bố trí vốn\x0ccho dự án{STORED_NUL}", "to": "province"}]
    )
    result = report.results.order_by("sort_order").first()
    report.results.filter(pk=result.pk).update(activities=f"Rà soát\x0bhồ sơ{STORED_NUL}\x7f", quantities={})
    return report


def pdf_text(content):
    return " ".join(" ".join(page.extract_text() for page in PdfReader(BytesIO(content)).pages).split())


def docx_text(content):
    word = WordDocument(BytesIO(content))
    lines = [paragraph.text for paragraph in word.paragraphs]
    lines += [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    return "\n".join(lines)


def xlsx_text(content):
    workbook = load_workbook(BytesIO(content))
    return "\n".join(
        str(value)
        for sheet in workbook.worksheets
        for row in sheet.iter_rows(values_only=True)
        for value in row
        if value
    )


def has_controls(text):
    return any(character in text for character in CONTROLS)


def test_a_unit_report_holding_a_vertical_tab_and_a_nul_renders_to_pdf_docx_and_xlsx(report_with_controls, caplog):
    document = unit_report_document(report_with_controls)

    pdf = pdf_text(render_pdf(document))
    assert ".notdef" not in caplog.text  # WeasyPrint would print a control character as a missing glyph
    assert "Hoàn thành 3 công trình đúng tiến độ." in pdf
    assert "Rà soát hồ sơ" in pdf
    docx = docx_text(render_docx(document))
    # Word's manual line break stays a line break in Word.
    assert "Hoàn thành 3 công trình\nđúng tiến độ." in docx
    assert "Bố trí vốn\ncho dự án" in docx
    assert not has_controls(docx)
    xlsx = xlsx_text(render_xlsx(document))
    assert not has_controls(xlsx)


def test_every_text_of_a_document_is_cleaned_by_every_renderer(caplog):
    pasted = "Dòng một\x0bdòng hai\x00\x01."
    document = Document(
        governing_body=f"UBND TỈNH QUẢNG NGÃI{CONTROLS}",
        issuing_body=f"SỞ KHOA HỌC VÀ CÔNG NGHỆ{CONTROLS}",
        type_code="BC",
        issuer_code="SKHCN",
        type_name="BÁO CÁO",
        summary=f"Kết quả\x0bthực hiện{CONTROLS}",
        place="Quảng Ngãi",
        sections=[
            Section(
                heading=f"I. KẾT QUẢ{CONTROLS}",
                paragraphs=[pasted],
                tables=[Table(["STT", f"Nội dung{CONTROLS}"], [[1, pasted]], title="Bảng\x0b1")],
            )
        ],
        signature=Signature(title="GIÁM ĐỐC", name=f"Nguyễn Văn A{CONTROLS}"),
        recipients=[f"- Lưu: VT{CONTROLS}."],
    )

    assert "Dòng một dòng hai." in pdf_text(render_pdf(document))
    assert ".notdef" not in caplog.text
    docx = docx_text(render_docx(document))
    assert "Dòng một\ndòng hai." in docx
    assert not has_controls(docx)
    xlsx = xlsx_text(render_xlsx(document))
    assert "Dòng một\ndòng hai." in xlsx
    assert not has_controls(xlsx)
    assert document.sections[0].paragraphs == [pasted]  # the renderers work on a cleaned copy
