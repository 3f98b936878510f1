"""The access matrix of unit reports: the unit's side, evidence, review, notifications and the report as a document.

Unit staff and heads see only their own unit's reports; reviewers and leadership see submitted ones, never
another unit's draft; leadership reads and never edits; the administrator belongs to no reporting unit and
sees no report.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from campaign.models import AssessmentLevel, ReportingPeriod
from reports import services
from tests.access.matrix import (
    Endpoint,
    acting,
    built_once,
    check_every_persona,
    everyone,
    make_personas,
    only,
    row_id,
)
from tests.factories import UserFactory
from tests.plan_data import move_earlier_period, move_open_period
from tests.reports.conftest import complete

UNIT = ("staff", "head")  # the own unit's staff and head
READERS = (*UNIT, "reviewer", "leader")  # who reads the own unit's submitted reports
OFFICE_AND_LEADER = ("reviewer", "leader")
NOT_OFFICE = (*UNIT, "leader")  # who read the own unit's submitted report but do not review it
SAVE = {"action": "save", "rev-section-highlights": "{highlights_revision}", "section-highlights-text": "Bản sửa."}
AUTOSAVE = {"part": "section-highlights", **SAVE}

ENDPOINTS = [
    # --- Unit reports: the unit's side -------------------------------------------------------------
    Endpoint("reports:todo", "GET", "/reports/", everyone(200)),
    # Every unit already has its report for the open period: "start" opens it and changes nothing.
    Endpoint("reports:start", "POST", "/reports/start/{open_period}/", only(*UNIT, "other_staff", "reviewer", ok=302)),
    Endpoint(
        "reports:start",
        "POST",
        "/reports/start/{new_period}/",
        only(*UNIT, "other_staff", "reviewer", ok=302),
        writes=(*UNIT, "other_staff", "reviewer"),
    ),
    Endpoint("reports:start", "POST", "/reports/start/khong-co/", only()),
    Endpoint("reports:start", "GET", "/reports/start/{open_period}/", everyone(405)),
    Endpoint("reports:detail", "GET", "/reports/{own_draft}/", only(*UNIT)),
    Endpoint("reports:detail", "GET", "/reports/{own_submitted}/", only(*READERS)),
    Endpoint("reports:detail", "GET", "/reports/{own_accepted}/", only(*READERS)),
    Endpoint("reports:detail", "GET", "/reports/{other_draft}/", only("other_staff")),
    Endpoint("reports:detail", "GET", "/reports/{other_submitted}/", only("other_staff", "reviewer", "leader")),
    Endpoint("reports:detail", "GET", "/reports/{office_submitted}/", only("reviewer", "leader")),
    Endpoint("reports:detail", "GET", "/reports/999999/", only()),
    Endpoint("reports:detail", "POST", "/reports/{own_draft}/", everyone(405)),
    Endpoint("reports:edit", "GET", "/reports/{own_draft}/edit/", only(*UNIT)),
    Endpoint("reports:edit", "GET", "/reports/{other_draft}/edit/", only("other_staff")),
    # A submitted report opens read-only for its unit; the editor does not exist for anyone else.
    Endpoint("reports:edit", "GET", "/reports/{own_submitted}/edit/", acting(*UNIT, seen_by=OFFICE_AND_LEADER)),
    Endpoint("reports:edit", "POST", "/reports/{own_draft}/edit/", only(*UNIT, ok=302), data=SAVE, writes=UNIT),
    Endpoint(
        "reports:edit", "POST", "/reports/{own_submitted}/edit/", acting(*UNIT, seen_by=OFFICE_AND_LEADER), data=SAVE
    ),
    Endpoint(
        "reports:edit",
        "POST",
        "/reports/{other_draft}/edit/",
        only("other_staff", ok=302),
        data=SAVE,
        writes=("other_staff",),
    ),
    # Submitting: staff may not (403), the head submits the completed draft.
    Endpoint(
        "reports:edit",
        "POST",
        "/reports/{own_draft}/edit/",
        acting("head", seen_by=("staff",)),
        data={"action": "submit"},
        writes=("head",),
    ),
    Endpoint("reports:edit", "PUT", "/reports/{own_draft}/edit/", everyone(405)),
    Endpoint("reports:autosave", "POST", "/reports/{own_draft}/autosave/", only(*UNIT), data=AUTOSAVE, writes=UNIT),
    Endpoint("reports:autosave", "POST", "/reports/{own_submitted}/autosave/", only(*READERS, ok=403), data=AUTOSAVE),
    Endpoint(
        "reports:autosave",
        "POST",
        "/reports/{other_draft}/autosave/",
        only("other_staff"),
        data=AUTOSAVE,
        writes=("other_staff",),
    ),
    Endpoint("reports:autosave", "GET", "/reports/{own_draft}/autosave/", everyone(405)),
    # Only the head (or a deputy) withdraws: 403 for the others who see the report.
    Endpoint(
        "reports:withdraw",
        "POST",
        "/reports/{own_submitted}/withdraw/",
        acting("head", seen_by=("staff", *OFFICE_AND_LEADER)),
        writes=("head",),
    ),
    Endpoint(
        "reports:withdraw",
        "POST",
        "/reports/{own_accepted}/withdraw/",  # accepted: a message
        acting("head", seen_by=("staff", *OFFICE_AND_LEADER)),
    ),
    Endpoint(
        "reports:withdraw",
        "POST",
        "/reports/{other_submitted}/withdraw/",
        only("other_staff", *OFFICE_AND_LEADER, ok=403),
    ),
    Endpoint("reports:withdraw", "GET", "/reports/{own_submitted}/withdraw/", everyone(405)),
    Endpoint("reports:history", "GET", "/reports/{own_draft}/history/", only(*UNIT)),
    Endpoint("reports:history", "GET", "/reports/{own_submitted}/history/", only(*READERS)),
    Endpoint("reports:history", "GET", "/reports/{other_draft}/history/", only("other_staff")),
    Endpoint("reports:changes", "GET", "/reports/{own_submitted}/changes/", only(*READERS)),
    # Submitted once (or never): back to the report with a message.
    Endpoint("reports:changes", "GET", "/reports/{own_accepted}/changes/", only(*READERS, ok=302)),
    Endpoint("reports:changes", "GET", "/reports/{other_draft}/changes/", only("other_staff", ok=302)),
    # --- Evidence -------------------------------------------------------------------------------
    # Without a file the upload is refused with a message; a submitted report's evidence is immutable.
    Endpoint(
        "reports:evidence_upload",
        "POST",
        "/reports/{own_draft}/results/{own_draft_result}/evidence/",
        only(*UNIT, ok=302),
    ),
    Endpoint(
        "reports:evidence_upload",
        "POST",
        "/reports/{other_draft}/results/{other_draft_result}/evidence/",
        only("other_staff", ok=302),
    ),
    Endpoint(
        "reports:evidence_upload",
        "POST",
        "/reports/{own_submitted}/results/{own_submitted_result}/evidence/",
        acting(*UNIT, seen_by=OFFICE_AND_LEADER),
    ),
    Endpoint(
        "reports:evidence_upload", "GET", "/reports/{own_draft}/results/{own_draft_result}/evidence/", everyone(405)
    ),
    Endpoint("reports:evidence_download", "GET", "/reports/evidence/{own_draft_evidence}/", only(*UNIT)),
    Endpoint("reports:evidence_download", "GET", "/reports/evidence/{other_draft_evidence}/", only("other_staff")),
    Endpoint("reports:evidence_download", "GET", "/reports/evidence/{own_submitted_evidence}/", only(*READERS)),
    Endpoint(
        "reports:evidence_delete",
        "POST",
        "/reports/evidence/{own_draft_evidence}/delete/",
        only(*UNIT, ok=302),
        writes=UNIT,
    ),
    Endpoint(
        "reports:evidence_delete",
        "POST",
        "/reports/evidence/{other_draft_evidence}/delete/",
        only("other_staff", ok=302),
        writes=("other_staff",),
    ),
    Endpoint(
        "reports:evidence_delete",
        "POST",
        "/reports/evidence/{own_submitted_evidence}/delete/",
        acting(*UNIT, seen_by=OFFICE_AND_LEADER),
    ),
    Endpoint("reports:evidence_delete", "GET", "/reports/evidence/{own_draft_evidence}/delete/", everyone(405)),
    # --- Review by the office; the office's own report goes to leadership ----------------------
    # Reading the review page changes nothing: the reviewer's first action opens the review. The review is
    # the reviewer's (403 for the others who see the report; nobody reviews their own unit's report).
    Endpoint(
        "reports:review", "GET", "/reports/{own_submitted}/review/", acting("reviewer", ok=200, seen_by=NOT_OFFICE)
    ),
    Endpoint(
        "reports:review", "GET", "/reports/{own_accepted}/review/", acting("reviewer", ok=200, seen_by=NOT_OFFICE)
    ),
    Endpoint(
        "reports:review", "GET", "/reports/{office_submitted}/review/", acting("leader", ok=200, seen_by=("reviewer",))
    ),
    Endpoint("reports:review", "GET", "/reports/{own_draft}/review/", only(*UNIT, ok=403)),
    Endpoint(
        "reports:comment",
        "POST",
        "/reports/{own_submitted}/comment/",
        acting("reviewer", seen_by=NOT_OFFICE),
        data={"text": "Bổ sung minh chứng."},
        writes=("reviewer",),
    ),
    Endpoint("reports:comment", "GET", "/reports/{own_submitted}/comment/", everyone(405)),
    Endpoint(
        "reports:return",
        "POST",
        "/reports/{own_submitted}/return/",
        acting("reviewer", seen_by=NOT_OFFICE),
        data={"reason": "Thiếu số liệu."},
        writes=("reviewer",),
    ),
    # Without a reason the return is refused with a message.
    Endpoint("reports:return", "POST", "/reports/{own_submitted}/return/", acting("reviewer", seen_by=NOT_OFFICE)),
    Endpoint(
        "reports:return",
        "POST",
        "/reports/{office_submitted}/return/",
        acting("leader", seen_by=("reviewer",)),
        data={"reason": "Thiếu số liệu."},
        writes=("leader",),
    ),
    Endpoint(
        "reports:return", "POST", "/reports/{own_draft}/return/", only(*UNIT, ok=403), data={"reason": "Thiếu số liệu."}
    ),
    Endpoint("reports:return", "GET", "/reports/{own_submitted}/return/", everyone(405)),
    Endpoint(
        "reports:accept",
        "POST",
        "/reports/{own_submitted}/accept/",
        acting("reviewer", seen_by=NOT_OFFICE),
        writes=("reviewer",),
    ),
    Endpoint(
        "reports:accept", "POST", "/reports/{own_accepted}/accept/", acting("reviewer", seen_by=NOT_OFFICE)
    ),  # already accepted: a message
    Endpoint("reports:accept", "POST", "/reports/{other_draft}/accept/", only("other_staff", ok=403)),
    Endpoint("reports:accept", "GET", "/reports/{own_submitted}/accept/", everyone(405)),
    Endpoint("reports:matrix", "GET", "/reports/matrix/", only("reviewer", "leader")),
    Endpoint("reports:matrix_xlsx", "GET", "/reports/matrix.xlsx", only("reviewer", "leader")),
    Endpoint("reports:indicators_xlsx", "GET", "/reports/indicators.xlsx", only("reviewer", "leader")),
    # --- A unit report as an official document: for whoever may see the report --------------------------
    # Submitting queued its files (not made in this world): the page that says so (202), never a rendering.
    Endpoint("reports:unit_pdf", "GET", "/reports/{own_submitted}/document.pdf", only(*READERS, ok=202)),
    Endpoint("reports:unit_pdf", "GET", "/reports/{other_draft}/document.pdf", only("other_staff")),
    Endpoint("reports:unit_docx", "GET", "/reports/{own_draft}/document.docx", only(*UNIT)),
    Endpoint("reports:unit_docx", "GET", "/reports/999999/document.docx", only()),
    # --- Its stored files (documents/stored.py): whoever may read the report sees their state, may ask for them --
    Endpoint(
        "documents:stored_status", "GET", "/tep-van-ban/bao-cao-don-vi/{own_submitted}/trang-thai/", only(*READERS)
    ),
    Endpoint(
        "documents:stored_status", "GET", "/tep-van-ban/bao-cao-don-vi/{other_draft}/trang-thai/", only("other_staff")
    ),
    Endpoint("documents:stored_status", "GET", "/tep-van-ban/khong-co/1/trang-thai/", only()),
    Endpoint(
        "documents:stored_request",
        "POST",
        "/tep-van-ban/bao-cao-don-vi/{own_submitted}/tao/",
        only(*READERS, ok=302),
        writes=READERS,
    ),
    Endpoint(
        "documents:stored_request",
        "POST",
        "/tep-van-ban/bao-cao-don-vi/{other_draft}/tao/",
        only("other_staff", ok=302),
        writes=("other_staff",),
    ),
    Endpoint("documents:stored_request", "GET", "/tep-van-ban/bao-cao-don-vi/{own_submitted}/tao/", everyone(405)),
]

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"


def _start(unit, period, drafter, levels):
    return complete(services.report_start(unit=unit, period=period, actor=drafter), drafter, levels)


def _attach(report, drafter):
    upload = SimpleUploadedFile("Biên bản kiểm tra.pdf", PDF)
    return services.evidence_add(result=report.results.first(), actor=drafter, upload=upload)


def _submit(report, head):
    services.report_submit(report=report, actor=head)
    report.refresh_from_db()
    return report


def _build_world():
    """Reports of three units built through the services; the personas and the ids the endpoint rows name."""
    personas = make_personas()
    staff, head, other_staff, reviewer = (personas[key] for key in ("staff", "head", "other_staff", "reviewer"))
    open_period, earlier_period = move_open_period(), move_earlier_period()
    levels = {level.code: level for level in AssessmentLevel.objects.all()}
    own_unit, other_unit, office_unit = staff.unit, other_staff.unit, reviewer.unit
    other_head = UserFactory(username="truongphongkhac", unit=other_unit, position="head")
    office_head = UserFactory(username="chanhvanphong", unit=office_unit, position="head")
    first_half = ReportingPeriod.objects.get(code="2025-H1")

    own_draft = _start(own_unit, open_period, staff, levels)  # complete, so that the head may submit it
    own_draft_evidence = _attach(own_draft, staff)
    own_submitted = _start(own_unit, earlier_period, staff, levels)
    own_submitted_evidence = _attach(own_submitted, staff)
    _submit(own_submitted, head)
    services.report_return(report=own_submitted, actor=reviewer, reason="Bổ sung số liệu.")
    _submit(own_submitted, head)  # twice submitted, not yet opened by a reviewer
    own_accepted = _submit(_start(own_unit, first_half, staff, levels), head)
    services.report_accept(report=own_accepted, actor=reviewer)
    other_draft = _start(other_unit, open_period, other_staff, levels)
    other_draft_evidence = _attach(other_draft, other_staff)
    other_submitted = _submit(_start(other_unit, earlier_period, other_staff, levels), other_head)
    office_submitted = _submit(_start(office_unit, open_period, reviewer, levels), office_head)
    return personas, {
        "open_period": open_period.code,
        "new_period": "2026-H1",
        "own_draft": own_draft.pk,
        "own_draft_result": own_draft.results.first().pk,
        "own_draft_evidence": own_draft_evidence.pk,
        "highlights_revision": own_draft.sections.get(key="highlights").revision,
        "own_submitted": own_submitted.pk,
        "own_submitted_result": own_submitted.results.first().pk,
        "own_submitted_evidence": own_submitted_evidence.pk,
        "own_accepted": own_accepted.pk,
        "other_draft": other_draft.pk,
        "other_draft_result": other_draft.results.first().pk,
        "other_draft_evidence": other_draft_evidence.pk,
        "other_submitted": other_submitted.pk,
        "office_submitted": office_submitted.pk,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory.mktemp("reports-matrix"), _build_world) as world:
        yield world


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=row_id)
def test_each_persona_gets_the_expected_answer(world, db, client, endpoint):
    check_every_persona(client, world, endpoint)
