"""The access matrix of the overview's pages (Tổng quan).

Leadership and the office read the overview, its grid, an indicator's units and every unit's page, with their
XLSX; a unit's staff and head read only their own unit's page (another unit's answers 404, as does every other
overview page); the administrator, without either capability, gets 404 like everyone else. Every page only reads.
"""

import pytest

from campaign.models import ReportingPeriod
from reports.models import UnitReport
from tests import factories
from tests.access.matrix import Endpoint, built_once, check_every_persona, everyone, make_personas, only, row_id

OVERSEERS = ("reviewer", "leader")

ENDPOINTS = [
    Endpoint("overview:index", "GET", "/tong-quan/", only(*OVERSEERS)),
    Endpoint("overview:index", "GET", "/tong-quan/?giai_doan=1&nam=2025&ky=2025-H1", only(*OVERSEERS)),
    # A filter that names nothing: the page with a notice, not an error.
    Endpoint("overview:index", "GET", "/tong-quan/?giai_doan=x&nam=abc&ky=zzz", only(*OVERSEERS)),
    Endpoint("overview:index", "POST", "/tong-quan/", everyone(405)),
    Endpoint("overview:index_xlsx", "GET", "/tong-quan/xlsx/?giai_doan=1&ky=2025-H1", only(*OVERSEERS)),
    Endpoint("overview:grid", "GET", "/tong-quan/don-vi-tieu-chi/?giai_doan=1&ky=2025-H1", only(*OVERSEERS)),
    Endpoint("overview:grid_xlsx", "GET", "/tong-quan/don-vi-tieu-chi/xlsx/?giai_doan=1&ky=2025-H1", only(*OVERSEERS)),
    Endpoint("overview:indicator", "GET", "/tong-quan/chi-so/disbursement-rate/?giai_doan=1", only(*OVERSEERS)),
    Endpoint("overview:indicator", "GET", "/tong-quan/chi-so/khong-co/", only()),
    Endpoint("overview:indicator_xlsx", "GET", "/tong-quan/chi-so/disbursement-rate/xlsx/", only(*OVERSEERS)),
    # A unit's page: its own members and the overseers; another unit's members 404.
    Endpoint("overview:unit", "GET", "/tong-quan/don-vi/{own_unit}/", only("staff", "head", *OVERSEERS)),
    Endpoint("overview:unit", "GET", "/tong-quan/don-vi/{own_unit}/?giai_doan=1", only("staff", "head", *OVERSEERS)),
    Endpoint("overview:unit", "GET", "/tong-quan/don-vi/{other_unit}/", only("other_staff", *OVERSEERS)),
    # The Department is not a unit with a page; a unit that does not exist answers like one that may not be seen.
    Endpoint("overview:unit", "GET", "/tong-quan/don-vi/{department}/", only()),
    Endpoint("overview:unit", "GET", "/tong-quan/don-vi/999999/", only()),
    Endpoint("overview:unit_xlsx", "GET", "/tong-quan/don-vi/{own_unit}/xlsx/", only("staff", "head", *OVERSEERS)),
    Endpoint("overview:unit_xlsx", "GET", "/tong-quan/don-vi/{other_unit}/xlsx/", only("other_staff", *OVERSEERS)),
]


def build():
    personas = make_personas()
    own, other = factories.own_unit(), factories.other_unit()
    period = ReportingPeriod.objects.get(code="2025-H1")
    UnitReport.objects.create(
        unit=own,
        period=period,
        status=UnitReport.Status.ACCEPTED,
        unit_name=own.name,
        submitted_at=personas["reviewer"].date_joined,
        created_by=personas["head"],
    )
    return personas, {"own_unit": own.pk, "other_unit": other.pk, "department": factories.department().pk}


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory.mktemp("overview-matrix"), build) as world:
        yield world


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=row_id)
def test_each_persona_gets_the_expected_answer(world, db, client, endpoint):
    check_every_persona(client, world, endpoint)
