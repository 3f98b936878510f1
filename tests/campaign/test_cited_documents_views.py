"""The office's page of cited documents: enter the plan's number, correct a basis, add another; bad input keeps
what was typed and changes nothing; leadership reads only."""

import datetime
import re

import pytest
from django.urls import reverse

from campaign.models import Campaign, CitedDocument

PAGE = reverse("campaign:cited_documents")


@pytest.fixture
def plan(db):
    """The plan the session loaded (this directory's own `plan` fixture reloads it, for the loader's tests)."""
    return Campaign.objects.get()


@pytest.fixture
def plan_document(plan):
    return CitedDocument.objects.get(role=CitedDocument.Role.PLAN)


def edit_data(document, **changes):
    values = {
        "kind": document.kind,
        "number": document.number,
        "issued_on": document.issued_on.strftime("%d/%m/%Y") if document.issued_on else "",
        "issuer": document.issuer,
        "title": document.title,
        "signer": document.signer,
        "sort_order": str(document.sort_order),
        **changes,
    }
    if document.confirmed:
        values.setdefault("confirmed", "on")
    return {f"doc{document.pk}-{name}": value for name, value in values.items() if value is not None}


def text(response):
    return re.sub(r"\s+", " ", response.content.decode())


def test_the_office_sees_each_citation_and_what_it_lacks(client, reviewer, plan_document):
    client.force_login(reviewer)
    page = text(client.get(PAGE))
    assert "Kế hoạch ngày 03 tháng 4 năm 2023 của Sở Khoa học và Công nghệ về tổ chức thực hiện" in page
    assert "Chưa có số, ký hiệu." in page
    assert "Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ" in page
    assert "Số, ngày ban hành chưa được đối chiếu với bản gốc (Công báo)." in page
    assert 'action="/ke-hoach/van-ban-can-cu/' in page


def test_the_office_enters_the_plan_s_number(client, reviewer, plan_document):
    client.force_login(reviewer)
    response = client.post(
        reverse("campaign:cited_document_edit", args=[plan_document.pk]),
        edit_data(plan_document, number="125/KH-SKHCN"),
    )
    assert response.status_code == 302
    plan_document.refresh_from_db()
    assert plan_document.number == "125/KH-SKHCN"
    page = text(client.get(PAGE))
    assert "Kế hoạch số 125/KH-SKHCN ngày 03 tháng 4 năm 2023 của Sở Khoa học và Công nghệ" in page


def test_a_bad_date_changes_nothing_and_keeps_what_was_typed(client, reviewer, plan_document):
    client.force_login(reviewer)
    response = client.post(
        reverse("campaign:cited_document_edit", args=[plan_document.pk]),
        edit_data(plan_document, number="125/KH-SKHCN", issued_on="31/02/2023"),
    )
    assert response.status_code == 400
    page = text(response)
    assert "Ngày không hợp lệ; vui lòng nhập theo dạng dd/mm/yyyy" in page
    assert 'value="125/KH-SKHCN"' in page
    assert 'value="31/02/2023"' in page
    plan_document.refresh_from_db()
    assert (plan_document.number, plan_document.issued_on) == ("", datetime.date(2023, 4, 3))


def test_a_date_in_the_future_is_refused(client, reviewer, plan_document):
    client.force_login(reviewer)
    response = client.post(
        reverse("campaign:cited_document_edit", args=[plan_document.pk]),
        edit_data(plan_document, issued_on="01/01/2099"),
    )
    assert response.status_code == 400
    assert "Ngày ban hành không được sau ngày hôm nay." in text(response)


def test_the_office_adds_and_removes_another_basis(client, reviewer, plan):
    client.force_login(reviewer)
    response = client.post(
        reverse("campaign:cited_document_add"),
        {
            "new-kind": "Quyết định",
            "new-number": "12/2025/QĐ-UBND",
            "new-issued_on": "01/08/2025",
            "new-issuer": "UBND tỉnh Quảng Ngãi",
            "new-title": "ban hành Quy chế thử nghiệm",
            "new-decision_basis": "on",
            "new-sort_order": "100",
        },
    )
    assert response.status_code == 302
    added = CitedDocument.objects.get(role=CitedDocument.Role.OTHER)
    assert added.decision_basis
    assert added.plan_key.startswith("office-")
    response = client.post(reverse("campaign:cited_document_delete", args=[added.pk]))
    assert response.status_code == 302
    assert not CitedDocument.objects.filter(pk=added.pk).exists()


def test_a_document_of_the_plan_s_roles_is_never_deleted(client, reviewer, plan_document):
    client.force_login(reviewer)
    response = client.post(reverse("campaign:cited_document_delete", args=[plan_document.pk]))
    assert response.status_code == 400
    assert "chỉ sửa được, không xóa được" in text(response)
    assert CitedDocument.objects.filter(pk=plan_document.pk).exists()


def test_leadership_reads_without_forms(client, leader, plan_document):
    client.force_login(leader)
    page = text(client.get(PAGE))
    assert "Kế hoạch ngày 03 tháng 4 năm 2023" in page
    assert 'action="/ke-hoach/van-ban-can-cu/' not in page
