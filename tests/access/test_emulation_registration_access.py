"""The access matrix of the year's start: the year page and its plan, the registration window, the units'
registrations (list, page, editor, review).

A unit's members see and edit only their own unit's registration (staff save, the head sends); the office manages
the year and reviews other units' registrations, leadership reviews the office's own; what a persona may not see
answers 404, an action on what it sees but may not take 403.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaign.models import Campaign
from emulation.services import registration as services
from emulation.services import year as year_services
from tests import factories
from tests.access.matrix import (
    LOGIN,
    Endpoint,
    acting,
    built_once,
    check_every_persona,
    everyone,
    make_personas,
    office_only,
    only,
    row_id,
)

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"
TITLE = "tap-the-lao-dong-tien-tien"
SEEN = {**everyone(200), "administrator": 404}
PLAN = {
    "plan_number": "20/KH-SKHCN",
    "plan_date": "01/12/2026",
    "plan_title": "Kế hoạch thi đua năm",
    "registration_opens_on": "01/12/2026",
    "registration_due_on": "31/12/2026",
}
SENT_SEEN_BY = only("staff", "head", "reviewer", "leader")
UNIT_MEMBERS = ("staff", "head", "other_staff", "reviewer")

ENDPOINTS = [
    Endpoint("emulation:year", "GET", "/thi-dua/{open}/", SEEN),
    Endpoint("emulation:year", "GET", "/thi-dua/1999/", {**everyone(404)}),
    Endpoint("emulation:year", "POST", "/thi-dua/{open}/", everyone(405)),
    Endpoint("emulation:year_create", "POST", "/thi-dua/nam-moi/", office_only(), {"year": "2030"}, ("reviewer",)),
    Endpoint("emulation:year_create", "POST", "/thi-dua/nam-moi/", office_only(400), {"year": "{open}"}),
    Endpoint("emulation:year_create", "GET", "/thi-dua/nam-moi/", everyone(405)),
    Endpoint("emulation:year_plan", "POST", "/thi-dua/{unopened}/ke-hoach/", office_only(), PLAN, ("reviewer",)),
    Endpoint(
        "emulation:year_plan",
        "POST",
        "/thi-dua/{unopened}/ke-hoach/",
        office_only(400),
        {**PLAN, "registration_due_on": "31/02/2026"},
    ),
    Endpoint("emulation:year_plan_file", "GET", "/thi-dua/{open}/ke-hoach/tep/", SEEN),
    Endpoint("emulation:year_plan_file", "GET", "/thi-dua/{unopened}/ke-hoach/tep/", everyone(404)),
    Endpoint(
        "emulation:registration_open", "POST", "/thi-dua/{unopened}/mo-dang-ky/", office_only(), writes=("reviewer",)
    ),
    # Without its plan a year is not opened: the refusal is a message on the year's page, nothing written.
    Endpoint("emulation:registration_open", "POST", "/thi-dua/{planless}/mo-dang-ky/", office_only()),
    Endpoint(
        "emulation:registration_close", "POST", "/thi-dua/{open}/dong-dang-ky/", office_only(), writes=("reviewer",)
    ),
    Endpoint(
        "emulation:registration_remind", "POST", "/thi-dua/{open}/nhac-dang-ky/", office_only(), writes=("reviewer",)
    ),
    Endpoint("emulation:registration_remind", "GET", "/thi-dua/{open}/nhac-dang-ky/", everyone(405)),
    # Units' members are sent to their own registration (or the year's page); administrators see no emulation page.
    Endpoint(
        "emulation:registrations",
        "GET",
        "/thi-dua/{open}/dang-ky/",
        {"anonymous": LOGIN, "reviewer": 200, "leader": 200, "administrator": 404, "*": 302},
    ),
    # The first one of a unit creates its draft; the own unit's draft exists already (nothing written).
    Endpoint(
        "emulation:registration_start",
        "POST",
        "/thi-dua/{open}/dang-ky/lap/",
        {**acting(*UNIT_MEMBERS, seen_by=("leader",))},
        writes=("other_staff", "reviewer"),
    ),
    Endpoint("emulation:registration_start", "GET", "/thi-dua/{open}/dang-ky/lap/", everyone(405)),
    Endpoint("emulation:registration", "GET", "/thi-dua/dang-ky/{own_draft}/", only("staff", "head")),
    Endpoint(
        "emulation:registration",
        "GET",
        "/thi-dua/dang-ky/{own_submitted}/",
        only("staff", "head", "reviewer", "leader"),
    ),
    Endpoint("emulation:registration_edit", "GET", "/thi-dua/dang-ky/{own_draft}/sua/", only("staff", "head")),
    # A sent registration opens read-only for its unit; the office and leadership see it but do not edit it.
    Endpoint(
        "emulation:registration_edit",
        "GET",
        "/thi-dua/dang-ky/{own_submitted}/sua/",
        acting("staff", "head", seen_by=("reviewer", "leader")),
    ),
    Endpoint(
        "emulation:registration_edit",
        "POST",
        "/thi-dua/dang-ky/{own_draft}/sua/",
        only("staff", "head", ok=302),
        {"action": "save", "collective": TITLE, "text-{criterion}": "Hoàn thành đúng tiến độ."},
        ("staff", "head"),
    ),
    # Only the head (or a deputy) sends: staff pressing "Gửi đăng ký" get 403.
    Endpoint(
        "emulation:registration_edit",
        "POST",
        "/thi-dua/dang-ky/{own_draft}/sua/",
        {**only("head", ok=302), "staff": 403},
        {"action": "submit", "collective": TITLE},
        ("head",),
    ),
    Endpoint(
        "emulation:registration_edit",
        "POST",
        "/thi-dua/dang-ky/{own_draft}/sua/",
        only("staff", "head", ok=400),
        {"action": "save", "collective": TITLE, "target-{indicator}": "-5"},
    ),
    Endpoint(
        "emulation:registration_return",
        "POST",
        "/thi-dua/dang-ky/{own_submitted}/tra-lai/",
        acting("reviewer", seen_by=("staff", "head", "leader")),
        {"reason": "Bổ sung chỉ tiêu."},
        ("reviewer",),
    ),
    Endpoint(
        "emulation:registration_return",
        "POST",
        "/thi-dua/dang-ky/{own_submitted}/tra-lai/",
        acting("reviewer", ok=400, seen_by=("staff", "head", "leader")),
        {"reason": ""},
    ),
    Endpoint(
        "emulation:registration_accept",
        "POST",
        "/thi-dua/dang-ky/{own_submitted}/tiep-nhan/",
        acting("reviewer", seen_by=("staff", "head", "leader")),
        writes=("reviewer",),
    ),
    # The office's own registration goes to leadership: its reviewer sees it but may not review it.
    Endpoint(
        "emulation:registration_accept",
        "POST",
        "/thi-dua/dang-ky/{office_submitted}/tiep-nhan/",
        acting("leader", seen_by=("reviewer",)),
        writes=("leader",),
    ),
    Endpoint("emulation:registration_accept", "GET", "/thi-dua/dang-ky/{own_submitted}/tiep-nhan/", everyone(405)),
]


def _year(number, office, *, plan=True, opened=True, file=False):
    campaign = Campaign.objects.get()
    year = year_services.year_create(campaign=campaign, year=number, actor=office)
    if plan:
        today = timezone.localdate()
        year = year_services.year_record_plan(
            year=year,
            actor=office,
            plan_number=f"{number % 100}/KH-SKHCN",
            plan_date=today - datetime.timedelta(days=5),
            plan_title="Kế hoạch thi đua năm",
            plan_file=SimpleUploadedFile("ke-hoach.pdf", PDF, content_type="application/pdf") if file else None,
            opens_on=today - datetime.timedelta(days=5),
            due_on=today + datetime.timedelta(days=20),
        )
    if opened:
        year = year_services.registration_open(year=year, actor=office)
    return year


def _submitted(year, unit, head):
    registration = services.registration_start(year=year, unit=unit, actor=head)
    services.registration_submit(
        registration=registration, actor=head, content=services.RegistrationContent(collective=[TITLE])
    )
    return registration


def build():
    personas = make_personas()
    office = personas["reviewer"]
    office_head = factories.UserFactory(username="truongphong.hcth", unit=factories.office_unit(), position="head")
    this_year = timezone.localdate().year
    open_year = _year(this_year, office, file=True)
    earlier = _year(this_year - 1, office)
    unopened = _year(this_year + 1, office, opened=False)
    planless = _year(this_year + 2, office, plan=False, opened=False)
    own_draft = services.registration_start(year=open_year, unit=personas["staff"].unit, actor=personas["staff"])
    own_submitted = _submitted(earlier, personas["head"].unit, personas["head"])
    office_submitted = _submitted(earlier, office_head.unit, office_head)
    criterion = services.applicable_criteria(personas["staff"].unit)[0]
    indicator = next(
        indicator
        for criterion_ in services.applicable_criteria(personas["staff"].unit)
        for indicator in criterion_.indicators.all()
    )
    ids = {
        "open": open_year.year,
        "unopened": unopened.year,
        "planless": planless.year,
        "own_draft": own_draft.pk,
        "own_submitted": own_submitted.pk,
        "office_submitted": office_submitted.pk,
        "criterion": criterion.pk,
        "indicator": indicator.pk,
    }
    return personas, ids


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory.mktemp("emulation-registration"), build) as world:
        yield world


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=row_id)
def test_each_persona_gets_the_expected_answer(world, db, client, endpoint):
    check_every_persona(client, world, endpoint)
