"""The one XLSX writer (documents/xlsx.py) and the document's workbook (documents/render.py render_xlsx): typed
cells with Vietnamese-looking formats, legal and meaningful sheet names, a title block over a frozen header; the
same figures printed as Vietnamese text in the PDF and DOCX."""

import datetime
from decimal import Decimal
from io import BytesIO

import pytest
from docx import Document as WordDocument
from openpyxl import load_workbook

from documents.model import Amount, Annex, Document, Rate, Section, Signature, Table
from documents.render import render_docx, render_html, render_xlsx
from documents.xlsx import Sheet, sheet_names, sheets_bytes, workbook_bytes
from tests.spreadsheets import (
    assert_amounts,
    assert_dates,
    assert_no_figure_is_text,
    assert_rates,
    column,
    header,
    header_row,
    records,
    title_lines,
)

UTC = datetime.UTC


def test_amounts_and_rates_print_as_vietnamese_write_them():
    assert str(Amount("27700000000")) == "27.700.000.000"
    assert str(Amount("1250.5")) == "1.250,50"
    assert str(Amount(-1500)) == "-1.500"
    assert str(Rate("47.16")) == "47,16%"
    assert str(Rate("87.5")) == "87,50%"


def test_amounts_and_rates_are_numbers_with_their_formats():
    rows = [(Amount("27700000000"), Rate("47.16")), (Amount("1250.5"), "")]
    sheet = load_workbook(BytesIO(workbook_bytes("Số liệu", ["Số tiền", "Tỷ lệ"], rows))).active
    assert [cell.value for cell in column(sheet, "Số tiền")] == [27_700_000_000, 1250.5]
    assert [cell.number_format for cell in column(sheet, "Số tiền")] == ["#,##0", "#,##0.00"]
    assert_amounts(column(sheet, "Số tiền"))
    assert_rates(column(sheet, "Tỷ lệ"))
    assert Decimal(str(column(sheet, "Tỷ lệ")[0].value)) == Decimal("0.4716")
    assert records(sheet)[1]["Tỷ lệ"].value is None  # nothing written for a blank


def test_datetimes_are_written_in_the_departments_time_and_dates_as_dates():
    submitted = datetime.datetime(2026, 12, 5, 1, 30, 15, 123456, tzinfo=UTC)  # 08:30 in Quảng Ngãi
    sheet = load_workbook(
        BytesIO(workbook_bytes("Thời điểm", ["Nộp lúc", "Ngày"], [(submitted, datetime.date(2026, 6, 5))]))
    ).active
    assert column(sheet, "Nộp lúc")[0].value == datetime.datetime(2026, 12, 5, 8, 30, 15)
    assert_dates(column(sheet, "Nộp lúc"), with_time=True)
    assert column(sheet, "Ngày")[0].value == datetime.datetime(2026, 6, 5)
    assert_dates(column(sheet, "Ngày"))


def test_a_sheet_has_its_title_block_over_a_frozen_header_and_widths():
    content = sheets_bytes(
        [Sheet("Danh sách", ["STT", "Đơn vị"], [(1, "Phòng Quản lý khoa học")], title=["Danh sách đơn vị", "Năm 2026"])]
    )
    sheet = load_workbook(BytesIO(content)).active
    assert title_lines(sheet) == ["Danh sách đơn vị", "Năm 2026"]
    assert header_row(sheet) == 4
    assert header(sheet) == ["STT", "Đơn vị"]
    assert sheet.column_dimensions["B"].width >= len("Phòng Quản lý khoa học")
    assert sheet["A1"].font.bold


@pytest.mark.parametrize(
    ("names", "expected"),
    [
        (["PL I. Giải ngân vốn đầu tư công"], ["PL I. Giải ngân vốn đầu tư công"]),  # 31 characters: kept
        (["Chỉ số: Tỷ lệ giải ngân kế hoạch vốn đầu tư công"], ["Chỉ số Tỷ lệ giải ngân kế hoạch"]),  # cut at a word
        (["Ký hiệu [HTT]/HT*"], ["Ký hiệu HTT HT"]),
        (["Chú giải", "chú giải", ""], ["Chú giải", "chú giải (2)", "Bảng 3"]),
    ],
)
def test_sheet_names_are_legal_for_excel_as_a_last_resort(names, expected):
    chosen = sheet_names(names)
    assert chosen == expected
    assert all(len(name) <= 31 for name in chosen)


def issued_document():
    amounts = Table(
        ["STT", "Đơn vị", "Kế hoạch vốn (đồng)", "Tỷ lệ giải ngân"],
        [[1, "Phòng Kế hoạch - Tài chính", Amount("27700000000"), Rate("47.16")]],
        title="Chỉ số: Tỷ lệ giải ngân",
        numeric_columns=(2, 3),
        sheet_name="PL I. Giải ngân vốn đầu tư công",
    )
    marks = Table(
        ["STT", "Đơn vị", "Chuyển đổi số"],
        [[1, "Phòng Kế hoạch - Tài chính", "HTT"]],
        title="Ký hiệu: HTT: Hoàn thành tốt",
        sheet_name="PL II. Tự đánh giá",
        legend=[("HTT", "Hoàn thành tốt")],
    )
    return Document(
        governing_body="UBND TỈNH QUẢNG NGÃI",
        issuing_body="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        type_code="BC",
        issuer_code="SKHCN",
        type_name="BÁO CÁO",
        summary="Kết quả thực hiện Phong trào thi đua năm 2026",
        place="Quảng Ngãi",
        sections=[Section(heading="II. KẾT QUẢ", paragraphs=["Nội dung."])],
        signature=Signature.for_signer(name="Trần Minh Quang", is_deputy=False),
        recipients=["- Như trên;"],
        number=7,
        issued_on=datetime.date(2026, 12, 5),
        draft=False,
        period="Năm 2026",
        annexes=[
            Annex("Phụ lục I", "SỐ LIỆU", "(Kèm theo)", tables=[amounts]),
            Annex("Phụ lục II", "TỰ ĐÁNH GIÁ", "(Kèm theo)", tables=[marks]),
        ],
    )


def test_the_documents_workbook_names_its_sheets_and_says_its_number_date_and_period():
    workbook = load_workbook(BytesIO(render_xlsx(issued_document())))
    assert workbook.sheetnames == ["PL I. Giải ngân vốn đầu tư công", "PL II. Tự đánh giá", "Chú giải"]
    assert title_lines(workbook.worksheets[0]) == [
        "Báo cáo kết quả thực hiện Phong trào thi đua năm 2026",
        "Số: 07/BC-SKHCN ngày 05/12/2026",
        "Kỳ báo cáo: Năm 2026",
        "Phụ lục I: SỐ LIỆU",
        "Chỉ số: Tỷ lệ giải ngân",
    ]
    assert_amounts(column(workbook.worksheets[0], "Kế hoạch vốn (đồng)"))
    assert_rates(column(workbook.worksheets[0], "Tỷ lệ giải ngân"))
    assert [[cell.value for cell in record.values()] for record in records(workbook["Chú giải"])] == [
        ["PL II. Tự đánh giá", "HTT", "Hoàn thành tốt"]
    ]
    assert_no_figure_is_text(workbook)


def test_the_pdf_and_docx_print_the_same_figures_as_vietnamese_text():
    document = issued_document()
    html = render_html(document)
    word = WordDocument(BytesIO(render_docx(document)))
    cells = [cell.text for table in word.tables for row in table.rows for cell in row.cells]
    for text in ("27.700.000.000", "47,16%"):
        assert text in html
        assert text in cells
