"""Every kind of document in the Nghị định 30 layout, checked on the rendered files themselves.

The demo is loaded once; from it the module builds one document of each kind — a half-year consolidated
report signed by the Director, an annual one signed by a Deputy Director, the unit report of the unit
with the longest name and one of a 120-character name, a decision, a proposal, the council's minutes —
each as issued (a number, a date), and renders each PDF and DOCX once. The checks read the PDF: A4
pages, every margin measured from what is inked on the page (text and rules, rasterised by poppler;
the page number, which the decree puts in the top margin, set aside), Liberation Serif embedded, the
national header whole on its lines, the number with its leading zero, "Nơi nhận", the signature block
with body text on its page. LibreOffice converts every DOCX in one call and its text layer is read
the same way.
"""

import dataclasses
import datetime
import io
import re
import shutil
import subprocess

import pytest
from docx import Document as WordDocument
from docx.oxml.ns import qn
from PIL import Image
from pypdf import PdfReader

from awards.documents.certificates import certificates, render_certificates
from awards.models import AwardDocument
from awards.services.documents import build_document
from demo.data import load_demo
from documents.render import render_docx, render_html, render_pdf
from reports.documents.consolidated import consolidated_document
from reports.documents.unit_report import unit_report_document
from reports.models import ConsolidatedReport, UnitReport
from reports.services.consolidation import consolidation_compile, consolidation_request
from tests.conftest import IN_CI
from tests.libreoffice import convert
from tests.shared_data import built_once
from units.models import Unit, User

pytestmark = pytest.mark.django_db

ISSUED_ON = datetime.date(2026, 12, 4)
POPPLER = shutil.which("pdftotext") and shutil.which("pdftoppm") and shutil.which("pdffonts")
NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
LONG_NAME = (
    "Trung tâm Nghiên cứu, Ứng dụng, Chuyển giao công nghệ, Thông tin, Thống kê và Dịch vụ khoa học "
    "công nghệ tỉnh Quảng Ngãi"
)
MM = 72 / 25.4  # points per millimetre
# Nghị định 30, Phụ lục I, Mục I.3: top and bottom 20–25 mm, left 30–35 mm, right 15–20 mm. A landscape
# page keeps the binding margin on the bound edge, its top (docs/architecture.md).
PORTRAIT = {"top": 20, "bottom": 20, "left": 30, "right": 15}
LANDSCAPE = {"top": 30, "bottom": 20, "left": 20, "right": 20}
# A printed glyph may start a hair inside its box's edge: half a millimetre of rounding at 72 dpi.
TOLERANCE_MM = 0.5

if not POPPLER and IN_CI:
    pytest.fail("CI must read the PDFs: apt-get install -y poppler-utils", pytrace=False)
needs_poppler = pytest.mark.skipif(not POPPLER, reason="needs poppler-utils (pdftotext, pdftoppm, pdffonts)")


def _issued(document, number):
    return dataclasses.replace(document, number=number, issued_on=ISSUED_ON, draft=False)


def _consolidated(period_code, signer_username):
    period_reports = UnitReport.objects.filter(period__code=period_code)
    office = User.objects.get(username="vanphong")
    report = ConsolidatedReport.objects.filter(period__code=period_code).order_by("-pk").first()
    if report is None or not report.snapshot:
        report = consolidation_request(period=period_reports.first().period, actor=office)
        consolidation_compile(report_id=report.pk)
        report.refresh_from_db()
    signer = User.objects.get(username=signer_username)
    report.signer_name = signer.full_name
    report.signer_is_deputy = signer.position == User.Position.DEPUTY
    return consolidated_document(report)


def _documents():
    """kind → the issued Document, built by the portal's own builders from the demo."""
    documents = {
        "consolidated-half-year": _issued(_consolidated("2026-H1", "giamdoc"), 3),
        "consolidated-annual": _issued(_consolidated("2025-FY", "phogiamdoc"), 7),
    }
    longest = max(UnitReport.objects.exclude(status="draft"), key=lambda report: len(report.unit_name))
    documents["unit-report-longest-name"] = _issued(unit_report_document(longest), 2)
    long_named = UnitReport.objects.exclude(status="draft").exclude(pk=longest.pk).first()
    long_named.unit_name = LONG_NAME
    documents["unit-report-120-characters"] = dataclasses.replace(
        _issued(unit_report_document(long_named), 5), numbered=True
    )
    for kind in ("decision", "proposal", "minutes"):
        award_document = AwardDocument.objects.filter(kind=kind).order_by("pk").first()
        documents[kind] = _issued(build_document(award_document), 4)
    return documents


def _certificates():
    """The certificates of the demo's issued decision (their own layout: a landscape A4 sheet per recipient)."""
    decision = AwardDocument.objects.filter(kind="decision", status=AwardDocument.Status.ISSUED).order_by("pk").first()
    return [page["name"] for page in certificates(decision)["pages"]], render_certificates(decision)


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo loaded once for this module, and from it (the documents rendered, the certificate sheets)."""
    media = tmp_path_factory.mktemp("layout-media")

    def build():
        load_demo(awards=True)
        documents = {kind: (doc, render_pdf(doc), render_docx(doc)) for kind, doc in _documents().items()}
        return documents, _certificates()

    with built_once(django_db_blocker, build, MEDIA_ROOT=media) as built:
        yield built


@pytest.fixture(scope="module")
def rendered(world):
    """kind → (Document, PDF bytes, DOCX bytes)."""
    return world[0]


@pytest.fixture(scope="module")
def certificate_sheets(world):
    """(recipients' names, the certificates' PDF) of the demo's issued decision."""
    return world[1]


@pytest.fixture(scope="module")
def converted(rendered, tmp_path_factory):
    """kind → the text layer (pdftotext -layout) of LibreOffice's PDF of the DOCX; one soffice call for all."""
    folder = tmp_path_factory.mktemp("docx")
    paths = []
    for kind, (_, _, docx) in rendered.items():
        path = folder / f"{kind}.docx"
        path.write_bytes(docx)
        paths.append(path)
    pdfs = convert(paths, "pdf", folder / "pdf")
    return {path.stem: _layout_text(path.read_bytes()) for path in pdfs}


def _run(*command, data):
    return subprocess.run(command, input=data, capture_output=True, check=True).stdout  # noqa: S603


def _layout_text(pdf):
    return _run("pdftotext", "-layout", "-", "-", data=pdf).decode()


def _pages(layer):
    return layer.split("\f")[:-1]  # pdftotext ends every page, the last too, with a form feed


def _pages_text(pdf):
    return _pages(_layout_text(pdf))


@pytest.fixture(scope="module")
def layers(rendered):
    """kind → the text layer (pdftotext -layout) of its PDF, read once for the module."""
    if not POPPLER:
        pytest.skip("needs poppler-utils (pdftotext, pdftoppm, pdffonts)")
    return {kind: _layout_text(pdf) for kind, (_, pdf, _) in rendered.items()}


def _page_numbers(pdf):
    """Per page, the boxes (in points) of the page number: a number in the top margin (30 mm at most)."""
    html = _run("pdftotext", "-bbox", "-", "-", data=pdf).decode()
    pages = []
    for page in html.split("<page ")[1:]:
        boxes = []
        for x0, y0, x1, y1, word in re.findall(
            r'<word xMin="([\d.]+)" yMin="([\d.]+)" xMax="([\d.]+)" yMax="([\d.]+)">([^<]*)</word>', page
        ):
            if word.isdigit() and float(y1) < LANDSCAPE["top"] * MM:
                boxes.append((float(x0), float(y0), float(x1), float(y1)))
        pages.append(boxes)
    return pages


def _inked_margins(pdf, directory):
    """Per page: (width mm, height mm, {edge: mm from that edge to the first ink}) — text and rules alike."""
    stem = directory / "page"
    subprocess.run(  # noqa: S603
        [shutil.which("pdftoppm"), "-r", "72", "-gray", "-", str(stem)], input=pdf, capture_output=True, check=True
    )
    numbers = _page_numbers(pdf)
    results = []
    for index, path in enumerate(sorted(directory.glob("page-*.pgm"))):
        image = Image.open(path).convert("L")
        for x0, y0, x1, y1 in numbers[index]:
            image.paste(255, (int(x0) - 1, int(y0) - 1, int(x1) + 2, int(y1) + 2))
        ink = image.point(lambda value: 255 if value < 200 else 0).getbbox()
        width, height = image.size
        assert ink is not None, f"page {index + 1} is blank"
        left, top, right, bottom = ink
        margins = {"left": left, "top": top, "right": width - right, "bottom": height - bottom}
        results.append((width / MM, height / MM, {edge: value / MM for edge, value in margins.items()}))
    return results


@pytest.fixture(scope="module")
def inked(rendered, tmp_path_factory):
    """kind → per page (width mm, height mm, margins mm), each PDF rasterised once for the module."""
    if not POPPLER:
        pytest.skip("needs poppler-utils (pdftotext, pdftoppm, pdffonts)")
    return {kind: _inked_margins(pdf, tmp_path_factory.mktemp(kind)) for kind, (_, pdf, _) in rendered.items()}


def test_every_page_is_a4_and_nothing_is_inked_in_the_margins(inked):
    for kind, pages in inked.items():
        for number, (width, height, margins) in enumerate(pages, start=1):
            landscape = width > height
            assert sorted((round(width), round(height))) == [210, 297], (kind, number, width, height)
            wanted = LANDSCAPE if landscape else PORTRAIT
            for edge, minimum in wanted.items():
                assert margins[edge] >= minimum - TOLERANCE_MM, (kind, number, edge, round(margins[edge], 1))


def test_the_text_runs_to_the_left_margin_and_not_beyond_the_right_one(inked):
    """The body is set on the decree's lines: its left edge within 30–35 mm, its right within 15–20 mm."""
    for kind, pages in inked.items():
        portrait = [margins for width, height, margins in pages if height > width]
        assert min(margins["left"] for margins in portrait) <= 35, kind
        assert min(margins["right"] for margins in portrait) <= 20, kind


@needs_poppler
def test_liberation_serif_is_embedded(rendered):
    for kind, (_, pdf, _) in rendered.items():
        fonts = _run("pdffonts", "-", data=pdf).decode().splitlines()[2:]
        assert fonts, kind
        for line in fonts:
            name, _, properties = line.partition(" ")
            assert "Liberation" in name, (kind, line)
            assert "Serif" in name, (kind, line)
            assert properties.split()[-5] == "yes", (kind, line)  # emb


@needs_poppler
def test_the_national_header_number_and_date_are_whole_on_their_lines(rendered, layers):
    for kind, (document, _, _) in rendered.items():
        first_page = _pages(layers[kind])[0]
        lines = [line.strip() for line in first_page.splitlines()]
        assert any(line.endswith(NATION) for line in lines), (kind, lines[:4])
        assert any(line.endswith(MOTTO) for line in lines), (kind, lines[:4])
        assert any(line.endswith("Quảng Ngãi, ngày 04 tháng 12 năm 2026") for line in lines), (kind, lines[:6])
        if document.numbered:
            assert f"Số: 0{document.number}/{document.type_code}-{document.issuer_code}" in layers[kind], kind
        # The issuing body's name, however long, is printed whole in its own column.
        assert _printed_whole(document.issuing_body.upper(), first_page), kind


def test_a_phong_prints_no_empty_number_and_a_trung_tam_its_own(rendered):
    division = UnitReport.objects.filter(unit__kind=Unit.Kind.DIVISION).exclude(status="draft").first()
    document = unit_report_document(division)
    assert not document.numbered
    assert "Số:" not in render_html(document)
    assert rendered["unit-report-longest-name"][0].numbered  # a Trung tâm has its own seal and register


@needs_poppler
def test_recipients_and_signature_with_body_text_on_their_page(rendered, layers):
    for kind, (document, _, _) in rendered.items():
        pages = _pages(layers[kind])
        body_pages = [page for page in pages if "Phụ lục" not in page[:400]]
        signed = [page for page in body_pages if document.signature.name and document.signature.name in page]
        assert signed, kind
        page = signed[-1]
        assert "Nơi nhận:" in page, kind
        assert document.signature.title in page, kind
        # Something of the body before the footer on the same page: the block is never alone.
        footer_starts = "Nơi nhận:" if document.co_signature is None else document.signature.title
        before = page.split(footer_starts)[0]
        body_lines = [line for line in before.splitlines() if len(line.strip()) > 40]
        assert body_lines, (kind, page[:300])


@needs_poppler
def test_the_deputy_signs_on_behalf_of_the_director(layers):
    director = layers["consolidated-half-year"]
    deputy = layers["consolidated-annual"]
    assert "KT. GIÁM ĐỐC" not in director
    assert "GIÁM ĐỐC" in director
    assert "KT. GIÁM ĐỐC" in deputy
    assert "PHÓ GIÁM ĐỐC" in deputy


def test_a_unit_head_signs_under_the_units_own_title(rendered):
    document = rendered["unit-report-longest-name"][0]
    assert document.signature.title == "GIÁM ĐỐC"  # Trung tâm: its head is its Giám đốc
    assert "ĐƠN VỊ" not in document.signature.title


@needs_poppler
def test_the_minutes_are_signed_by_the_secretary_and_the_chair_side_by_side(rendered, layers):
    document = rendered["minutes"][0]
    page = _pages(layers["minutes"])[-1]
    titles = [line for line in page.splitlines() if "THƯ KÝ" in line]
    names = [line for line in page.splitlines() if document.co_signature.name in line]
    assert titles
    assert "CHỦ TỌA" in titles[0]
    assert names
    assert document.signature.name in names[0]
    assert page.index("THƯ KÝ") < page.index("Nơi nhận:")


@needs_poppler
def test_the_decisions_enacting_words_are_centred(rendered, tmp_path):
    _, pdf, _ = rendered["decision"]
    html = _run("pdftotext", "-bbox", "-", "-", data=pdf).decode()
    boxes = re.findall(r'<word xMin="([\d.]+)" yMin="[\d.]+" xMax="([\d.]+)" yMax="[\d.]+">QUYẾT ĐỊNH:</word>', html)
    if not boxes:  # "QUYẾT" and "ĐỊNH:" as two words
        first = re.search(
            r'<word xMin="([\d.]+)"[^>]*>QUYẾT</word>\s*<word xMin="[\d.]+"[^>]*xMax="([\d.]+)"[^>]*>ĐỊNH:', html
        )
        boxes = [first.groups()]
    x0, x1 = (float(value) for value in boxes[0])
    middle_mm = (x0 + x1) / 2 / MM
    assert abs(middle_mm - (30 + (210 - 30 - 15) / 2)) < 3


def test_the_docx_prints_articles_and_headings_in_bold(rendered):
    word = WordDocument(io.BytesIO(rendered["decision"][2]))
    enacting = next(paragraph for paragraph in word.paragraphs if paragraph.text == "QUYẾT ĐỊNH:")
    assert enacting.alignment == 1  # centre
    assert all(run.bold for run in enacting.runs)
    articles = [paragraph for paragraph in word.paragraphs if paragraph.text.startswith("Điều ")]
    assert len(articles) >= 2
    for article in articles:
        assert article.runs[0].bold
        assert re.fullmatch(r"Điều \d+\.", article.runs[0].text)
        assert not article.runs[1].bold


def test_the_docx_header_grid_equals_its_cells(rendered):
    for kind, (_, _, docx) in rendered.items():
        header = WordDocument(io.BytesIO(docx)).tables[0]
        grid = [int(column.get(qn_w("w"))) for column in header._tbl.tblGrid.findall(qn_w("gridCol"))]
        for row in header.rows:
            assert [cell.width.twips for cell in row.cells] == grid, kind
        assert header._tbl.tblPr.find(qn_w("tblLayout")).get(qn_w("type")) == "fixed"


def test_the_docx_draws_the_three_rules_and_keeps_nơi_nhận_single_spaced(rendered):
    word = WordDocument(io.BytesIO(rendered["decision"][2]))
    header = word.tables[0]
    ruled = [paragraph for cell in header.rows[0].cells for paragraph in cell.paragraphs if _ruled(paragraph)]
    assert len(ruled) == 2  # under the issuing body, under the motto
    assert any(_ruled(paragraph) for paragraph in word.paragraphs)  # under the trích yếu
    footer = next(table for table in word.tables if table.rows[0].cells[0].text.startswith("Nơi nhận:"))
    recipients = footer.rows[0].cells[0].paragraphs
    assert recipients[0].text == "Nơi nhận:"
    for paragraph in recipients:
        assert paragraph.paragraph_format.space_after == 0
        assert paragraph.paragraph_format.line_spacing == 1.0


def _printed_whole(name, page):
    """Every word of `name` is a whole word on the page: a name cut at the column's edge leaves a stump."""
    words = set(page.split())
    return all(word in words for word in name.split())


def qn_w(name):
    return qn(f"w:{name}")


def _ruled(paragraph):
    properties = paragraph._p.pPr
    return properties is not None and properties.find(qn_w("pBdr")) is not None


def test_libreoffice_reads_every_docx_with_the_header_whole(rendered, converted):
    for kind, (document, _, _) in rendered.items():
        text = converted[kind]
        lines = [line.strip() for line in text.split("\f")[0].splitlines()]
        assert any(line.endswith(NATION) for line in lines), (kind, lines[:5])
        assert any(line.endswith(MOTTO) for line in lines), (kind, lines[:5])
        assert any(line.endswith("Quảng Ngãi, ngày 04 tháng 12 năm 2026") for line in lines), (kind, lines[:6])
        assert _printed_whole(document.issuing_body.upper(), text.split("\f")[0]), kind
        assert "Nơi nhận:" in text, kind
        assert document.signature.name in text, kind


def test_the_renderers_never_read_the_database(rendered, django_assert_num_queries):
    document = rendered["consolidated-annual"][0]
    with django_assert_num_queries(0):
        render_docx(document)


@needs_poppler
def test_certificates_are_a4_sheets_in_liberation_serif_one_whole_page_per_recipient(certificate_sheets):
    names, pdf = certificate_sheets
    pages = PdfReader(io.BytesIO(pdf)).pages
    assert len(pages) == len(names) > 0
    for page in pages:
        size = sorted((round(float(page.mediabox.width) / MM), round(float(page.mediabox.height) / MM)))
        assert size == [210, 297]
    fonts = _run("pdffonts", "-", data=pdf).decode().splitlines()[2:]
    assert all("Liberation" in line.split()[0] for line in fonts)
    for name, text in zip(names, _pages_text(pdf), strict=True):
        assert NATION in text
        assert name in " ".join(text.split())
