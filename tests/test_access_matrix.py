"""The access matrix: every endpoint × every persona, with the expected status code.

Each row names a URL, a method and what each persona gets. Paths and posted values may name
objects of the `world` fixture in braces ("/reports/{own_draft}/"). Each persona's request runs
on the same world, rolled back afterwards. A request must leave the database exactly as it was
unless the row lists the persona under `writes` (an accepted change); so a refused request —
a 404, a 405, a redirect to sign-in or a redirect with a refusal message — changes nothing.
`test_every_url_is_in_the_matrix` fails when a view is added without a row here.

Unit staff and heads see only their own unit's reports; reviewers and leadership see submitted
ones, never another unit's draft; leadership reads and never edits; the administrator belongs
to no reporting unit and sees no report. What a persona may not see answers 404, like what does
not exist.
"""

from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from campaign.models import ReportingPeriod
from reports import services
from reports.services import consolidation
from tests.factories import UserFactory
from tests.reports import conftest as report_fixtures
from tests.reports.conftest import complete

PERSONAS = ("anonymous", "staff", "head", "other_staff", "reviewer", "leader", "administrator")
SIGNED_IN = PERSONAS[1:]
LOGIN = "login"  # expected "status": a redirect to the sign-in page
# Apps whose rows a refused request must not change.
GUARDED_APPS = ("units", "campaign", "reports", "awards", "auth")

# The unit-report fixtures, used by the `world` below.
plan = report_fixtures.plan
open_period = report_fixtures.open_period
earlier_period = report_fixtures.earlier_period
levels = report_fixtures.levels


@dataclass(frozen=True)
class Endpoint:
    name: str
    method: str
    path: str
    expected: dict = field(hash=False)
    data: dict = field(default_factory=dict, hash=False)
    writes: tuple = ()  # personas whose request may change the database (an accepted change)

    def expected_for(self, persona):
        return self.expected.get(persona, self.expected.get("*"))


def everyone(status, anonymous=LOGIN):
    return {"anonymous": anonymous, "*": status}


def only(*personas, ok=200):
    """`ok` for the named personas, sign-in for anonymous visitors, 404 for everyone else."""
    return {"anonymous": LOGIN, **dict.fromkeys(personas, ok), "*": 404}


UNIT = ("staff", "head")  # the own unit's staff and head
READERS = (*UNIT, "reviewer", "leader")  # who reads the own unit's submitted reports
CONSOLIDATED = ("reviewer", "leader")  # who reads the consolidated report
EDIT = {"section-causes": "Nguyên nhân do văn phòng viết."}
SENT = {"sent_on": "{today}", "channel": "Hệ thống quản lý văn bản"}


def office_only(ok=302):
    """The office's actions on the consolidated report: leadership sees it but may not act (403)."""
    return {**only("reviewer", ok=ok), "leader": 403}


def leadership_only(ok=302):
    return {**only("leader", ok=ok), "reviewer": 403}


SAVE = {"action": "save", "rev-section-highlights": "{highlights_revision}", "section-highlights-text": "Bản sửa."}
AUTOSAVE = {"part": "section-highlights", **SAVE}

ENDPOINTS = [
    Endpoint("home", "GET", "/", everyone(200)),
    Endpoint("healthz", "GET", "/healthz", everyone(200, anonymous=200)),
    Endpoint("login", "GET", "/accounts/login/", {"anonymous": 200, "*": 302}),
    Endpoint("logout", "GET", "/accounts/logout/", everyone(405)),
    Endpoint("logout", "POST", "/accounts/logout/", everyone(302, anonymous=302)),
    Endpoint("password_change", "GET", "/accounts/password/change/", everyone(200)),
    Endpoint(
        "password_change",
        "POST",
        "/accounts/password/change/",
        everyone(200),  # the form comes back with errors: wrong old password
        data={"old_password": "sai", "new_password1": "x", "new_password2": "y"},
    ),
    Endpoint("password_change_done", "GET", "/accounts/password/change/done/", everyone(200)),
    Endpoint("admin:index", "GET", "/admin/", {"anonymous": LOGIN, "administrator": 200, "*": 404}),
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
    Endpoint("reports:edit", "GET", "/reports/{own_submitted}/edit/", only(*UNIT, ok=302)),
    Endpoint("reports:edit", "POST", "/reports/{own_draft}/edit/", only(*UNIT, ok=302), data=SAVE, writes=UNIT),
    Endpoint("reports:edit", "POST", "/reports/{own_submitted}/edit/", only(*UNIT, ok=302), data=SAVE),
    Endpoint(
        "reports:edit",
        "POST",
        "/reports/{other_draft}/edit/",
        only("other_staff", ok=302),
        data=SAVE,
        writes=("other_staff",),
    ),
    # Submitting: staff are refused with a message, the head submits the completed draft.
    Endpoint(
        "reports:edit",
        "POST",
        "/reports/{own_draft}/edit/",
        only(*UNIT, ok=302),
        data={"action": "submit"},
        writes=("head",),
    ),
    Endpoint("reports:edit", "PUT", "/reports/{own_draft}/edit/", everyone(405)),
    Endpoint("reports:autosave", "POST", "/reports/{own_draft}/autosave/", only(*UNIT), data=AUTOSAVE, writes=UNIT),
    Endpoint("reports:autosave", "POST", "/reports/{own_submitted}/autosave/", only(*UNIT, ok=403), data=AUTOSAVE),
    Endpoint(
        "reports:autosave",
        "POST",
        "/reports/{other_draft}/autosave/",
        only("other_staff"),
        data=AUTOSAVE,
        writes=("other_staff",),
    ),
    Endpoint("reports:autosave", "GET", "/reports/{own_draft}/autosave/", everyone(405)),
    Endpoint(
        "reports:withdraw",
        "POST",
        "/reports/{own_submitted}/withdraw/",
        only(*UNIT, ok=302),  # staff get a message: only the head withdraws
        writes=("head",),
    ),
    Endpoint("reports:withdraw", "POST", "/reports/{own_accepted}/withdraw/", only(*UNIT, ok=302)),
    Endpoint("reports:withdraw", "POST", "/reports/{other_submitted}/withdraw/", only("other_staff", ok=302)),
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
        only(*READERS, ok=302),
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
        "reports:evidence_delete", "POST", "/reports/evidence/{own_submitted_evidence}/delete/", only(*READERS, ok=302)
    ),
    Endpoint("reports:evidence_delete", "GET", "/reports/evidence/{own_draft_evidence}/delete/", everyone(405)),
    # --- Review by the office; the office's own report goes to leadership ----------------------
    Endpoint("reports:review", "GET", "/reports/{own_submitted}/review/", only("reviewer"), writes=("reviewer",)),
    Endpoint("reports:review", "GET", "/reports/{own_accepted}/review/", only("reviewer")),
    Endpoint("reports:review", "GET", "/reports/{office_submitted}/review/", only("leader"), writes=("leader",)),
    Endpoint("reports:review", "GET", "/reports/{own_draft}/review/", only()),
    Endpoint(
        "reports:comment",
        "POST",
        "/reports/{own_submitted}/comment/",
        only("reviewer", ok=302),
        data={"text": "Bổ sung minh chứng."},
        writes=("reviewer",),
    ),
    Endpoint("reports:comment", "GET", "/reports/{own_submitted}/comment/", everyone(405)),
    Endpoint(
        "reports:return",
        "POST",
        "/reports/{own_submitted}/return/",
        only("reviewer", ok=302),
        data={"reason": "Thiếu số liệu."},
        writes=("reviewer",),
    ),
    # Without a reason the return is refused with a message.
    Endpoint("reports:return", "POST", "/reports/{own_submitted}/return/", only("reviewer", ok=302)),
    Endpoint(
        "reports:return",
        "POST",
        "/reports/{office_submitted}/return/",
        only("leader", ok=302),
        data={"reason": "Thiếu số liệu."},
        writes=("leader",),
    ),
    Endpoint("reports:return", "POST", "/reports/{own_draft}/return/", only(), data={"reason": "Thiếu số liệu."}),
    Endpoint("reports:return", "GET", "/reports/{own_submitted}/return/", everyone(405)),
    Endpoint(
        "reports:accept",
        "POST",
        "/reports/{own_submitted}/accept/",
        only("reviewer", ok=302),
        writes=("reviewer",),
    ),
    Endpoint("reports:accept", "POST", "/reports/{own_accepted}/accept/", only("reviewer", ok=302)),  # already accepted
    Endpoint("reports:accept", "POST", "/reports/{other_draft}/accept/", only()),
    Endpoint("reports:accept", "GET", "/reports/{own_submitted}/accept/", everyone(405)),
    Endpoint("reports:matrix", "GET", "/reports/matrix/", only("reviewer", "leader")),
    Endpoint("reports:matrix_xlsx", "GET", "/reports/matrix.xlsx", only("reviewer", "leader")),
    Endpoint("reports:indicators_xlsx", "GET", "/reports/indicators.xlsx", only("reviewer", "leader")),
    # --- Notifications ----------------------------------------------------------------------------
    Endpoint("reports:notifications", "GET", "/reports/notifications/", everyone(200)),
    Endpoint("reports:notifications_read", "POST", "/reports/notifications/read/", everyone(302), writes=SIGNED_IN),
    Endpoint("reports:notifications_read", "GET", "/reports/notifications/read/", everyone(405)),
    # --- A unit report as an official document: for whoever may see the report --------------------------
    Endpoint("reports:unit_pdf", "GET", "/reports/{own_submitted}/document.pdf", only(*READERS)),
    Endpoint("reports:unit_pdf", "GET", "/reports/{other_draft}/document.pdf", only("other_staff")),
    Endpoint("reports:unit_docx", "GET", "/reports/{own_draft}/document.docx", only(*UNIT)),
    Endpoint("reports:unit_docx", "GET", "/reports/999999/document.docx", only()),
    # --- The consolidated report (`consolidated_world`): the office compiles, edits and issues; leadership
    # approves and reads (403 for the other one's actions); units never see it. A refusal by the service
    # (wrong state, missing input) is a redirect with a message that changes nothing.
    Endpoint("reports:consolidated_list", "GET", "/reports/consolidated/", only(*CONSOLIDATED)),
    Endpoint(
        "reports:consolidated_request",
        "POST",
        "/reports/consolidated/compile/{fresh_period}/",
        office_only(),
        writes=("reviewer",),
    ),
    Endpoint("reports:consolidated_request", "POST", "/reports/consolidated/compile/{issued_period}/", office_only()),
    Endpoint("reports:consolidated_request", "POST", "/reports/consolidated/compile/{history_period}/", only()),
    Endpoint("reports:consolidated_request", "GET", "/reports/consolidated/compile/{fresh_period}/", everyone(405)),
    Endpoint("reports:consolidated_detail", "GET", "/reports/consolidated/{ready}/", only(*CONSOLIDATED)),
    Endpoint("reports:consolidated_detail", "GET", "/reports/consolidated/{issued}/", only(*CONSOLIDATED)),
    Endpoint("reports:consolidated_detail", "GET", "/reports/consolidated/999999/", only()),
    Endpoint("reports:consolidated_detail", "POST", "/reports/consolidated/{ready}/", everyone(405)),
    Endpoint("reports:consolidated_status", "GET", "/reports/consolidated/{ready}/status/", only(*CONSOLIDATED)),
    Endpoint(
        "reports:consolidated_edit",
        "POST",
        "/reports/consolidated/{ready}/edit/",
        office_only(),
        data=EDIT,
        writes=("reviewer",),
    ),
    Endpoint("reports:consolidated_edit", "POST", "/reports/consolidated/{issued}/edit/", office_only(), data=EDIT),
    Endpoint("reports:consolidated_edit", "GET", "/reports/consolidated/{ready}/edit/", everyone(405)),
    Endpoint(
        "reports:consolidated_send", "POST", "/reports/consolidated/{ready}/send/", office_only(), writes=("reviewer",)
    ),
    Endpoint("reports:consolidated_send", "POST", "/reports/consolidated/{pending}/send/", office_only()),
    Endpoint("reports:consolidated_send", "GET", "/reports/consolidated/{ready}/send/", everyone(405)),
    Endpoint(
        "reports:consolidated_approve",
        "POST",
        "/reports/consolidated/{pending}/approve/",
        leadership_only(),
        writes=("leader",),
    ),
    Endpoint("reports:consolidated_approve", "POST", "/reports/consolidated/{ready}/approve/", leadership_only()),
    Endpoint("reports:consolidated_approve", "GET", "/reports/consolidated/{pending}/approve/", everyone(405)),
    Endpoint(
        "reports:consolidated_return",
        "POST",
        "/reports/consolidated/{pending}/return/",
        leadership_only(),
        data={"comment": "Bổ sung số liệu giải ngân."},
        writes=("leader",),
    ),
    # Without a comment the return is refused with a message.
    Endpoint("reports:consolidated_return", "POST", "/reports/consolidated/{pending}/return/", leadership_only()),
    Endpoint("reports:consolidated_return", "GET", "/reports/consolidated/{pending}/return/", everyone(405)),
    Endpoint(
        "reports:consolidated_issue_register",
        "POST",
        "/reports/consolidated/{approved}/issue/register/",
        office_only(),
        data={"issued_on": "{today}"},
        writes=("reviewer",),
    ),
    Endpoint(
        "reports:consolidated_issue_register",
        "POST",
        "/reports/consolidated/{pending}/issue/register/",
        office_only(),
        data={"issued_on": "{today}"},
    ),
    Endpoint(
        "reports:consolidated_issue_register", "GET", "/reports/consolidated/{approved}/issue/register/", everyone(405)
    ),
    # Without the signed PDF the clerk's number is refused with a message.
    Endpoint(
        "reports:consolidated_issue_clerk",
        "POST",
        "/reports/consolidated/{approved}/issue/clerk/",
        office_only(),
        data={"number": "5", "issued_on": "{today}"},
    ),
    Endpoint("reports:consolidated_issue_clerk", "GET", "/reports/consolidated/{approved}/issue/clerk/", everyone(405)),
    Endpoint(
        "reports:consolidated_mark_sent",
        "POST",
        "/reports/consolidated/{issued}/sent/",
        office_only(),
        data=SENT,
        writes=("reviewer",),
    ),
    Endpoint(
        "reports:consolidated_mark_sent", "POST", "/reports/consolidated/{approved}/sent/", office_only(), data=SENT
    ),
    Endpoint("reports:consolidated_mark_sent", "GET", "/reports/consolidated/{issued}/sent/", everyone(405)),
    Endpoint("reports:consolidated_pdf", "GET", "/reports/consolidated/{ready}.pdf", only(*CONSOLIDATED)),
    Endpoint("reports:consolidated_pdf", "GET", "/reports/consolidated/{queued}.pdf", only()),  # nothing compiled yet
    Endpoint("reports:consolidated_docx", "GET", "/reports/consolidated/{issued}.docx", only(*CONSOLIDATED)),
    Endpoint("reports:consolidated_xlsx", "GET", "/reports/consolidated/{pending}.xlsx", only(*CONSOLIDATED)),
]


PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\n%%EOF\n"


def _start(unit, period, drafter, levels):
    return complete(services.report_start(unit=unit, period=period, actor=drafter), drafter, levels)


def _attach(report, drafter):
    upload = SimpleUploadedFile("Biên bản kiểm tra.pdf", PDF)
    return services.evidence_add(result=report.results.first(), actor=drafter, upload=upload)


def _submit(report, head):
    services.report_submit(report=report, actor=head)
    report.refresh_from_db()
    return report


@pytest.fixture
def world(settings, tmp_path, open_period, earlier_period, levels, staff, head, other_staff, reviewer):
    """Reports of three units built through the services; the ids the endpoint rows name."""
    settings.MEDIA_ROOT = tmp_path
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
    return {
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


def _compiled(code, reviewer):
    """A consolidated report compiled inline (the request's on-commit enqueue never runs in a test transaction)."""
    report = consolidation.consolidation_request(period=ReportingPeriod.objects.get(code=code), actor=reviewer)
    return consolidation.consolidation_compile(report_id=report.pk)


@pytest.fixture
def consolidated_world(settings, tmp_path, open_period, earlier_period, reviewer, leader):
    """One consolidated report per state, each on its own period; the ids the consolidated rows name."""
    settings.MEDIA_ROOT = tmp_path
    ready = _compiled(open_period.code, reviewer)
    pending = consolidation.consolidation_send_for_approval(
        report=_compiled(earlier_period.code, reviewer), actor=reviewer
    )
    approved = consolidation.consolidation_approve(
        report=consolidation.consolidation_send_for_approval(report=_compiled("2025-H1", reviewer), actor=reviewer),
        actor=leader,
    )
    issued = consolidation.consolidation_issue(
        report=consolidation.consolidation_approve(
            report=consolidation.consolidation_send_for_approval(report=_compiled("2026-H1", reviewer), actor=reviewer),
            actor=leader,
        ),
        actor=reviewer,
        issued_on=timezone.localdate(),
    )
    queued = consolidation.consolidation_request(period=ReportingPeriod.objects.get(code="2022-2025"), actor=reviewer)
    return {
        "ready": ready.pk,
        "pending": pending.pk,
        "approved": approved.pk,
        "issued": issued.pk,
        "issued_period": "2026-H1",
        "queued": queued.pk,
        "fresh_period": "2024-FY",
        "history_period": "2023-FY",  # before the portal: not reported on through it
        "today": timezone.localdate().strftime("%d/%m/%Y"),
    }


@pytest.fixture(autouse=True)
def fast_passwords(settings):
    # Hashing the personas' passwords with the real hasher is most of a row's time.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def url_names(resolver=None, namespace=""):
    """Every named URL of the project, with its namespace; the admin's own pages count as one."""
    resolver = resolver or get_resolver()
    names = set()
    for pattern in resolver.url_patterns:
        if isinstance(pattern, URLResolver):
            inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
            if pattern.namespace == "admin":
                names.add("admin:index")
                continue
            names |= url_names(pattern, inner)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


def database_state():
    return {
        model._meta.label: list(model.objects.order_by("pk").values_list())
        for app_label in GUARDED_APPS
        for model in apps.get_app_config(app_label).get_models()
    }


@pytest.fixture
def personas(staff, head, other_staff, reviewer, leader, administrator):
    return {
        "anonymous": None,
        "staff": staff,
        "head": head,
        "other_staff": other_staff,
        "reviewer": reviewer,
        "leader": leader,
        "administrator": administrator,
    }


def test_every_url_is_in_the_matrix():
    covered = {endpoint.name for endpoint in ENDPOINTS}
    assert url_names() - covered == set()


def test_rows_name_only_known_personas():
    for endpoint in ENDPOINTS:
        assert set(endpoint.expected) - {*PERSONAS, "*"} == set(), endpoint
        assert set(endpoint.writes) <= set(SIGNED_IN), endpoint


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: f"{endpoint.method} {endpoint.path}")
def test_each_persona_gets_the_expected_answer(client, request, personas, endpoint):
    world = request.getfixturevalue(_world_of(endpoint)) if endpoint.name.startswith("reports:") else {}
    path = endpoint.path.format(**world)
    data = {key: value.format(**world) for key, value in endpoint.data.items()}
    for persona in PERSONAS:
        with transaction.atomic():
            client.logout()
            if personas[persona] is not None:
                client.force_login(personas[persona])
            before = database_state()
            response = client.generic(
                endpoint.method, path, data=_encode(data), content_type="application/x-www-form-urlencoded"
            )
            _close_file(response)
            expected = endpoint.expected_for(persona)
            if expected == LOGIN:
                assert response.status_code == 302, persona
                assert response["Location"].startswith("/accounts/login/"), persona
            else:
                assert response.status_code == expected, persona
            if persona not in endpoint.writes:
                assert database_state() == before, f"{persona}: a refused request changed the database"
            transaction.set_rollback(True)  # the next persona meets the same world


def _world_of(endpoint):
    return "consolidated_world" if endpoint.name.startswith("reports:consolidated") else "world"


def _close_file(response):
    # Not response.close(): that signals request_finished, which drops PostgreSQL's connection mid-transaction.
    if getattr(response, "file_to_stream", None) is not None:
        response.file_to_stream.close()


def _encode(data):
    from urllib.parse import urlencode

    return urlencode(data)
