"""The register's công văn: no type code, the drafting unit in the symbol ("Số: 12/SKHCN-VP"), one series of its
own per year and issuing body whichever unit drafted it; the other registers' labels as they were."""

import datetime

import pytest

from documents.model import Document, Signature
from documents.models import OutgoingDocument, RegisterCounter
from documents.register import LETTER, order_conflict, register_next_number, register_record_number
from tests.factories import UserFactory
from workflow.errors import NeedsConfirmation, Refused

DAY = datetime.date(2025, 3, 5)


@pytest.fixture
def clerk(db):
    return UserFactory(username="vanthu", full_name="Trần Thị Văn Thư")


def letter(clerk, drafting_code="VP", issued_on=DAY, **kwargs):
    return register_next_number(
        issuer_code="SKHCN",
        type_code=LETTER,
        drafting_code=drafting_code,
        issued_on=issued_on,
        summary="V/v đăng ký thi đua năm 2025",
        actor=clerk,
        **kwargs,
    )


def report(clerk, issued_on=DAY):
    return register_next_number(
        issuer_code="SKHCN", type_code="BC", issued_on=issued_on, summary="Báo cáo", actor=clerk
    )


def test_a_letter_is_numbered_without_a_type_code_in_its_own_series(clerk):
    assert str(report(clerk)) == "Số 01/BC-SKHCN ngày 05/03/2025"
    first = letter(clerk)
    second = letter(clerk, drafting_code="QLKH")  # another drafting unit, the same series
    assert str(first) == "Số 01/SKHCN-VP ngày 05/03/2025"
    assert (second.number, second.symbol) == (2, "02/SKHCN-QLKH")
    assert str(report(clerk)) == "Số 02/BC-SKHCN ngày 05/03/2025"  # the reports' series untouched
    assert RegisterCounter.objects.get(issuer_code="SKHCN", type_code="").last_number == 2
    assert letter(clerk, issued_on=datetime.date(2026, 1, 2)).symbol == "01/SKHCN-VP"  # a new year, a new series


def test_a_clerks_letter_number_is_taken_once_in_the_series(clerk):
    letter(clerk)
    before = list(OutgoingDocument.objects.values())
    with pytest.raises(Refused, match="Số 01/SKHCN-QLKH năm 2025 đã có"):
        register_record_number(
            issuer_code="SKHCN",
            type_code=LETTER,
            drafting_code="QLKH",
            number=1,
            issued_on=DAY,
            summary="Công văn",
            actor=clerk,
        )
    assert list(OutgoingDocument.objects.values()) == before
    assert letter(clerk).number == 2


def test_a_letter_dated_before_the_previous_one_needs_confirmation(clerk):
    letter(clerk, issued_on=datetime.date(2025, 3, 10))
    conflict = order_conflict(issuer_code="SKHCN", type_code=LETTER, drafting_code="VP", issued_on=DAY)
    assert conflict == (
        "Số 02/SKHCN-VP ngày 05/03/2025 lùi ngày so với số liền trước trong sổ đăng ký văn bản đi: "
        "01/SKHCN-VP ngày 10/03/2025."
    )
    with pytest.raises(NeedsConfirmation):
        letter(clerk)
    assert letter(clerk, confirmation="Ký lùi ngày").out_of_order


def test_a_letter_names_its_drafting_unit_and_only_a_letter_does(clerk):
    with pytest.raises(ValueError, match="drafting"):
        letter(clerk, drafting_code="")
    with pytest.raises(ValueError, match="drafting"):
        register_next_number(
            issuer_code="SKHCN", type_code="BC", drafting_code="VP", issued_on=DAY, summary="x", actor=clerk
        )


def _document(**changes):
    values = {
        "governing_body": "UBND TỈNH QUẢNG NGÃI",
        "issuing_body": "SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        "type_code": "BC",
        "issuer_code": "SKHCN",
        "type_name": "BÁO CÁO",
        "summary": "Kết quả",
        "place": "Quảng Ngãi",
        "sections": [],
        "signature": Signature.for_signer(name="A", is_deputy=False),
        "recipients": [],
        "number": 7,
        "issued_on": DAY,
    }
    return Document(**{**values, **changes})


def test_a_letters_number_line_and_reference_have_no_type_code_and_the_others_keep_theirs():
    report_document = _document()
    assert (report_document.number_line, report_document.reference) == (
        "Số: 07/BC-SKHCN",
        "số 07/BC-SKHCN ngày 05/03/2025",
    )
    assert not report_document.is_letter
    cong_van = _document(type_code="", type_name="", issuer_code="SKHCN-VP", number=12)
    assert (cong_van.number_line, cong_van.reference) == ("Số: 12/SKHCN-VP", "số 12/SKHCN-VP ngày 05/03/2025")
    assert cong_van.is_letter


def test_several_addressees_are_listed_one_per_line_and_one_stays_on_the_kinh_gui_line():
    several = _document(addressee="Sở Nội vụ\n- Trưởng Khối thi đua các cơ quan tổng hợp;\n")
    assert several.addressee_lines == ["- Sở Nội vụ;", "- Trưởng Khối thi đua các cơ quan tổng hợp."]
    assert _document(addressee="Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)").addressee_lines == []
