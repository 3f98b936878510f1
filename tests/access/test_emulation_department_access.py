"""The access matrix of the Department's registration (đăng ký thi đua của Sở): the office compiles, edits, sends and
issues it; leadership approves or returns it (403 for the other side's actions); units' people and the administrator
never see it (404). Bad input and a move the state does not allow show the page again (400), changing nothing.
"""

import datetime

import pytest
from django.utils import timezone

from emulation.services import department as services
from tests import factories
from tests.access.matrix import (
    Endpoint,
    built_once,
    check_every_persona,
    everyone,
    leadership_only,
    make_personas,
    office_only,
    only,
    row_id,
)
from tests.emulation.department_data import RECIPIENTS, UNIT_COLLECTIVE, emulation_year, registration

READERS = ("reviewer", "leader")
PAGE = "/thi-dua/{%s}/dang-ky-cua-so/"
CHOICES = {"own_titles": "co-thi-dua-ubnd-tinh", "recipients": RECIPIENTS}
BLOCK_UNNAMED = {"own_titles": "co-thi-dua-ubnd-tinh", "recipients": "Sở Nội vụ\nTrưởng Khối thi đua"}
ISSUE = {"numbering": "register", "issued_on": "{today}"}
STORED = "/tep-van-ban/dang-ky-thi-dua-cua-so/{%s}/"


def page(state, tail=""):
    return PAGE % state + tail


ENDPOINTS = [
    Endpoint("emulation:department_registration", "GET", page("draft"), only(*READERS)),
    Endpoint("emulation:department_registration", "GET", page("fresh"), only(*READERS)),
    Endpoint("emulation:department_registration", "GET", "/thi-dua/1999/dang-ky-cua-so/", only()),
    Endpoint("emulation:department_registration", "POST", page("draft"), everyone(405)),
    Endpoint(
        "emulation:department_registration_compile",
        "POST",
        page("fresh", "tong-hop/"),
        office_only(),
        data=CHOICES,
        writes=("reviewer",),
    ),
    Endpoint(
        "emulation:department_registration_compile",
        "POST",
        page("fresh", "tong-hop/"),
        office_only(400),
        data=BLOCK_UNNAMED,
    ),
    Endpoint(
        "emulation:department_registration_compile",
        "POST",
        page("pending", "tong-hop/"),
        office_only(400),
        data=CHOICES,
    ),
    Endpoint("emulation:department_registration_compile", "GET", page("fresh", "tong-hop/"), everyone(405)),
    Endpoint(
        "emulation:department_registration_edit",
        "POST",
        page("draft", "luu/"),
        office_only(),
        data={**CHOICES, "own_titles": "tap-the-lao-dong-xuat-sac"},
        writes=("reviewer",),
    ),
    Endpoint("emulation:department_registration_edit", "POST", page("fresh", "luu/"), office_only(404), data=CHOICES),
    Endpoint("emulation:department_registration_edit", "GET", page("draft", "luu/"), everyone(405)),
    Endpoint(
        "emulation:department_registration_send",
        "POST",
        page("draft", "trinh-duyet/"),
        office_only(),
        writes=("reviewer",),
    ),
    Endpoint("emulation:department_registration_send", "POST", page("pending", "trinh-duyet/"), office_only(400)),
    Endpoint("emulation:department_registration_send", "GET", page("draft", "trinh-duyet/"), everyone(405)),
    Endpoint(
        "emulation:department_registration_approve",
        "POST",
        page("pending", "duyet/"),
        leadership_only(),
        writes=("leader",),
    ),
    Endpoint("emulation:department_registration_approve", "POST", page("draft", "duyet/"), leadership_only(400)),
    Endpoint("emulation:department_registration_approve", "GET", page("pending", "duyet/"), everyone(405)),
    Endpoint(
        "emulation:department_registration_return",
        "POST",
        page("pending", "tra-lai/"),
        leadership_only(),
        data={"reason": "Bổ sung danh hiệu của Sở."},
        writes=("leader",),
    ),
    Endpoint(
        "emulation:department_registration_return",
        "POST",
        page("pending", "tra-lai/"),
        leadership_only(400),
        data={"reason": ""},
    ),
    Endpoint("emulation:department_registration_return", "GET", page("pending", "tra-lai/"), everyone(405)),
    Endpoint(
        "emulation:department_registration_issue",
        "POST",
        page("approved", "vao-so/"),
        office_only(),
        data=ISSUE,
        writes=("reviewer",),
    ),
    Endpoint(
        "emulation:department_registration_issue",
        "POST",
        page("approved", "vao-so/"),
        office_only(400),
        data={**ISSUE, "issued_on": "{tomorrow}"},
    ),
    Endpoint("emulation:department_registration_issue", "POST", page("draft", "vao-so/"), office_only(400), data=ISSUE),
    Endpoint("emulation:department_registration_issue", "GET", page("approved", "vao-so/"), everyone(405)),
    # The files are queued in the world, not yet made: readers get the page that says so (202), never a rendering.
    Endpoint("emulation:department_registration_file", "GET", page("draft", "tep/pdf/"), only(*READERS, ok=202)),
    Endpoint("emulation:department_registration_file", "GET", page("issued", "tep/docx/"), only(*READERS, ok=202)),
    Endpoint("emulation:department_registration_file", "GET", page("issued", "tep/xlsx/"), only(*READERS, ok=202)),
    Endpoint("emulation:department_registration_file", "GET", page("draft", "tep/exe/"), only()),
    Endpoint("emulation:department_registration_file", "GET", page("fresh", "tep/pdf/"), only()),
    Endpoint("emulation:department_registration_file", "POST", page("draft", "tep/pdf/"), everyone(405)),
    Endpoint("documents:stored_status", "GET", STORED % "draft_pk" + "trang-thai/", only(*READERS)),
    Endpoint(
        "documents:stored_request",
        "POST",
        STORED % "draft_pk" + "tao/",
        only(*READERS, ok=302),
        data={"next": page("draft")},
        writes=READERS,
    ),
]


def _build_world():
    """One emulation year per state of the Department's registration, each with one unit's accepted registration."""
    personas = make_personas()
    office, leader = personas["reviewer"], personas["leader"]
    unit = factories.own_unit()
    base = timezone.localdate().year
    years = {}
    for offset, state in enumerate(("fresh", "draft", "pending", "approved", "issued")):
        years[state] = emulation_year(office, year=base - 5 + offset)
        registration(years[state], unit, personas["head"], collective=[UNIT_COLLECTIVE])
    compiled = {}
    for state in ("draft", "pending", "approved", "issued"):
        compiled[state] = services.department_registration_compile(
            year=years[state], actor=office, own_titles=[], recipients=RECIPIENTS
        )
    for state in ("pending", "approved", "issued"):
        services.department_registration_send(registration=compiled[state], actor=office)
    for state in ("approved", "issued"):
        services.department_registration_approve(registration=compiled[state], actor=leader)
    services.department_registration_issue(
        registration=compiled["issued"], actor=office, issued_on=timezone.localdate()
    )
    today = timezone.localdate()
    return personas, {
        **{state: year.year for state, year in years.items()},
        "draft_pk": compiled["draft"].pk,
        "today": f"{today:%d/%m/%Y}",
        "tomorrow": f"{today + datetime.timedelta(days=1):%d/%m/%Y}",
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory.mktemp("department-matrix"), _build_world) as world:
        yield world


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=row_id)
def test_each_persona_gets_the_expected_answer(world, db, client, endpoint):
    check_every_persona(client, world, endpoint)
