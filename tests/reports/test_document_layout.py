"""The Nghị định 30 layout of the rendered PDF: A4, the decree's margins, page numbers from page 2."""

from datetime import date
from io import BytesIO

import pytest
from django.core.exceptions import ValidationError
from pypdf import PdfReader
from weasyprint import HTML

from documents.model import Document, Section, Signature
from documents.render import STATIC_DIR, render_html, render_pdf, static_only_fetcher
from reports.models import ConsolidatedOutline

MM_PER_CSS_PX = 25.4 / 96


def long_document(**changes):
    values = {
        "governing_body": "UBND TỈNH QUẢNG NGÃI",
        "issuing_body": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "type_code": "BC",
        "issuer_code": "SKHCN",
        "type_name": "BÁO CÁO",
        "summary": "Kết quả thực hiện Phong trào thi đua năm 2026",
        "place": "Quảng Ngãi",
        "sections": [Section("I. KẾT QUẢ", ["Đoạn văn bản tiếng Việt có dấu đầy đủ: ế, ạ, đ, ữ, ỗ."] * 80)],
        "signature": Signature.for_signer(name="Trần Minh Quang", is_deputy=False),
        "recipients": ["- UBND tỉnh (báo cáo);", "- Lưu: VT, HCTH."],
        "number": 7,
        "issued_on": date(2026, 2, 5),
        "draft": False,
    }
    values.update(changes)
    return Document(**values)


def test_pages_are_a4_with_the_decrees_margins():
    document = HTML(
        string=render_html(long_document()), base_url=STATIC_DIR.as_uri() + "/", url_fetcher=static_only_fetcher()
    ).render()
    page = document.pages[0]
    assert (round(page.width * MM_PER_CSS_PX), round(page.height * MM_PER_CSS_PX)) == (210, 297)
    margins = {
        side: round(getattr(page._page_box, f"margin_{side}") * MM_PER_CSS_PX)
        for side in ("top", "right", "bottom", "left")
    }
    assert 20 <= margins["top"] <= 25
    assert 20 <= margins["bottom"] <= 25
    assert 30 <= margins["left"] <= 35
    assert 15 <= margins["right"] <= 20


def test_page_numbers_start_on_the_second_page_and_dates_take_leading_zeros():
    reader = PdfReader(BytesIO(render_pdf(long_document())))
    assert len(reader.pages) >= 2
    first = reader.pages[0].extract_text()
    assert "Quảng Ngãi, ngày 05 tháng 02 năm 2026" in first
    assert "Số: 07/BC-SKHCN" in first
    assert top_margin_texts(reader.pages[0]) == []
    assert top_margin_texts(reader.pages[1]) == ["2"]


def top_margin_texts(page):
    """The texts printed in the page's top margin (above 20 mm from the top edge)."""
    height = float(page.mediabox.height)
    limit = height - 20 / 25.4 * 72
    found = []

    def visit(text, cm, tm, font_dict, font_size):
        y = tm[5] * cm[3] + cm[5] if cm[3] else tm[5]
        if text.strip() and y > limit:
            found.append(text.strip())

    page.extract_text(visitor_text=visit)
    return found


def test_a_deputy_signs_on_behalf_of_the_director():
    text = PdfReader(
        BytesIO(render_pdf(long_document(signature=Signature.for_signer(name="Lê Văn Phó", is_deputy=True))))
    )
    words = " ".join(page.extract_text() for page in text.pages)
    assert "KT. GIÁM ĐỐC" in words
    assert "PHÓ GIÁM ĐỐC" in words
    assert "Lê Văn Phó" in words


def test_documents_may_not_load_files_outside_static():
    fetcher = static_only_fetcher()
    with pytest.raises(ValueError, match="may not load"):
        fetcher.fetch("file:///etc/passwd")
    with pytest.raises(ValueError, match="may not load"):
        fetcher.fetch("http://example.com/x.css")


@pytest.mark.parametrize(
    "sections",
    [
        [],
        [{"key": "a"}],
        [{"key": "a", "heading": "I.", "source": "bịa"}],
        [{"key": "a", "heading": "I."}, {"key": "a", "heading": "II."}],
    ],
)
def test_an_outline_the_compile_cannot_use_is_refused_in_vietnamese(sections):
    outline = ConsolidatedOutline(period_kind="annual", sections=sections, recipients=[])
    with pytest.raises(ValidationError) as refused:
        outline.clean()
    assert "sections" in refused.value.message_dict


def test_the_signer_signs_under_the_heads_title_as_head_deputy_or_acting_head():
    head = Signature.for_signer(name="A", is_deputy=False, head_title="Chi cục trưởng")
    deputy = Signature.for_signer(name="B", is_deputy=True, head_title="Trưởng phòng")
    acting = Signature.for_signer(name="C", is_deputy=False, is_acting=True, head_title="Giám đốc")
    assert (head.on_behalf_of, head.title) == ("", "CHI CỤC TRƯỞNG")
    assert (deputy.on_behalf_of, deputy.title) == ("KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG")
    assert (acting.on_behalf_of, acting.title) == ("", "Q. GIÁM ĐỐC")
