"""The access matrix of the plan's pages: the documents the portal's documents cite.

The office and leadership read them; only the office changes them (403 for leadership); everyone else
gets 404, as on the consolidated report's pages.
"""

import pytest

from campaign.models import Campaign, CitedDocument
from tests.access.matrix import (
    Endpoint,
    built_once,
    check_every_persona,
    everyone,
    make_personas,
    office_only,
    only,
    row_id,
)

OFFICE_AND_LEADER = ("reviewer", "leader")
EDIT = {
    "doc{plan}-kind": "Kế hoạch",
    "doc{plan}-number": "125/KH-SKHCN",
    "doc{plan}-issued_on": "03/04/2023",
    "doc{plan}-issuer": "Sở Khoa học và Công nghệ",
    "doc{plan}-title": "về tổ chức thực hiện Phong trào thi đua",
    "doc{plan}-sort_order": "10",
}
ADD = {
    "new-kind": "Quyết định",
    "new-number": "12/2025/QĐ-UBND",
    "new-issued_on": "01/08/2025",
    "new-issuer": "UBND tỉnh Quảng Ngãi",
    "new-title": "ban hành Quy chế thử nghiệm",
    "new-decision_basis": "on",
    "new-sort_order": "100",
}

ENDPOINTS = [
    Endpoint("campaign:cited_documents", "GET", "/ke-hoach/van-ban-can-cu/", only(*OFFICE_AND_LEADER)),
    Endpoint(
        "campaign:cited_document_edit",
        "POST",
        "/ke-hoach/van-ban-can-cu/{plan}/",
        office_only(),
        data=EDIT,
        writes=("reviewer",),
    ),
    # Bad input: the page again with the refusal and what was typed (400), nothing saved.
    Endpoint(
        "campaign:cited_document_edit",
        "POST",
        "/ke-hoach/van-ban-can-cu/{plan}/",
        office_only(400),
        data={**EDIT, "doc{plan}-issued_on": "31/02/2023"},
    ),
    Endpoint("campaign:cited_document_edit", "GET", "/ke-hoach/van-ban-can-cu/{plan}/", everyone(405)),
    Endpoint(
        "campaign:cited_document_add",
        "POST",
        "/ke-hoach/van-ban-can-cu/them/",
        office_only(),
        data=ADD,
        writes=("reviewer",),
    ),
    Endpoint(
        "campaign:cited_document_delete",
        "POST",
        "/ke-hoach/van-ban-can-cu/{other}/xoa/",
        office_only(),
        writes=("reviewer",),
    ),
    # A document in one of the plan's roles is corrected, never deleted.
    Endpoint("campaign:cited_document_delete", "POST", "/ke-hoach/van-ban-can-cu/{plan}/xoa/", office_only(400)),
]


def build():
    personas = make_personas()
    campaign = Campaign.objects.get()
    other = CitedDocument.objects.create(
        campaign=campaign,
        plan_key="office-test-other",
        role=CitedDocument.Role.OTHER,
        kind="Quyết định",
        number="99/QĐ-UBND",
        title="về một căn cứ thử",
        decision_basis=True,
    )
    plan = CitedDocument.objects.get(role=CitedDocument.Role.PLAN)
    return personas, {"plan": plan.pk, "other": other.pk}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory.mktemp("campaign-matrix"), build) as world:
        yield world


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=row_id)
def test_each_persona_gets_the_expected_answer(world, db, client, endpoint):
    check_every_persona(client, world, endpoint)
