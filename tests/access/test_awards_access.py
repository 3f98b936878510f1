"""The access matrix of awards and the public pages, on one world built once for the module.

Units see only their own nominations (404 for another unit's); staff draft and only the head submits or
withdraws (403 for staff: the nomination is theirs to see, the action is not). The office checks, returns,
convenes, holds the tally and issues; leadership approves or rejects (403 for the one on the other's
action). The council member (a third unit's staff member on the council) reads the dossiers on the agenda
of the meetings they sat on and the minutes of those meetings, and nothing else of the council's work.
A refusal by a service (wrong state, missing input) is a redirect or the form again, changing nothing.
"""

import datetime

import pytest
from django.utils import timezone

from awards.models import AwardForm, AwardRound, AwardRule, CouncilMeeting, CouncilRole, DossierFile
from awards.services import council, documents, outcomes, rounds
from awards.services import nominations as award_services
from awards.services import register as register_service
from campaign.models import Campaign
from tests.access.matrix import (
    LOGIN,
    SENT,
    SIGNED_IN,
    Endpoint,
    acting,
    built_once,
    check_every_persona,
    everyone,
    leadership_only,
    make_personas,
    office_only,
    only,
    row_id,
)
from tests.awards.test_nominations_fixtures import make_ready, nominate
from tests.factories import Capability, UnitFactory, UserFactory

UNIT = ("staff", "head")  # the own unit's staff and head

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
CLOSE = {"ended_at": "{today} 23:59", "notes": "Thống nhất."}
COMMENT = {
    "sender_name": "Trần Văn Góp Ý",
    "sender_contact": "0905 111 222",
    "message": "Tôi đề nghị Hội đồng xem xét lại thành tích này.",
}


ENDPOINTS = [
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
    # Leadership keeps a nomination the rules fail with a written reason: here the rules are off, so nothing fails
    # and the page comes back saying so; those who see the dossier may not (403).
    Endpoint(
        "awards:nomination_rules_override",
        "POST",
        "/awards/nominations/{own_approved}/van-xet/",
        acting(LEADER, ok=400, seen_by=(STAFF, HEAD, OFFICE, COUNCIL)),  # the council read it on their agenda
        data={"reason": "Đã có xếp loại giấy, đang nhập lại."},
    ),
    Endpoint("awards:nomination_rules_override", "GET", "/awards/nominations/{own_approved}/van-xet/", everyone(405)),
    Endpoint(
        "awards:nominations_failing_rules", "GET", "/awards/nominations/khong-dat-dieu-kien/", only(OFFICE, LEADER)
    ),
    Endpoint("awards:nominations_failing_rules", "POST", "/awards/nominations/khong-dat-dieu-kien/", everyone(405)),
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
    # Closing counts the ballots; nobody voted, so the tie waits for the chair: refused, the page again (400).
    Endpoint(
        "awards:meeting_close",
        "POST",
        "/awards/council/meetings/{held}/close/",
        {**office_only(400), COUNCIL: 403},
        data=CLOSE,
    ),
    Endpoint(
        "awards:meeting_close",
        "POST",
        "/awards/council/meetings/{closed}/close/",
        {**office_only(400), COUNCIL: 403},
        data=CLOSE,
    ),
    # No end time typed: the form again.
    Endpoint(
        "awards:meeting_close", "POST", "/awards/council/meetings/{held}/close/", {**office_only(400), COUNCIL: 403}
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
    # --- Nominations drawn from the unit's year-end assessment (no assessment in this world: the page says so,
    # the button changes nothing; the drawing itself: tests/awards/test_from_assessment.py) ---------------------
    Endpoint(
        "awards:nomination_from_assessment",
        "GET",
        "/awards/rounds/{current}/nominate-from-assessment/",
        refused(200, **{LEADER: 403}),
    ),
    Endpoint(
        "awards:nomination_from_assessment",
        "POST",
        "/awards/rounds/{current}/nominate-from-assessment/",
        refused(302, **{LEADER: 403}),
    ),
    Endpoint(
        "awards:nomination_from_assessment",
        "POST",
        "/awards/rounds/{draft_round}/nominate-from-assessment/",
        only(OFFICE, LEADER, ok=403),
    ),
    Endpoint(
        "awards:nomination_from_assessment", "PUT", "/awards/rounds/{current}/nominate-from-assessment/", everyone(405)
    ),
]


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


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, tmp_path_factory.mktemp("awards-matrix"), _build_world) as world:
        yield world


def _build_world():
    """A round with nominations of the own and the other unit in each state, built through the services.

    The council: the Director chairs, the office reviewer is secretary, the council member and two more
    sit on it. Meeting "planned" was convened before the council member joined (so is not theirs);
    "closed" voted on paper and has its rendered minutes; "held" is running an electronic ballot.
    Documents: an issued decision (rendered, with certificates), a draft decision (not rendered), a sent
    proposal (rendered, with its dossier zip). The round's notice window runs today, so its recommended
    nominees are public; one has a comment from the public.
    """
    plan = Campaign.objects.get()
    people = {**make_personas(), "council_member": _council_member()}
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
    AwardRule.objects.update(is_active=False)  # nor the record the award rules read: the matrix is about access
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
    (decision,) = outcomes.decisions_create(award_round=current, actor=reviewer)
    outcomes.document_issue(document=decision, actor=reviewer, issued_on=today, signer=leader)
    documents.render(document_id=decision.pk)
    _approve(other["in_draft_decision"], leader)
    (draft_decision,) = outcomes.decisions_create(award_round=current, actor=reviewer)
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
    return people, {
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
    }


@pytest.mark.parametrize("endpoint", ENDPOINTS, ids=row_id)
def test_each_persona_gets_the_expected_answer(world, db, client, settings, endpoint):
    # Every test request comes from one address: the public pages' rate limits would answer 429.
    settings.PUBLIC_RATE_LIMIT_PAGES = 0
    settings.PUBLIC_RATE_LIMIT_COMMENTS = 0
    check_every_persona(client, world, endpoint)
