"""The Department's registration as a công văn in the Nghị định 30 layout, checked on its rendered files (the same
checks as tests/documents/test_layout.py): A4 pages and the decree's margins measured from the ink (landscape for the
annex), Liberation Serif embedded, the national header, "Số: 01/SKHCN-VP" with "V/v …" under it in the left column,
"Kính gửi:" with its addressees, "./.", "Nơi nhận", the Deputy Director's "KT. GIÁM ĐỐC" block; the DOCX's header
grid and LibreOffice's reading of it; the XLSX's sheets and numbers. Built and rendered once for the module."""

import io
import re

import pytest
from django.utils import timezone
from docx import Document as WordDocument

from documents.render import render_docx, render_pdf, render_xlsx
from emulation.documents.registration import department_registration_document
from emulation.services import department as services
from tests.documents.test_layout import (
    LANDSCAPE,
    MM,
    MOTTO,
    NATION,
    POPPLER,
    PORTRAIT,
    TOLERANCE_MM,
    _inked_margins,
    _layout_text,
    _pages_text,
    _printed_whole,
    _run,
    qn_w,
)
from tests.emulation.department_data import RECIPIENTS, build_units_and_registrations
from tests.libreoffice import convert
from tests.shared_data import built_once
from tests.spreadsheets import (
    assert_amounts,
    assert_no_figure_is_text,
    assert_sheet_names_are_meaningful,
    column,
    open_workbook,
    records,
)

pytestmark = pytest.mark.django_db
needs_poppler = pytest.mark.skipif(not POPPLER, reason="needs poppler-utils (pdftotext, pdftoppm, pdffonts)")


def _issued():
    built = build_units_and_registrations()
    office, deputy = built["personas"]["reviewer"], built["deputy"]
    registration = services.department_registration_compile(
        year=built["year"], actor=office, own_titles=["co-thi-dua-ubnd-tinh"], recipients=RECIPIENTS
    )
    services.department_registration_send(registration=registration, actor=office)
    services.department_registration_approve(registration=registration, actor=deputy)
    registration = services.department_registration_issue(
        registration=registration, actor=office, issued_on=timezone.localdate()
    )
    document = department_registration_document(registration)
    return document, render_pdf(document), render_docx(document), render_xlsx(document)


@pytest.fixture(scope="module")
def rendered(django_db_setup, django_db_blocker, tmp_path_factory):
    """(Document, PDF, DOCX, XLSX) of the issued registration."""
    with built_once(django_db_blocker, _issued, MEDIA_ROOT=tmp_path_factory.mktemp("media")) as built:
        yield built


@pytest.fixture(scope="module")
def pages(rendered):
    if not POPPLER:
        pytest.skip("needs poppler-utils")
    return _pages_text(rendered[1])


def test_the_document_is_a_cong_van_numbered_without_a_type_code(rendered):
    document = rendered[0]
    assert document.is_letter
    assert document.number_line == "Số: 01/SKHCN-VP"
    assert document.summary.startswith("V/v đăng ký thi đua năm ")
    assert not document.draft


@needs_poppler
def test_every_page_is_a4_with_the_decrees_margins_and_the_annex_landscape(rendered, tmp_path):
    measured = _inked_margins(rendered[1], tmp_path)
    assert any(width > height for width, height, _ in measured)  # the annex
    for number, (width, height, margins) in enumerate(measured, start=1):
        assert sorted((round(width), round(height))) == [210, 297], (number, width, height)
        wanted = LANDSCAPE if width > height else PORTRAIT
        for edge, minimum in wanted.items():
            assert margins[edge] >= minimum - TOLERANCE_MM, (number, edge, round(margins[edge], 1))
    portrait = [margins for width, height, margins in measured if height > width]
    assert min(margins["left"] for margins in portrait) <= 35
    assert min(margins["right"] for margins in portrait) <= 20


@needs_poppler
def test_liberation_serif_is_embedded(rendered):
    fonts = _run("pdffonts", "-", data=rendered[1]).decode().splitlines()[2:]
    assert fonts
    for line in fonts:
        assert "LiberationSerif" in line.split()[0].replace("-", ""), line
        assert line.split()[-5] == "yes", line


@needs_poppler
def test_the_header_number_trich_yeu_and_addressees(rendered, pages):
    document, pdf = rendered[0], rendered[1]
    first = pages[0]
    lines = [line.strip() for line in first.splitlines()]
    assert any(line.endswith(NATION) for line in lines)
    assert any(line.endswith(MOTTO) for line in lines)
    today = timezone.localdate()
    month = f"{today.month:02d}" if today.month < 3 else str(today.month)
    assert any(line.endswith(f"Quảng Ngãi, ngày {today.day:02d} tháng {month} năm {today.year}") for line in lines)
    assert _printed_whole(document.issuing_body.upper(), first)
    assert "Số: 01/SKHCN-VP" in first
    assert "CÔNG VĂN" not in first  # a công văn prints no type name
    # "V/v …" under the number, inside the left column (30 mm + 70 mm from the page's left edge).
    boxes = _run("pdftotext", "-f", "1", "-l", "1", "-bbox", "-", "-", data=pdf).decode()
    number = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>Số:</word>', boxes)
    trich_yeu = re.search(r'<word xMin="([\d.]+)" yMin="([\d.]+)"[^>]*>V/v</word>', boxes)
    assert float(trich_yeu.group(2)) > float(number.group(2))
    assert float(trich_yeu.group(1)) < 100 * MM
    assert "Kính gửi:" in first
    assert "- Sở Nội vụ;" in first
    assert "- Trưởng Khối thi đua các cơ quan tham mưu tổng hợp." in first


@needs_poppler
def test_the_body_ends_and_the_deputy_signs_with_nơi_nhận(rendered, pages):
    document = rendered[0]
    body = "\n".join(page for page in pages if "DANH SÁCH ĐĂNG KÝ THI ĐUA" not in page)
    assert "./." in body
    assert "Có 2 phòng, đơn vị đăng ký thi đua; 4 cá nhân đăng ký danh hiệu thi đua" in " ".join(body.split())
    assert "đăng ký danh hiệu “Cờ thi đua của Ủy ban nhân dân tỉnh”" in " ".join(body.split())
    signed = [page for page in pages if document.signature.name in page][-1]
    assert "KT. GIÁM ĐỐC" in signed
    assert "PHÓ GIÁM ĐỐC" in signed
    assert "Nơi nhận:" in signed
    assert "- Như trên;" in signed
    assert "- Lưu: VT, VP." in signed
    before = signed.split("Nơi nhận:")[0]
    assert [line for line in before.splitlines() if len(line.strip()) > 40]


@needs_poppler
def test_the_annex_lists_the_registrations(pages):
    annex = "\n".join(page for page in pages if "DANH SÁCH ĐĂNG KÝ THI ĐUA" in page)
    assert "Kèm theo Công văn số 01/SKHCN-VP ngày" in annex
    for words in ("Sở Khoa học và Công nghệ", "Nguyễn Thị An", "Phạm Minh Châu", "95,5"):
        assert words in annex, words
    assert "Võ Văn Chưa" not in annex  # the unit not accepted


def test_the_docx_header_grid_equals_its_cells_with_the_trich_yeu_under_the_number(rendered):
    word = WordDocument(io.BytesIO(rendered[2]))
    header = word.tables[0]
    grid = [int(column.get(qn_w("w"))) for column in header._tbl.tblGrid.findall(qn_w("gridCol"))]
    for row in header.rows:
        assert [cell.width.twips for cell in row.cells] == grid
    number_cell = [paragraph.text for paragraph in header.rows[1].cells[0].paragraphs]
    assert number_cell[0] == "Số: 01/SKHCN-VP"
    assert number_cell[1].startswith("V/v đăng ký thi đua năm ")
    texts = [paragraph.text for paragraph in word.paragraphs]
    assert "Kính gửi:\t- Sở Nội vụ;" in texts
    assert not any(text.startswith("V/v") for text in texts)  # not repeated as a centred title


def test_libreoffice_reads_the_docx_with_the_header_whole(rendered, tmp_path):
    if not POPPLER:
        pytest.skip("needs poppler-utils")
    path = tmp_path / "cong-van.docx"
    path.write_bytes(rendered[2])
    (pdf,) = convert([path], "pdf", tmp_path / "pdf")
    first = _layout_text(pdf.read_bytes()).split("\f")[0]
    lines = [line.strip() for line in first.splitlines()]
    assert any(line.endswith(NATION) for line in lines)
    assert any(line.endswith(MOTTO) for line in lines)
    assert "Số: 01/SKHCN-VP" in first
    assert "Kính gửi:" in first


def test_the_xlsx_names_its_sheets_and_keeps_numbers_as_numbers(rendered):
    workbook = open_workbook(rendered[3])
    assert_sheet_names_are_meaningful(workbook, ["PL. Đăng ký tập thể", "PL. Đăng ký cá nhân", "PL. Chỉ tiêu, cam kết"])
    assert_no_figure_is_text(workbook)
    commitments = workbook["PL. Chỉ tiêu, cam kết"]
    assert_amounts(column(commitments, "Chỉ tiêu đăng ký"))
    assert [cell.value for cell in column(commitments, "Chỉ tiêu đăng ký")] == [95.5]
    assert commitments["A1"].value.startswith("Công văn V/v đăng ký thi đua năm ")
    people = [row["Họ và tên"].value for row in records(workbook["PL. Đăng ký cá nhân"])]
    assert people == ["Phạm Minh Châu", "Lê Văn Bình", "Lê Văn Bình", "Nguyễn Thị An"]  # units in their order
    assert all(isinstance(row["STT"].value, int) for row in records(workbook["PL. Đăng ký cá nhân"]))
