"""The access matrix of the consolidated report: the office compiles, edits and issues; leadership approves and
reads (403 for the other one's actions); units never see it. A refusal by the service (wrong state, missing
input) is a redirect with a message that changes nothing.
"""

import pytest
from django.utils import timezone

from campaign.models import ReportingPeriod
from reports.services import consolidation
from tests.access.matrix import (
    SENT,
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
from tests.plan_data import move_earlier_period, move_open_period

CONSOLIDATED = ("reviewer", "leader")  # who reads the consolidated report
EDIT = {"section-causes": "Nguyên nhân do văn phòng viết."}

ENDPOINTS = [
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
    # Not approved yet: the page again with the refusal and the date typed (documents.views, shared with awards).
    Endpoint(
        "reports:consolidated_issue_register",
        "POST",
        "/reports/consolidated/{pending}/issue/register/",
        office_only(400),
        data={"issued_on": "{today}"},
    ),
    Endpoint(
        "reports:consolidated_issue_register", "GET", "/reports/consolidated/{approved}/issue/register/", everyone(405)
    ),
    # Without the signed PDF the clerk's number is refused: the page again with the number typed.
    Endpoint(
        "reports:consolidated_issue_clerk",
        "POST",
        "/reports/consolidated/{approved}/issue/clerk/",
        office_only(400),
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
        "reports:consolidated_mark_sent", "POST", "/reports/consolidated/{approved}/sent/", office_only(400), data=SENT
    ),
    Endpoint("reports:consolidated_mark_sent", "GET", "/reports/consolidated/{issued}/sent/", everyone(405)),
    # Classifying a unit's proposal: the office's; an item that is not there is refused with a message.
    Endpoint(
        "reports:consolidated_classify",
        "POST",
        "/reports/consolidated/{ready}/proposals/classify/",
        office_only(),
        data={"section": "0", "index": "0", "digest": "khong-co", "to": "province"},
    ),
    Endpoint(
        "reports:consolidated_classify", "GET", "/reports/consolidated/{ready}/proposals/classify/", everyone(405)
    ),
    # The units' proposals to the Department itself: the office and leadership read them, nobody else.
    Endpoint("reports:consolidated_internal", "GET", "/reports/consolidated/{ready}/internal/", only(*CONSOLIDATED)),
    Endpoint("reports:consolidated_internal", "GET", "/reports/consolidated/{queued}/internal/", only()),
    # The world's files are queued, not yet made: readers get the page that says so (202), never a rendering.
    Endpoint("reports:consolidated_pdf", "GET", "/reports/consolidated/{ready}.pdf", only(*CONSOLIDATED, ok=202)),
    Endpoint("reports:consolidated_pdf", "GET", "/reports/consolidated/{queued}.pdf", only()),  # nothing compiled yet
    Endpoint("reports:consolidated_docx", "GET", "/reports/consolidated/{issued}.docx", only(*CONSOLIDATED, ok=202)),
    Endpoint("reports:consolidated_xlsx", "GET", "/reports/consolidated/{pending}.xlsx", only(*CONSOLIDATED, ok=202)),
    Endpoint(
        "documents:stored_status", "GET", "/tep-van-ban/bao-cao-tong-hop/{ready}/trang-thai/", only(*CONSOLIDATED)
    ),
    Endpoint("documents:stored_status", "GET", "/tep-van-ban/bao-cao-tong-hop/{queued}/trang-thai/", only()),
    Endpoint(
        "documents:stored_request",
        "POST",
        "/tep-van-ban/bao-cao-tong-hop/{ready}/tao/",
        only(*CONSOLIDATED, ok=302),
        writes=CONSOLIDATED,
    ),
    Endpoint("documents:stored_request", "POST", "/tep-van-ban/bao-cao-tong-hop/{queued}/tao/", only()),
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


def _compiled(code, reviewer):
    """A consolidated report compiled inline (the request's on-commit enqueue never runs in a test transaction)."""
    report = consolidation.consolidation_request(period=ReportingPeriod.objects.get(code=code), actor=reviewer)
    return consolidation.consolidation_compile(report_id=report.pk)


def _build_world():
    """One consolidated report per state, each on its own period; the personas and the ids the rows name."""
    personas = make_personas()
    reviewer, leader = personas["reviewer"], personas["leader"]
    open_period, earlier_period = move_open_period(), move_earlier_period()
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
    return personas, {
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


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory.mktemp("consolidated-matrix"), _build_world) as world:
        yield world


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=row_id)
def test_each_persona_gets_the_expected_answer(world, db, client, endpoint):
    check_every_persona(client, world, endpoint)
