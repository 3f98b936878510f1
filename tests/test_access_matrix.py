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

The awards and public rows also run a council member (a third unit's staff member with a seat on the
council) and share one `awards_world`, built once for the module (see its docstring).
"""

import datetime
from dataclasses import dataclass, field

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver
from django.utils import timezone

from awards.models import AwardForm, AwardRound, CouncilMeeting, CouncilRole, DossierFile
from awards.services import council, documents, outcomes, rounds
from awards.services import nominations as award_services
from awards.services import register as register_service
from campaign.models import Campaign, ReportingPeriod
from campaign.plan_loader import load_plan
from reports import services
from reports.services import consolidation
from tests.awards.test_nominations_fixtures import make_ready, nominate
from tests.factories import Capability, UnitFactory, UserFactory, department
from tests.reports import conftest as report_fixtures
from tests.reports.conftest import complete
from units.models import User

PERSONAS = ("anonymous", "staff", "head", "other_staff", "reviewer", "leader", "administrator")
SIGNED_IN = PERSONAS[1:]
# Rows of the awards and public pages also run a council member (of a third unit, seated on the council).
AWARDS_PERSONAS = (*PERSONAS, "council_member")
AWARDS_NAMESPACES = ("awards:", "public:")
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
    # The outline of the consolidated report per kind of period: the office edits it, leadership reads it.
    Endpoint("reports:consolidated_outline_list", "GET", "/reports/consolidated/outline/", only(*CONSOLIDATED)),
    Endpoint("reports:consolidated_outline_list", "POST", "/reports/consolidated/outline/", everyone(405)),
    Endpoint("reports:consolidated_outline_edit", "GET", "/reports/consolidated/outline/annual/", office_only(ok=200)),
    Endpoint("reports:consolidated_outline_edit", "GET", "/reports/consolidated/outline/khong-co/", only()),
    Endpoint(
        "reports:consolidated_outline_edit",
        "POST",
        "/reports/consolidated/outline/half_year/",
        office_only(),
        data={"action": "reset"},
        writes=("reviewer",),
    ),
    # Without the sections' formset the form comes back with its errors and nothing is saved.
    Endpoint(
        "reports:consolidated_outline_edit", "POST", "/reports/consolidated/outline/half_year/", office_only(ok=400)
    ),
    Endpoint("reports:consolidated_outline_edit", "PUT", "/reports/consolidated/outline/half_year/", everyone(405)),
]

# --- Awards and the public pages (`awards_world`, built once for all of them) -------------------------------
# Units see only their own nominations (404 for another unit's); staff draft and only the head submits or
# withdraws (403 for staff: the nomination is theirs to see, the action is not). The office checks, returns,
# convenes, holds the tally and issues; leadership approves or rejects (403 for the one on the other's
# action). The council member (a third unit's staff member on the council) reads the dossiers on the agenda
# of the meetings they sat on and the minutes of those meetings, and nothing else of the council's work.
# A refusal by a service (wrong state, missing input) is a redirect or the form again, changing nothing.
STAFF, HEAD, OTHER, OFFICE, LEADER, ADMIN, COUNCIL = (
    "staff",
    "head",
    "other_staff",
    "reviewer",
    "leader",
    "administrator",
    "council_member",
)
NOMINATORS = (STAFF, HEAD, OTHER, OFFICE, COUNCIL)  # members of a reporting unit (the office is one): they nominate
DOSSIER = (*UNIT, OFFICE, LEADER)  # who reads the own unit's sent dossiers
NOT_ADMIN = {"anonymous": LOGIN, ADMIN: 404, "*": 200}


def refused(status=403, **others):
    """`others` as given, 404 for the administrator (who sees nothing of awards), `status` for everyone else."""
    return {"anonymous": LOGIN, ADMIN: 404, **others, "*": status}


def acting(actor, ok=302, seen_by=()):
    """The one whose action it is gets `ok`; those who see the object but may not act 403; everyone else 404."""
    return {**only(actor, ok=ok), **dict.fromkeys(seen_by, 403)}


def public(status=200):
    return {"*": status}


NEW_PERSON = {"form": "{lao_dong}", "nominee_kind": "individual", "new_person_name": "Phạm Văn Mới"}
NEW_ROUND = {
    "kind": "annual",
    "title": "Xét khen thưởng bổ sung",
    "year": "{next_year}",
    "deadline": "{today}",
    "offer_{lao_dong}": "on",
}
ACHIEVEMENT = {"revision": "{own_draft_revision}", "achievements": "Hoàn thành xuất sắc nhiệm vụ được giao."}
ISSUE = {"signer": "{leader}", "issued_on": "{today}", "numbering": "register"}
COMMENT = {
    "sender_name": "Trần Văn Góp Ý",
    "sender_contact": "0905 111 222",
    "message": "Tôi đề nghị Hội đồng xem xét lại thành tích này.",
}

AWARDS_ENDPOINTS = [
    # --- Rounds ---------------------------------------------------------------------------------------------
    Endpoint("awards:nomination_list", "GET", "/awards/", NOT_ADMIN),
    Endpoint("awards:round_list", "GET", "/awards/rounds/", only(OFFICE, LEADER)),
    Endpoint("awards:round_create", "GET", "/awards/rounds/new/", office_only(200)),
    Endpoint("awards:round_create", "POST", "/awards/rounds/new/", office_only(400)),  # nothing typed
    Endpoint("awards:round_create", "POST", "/awards/rounds/new/", office_only(), data=NEW_ROUND, writes=(OFFICE,)),
    Endpoint("awards:round_create", "PUT", "/awards/rounds/new/", everyone(405)),
    Endpoint("awards:round_detail", "GET", "/awards/rounds/{current}/", NOT_ADMIN),
    Endpoint(
        "awards:round_detail", "GET", "/awards/rounds/{draft_round}/", only(OFFICE, LEADER)
    ),  # units see opened ones
    Endpoint("awards:round_detail", "GET", "/awards/rounds/999999/", only()),
    Endpoint("awards:round_edit", "GET", "/awards/rounds/{draft_round}/edit/", office_only(200)),
    Endpoint("awards:round_edit", "GET", "/awards/rounds/{current}/edit/", refused(**{OFFICE: 200})),
    Endpoint("awards:round_edit", "POST", "/awards/rounds/{current}/edit/", refused(**{OFFICE: 400})),
    Endpoint("awards:round_open", "POST", "/awards/rounds/{draft_round}/open/", office_only(), writes=(OFFICE,)),
    Endpoint("awards:round_open", "POST", "/awards/rounds/{current}/open/", refused(**{OFFICE: 302})),  # already open
    Endpoint("awards:round_open", "GET", "/awards/rounds/{draft_round}/open/", everyone(405)),
    Endpoint(
        "awards:round_close", "POST", "/awards/rounds/{current}/close/", refused(**{OFFICE: 302}), writes=(OFFICE,)
    ),
    Endpoint("awards:round_close", "POST", "/awards/rounds/{draft_round}/close/", office_only()),  # not open
    Endpoint("awards:round_close", "GET", "/awards/rounds/{current}/close/", everyone(405)),
    # --- Nominations: the units' side ------------------------------------------------------------------------
    Endpoint("awards:nomination_create", "GET", "/awards/rounds/{current}/nominate/", refused(200, **{LEADER: 403})),
    Endpoint("awards:nomination_create", "GET", "/awards/rounds/{draft_round}/nominate/", only(OFFICE, LEADER, ok=403)),
    Endpoint(
        "awards:nomination_create",
        "POST",
        "/awards/rounds/{current}/nominate/",
        refused(302, **{LEADER: 403}),
        data=NEW_PERSON,
        writes=NOMINATORS,
    ),
    Endpoint("awards:nomination_create", "POST", "/awards/rounds/{current}/nominate/", refused(400, **{LEADER: 403})),
    Endpoint("awards:nomination_create", "PUT", "/awards/rounds/{current}/nominate/", everyone(405)),
    Endpoint(
        "awards:nomination_batch_create",
        "GET",
        "/awards/rounds/{current}/nominate-list/",
        refused(200, **{LEADER: 403}),
    ),
    Endpoint(
        "awards:nomination_batch_create",
        "POST",
        "/awards/rounds/{current}/nominate-list/",
        refused(302, **{LEADER: 403}),
        data={"form": "{lao_dong}", "lines": "Phạm Văn Một | Chuyên viên\nPhạm Thị Hai | Chuyên viên"},
        writes=NOMINATORS,
    ),
    Endpoint("awards:nomination_detail", "GET", "/awards/nominations/{own_draft}/", only(*UNIT)),
    Endpoint("awards:nomination_detail", "GET", "/awards/nominations/{own_submitted}/", only(*DOSSIER)),
    Endpoint("awards:nomination_detail", "GET", "/awards/nominations/{own_returned}/", only(*DOSSIER)),
    Endpoint("awards:nomination_detail", "GET", "/awards/nominations/{own_on_agenda}/", only(*DOSSIER, COUNCIL)),
    Endpoint("awards:nomination_detail", "GET", "/awards/nominations/{own_planned}/", only(*DOSSIER)),  # not C's
    Endpoint("awards:nomination_detail", "GET", "/awards/nominations/{own_not_recommended}/", only(*DOSSIER, COUNCIL)),
    Endpoint("awards:nomination_detail", "GET", "/awards/nominations/{own_conferred}/", only(*DOSSIER, COUNCIL)),
    Endpoint("awards:nomination_detail", "GET", "/awards/nominations/{own_proposed}/", only(*DOSSIER, COUNCIL)),
    Endpoint("awards:nomination_detail", "GET", "/awards/nominations/{other_draft}/", only(OTHER)),
    Endpoint("awards:nomination_detail", "GET", "/awards/nominations/{other_submitted}/", only(OTHER, OFFICE, LEADER)),
    Endpoint(
        "awards:nomination_detail",
        "GET",
        "/awards/nominations/{other_on_agenda}/",
        only(OTHER, OFFICE, LEADER, COUNCIL),
    ),
    Endpoint("awards:nomination_detail", "GET", "/awards/nominations/999999/", only()),
    Endpoint("awards:nomination_detail", "POST", "/awards/nominations/{own_draft}/", everyone(405)),
    Endpoint("awards:nomination_edit", "GET", "/awards/nominations/{own_draft}/edit/", only(*UNIT)),
    Endpoint(
        "awards:nomination_edit",
        "GET",
        "/awards/nominations/{own_returned}/edit/",  # returned: the unit completes it; the office saw it sent
        {**only(*UNIT), OFFICE: 403, LEADER: 403},
    ),
    Endpoint("awards:nomination_edit", "GET", "/awards/nominations/{other_draft}/edit/", only(OTHER)),
    # A sent nomination opens read-only for its unit; the office and leadership see it and may not edit it.
    Endpoint(
        "awards:nomination_edit",
        "GET",
        "/awards/nominations/{own_submitted}/edit/",
        acting(STAFF, seen_by=(OFFICE, LEADER)) | {HEAD: 302},
    ),
    Endpoint(
        "awards:nomination_edit",
        "POST",
        "/awards/nominations/{own_draft}/edit/",
        only(*UNIT, ok=302),
        data=ACHIEVEMENT,
        writes=UNIT,
    ),
    # Saved by someone else since the page loaded: refused, the text comes back.
    Endpoint(
        "awards:nomination_edit",
        "POST",
        "/awards/nominations/{own_draft}/edit/",
        only(*UNIT, ok=409),
        data={**ACHIEVEMENT, "revision": "0"},
    ),
    Endpoint(
        "awards:nomination_edit",
        "POST",
        "/awards/nominations/{own_submitted}/edit/",
        acting(STAFF, seen_by=(OFFICE, LEADER)) | {HEAD: 302},
        data=ACHIEVEMENT,
    ),
    # Without a file the upload is refused with a message; a sent dossier is immutable.
    Endpoint("awards:dossier_upload", "POST", "/awards/nominations/{own_draft}/dossier/", only(*UNIT, ok=302)),
    Endpoint("awards:dossier_upload", "POST", "/awards/nominations/{other_draft}/dossier/", only(OTHER, ok=302)),
    Endpoint(
        "awards:dossier_upload",
        "POST",
        "/awards/nominations/{own_submitted}/dossier/",
        acting(STAFF, seen_by=(OFFICE, LEADER)) | {HEAD: 302},
    ),
    Endpoint("awards:dossier_upload", "GET", "/awards/nominations/{own_draft}/dossier/", everyone(405)),
    # Only the head sends: staff see their draft and get 403 on sending it.
    Endpoint(
        "awards:nomination_submit",
        "POST",
        "/awards/nominations/{own_draft}/submit/",
        acting(HEAD, seen_by=(STAFF,)),
        writes=(HEAD,),
    ),
    Endpoint(
        "awards:nomination_submit",
        "POST",
        "/awards/nominations/{own_submitted}/submit/",  # already sent: a message
        acting(HEAD, seen_by=(STAFF, OFFICE, LEADER)),
    ),
    Endpoint("awards:nomination_submit", "POST", "/awards/nominations/{other_draft}/submit/", only(OTHER, ok=403)),
    Endpoint("awards:nomination_submit", "GET", "/awards/nominations/{own_draft}/submit/", everyone(405)),
    Endpoint(
        "awards:nomination_withdraw",
        "POST",
        "/awards/nominations/{own_submitted}/withdraw/",
        acting(HEAD, seen_by=(STAFF, OFFICE, LEADER)),
        writes=(HEAD,),
    ),
    Endpoint(
        "awards:nomination_withdraw",
        "POST",
        "/awards/nominations/{own_on_agenda}/withdraw/",  # before the council: a message
        acting(HEAD, seen_by=(STAFF, OFFICE, LEADER, COUNCIL)),
    ),
    Endpoint("awards:nomination_withdraw", "GET", "/awards/nominations/{own_draft}/withdraw/", everyone(405)),
    # --- The office's completeness check ---------------------------------------------------------------------
    Endpoint(
        "awards:nomination_return",
        "POST",
        "/awards/nominations/{own_submitted}/return/",
        acting(OFFICE, seen_by=(STAFF, HEAD, LEADER)),
        data={"reason": "Bổ sung biên bản bình xét."},
        writes=(OFFICE,),
    ),
    # Without a reason the page comes back with the form.
    Endpoint(
        "awards:nomination_return",
        "POST",
        "/awards/nominations/{own_submitted}/return/",
        acting(OFFICE, ok=400, seen_by=(STAFF, HEAD, LEADER)),
    ),
    Endpoint(
        "awards:nomination_return",
        "POST",
        "/awards/nominations/{own_returned}/return/",  # already returned: a message
        acting(OFFICE, seen_by=(STAFF, HEAD, LEADER)),
        data={"reason": "Bổ sung biên bản bình xét."},
    ),
    Endpoint("awards:nomination_return", "POST", "/awards/nominations/{own_draft}/return/", only(*UNIT, ok=403)),
    Endpoint("awards:nomination_return", "GET", "/awards/nominations/{own_submitted}/return/", everyone(405)),
    Endpoint("awards:nomination_history", "GET", "/awards/nominations/{own_draft}/history/", only(*UNIT)),
    Endpoint(
        "awards:nomination_history", "GET", "/awards/nominations/{own_on_agenda}/history/", only(*DOSSIER, COUNCIL)
    ),
    Endpoint("awards:nomination_history", "GET", "/awards/nominations/{own_planned}/history/", only(*DOSSIER)),
    Endpoint("awards:dossier_download", "GET", "/awards/dossier/{own_draft_file}/", only(*UNIT)),
    Endpoint("awards:dossier_download", "GET", "/awards/dossier/{own_submitted_file}/", only(*DOSSIER)),
    Endpoint("awards:dossier_download", "GET", "/awards/dossier/{own_on_agenda_file}/", only(*DOSSIER, COUNCIL)),
    Endpoint("awards:dossier_download", "GET", "/awards/dossier/{own_planned_file}/", only(*DOSSIER)),
    Endpoint("awards:dossier_download", "GET", "/awards/dossier/999999/", only()),
    Endpoint(
        "awards:dossier_delete", "POST", "/awards/dossier/{own_draft_file}/delete/", only(*UNIT, ok=302), writes=UNIT
    ),
    Endpoint(
        "awards:dossier_delete",
        "POST",
        "/awards/dossier/{own_on_agenda_file}/delete/",  # a sent dossier: a message for the unit
        {**only(*UNIT, ok=302), OFFICE: 403, LEADER: 403, COUNCIL: 403},
    ),
    Endpoint("awards:dossier_delete", "GET", "/awards/dossier/{own_draft_file}/delete/", everyone(405)),
    # --- The council -----------------------------------------------------------------------------------------
    Endpoint("awards:council_home", "GET", "/awards/council/", only(OFFICE, LEADER, COUNCIL)),
    Endpoint("awards:council_members", "GET", "/awards/council/members/", only(OFFICE, LEADER)),
    Endpoint("awards:council_members", "POST", "/awards/council/members/", office_only(200)),  # nobody chosen
    Endpoint(
        "awards:council_members",
        "POST",
        "/awards/council/members/",
        office_only(),
        data={"user": "{outsider}", "role": "member"},
        writes=(OFFICE,),
    ),
    Endpoint(
        "awards:council_member_end", "POST", "/awards/council/members/{seat}/end/", office_only(), writes=(OFFICE,)
    ),
    Endpoint("awards:council_member_end", "POST", "/awards/council/members/999999/end/", only()),
    Endpoint("awards:council_member_end", "GET", "/awards/council/members/{seat}/end/", everyone(405)),
    Endpoint("awards:meeting_create", "GET", "/awards/council/meetings/new/", {**office_only(200), COUNCIL: 403}),
    Endpoint("awards:meeting_create", "POST", "/awards/council/meetings/new/", {**office_only(200), COUNCIL: 403}),
    Endpoint("awards:meeting_detail", "GET", "/awards/council/meetings/{closed}/", only(OFFICE, LEADER, COUNCIL)),
    Endpoint("awards:meeting_detail", "GET", "/awards/council/meetings/{held}/", only(OFFICE, LEADER, COUNCIL)),
    Endpoint(
        "awards:meeting_detail", "GET", "/awards/council/meetings/{planned}/", only(OFFICE, LEADER)
    ),  # C not convened
    Endpoint("awards:meeting_detail", "GET", "/awards/council/meetings/999999/", only()),
    Endpoint("awards:meeting_detail", "POST", "/awards/council/meetings/{held}/", everyone(405)),
    Endpoint("awards:agenda_add", "GET", "/awards/council/meetings/{planned}/agenda/add/", office_only(200)),
    Endpoint(
        "awards:agenda_add", "GET", "/awards/council/meetings/{held}/agenda/add/", {**office_only(), COUNCIL: 403}
    ),
    Endpoint(
        "awards:agenda_add",
        "POST",
        "/awards/council/meetings/{planned}/agenda/add/",
        office_only(),
        data={"nominations": "{own_submitted}"},
        writes=(OFFICE,),
    ),
    Endpoint(
        "awards:agenda_add",
        "POST",
        "/awards/council/meetings/{planned}/agenda/add/",
        office_only(200),
        data={"nominations": "{own_draft}"},  # not a sent nomination of the round: the form again
    ),
    Endpoint(
        "awards:agenda_remove",
        "POST",
        "/awards/council/meetings/{planned}/agenda/{planned_item}/remove/",
        office_only(),
        writes=(OFFICE,),
    ),
    Endpoint(
        "awards:agenda_remove",
        "POST",
        "/awards/council/meetings/{held}/agenda/{held_item}/remove/",  # the meeting is being held: a message
        {**office_only(), COUNCIL: 403},
    ),
    Endpoint(
        "awards:agenda_remove", "GET", "/awards/council/meetings/{planned}/agenda/{planned_item}/remove/", everyone(405)
    ),
    Endpoint(
        "awards:meeting_attendance",
        "GET",
        "/awards/council/meetings/{held}/attendance/",
        {**office_only(200), COUNCIL: 403},
    ),
    Endpoint("awards:meeting_attendance", "GET", "/awards/council/meetings/{planned}/attendance/", office_only(200)),
    Endpoint(
        "awards:meeting_attendance",
        "POST",
        "/awards/council/meetings/{planned}/attendance/",
        office_only(),
        data={"present": "{planned_secretary}"},
        writes=(OFFICE,),
    ),
    Endpoint(
        "awards:meeting_attendance",
        "POST",
        "/awards/council/meetings/{closed}/attendance/",  # closed: the form again with a message
        {**office_only(200), COUNCIL: 403},
        data={"present": "{closed_secretary}"},
    ),
    Endpoint(
        "awards:meeting_tally", "GET", "/awards/council/meetings/{held}/tally/", {**office_only(200), COUNCIL: 403}
    ),
    Endpoint(
        "awards:meeting_tally", "GET", "/awards/council/meetings/{closed}/tally/", {**office_only(), COUNCIL: 403}
    ),
    Endpoint(
        "awards:meeting_tally", "POST", "/awards/council/meetings/{closed}/tally/", {**office_only(), COUNCIL: 403}
    ),
    Endpoint("awards:meeting_tally", "PUT", "/awards/council/meetings/{held}/tally/", everyone(405)),
    # The electronic ballot: every attending member votes, once, on each item.
    Endpoint("awards:ballot", "GET", "/awards/council/meetings/{held}/ballot/", only(OFFICE, LEADER, COUNCIL)),
    Endpoint(
        "awards:ballot", "GET", "/awards/council/meetings/{closed}/ballot/", only(OFFICE, LEADER, COUNCIL, ok=302)
    ),  # paper
    Endpoint(
        "awards:ballot",
        "POST",
        "/awards/council/meetings/{held}/ballot/",
        only(OFFICE, LEADER, COUNCIL, ok=302),
        data={"item": "{held_item}", "choice": "agree"},
        writes=(OFFICE, LEADER, COUNCIL),
    ),
    Endpoint(
        "awards:ballot", "POST", "/awards/council/meetings/{held}/ballot/", only(OFFICE, LEADER, COUNCIL)
    ),  # no choice
    Endpoint("awards:ballot", "PUT", "/awards/council/meetings/{held}/ballot/", everyone(405)),
    Endpoint(
        "awards:ballot_count",
        "POST",
        "/awards/council/meetings/{held}/ballot/count/",
        {**office_only(), COUNCIL: 403},
        writes=(OFFICE,),
    ),
    Endpoint(
        "awards:ballot_count",
        "POST",
        "/awards/council/meetings/{closed}/ballot/count/",
        {**office_only(), COUNCIL: 403},
    ),
    Endpoint("awards:ballot_count", "GET", "/awards/council/meetings/{held}/ballot/count/", everyone(405)),
    # Closing counts the ballots; nobody voted, so the tie waits for the chair: refused with a message.
    Endpoint("awards:meeting_close", "POST", "/awards/council/meetings/{held}/close/", {**office_only(), COUNCIL: 403}),
    Endpoint(
        "awards:meeting_close", "POST", "/awards/council/meetings/{closed}/close/", {**office_only(), COUNCIL: 403}
    ),
    Endpoint("awards:meeting_close", "GET", "/awards/council/meetings/{held}/close/", everyone(405)),
    Endpoint(
        "awards:meeting_minutes", "POST", "/awards/council/meetings/{closed}/minutes/", {**office_only(), COUNCIL: 403}
    ),
    Endpoint(
        "awards:meeting_minutes", "POST", "/awards/council/meetings/{held}/minutes/", {**office_only(), COUNCIL: 403}
    ),
    Endpoint("awards:meeting_minutes", "GET", "/awards/council/meetings/{closed}/minutes/", everyone(405)),
    # --- Leadership's approval ---------------------------------------------------------------------------------
    Endpoint("awards:approvals", "GET", "/awards/approvals/", leadership_only(200)),
    Endpoint(
        "awards:approvals",
        "POST",
        "/awards/approvals/",
        leadership_only(),
        data={"nominations": "{own_recommended}", "action": "approve"},
        writes=(LEADER,),
    ),
    Endpoint(
        "awards:approvals",
        "POST",
        "/awards/approvals/",
        leadership_only(400),
        data={"nominations": "{own_recommended}", "action": "reject"},  # no reason
    ),
    Endpoint(
        "awards:nomination_approve",
        "POST",
        "/awards/nominations/{own_recommended}/approve/",
        acting(LEADER, seen_by=(STAFF, HEAD, OFFICE, COUNCIL)),
        writes=(LEADER,),
    ),
    Endpoint(
        "awards:nomination_approve",
        "POST",
        "/awards/nominations/{own_approved}/approve/",  # already approved: a message
        acting(LEADER, seen_by=(STAFF, HEAD, OFFICE, COUNCIL)),
    ),
    Endpoint("awards:nomination_approve", "POST", "/awards/nominations/{own_draft}/approve/", only(*UNIT, ok=403)),
    Endpoint("awards:nomination_approve", "GET", "/awards/nominations/{own_recommended}/approve/", everyone(405)),
    Endpoint(
        "awards:nomination_reject",
        "GET",
        "/awards/nominations/{own_recommended}/reject/",
        acting(LEADER, ok=200, seen_by=(STAFF, HEAD, OFFICE, COUNCIL)),
    ),
    Endpoint(
        "awards:nomination_reject",
        "POST",
        "/awards/nominations/{own_recommended}/reject/",
        acting(LEADER, seen_by=(STAFF, HEAD, OFFICE, COUNCIL)),
        data={"reason": "Chưa đủ thành tích nổi bật."},
        writes=(LEADER,),
    ),
    Endpoint(
        "awards:nomination_reject",
        "POST",
        "/awards/nominations/{own_recommended}/reject/",
        acting(LEADER, ok=400, seen_by=(STAFF, HEAD, OFFICE, COUNCIL)),  # no reason: the form again
    ),
    # --- Outcome documents (the office drafts and issues; leadership reads; a council member reads minutes) ---
    Endpoint("awards:document_list", "GET", "/awards/documents/", only(OFFICE, LEADER)),
    Endpoint("awards:decision_create", "GET", "/awards/documents/decision/new/", office_only(200)),
    Endpoint(
        "awards:decision_create",
        "POST",
        "/awards/documents/decision/new/",
        office_only(),
        data={"award_round": "{current}"},
        writes=(OFFICE,),
    ),
    Endpoint("awards:proposal_create", "GET", "/awards/documents/proposal/new/", office_only(200)),
    Endpoint(
        "awards:proposal_create",
        "POST",
        "/awards/documents/proposal/new/",
        office_only(400),  # nothing approved is left without a proposal: a message
        data={"award_round": "{current}"},
    ),
    Endpoint("awards:document_detail", "GET", "/awards/documents/{decision}/", only(OFFICE, LEADER)),
    Endpoint("awards:document_detail", "GET", "/awards/documents/{draft_decision}/", only(OFFICE, LEADER)),
    Endpoint("awards:document_detail", "GET", "/awards/documents/{proposal}/", only(OFFICE, LEADER)),
    Endpoint("awards:document_detail", "GET", "/awards/documents/{minutes}/", only(OFFICE, LEADER, COUNCIL)),
    Endpoint("awards:document_detail", "GET", "/awards/documents/999999/", only()),
    Endpoint("awards:document_status", "GET", "/awards/documents/{decision}/status/", only(OFFICE, LEADER)),
    Endpoint("awards:document_status", "GET", "/awards/documents/{minutes}/status/", only(OFFICE, LEADER, COUNCIL)),
    Endpoint("awards:document_retry", "POST", "/awards/documents/{decision}/retry/", office_only()),  # not failed
    Endpoint("awards:document_retry", "POST", "/awards/documents/{minutes}/retry/", {**office_only(), COUNCIL: 403}),
    Endpoint("awards:document_retry", "GET", "/awards/documents/{decision}/retry/", everyone(405)),
    Endpoint(
        "awards:document_issue",
        "POST",
        "/awards/documents/{draft_decision}/issue/",
        office_only(),
        data=ISSUE,
        writes=(OFFICE,),
    ),
    Endpoint("awards:document_issue", "POST", "/awards/documents/{decision}/issue/", office_only(400), data=ISSUE),
    Endpoint("awards:document_issue", "GET", "/awards/documents/{draft_decision}/issue/", everyone(405)),
    Endpoint(
        "awards:document_mark_sent",
        "POST",
        "/awards/documents/{decision}/sent/",
        office_only(),
        data=SENT,
        writes=(OFFICE,),
    ),
    Endpoint(
        "awards:document_mark_sent", "POST", "/awards/documents/{draft_decision}/sent/", office_only(400), data=SENT
    ),
    Endpoint("awards:document_mark_sent", "GET", "/awards/documents/{decision}/sent/", everyone(405)),
    Endpoint("awards:higher_result", "GET", "/awards/documents/{proposal}/higher-result/", office_only(200)),
    Endpoint("awards:higher_result", "GET", "/awards/documents/{decision}/higher-result/", office_only()),
    Endpoint(
        "awards:higher_result",
        "POST",
        "/awards/documents/{proposal}/higher-result/",
        office_only(),
        data={"decision_number": "1234/QĐ-UBND", "decision_date": "{today}", "result-{own_proposed}": "conferred"},
        writes=(OFFICE,),
    ),
    Endpoint(
        "awards:higher_result",
        "POST",
        "/awards/documents/{proposal}/higher-result/",
        office_only(400),  # no result chosen: the form again
        data={"decision_number": "1234/QĐ-UBND", "decision_date": "{today}"},
    ),
    Endpoint("awards:document_pdf", "GET", "/awards/documents/{decision}.pdf", only(OFFICE, LEADER)),
    Endpoint("awards:document_pdf", "GET", "/awards/documents/{minutes}.pdf", only(OFFICE, LEADER, COUNCIL)),
    Endpoint("awards:document_pdf", "GET", "/awards/documents/{draft_decision}.pdf", only()),  # not rendered yet
    Endpoint("awards:document_docx", "GET", "/awards/documents/{decision}.docx", only(OFFICE, LEADER)),
    Endpoint("awards:document_docx", "GET", "/awards/documents/{minutes}.docx", only(OFFICE, LEADER, COUNCIL)),
    Endpoint("awards:document_bundle", "GET", "/awards/documents/{proposal}/bundle.zip", only(OFFICE, LEADER)),
    Endpoint("awards:document_bundle", "GET", "/awards/documents/{decision}/bundle.zip", only()),
    Endpoint(
        "awards:document_certificates", "GET", "/awards/documents/{decision}/certificates.pdf", only(OFFICE, LEADER)
    ),
    Endpoint("awards:document_certificates", "GET", "/awards/documents/{minutes}/certificates.pdf", only()),
    # --- The award register and the public's comments ---------------------------------------------------------
    Endpoint("awards:register_list", "GET", "/awards/so-khen-thuong/", NOT_ADMIN),
    Endpoint("awards:register_export", "GET", "/awards/so-khen-thuong/xuat-excel/", NOT_ADMIN),
    Endpoint("awards:register_import", "GET", "/awards/so-khen-thuong/nhap/", refused(**{OFFICE: 200})),
    Endpoint("awards:register_import", "POST", "/awards/so-khen-thuong/nhap/", refused(**{OFFICE: 200})),  # no file
    Endpoint("awards:register_import", "PUT", "/awards/so-khen-thuong/nhap/", everyone(405)),
    Endpoint("awards:register_template", "GET", "/awards/so-khen-thuong/mau-nhap.xlsx", refused(**{OFFICE: 200})),
    Endpoint("awards:public_comments", "GET", "/awards/gop-y-cong-khai/", only(OFFICE)),
    Endpoint(
        "awards:public_comment_handle",
        "POST",
        "/awards/gop-y-cong-khai/{comment}/da-xu-ly/",
        only(OFFICE, ok=302),
        writes=(OFFICE,),
    ),
    Endpoint("awards:public_comment_handle", "GET", "/awards/gop-y-cong-khai/{comment}/da-xu-ly/", everyone(405)),
    # --- The public pages: no sign-in, the same for everyone -------------------------------------------------
    Endpoint("public:index", "GET", "/cong-khai/", public()),
    Endpoint("public:index", "POST", "/cong-khai/", public(405)),
    Endpoint("public:notice", "GET", "/cong-khai/cong-khai-de-nghi/", public()),
    Endpoint("public:comment", "GET", "/cong-khai/cong-khai-de-nghi/{own_recommended}/gop-y/", public()),
    Endpoint("public:comment", "GET", "/cong-khai/cong-khai-de-nghi/{own_draft}/gop-y/", public(404)),
    Endpoint("public:comment", "GET", "/cong-khai/cong-khai-de-nghi/{own_conferred}/gop-y/", public(404)),
    Endpoint(
        "public:comment",
        "POST",
        "/cong-khai/cong-khai-de-nghi/{own_recommended}/gop-y/",
        public(302),
        data=COMMENT,
        writes=("anonymous", *SIGNED_IN, COUNCIL),
    ),
    Endpoint(
        "public:comment",
        "POST",
        "/cong-khai/cong-khai-de-nghi/{own_recommended}/gop-y/",
        public(200),  # the message is too short: the form again, nothing saved
        data={**COMMENT, "message": "Ngắn."},
    ),
    Endpoint("public:comment", "POST", "/cong-khai/cong-khai-de-nghi/{own_draft}/gop-y/", public(404), data=COMMENT),
    Endpoint("public:awards", "GET", "/cong-khai/khen-thuong/", public()),
    Endpoint("public:export_notice", "GET", "/cong-khai/cong-khai-de-nghi/tai-ve/", public()),
    Endpoint("public:export_notice", "GET", "/cong-khai/cong-khai-de-nghi/tai-ve/?dinh_dang=csv", public()),
    Endpoint("public:export_awards", "GET", "/cong-khai/khen-thuong/tai-ve/", public()),
    Endpoint("public:export_awards", "POST", "/cong-khai/khen-thuong/tai-ve/", public(405)),
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


# --- The awards world -------------------------------------------------------------------------------------

COUNCIL_ONLY_UNIT = ("PTT", "Phòng Thông tin - Thống kê")


def _council_member():
    """A member of a third unit who sits on the council: reads its meetings' dossiers and minutes, nothing more."""
    unit = UnitFactory(code=COUNCIL_ONLY_UNIT[0], name=COUNCIL_ONLY_UNIT[1])
    return UserFactory(
        username="uyvienhoidong",
        full_name="Trương Thị Ủy Viên",
        unit=unit,
        position="staff",
        capabilities=[Capability.COUNCIL_MEMBER],
    )


def _sent(award_round, form, unit, drafter, head, name):
    """A nomination of one new person, completed by staff and sent by the head."""
    nomination = make_ready(nominate(award_round, form, unit, drafter, new_person_name=name), drafter)
    return award_services.nomination_submit(nomination=nomination, actor=head)


def _collective(award_round, form, unit, drafter, head):
    nomination = make_ready(nominate(award_round, form, unit, drafter, collective=True), drafter)
    return award_services.nomination_submit(nomination=nomination, actor=head)


def _approve(nomination, leader):
    return outcomes.nominations_decide(ids=[nomination.pk], actor=leader, approve=True)[0]


def _personas():
    """The personas of tests/conftest.py, made the same way: the function-scoped fixtures then find these rows."""
    own_unit = UnitFactory(code="PQLKH", name="Phòng Quản lý khoa học")
    other_unit = UnitFactory(code="PKT", name="Phòng Kế hoạch - Tài chính")
    office_unit = UnitFactory(code="HCTH", name="Phòng Hành chính - Tổng hợp", kind="office")
    return {
        "staff": UserFactory(username="canbo", full_name="Lê Văn Cán Bộ", unit=own_unit, position="staff"),
        "head": UserFactory(username="truongphong", full_name="Phạm Thị Trưởng", unit=own_unit, position="head"),
        "other_staff": UserFactory(username="canbokhac", full_name="Võ Văn Khác", unit=other_unit, position="staff"),
        "reviewer": UserFactory(
            username="vanphong",
            full_name="Đỗ Thị Văn Phòng",
            unit=office_unit,
            position="staff",
            capabilities=[Capability.OFFICE_REVIEWER],
        ),
        "leader": UserFactory(
            username="giamdoc",
            full_name="Nguyễn Văn Giám Đốc",
            position_title="Giám đốc",
            unit=department(),
            position="head",
            capabilities=[Capability.LEADERSHIP],
        ),
        "council_member": _council_member(),
    }


@pytest.fixture(scope="module")
def awards_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The awards world, built once for every awards and public row, each row rolled back to it.

    Like Django's setUpTestData: the world is written in a transaction opened here and rolled back when
    the module ends; each row's own transaction (pytest-django's) is a savepoint inside it. Building it
    through the services (and rendering its documents) takes seconds, too long to repeat for every row.
    """
    media = tmp_path_factory.mktemp("awards-matrix")
    fast = override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"])
    outer = transaction.atomic()
    with django_db_blocker.unblock():
        fast.enable()
        outer.__enter__()
        try:
            world = _build_awards_world()
        except BaseException:
            transaction.set_rollback(True)
            outer.__exit__(None, None, None)
            fast.disable()
            raise
    yield {**world, "media_root": str(media)}
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        outer.__exit__(None, None, None)
        fast.disable()


def _build_awards_world():
    """A round with nominations of the own and the other unit in each state, built through the services.

    The council: the Director chairs, the office reviewer is secretary, the council member and two more
    sit on it. Meeting "planned" was convened before the council member joined (so is not theirs);
    "closed" voted on paper and has its rendered minutes; "held" is running an electronic ballot.
    Documents: an issued decision (rendered, with certificates), a draft decision (not rendered), a sent
    proposal (rendered, with its dossier zip). The round's notice window runs today, so its recommended
    nominees are public; one has a comment from the public.
    """
    load_plan()
    plan = Campaign.objects.get()
    people = _personas()
    staff, head, other_staff = people["staff"], people["head"], people["other_staff"]
    reviewer, leader, matrix_council_member = people["reviewer"], people["leader"], people["council_member"]
    today = timezone.localdate()
    forms = {form.code: form for form in AwardForm.objects.all()}
    own_unit, other_unit = staff.unit, other_staff.unit
    other_head = UserFactory(username="truongphongkhac", unit=other_unit, position="head")
    offers = {form: None for form in forms.values() if form.is_annual_title or form.code == "giay-khen-giam-doc-so"}
    current = rounds.round_create(
        actor=reviewer,
        campaign=plan,
        kind=AwardRound.Kind.ANNUAL,
        title=f"Xét khen thưởng năm {today.year}",
        year=today.year,
        deadline=today + datetime.timedelta(days=10),
        offers=offers,
        notice_starts_on=today - datetime.timedelta(days=1),
        notice_ends_on=today + datetime.timedelta(days=20),
    )
    current.periods.clear()  # no unit report has to be accepted first: the matrix is about access
    current = rounds.round_open(award_round=current, actor=reviewer)
    draft_round = rounds.round_create(
        actor=reviewer,
        campaign=plan,
        kind=AwardRound.Kind.ANNUAL,
        title=f"Xét khen thưởng năm {today.year + 1}",
        year=today.year + 1,
        deadline=today + datetime.timedelta(days=300),
        offers={forms["lao-dong-tien-tien"]: None},
    )

    # The council; meeting "planned" is convened before the council member joins.
    council.council_member_add(user=leader, role=CouncilRole.CHAIR, actor=reviewer)
    council.council_member_add(user=reviewer, role=CouncilRole.SECRETARY, actor=reviewer)
    for number in (1, 2):
        member = UserFactory(username=f"uyvien{number}", full_name=f"Ủy Viên Số {number}", unit=reviewer.unit)
        council.council_member_add(user=member, role=CouncilRole.MEMBER, actor=reviewer)

    def convene(title, voting):
        return council.meeting_create(
            award_round=current,
            title=title,
            scheduled_at=timezone.now(),
            place="Phòng họp Sở",
            voting=voting,
            actor=reviewer,
        )

    planned = convene("Phiên họp bổ sung", CouncilMeeting.Voting.PAPER)
    seat = council.council_member_add(user=matrix_council_member, role=CouncilRole.MEMBER, actor=reviewer)
    closed = convene("Phiên họp thứ nhất", CouncilMeeting.Voting.PAPER)
    held = convene("Phiên họp thứ hai", CouncilMeeting.Voting.ELECTRONIC)

    # Nominations: drafts, sent ones, and the ones that go further.
    lao_dong, xuat_sac = forms["lao-dong-tien-tien"], forms["tap-the-lao-dong-xuat-sac"]
    own_draft = make_ready(nominate(current, lao_dong, own_unit, staff, new_person_name="Nguyễn Văn Nháp"), staff)
    own_draft_file = own_draft.dossier_files.first()
    other_draft = nominate(current, lao_dong, other_unit, other_staff, new_person_name="Võ Thị Nháp")
    own = {
        key: _sent(current, lao_dong, own_unit, staff, head, name)
        for key, name in (
            ("submitted", "Lê Thị Đã Gửi"),
            ("returned", "Phan Văn Trả Lại"),
            ("on_agenda", "Trần Thị Chờ Xét"),
            ("planned", "Hồ Văn Họp Sau"),
            ("recommended", "Đặng Thị Đạt"),
            ("not_recommended", "Bùi Văn Không Đạt"),
            ("approved", "Mai Thị Đồng Ý"),
            ("conferred", "Ngô Văn Khen"),
        )
    }
    own["proposed"] = _collective(current, xuat_sac, own_unit, staff, head)
    other = {
        key: _sent(current, lao_dong, other_unit, other_staff, other_head, name)
        for key, name in (
            ("submitted", "Huỳnh Văn Đã Gửi"),
            ("on_agenda", "Lý Thị Chờ Xét"),
            ("in_draft_decision", "Kiều Thị Dự Thảo"),
        )
    }
    award_services.nomination_return(nomination=own["returned"], actor=reviewer, reason="Bổ sung biên bản bình xét.")

    council.agenda_add(meeting=planned, nominations=[own["planned"]], actor=reviewer)
    on_closed = [own[key] for key in ("recommended", "not_recommended", "approved", "conferred", "proposed")]
    on_closed.append(other["in_draft_decision"])
    council.agenda_add(meeting=closed, nominations=on_closed, actor=reviewer)
    council.agenda_add(meeting=held, nominations=[own["on_agenda"], other["on_agenda"]], actor=reviewer)
    everyone_present = list(closed.members.values_list("user_id", flat=True))
    council.meeting_record_attendance(meeting=closed, present_user_ids=everyone_present, actor=reviewer)
    council.meeting_record_attendance(meeting=held, present_user_ids=everyone_present, actor=reviewer)
    counts = {
        item.pk: {"agree": 1, "disagree": 4}
        if item.nomination_id == own["not_recommended"].pk
        else {"agree": 5, "disagree": 0}
        for item in closed.agenda.all()
    }
    council.tally_enter(meeting=closed, counts=counts, actor=reviewer)
    council.meeting_close(meeting=closed, actor=reviewer, notes="Các thành viên thống nhất.")
    minutes = council.minutes_request(meeting=closed, actor=reviewer)
    documents.render(document_id=minutes.pk)

    # Leadership's decisions and the documents that follow.
    _approve(own["conferred"], leader)
    decision = outcomes.decision_create(award_round=current, actor=reviewer)
    outcomes.document_issue(document=decision, actor=reviewer, issued_on=today, signer=leader)
    documents.render(document_id=decision.pk)
    _approve(other["in_draft_decision"], leader)
    draft_decision = outcomes.decision_create(award_round=current, actor=reviewer)
    _approve(own["proposed"], leader)
    (proposal,) = outcomes.proposal_create(award_round=current, actor=reviewer)
    outcomes.document_issue(document=proposal, actor=reviewer, issued_on=today, signer=leader)
    documents.render(document_id=proposal.pk)
    outcomes.document_mark_sent(document=proposal, actor=reviewer, sent_on=today, channel="Hệ thống quản lý văn bản")
    _approve(own["approved"], leader)

    comment = register_service.public_comment_add(
        nomination_id=own["recommended"].pk,
        sender_name="Nguyễn Văn Dân",
        sender_contact="0905 123 456",
        message="Tôi xác nhận thành tích của người được đề nghị là đúng.",
    )
    return {
        "current": current.pk,
        "draft_round": draft_round.pk,
        "lao_dong": lao_dong.pk,
        "own_draft": own_draft.pk,
        "own_draft_revision": own_draft.revision,
        "own_draft_file": own_draft_file.pk,
        "other_draft": other_draft.pk,
        **{f"own_{key}": nomination.pk for key, nomination in own.items()},
        **{f"other_{key}": nomination.pk for key, nomination in other.items()},
        "own_submitted_file": DossierFile.objects.filter(nomination=own["submitted"]).first().pk,
        "own_on_agenda_file": DossierFile.objects.filter(nomination=own["on_agenda"]).first().pk,
        "own_planned_file": DossierFile.objects.filter(nomination=own["planned"]).first().pk,
        "planned": planned.pk,
        "planned_item": planned.agenda.get().pk,
        "closed": closed.pk,
        "closed_secretary": closed.members.get(user=reviewer).pk,
        "planned_secretary": planned.members.get(user=reviewer).pk,
        "held": held.pk,
        "held_item": held.agenda.get(nomination=own["on_agenda"]).pk,
        "chair_member": leader.pk,
        "seat": seat.pk,
        "outsider": other_head.pk,
        "minutes": minutes.pk,
        "decision": decision.pk,
        "draft_decision": draft_decision.pk,
        "proposal": proposal.pk,
        "leader": leader.pk,
        "comment": comment.pk,
        "today": today.strftime("%d/%m/%Y"),
        "next_year": str(today.year + 1),
        "council_member_username": matrix_council_member.username,
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


def personas_of(endpoint):
    return AWARDS_PERSONAS if endpoint.name.startswith(AWARDS_NAMESPACES) else PERSONAS


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
    covered = {endpoint.name for endpoint in [*ENDPOINTS, *AWARDS_ENDPOINTS]}
    assert url_names() - covered == set()


def test_awards_rows_are_awards_or_public_pages():
    assert all(endpoint.name.startswith(AWARDS_NAMESPACES) for endpoint in AWARDS_ENDPOINTS)
    assert not any(endpoint.name.startswith(AWARDS_NAMESPACES) for endpoint in ENDPOINTS)


def test_rows_name_only_known_personas():
    for endpoint in [*ENDPOINTS, *AWARDS_ENDPOINTS]:
        known = personas_of(endpoint)
        assert set(endpoint.expected) - {*known, "*"} == set(), endpoint
        # Only the public pages take a write from an anonymous visitor (a comment).
        writers = known if endpoint.name.startswith("public:") else known[1:]
        assert set(endpoint.writes) <= set(writers), endpoint


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=lambda endpoint: f"{endpoint.method} {endpoint.path}")
def test_each_persona_gets_the_expected_answer(client, request, personas, endpoint):
    world = request.getfixturevalue(_world_of(endpoint)) if endpoint.name.startswith("reports:") else {}
    _check_every_persona(client, personas, endpoint, world)


# The awards world is module-scoped: requested here as an argument, it is built before this row's own
# transaction opens (pytest sets up wider scopes first), so each row rolls back to it.
@pytest.mark.parametrize("endpoint", AWARDS_ENDPOINTS, ids=lambda endpoint: f"{endpoint.method} {endpoint.path}")
def test_each_persona_gets_the_expected_answer_on_awards(awards_world, client, settings, personas, endpoint):
    settings.MEDIA_ROOT = awards_world["media_root"]
    # Every test request comes from one address: the public pages' rate limits would answer 429.
    settings.PUBLIC_RATE_LIMIT_PAGES = 0
    settings.PUBLIC_RATE_LIMIT_COMMENTS = 0
    council_member = User.objects.get(username=awards_world["council_member_username"])
    _check_every_persona(client, {**personas, "council_member": council_member}, endpoint, awards_world)


def _check_every_persona(client, personas, endpoint, world):
    path = endpoint.path.format(**world)
    data = {key.format(**world): value.format(**world) for key, value in endpoint.data.items()}
    for persona in personas_of(endpoint):
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
