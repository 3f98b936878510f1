"""The consolidated report's lifecycle: request → compile (Celery, leased) → edit → approve → issue → send.

The row is the truth of the job (workflow/jobs.py): a request writes the row (queued) and publishes the
task after commit; a worker claims the row with a lease and only the holder of the current token may
finish it, so two runs never compile at once and a killed worker's row is picked up again when its
lease expires. People's moves go through ConsolidatedReport.WORKFLOW (workflow/transitions.py).
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from documents.integrity import content_digest
from documents.register import (
    dates_confirmed,
    local_issue_date,
    order_conflict,
    refuse_future,
    register_next_number,
    register_record_number,
)
from documents.stored import request_current
from notifications.services import notify
from units.selectors import leaders, office_reviewers
from workflow.jobs import LeasedJob

from .. import permissions
from ..errors import InvalidTransition, NotAllowed, ReportError
from ..models import ConsolidatedReport
from .compile import first_sections, gather, outline_for

logger = logging.getLogger(__name__)
Status = ConsolidatedReport.Status
WORKFLOW = ConsolidatedReport.WORKFLOW

LIVE_JOB = (Status.QUEUED, Status.COMPILING)
EDITABLE = (Status.READY, Status.RETURNED)
RECOMPILABLE = WORKFLOW.moves["supersede"].sources


def _record_failure(report, previous, reason):
    WORKFLOW.record(report, "fail", actor=None, from_status=previous, comment=reason)


COMPILE_JOB = LeasedJob(
    model=ConsolidatedReport,
    task="reports.compile_consolidated_report",
    settings_prefix="CONSOLIDATION",
    state="status",
    queued=Status.QUEUED,
    running=Status.COMPILING,
    failed=Status.FAILED,
    gave_up=(
        "Tổng hợp bị gián đoạn {attempts} lần (quá số lần cho phép); "
        "vui lòng bấm “Tổng hợp lại” hoặc báo quản trị hệ thống."
    ),
    on_failed=_record_failure,
)


def _require_office(actor, message):
    if not permissions.can_compile(actor):
        raise NotAllowed(message)


def live_report(period):
    return ConsolidatedReport.objects.exclude(status=Status.SUPERSEDED).filter(period=period).first()


def consolidation_request(*, period, actor):
    """Ask for (re)compiling a period. Returns the row the job will fill."""
    _require_office(actor, "Chỉ Phòng Hành chính - Tổng hợp được tổng hợp báo cáo.")
    try:
        with transaction.atomic():
            current = (
                ConsolidatedReport.objects.select_for_update()
                .exclude(status=Status.SUPERSEDED)
                .filter(period=period)
                .first()
            )
            if current is not None and current.status in LIVE_JOB:
                return current  # already on its way: a double click compiles once
            version = 1
            sections = {}
            if current is not None:
                WORKFLOW.apply(current, "supersede", actor=actor, comment="Tổng hợp lại thành bản mới.")
                version = current.version + 1
                sections = _edits_to_carry(current)
            report = ConsolidatedReport.objects.create(
                period=period,
                version=version,
                requested_by=actor,
                previous_version=current,
                sections=sections,
                carried_forward=bool(sections),
            )
            WORKFLOW.record(report, "request", actor=actor, from_status="")
            COMPILE_JOB.enqueue_on_commit(report.pk)
            return report
    except IntegrityError:
        # Another request created the live row first.
        return live_report(period)


def _edits_to_carry(report):
    """The sections the office edited on `report`, to be kept by the next version; {} when none.

    Only the edited sections are carried: the others get the new compile's text, so a unit accepted
    late appears in them. `edited` lists their keys (kept by consolidation_edit); a row edited before
    that list existed carries all its sections, as it did then.
    """
    items = report.sections.get("items", [])
    if "edited" in report.sections:
        keys = set(report.sections["edited"])
    elif items and (report.carried_forward or report.transitions.filter(action="edit").exists()):
        keys = {item["key"] for item in items}
    else:
        keys = set()
    if not keys:
        return {}
    carried = {"items": [item for item in items if item["key"] in keys], "edited": sorted(keys)}
    if "recipients" in report.sections:
        carried["recipients"] = report.sections["recipients"]
    return carried


def consolidation_compile(*, report_id, keep_alive=False):
    """The task's work: claim, gather, freeze the snapshot, write the first sections. Idempotent.

    `keep_alive` renews the lease from a thread while the units' reports are gathered (a real worker).
    """
    token = COMPILE_JOB.claim(report_id)
    if token is None:
        return None
    report = ConsolidatedReport.objects.select_related("period__campaign").get(pk=report_id)
    try:
        with COMPILE_JOB.keep_alive(report_id, token, enabled=keep_alive) as lease:
            snapshot = gather(report.period)
        if not lease.held or not COMPILE_JOB.heartbeat(report_id, token):
            logger.warning("consolidation %s: lease lost while gathering; the other run's result stands", report_id)
            return None
        outline, recipients = outline_for(report.period)
        compiled = first_sections(snapshot, outline)
        sections = {"items": compiled, "recipients": recipients}
        warning = ""
        if report.sections:
            # Carry the office's edits forward section by section; new compiled text for the rest.
            edited = {item["key"]: item for item in report.sections.get("items", [])}
            sections["items"] = [edited.get(item["key"], item) for item in compiled]
            sections["recipients"] = report.sections.get("recipients", recipients)
            sections["edited"] = [item["key"] for item in compiled if item["key"] in edited]
            warning = (
                "Các mục đã chỉnh sửa ở bản trước được giữ nguyên; số liệu và các mục khác lấy theo lần tổng hợp mới. "
                "Vui lòng rà soát lại trước khi trình duyệt."
            )
    except Exception as error:  # noqa: BLE001 — recorded on the row, shown to the office with a retry.
        logger.exception("consolidation %s failed", report_id)
        COMPILE_JOB.fail(report_id, token, f"{type(error).__name__}: {error}")
        return None
    with transaction.atomic():
        finished = COMPILE_JOB.finish(
            report_id,
            token,
            state=Status.READY,
            snapshot=snapshot,
            sections=sections,
            compiled_at=timezone.now(),
            error=warning,
        )
        if not finished:
            return None  # our lease was taken over; the other run's result stands
        report.refresh_from_db()
        WORKFLOW.record(report, "compile", actor=None, from_status=Status.COMPILING, comment=warning)
        request_current(report)
    return report


def _locked(report):
    return WORKFLOW.lock(report, "period")


def consolidation_edit(*, report, actor, texts):
    """Save the office's edits of the synthesised sections (a version in the history each time)."""
    _require_office(actor, "Chỉ Phòng Hành chính - Tổng hợp được chỉnh sửa báo cáo tổng hợp.")
    with transaction.atomic():
        locked = _locked(report)
        if locked.status not in EDITABLE:
            raise InvalidTransition("Chỉ sửa được báo cáo tổng hợp ở trạng thái dự thảo hoặc bị trả lại.")
        items = [dict(item) for item in locked.sections.get("items", [])]
        changed = set()
        for item in items:
            if item["key"] in texts:
                text = texts[item["key"]].replace("\r\n", "\n")
                if text != item["text"]:
                    item["text"] = text
                    changed.add(item["key"])
        if not changed:
            return locked
        edited = sorted(set(locked.sections.get("edited", [])) | changed)
        locked.sections = {**locked.sections, "items": items, "edited": edited}
        locked.save(update_fields=["sections"])
        WORKFLOW.record(locked, "edit", actor=actor, sections=locked.sections)
        request_current(locked)
        return locked


def consolidation_send_for_approval(*, report, actor, texts=None):
    """Send the report for approval; `texts` are sections edited on the page but not saved, saved first.

    One transaction: the edits and the sending both happen or neither does, so pressing "Trình lãnh
    đạo duyệt" right after typing never loses what was typed.
    """
    _require_office(actor, "Chỉ Phòng Hành chính - Tổng hợp được trình duyệt báo cáo tổng hợp.")
    with transaction.atomic():
        locked = _locked(report)
        WORKFLOW.check(locked, "send_for_approval")
        if texts:
            locked = consolidation_edit(report=locked, actor=actor, texts=texts)
        WORKFLOW.apply(locked, "send_for_approval", actor=actor)
        # The hand-over to leadership: the Director and the Deputy Directors are told, after commit by e-mail.
        notify(
            leaders(),
            f"Báo cáo tổng hợp {locked.period.label}: Phòng Hành chính - Tổng hợp trình lãnh đạo duyệt.",
            locked.get_absolute_url(),
            actor=actor,
        )
        return locked


def consolidation_approve(*, report, actor):
    """The Director or a Deputy Director approves; the content's SHA-256 is taken now."""
    if not permissions.can_approve(actor):
        raise NotAllowed("Chỉ lãnh đạo Sở được duyệt báo cáo tổng hợp.")
    with transaction.atomic():
        locked = _locked(report)
        WORKFLOW.check(locked, "approve")
        locked.approved_by = actor
        locked.approved_at = timezone.now()
        locked.signer_name = actor.full_name
        locked.signer_is_deputy = actor.position == actor.Position.DEPUTY
        locked.content_sha256 = content_digest({"snapshot": locked.snapshot, "sections": locked.sections})
        WORKFLOW.apply(locked, "approve", actor=actor)
        notify(
            office_reviewers(),
            f"Báo cáo tổng hợp {locked.period.label} đã được lãnh đạo duyệt; vui lòng vào số, ban hành.",
            locked.get_absolute_url(),
            actor=actor,
        )
        request_current(locked)
        return locked


def consolidation_return(*, report, actor, comment):
    if not permissions.can_approve(actor):
        raise NotAllowed("Chỉ lãnh đạo Sở được trả lại báo cáo tổng hợp.")
    comment = (comment or "").strip()
    if not comment:
        raise InvalidTransition("Vui lòng ghi ý kiến khi trả lại báo cáo tổng hợp.")
    with transaction.atomic():
        locked, _ = WORKFLOW.move(report, "return", actor=actor, comment=comment, related=("period",))
        notify(
            office_reviewers(),
            f"Báo cáo tổng hợp {locked.period.label} bị lãnh đạo trả lại. Ý kiến: {comment}",
            locked.get_absolute_url(),
            actor=actor,
        )
    return locked


def consolidation_issue(*, report, actor, issued_on, number=None, signed_pdf=None, confirmation=""):
    """Give the approved report its number and date: the clerk's (with the signed PDF) or the portal's.

    The date is never after today. A date before leadership's approval, or a number dated out of the register's
    order, is refused unless the office confirms the paper was signed so: `confirmation` is the reason, kept in
    the history of the issue.
    """
    _require_office(actor, "Chỉ Phòng Hành chính - Tổng hợp được vào số báo cáo tổng hợp.")
    issued_on = local_issue_date(issued_on)
    refuse_future(issued_on)
    with transaction.atomic():
        locked = _locked(report)
        WORKFLOW.check(locked, "issue")
        campaign = locked.period.campaign
        summary = f"Báo cáo kết quả thực hiện Phong trào thi đua {locked.period.label}"
        register = {"issuer_code": campaign.issuing_body_abbreviation, "type_code": "BC", "issued_on": issued_on}
        approved_on = timezone.localdate(locked.approved_at) if locked.approved_at else None
        reason = dates_confirmed(
            [
                f"Ngày ban hành ({issued_on:%d/%m/%Y}) trước ngày lãnh đạo duyệt báo cáo trên Cổng "
                f"({approved_on:%d/%m/%Y})."
                if approved_on and issued_on < approved_on
                else "",
                order_conflict(number=number, **register),
            ],
            confirmation,
        )
        if number is not None:
            entry = register_record_number(number=number, summary=summary, actor=actor, confirmation=reason, **register)
        else:
            entry = register_next_number(summary=summary, actor=actor, confirmation=reason, **register)
        if signed_pdf is not None:
            locked.signed_pdf.save(signed_pdf.name, signed_pdf, save=False)
        locked.register_entry = entry
        comment = f"{entry}. Xác nhận ngày, số như văn bản đã ký: {reason}" if reason else str(entry)
        WORKFLOW.apply(locked, "issue", actor=actor, comment=comment)
        # Its final files, with the number and the date: rendered once more, then never again.
        request_current(locked)
        return locked


def consolidation_mark_sent(*, report, actor, sent_on, channel):
    _require_office(actor, "Chỉ Phòng Hành chính - Tổng hợp được ghi nhận gửi báo cáo.")
    channel = (channel or "").strip()
    if not channel:
        raise ReportError("Vui lòng ghi hình thức gửi (ví dụ: hệ thống quản lý văn bản, thư điện tử công vụ).")
    with transaction.atomic():
        locked = _locked(report)
        if locked.status != Status.ISSUED:
            raise InvalidTransition("Chỉ ghi nhận gửi được báo cáo đã ban hành.")
        if locked.sent_on is not None:
            return locked
        locked.sent_on = sent_on
        locked.sent_channel = channel
        locked.save(update_fields=["sent_on", "sent_channel"])
        WORKFLOW.record(locked, "send", actor=actor, comment=f"{sent_on:%d/%m/%Y} — {channel}")
        return locked
