"""Citing the plan and the law in full (campaign.citations): number, date, issuer, title; gaps said, never printed."""

import datetime

import pytest

from campaign.citations import cite, decision_bases, frozen, gaps, long_date, warning
from campaign.models import Campaign, CitedDocument

Role = CitedDocument.Role


@pytest.fixture
def plan(db):
    """The plan the session loaded (this directory's own `plan` fixture reloads it, for the loader's tests)."""
    return Campaign.objects.get()


def document(**fields):
    values = {"role": Role.OTHER, "kind": "Quyết định", "number": "", "issued_on": None, "issuer": "", "title": ""}
    return CitedDocument(**{**values, **fields})


def test_dates_are_written_out_with_nd30_s_leading_zeros():
    assert long_date(datetime.date(2025, 6, 14)) == "ngày 14 tháng 6 năm 2025"
    assert long_date(datetime.date(2026, 2, 5)) == "ngày 05 tháng 02 năm 2026"
    assert long_date(datetime.date(2023, 4, 3)) == "ngày 03 tháng 4 năm 2023"


def test_a_decree_is_cited_with_number_date_issuer_and_title():
    decree = document(
        kind="Nghị định",
        number="152/2025/NĐ-CP",
        issued_on=datetime.date(2025, 6, 14),
        issuer="Chính phủ",
        title="quy định chi tiết thi hành một số điều của Luật Thi đua, khen thưởng",
    )
    assert cite(decree) == (
        "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ quy định chi tiết thi hành một số "
        "điều của Luật Thi đua, khen thưởng"
    )
    assert gaps(decree) == []
    assert warning(decree) == ""


def test_a_law_is_cited_by_its_name_and_date():
    law = document(
        kind="Luật", number="06/2022/QH15", issued_on=datetime.date(2022, 6, 15), title="Thi đua, khen thưởng"
    )
    assert cite(law) == "Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022"
    assert gaps(law) == []


def test_a_blank_number_is_left_out_and_said_missing():
    plan = document(
        role=Role.PLAN,
        kind="Kế hoạch",
        issued_on=datetime.date(2023, 4, 3),
        issuer="Sở Khoa học và Công nghệ",
        title="về tổ chức thực hiện Phong trào thi đua “X”",
    )
    citation = cite(plan)
    assert (
        citation
        == "Kế hoạch ngày 03 tháng 4 năm 2023 của Sở Khoa học và Công nghệ về tổ chức thực hiện Phong trào thi đua “X”"
    )
    assert "số" not in citation.split("ngày")[0]
    assert gaps(plan) == ["chưa có số, ký hiệu"]
    assert warning(plan).startswith("Kế hoạch của Sở tổ chức thực hiện Phong trào (Kế hoạch ngày 03 tháng 4 năm 2023")
    assert frozen(plan) == {"role": "plan", "citation": citation, "dated": True, "warning": warning(plan)}


def test_an_unconfirmed_date_and_a_missing_date_are_gaps():
    unconfirmed = document(number="1/QĐ", issued_on=datetime.date(2025, 1, 2), confirmed=False, title="về việc thử")
    assert gaps(unconfirmed) == ["số, ngày ban hành chưa được đối chiếu với bản gốc (Công báo)"]
    undated = document(number="1/QĐ", title="về việc thử")
    assert gaps(undated) == ["chưa có ngày ban hành"]


def test_the_bases_of_decisions_follow_the_office_s_order(plan):
    campaign = Campaign.objects.prefetch_related("cited_documents").get()
    assert [basis.role for basis in decision_bases(campaign)] == ["law", "decree", "functions", "emulation_rules"]
