"""The access matrix of the year-end assessment (bình xét): the year's list, a unit's assessment, its editor,
its minutes and its moves.

A unit's members see and edit only their own unit's assessment (404 for another's; a draft is the unit's alone);
only its head sends it (403 for staff). The office sees every assessment once sent and returns or confirms it, never
its own unit's; leadership reads (403 on the office's actions). The administrator belongs to no unit: 404.
"""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from campaign.models import Campaign
from emulation.services import assessment as services
from tests.access.matrix import Endpoint, acting, built_once, check_every_persona, everyone, make_personas, only, row_id
from tests.emulation.conftest import open_year
from tests.factories import UserFactory
from units.models import Person

UNIT = ("staff", "head")
SEE_SENT = ("reviewer", "leader")
PDF = b"%PDF-1.4\n1 0 obj<< /Type /Catalog >>endobj\ntrailer<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"
MEETING = {
    "meeting_date": "{meeting_day}",
    "attendance": "Toàn thể, có mặt 2/2 người",
    "chair": "Phạm Thị Trưởng",
    "secretary": "Lê Văn Cán Bộ",
    "p-{own_person}-classification": "good",
    "p-{own_person}-titles": "lao-dong-tien-tien",
}


def unit_sends(**others):
    """Staff see the unit's assessment but may not send it (403); the head sends; outsiders 404."""
    return {**only("head", ok=302), "staff": 403, **others}


ENDPOINTS = [
    # The year's list: a unit's member is sent to their unit's assessment; the office and leadership see every unit.
    Endpoint(
        "emulation:assessments",
        "GET",
        "/thi-dua/{year}/binh-xet/",
        {**everyone(200), "staff": 302, "head": 302, "other_staff": 302, "administrator": 404},
    ),
    Endpoint("emulation:assessments", "GET", "/thi-dua/1999/binh-xet/", {**everyone(404)}),
    Endpoint("emulation:assessments", "POST", "/thi-dua/{year}/binh-xet/", everyone(405)),
    # Starting: the office's own unit has none yet (the reviewer starts it); a unit that has one is told so.
    Endpoint(
        "emulation:assessment_start",
        "POST",
        "/thi-dua/{year}/binh-xet/bat-dau/",
        {**everyone(302), "leader": 403, "administrator": 404},
        writes=("reviewer",),
    ),
    Endpoint("emulation:assessment_start", "GET", "/thi-dua/{year}/binh-xet/bat-dau/", everyone(405)),
    # One assessment: a draft is the unit's alone; a sent one is seen by the office and leadership too.
    Endpoint("emulation:assessment_detail", "GET", "/thi-dua/binh-xet/{own_draft}/", only(*UNIT)),
    Endpoint("emulation:assessment_detail", "GET", "/thi-dua/binh-xet/{own_submitted}/", only(*UNIT, *SEE_SENT)),
    Endpoint(
        "emulation:assessment_detail", "GET", "/thi-dua/binh-xet/{other_submitted}/", only("other_staff", *SEE_SENT)
    ),
    Endpoint("emulation:assessment_detail", "GET", "/thi-dua/binh-xet/{other_draft}/", only("other_staff")),
    # The editor: the unit's, while a draft or returned.
    Endpoint("emulation:assessment_edit", "GET", "/thi-dua/binh-xet/{own_draft}/sua/", only(*UNIT)),
    Endpoint(
        "emulation:assessment_edit",
        "GET",
        "/thi-dua/binh-xet/{own_submitted}/sua/",
        acting(ok=403, seen_by=(*UNIT, *SEE_SENT)),
    ),
    Endpoint(
        "emulation:assessment_edit",
        "POST",
        "/thi-dua/binh-xet/{own_draft}/sua/",
        only(*UNIT, ok=302),
        data=MEETING,
        writes=UNIT,
    ),
    # Bad input: the editor again with what was typed (400), nothing saved.
    Endpoint(
        "emulation:assessment_edit",
        "POST",
        "/thi-dua/binh-xet/{own_draft}/sua/",
        only(*UNIT, ok=400),
        data={**MEETING, "meeting_date": "31/02/2026"},
    ),
    Endpoint("emulation:assessment_edit", "PUT", "/thi-dua/binh-xet/{own_draft}/sua/", everyone(405)),
    # The biên bản: made by the portal on the unit's request; the signed PDF or the portal's, for whoever sees it.
    Endpoint(
        "emulation:assessment_generate_minutes",
        "POST",
        "/thi-dua/binh-xet/{own_draft}/bien-ban/lap/",
        only(*UNIT, ok=302),
        writes=UNIT,
    ),
    Endpoint(
        "emulation:assessment_generate_minutes",
        "POST",
        "/thi-dua/binh-xet/{own_submitted}/bien-ban/lap/",
        acting(ok=403, seen_by=(*UNIT, *SEE_SENT)),
    ),
    Endpoint(
        "emulation:assessment_generate_minutes", "GET", "/thi-dua/binh-xet/{own_draft}/bien-ban/lap/", everyone(405)
    ),
    Endpoint(
        "emulation:assessment_minutes", "GET", "/thi-dua/binh-xet/{own_submitted}/bien-ban.pdf", only(*UNIT, *SEE_SENT)
    ),
    # Generated, its file not made yet: the job's progress (202).
    Endpoint("emulation:assessment_minutes", "GET", "/thi-dua/binh-xet/{own_draft}/bien-ban.pdf", only(*UNIT, ok=202)),
    Endpoint(
        "emulation:assessment_minutes_docx", "GET", "/thi-dua/binh-xet/{own_draft}/bien-ban.docx", only(*UNIT, ok=202)
    ),
    # A signed PDF was attached: there is no portal's DOCX.
    Endpoint("emulation:assessment_minutes_docx", "GET", "/thi-dua/binh-xet/{own_submitted}/bien-ban.docx", only()),
    # Sending: the head only.
    Endpoint(
        "emulation:assessment_submit", "POST", "/thi-dua/binh-xet/{own_draft}/gui/", unit_sends(), writes=("head",)
    ),
    Endpoint(
        "emulation:assessment_submit",
        "POST",
        "/thi-dua/binh-xet/{own_submitted}/gui/",
        acting(ok=403, seen_by=(*UNIT, *SEE_SENT)),
    ),
    Endpoint("emulation:assessment_submit", "GET", "/thi-dua/binh-xet/{own_draft}/gui/", everyone(405)),
    # The office returns or confirms another unit's; leadership sees it but these are the office's.
    Endpoint(
        "emulation:assessment_return",
        "POST",
        "/thi-dua/binh-xet/{own_submitted}/tra-lai/",
        acting("reviewer", seen_by=(*UNIT, "leader")),
        data={"reason": "Bổ sung số người dự họp."},
        writes=("reviewer",),
    ),
    Endpoint(
        "emulation:assessment_return",
        "POST",
        "/thi-dua/binh-xet/{own_submitted}/tra-lai/",
        acting("reviewer", ok=400, seen_by=(*UNIT, "leader")),
        data={"reason": ""},
    ),
    Endpoint("emulation:assessment_return", "POST", "/thi-dua/binh-xet/{own_draft}/tra-lai/", only(*UNIT, ok=403)),
    Endpoint("emulation:assessment_return", "GET", "/thi-dua/binh-xet/{own_submitted}/tra-lai/", everyone(405)),
    Endpoint(
        "emulation:assessment_confirm",
        "POST",
        "/thi-dua/binh-xet/{own_submitted}/xac-nhan/",
        acting("reviewer", seen_by=(*UNIT, "leader")),
        data={"e-{own_entry}-decided": "good"},
        writes=("reviewer",),
    ),
    # A classification other than proposed without a note: the page again (400), nothing confirmed.
    Endpoint(
        "emulation:assessment_confirm",
        "POST",
        "/thi-dua/binh-xet/{own_submitted}/xac-nhan/",
        acting("reviewer", ok=400, seen_by=(*UNIT, "leader")),
        data={"e-{own_entry}-decided": "done", "e-{own_entry}-note": ""},
    ),
    Endpoint("emulation:assessment_confirm", "GET", "/thi-dua/binh-xet/{own_submitted}/xac-nhan/", everyone(405)),
]


def build():
    personas = make_personas()
    staff, head, other_staff = personas["staff"], personas["head"], personas["other_staff"]
    reviewer = personas["reviewer"]
    own_unit, other_unit = staff.unit, other_staff.unit
    other_head = UserFactory(username="truongphongkhac", unit=other_unit, position="head")
    plan = Campaign.objects.get()
    today = timezone.localdate()
    year = open_year(plan, reviewer, year=today.year)
    previous = open_year(plan, reviewer, year=today.year - 1)
    own_person = Person.objects.create(full_name="Phạm Thị Trưởng", position_title="Trưởng phòng", unit=own_unit)
    other_person = Person.objects.create(full_name="Võ Văn Khác", position_title="Chuyên viên", unit=other_unit)
    meeting = {
        "meeting_date": today - datetime.timedelta(days=1),
        "attendance": "Toàn thể",
        "chair": "Phạm Thị Trưởng",
        "secretary": "Lê Văn Cán Bộ",
    }

    def recorded(assessment, person, actor, **extra):
        return services.assessment_save(
            assessment=assessment,
            actor=actor,
            entries={person.pk: ("good", ["lao-dong-tien-tien"])},
            **meeting,
            **extra,
        )

    own_draft = recorded(services.assessment_start(year=year, unit=own_unit, actor=staff), own_person, staff)
    services.assessment_generate_minutes(assessment=own_draft, actor=staff)
    own_submitted = recorded(
        services.assessment_start(year=previous, unit=own_unit, actor=staff),
        own_person,
        staff,
        minutes=SimpleUploadedFile("bien-ban.pdf", PDF, content_type="application/pdf"),
    )
    services.assessment_submit(assessment=own_submitted, actor=head)
    other_submitted = recorded(
        services.assessment_start(year=year, unit=other_unit, actor=other_staff), other_person, other_staff
    )
    services.assessment_generate_minutes(assessment=other_submitted, actor=other_staff)
    services.assessment_submit(assessment=other_submitted, actor=other_head)
    other_draft = services.assessment_start(year=previous, unit=other_unit, actor=other_staff)
    return personas, {
        "year": str(year.year),
        "meeting_day": (today - datetime.timedelta(days=1)).strftime("%d/%m/%Y"),
        "own_person": own_person.pk,
        "own_draft": own_draft.pk,
        "own_submitted": own_submitted.pk,
        "own_entry": own_submitted.entries.get().pk,
        "other_submitted": other_submitted.pk,
        "other_draft": other_draft.pk,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory.mktemp("assessment-matrix"), build) as world:
        yield world


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=row_id)
def test_each_persona_gets_the_expected_answer(world, db, client, endpoint):
    check_every_persona(client, world, endpoint)
