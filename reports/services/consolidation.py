"""The consolidated report's lifecycle: request → compile (Celery, leased) → edit → approve → issue → send.

The row is the truth of the job. A request writes the row (queued) and enqueues the task after
commit; if the broker is down the row stays queued and the sweeper publishes it later. A worker
claims the row with a lease — a new attempt token and an expiry, by a conditional UPDATE — and
only the holder of the current token may finish it, so two runs never compile at once and a
killed worker's row is picked up again when its lease expires.
"""

import hashlib
import json
import logging
import uuid
from datetime import timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from ..errors import InvalidTransition, NotAllowed, ReportError
from ..models import ConsolidatedReport, ConsolidatedTransition
from .compile import first_sections, gather, outline_for

logger = logging.getLogger(__name__)
Status = ConsolidatedReport.Status

LIVE_JOB = (Status.QUEUED, Status.COMPILING)
EDITABLE = (Status.READY, Status.RETURNED)
RECOMPILABLE = (Status.READY, Status.RETURNED, Status.FAILED, Status.PENDING_APPROVAL)


def lease_seconds():
    return settings.CONSOLIDATION_LEASE_SECONDS


def max_attempts():
    return settings.CONSOLIDATION_MAX_ATTEMPTS


def _log(report, action, actor, *, previous="", comment="", sections=None):
    ConsolidatedTransition.objects.create(
        report=report,
        action=action,
        from_status=previous,
        to_status=report.status,
        actor=actor,
        comment=comment,
        sections=sections or {},
    )


def _enqueue(report_id):
    from ..tasks import compile_consolidated_report

    try:
        compile_consolidated_report.delay(report_id)
    except Exception:  # noqa: BLE001 — broker down or hanging: the row stays queued for the sweeper.
        logger.warning("could not enqueue consolidation %s; the sweeper will retry", report_id, exc_info=True)
        return False
    ConsolidatedReport.objects.filter(pk=report_id).update(enqueued_at=timezone.now())
    return True


def live_report(period):
    return ConsolidatedReport.objects.exclude(status=Status.SUPERSEDED).filter(period=period).first()


def consolidation_request(*, period, actor):
    """Ask for (re)compiling a period. Returns the row the job will fill."""
    if not actor.is_office_reviewer:
        raise NotAllowed("Chỉ Phòng Hành chính - Tổng hợp được tổng hợp báo cáo.")
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
            if current is not None and current.status not in RECOMPILABLE:
                raise InvalidTransition("Báo cáo tổng hợp của kỳ này đã được duyệt; không tổng hợp lại được.")
            version = 1
            sections = {}
            if current is not None:
                previous_status = current.status
                current.status = Status.SUPERSEDED
                current.save(update_fields=["status"])
                _log(current, "supersede", actor, previous=previous_status, comment="Tổng hợp lại thành bản mới.")
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
            _log(report, "request", actor)
            transaction.on_commit(lambda: _enqueue(report.pk))
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


def claim(report_id):
    """Take the job's lease; the attempt token, or None when the row is not ours to compile."""
    now = timezone.now()
    token = uuid.uuid4()
    claimable = Q(status=Status.QUEUED) | Q(status=Status.COMPILING, lease_expires_at__lt=now)
    # One statement: a worker killed between taking the lease and counting the attempt would otherwise
    # get an attempt for free, and the bound on attempts would not hold.
    updated = ConsolidatedReport.objects.filter(claimable, pk=report_id, attempts__lt=max_attempts()).update(
        status=Status.COMPILING,
        attempt_token=token,
        attempts=F("attempts") + 1,
        lease_expires_at=now + timedelta(seconds=lease_seconds()),
        heartbeat_at=now,
    )
    return token if updated else None


def heartbeat(report_id, token):
    now = timezone.now()
    return ConsolidatedReport.objects.filter(pk=report_id, attempt_token=token, status=Status.COMPILING).update(
        heartbeat_at=now, lease_expires_at=now + timedelta(seconds=lease_seconds())
    )


def consolidation_compile(*, report_id):
    """The task's work: claim, gather, freeze the snapshot, write the first sections. Idempotent."""
    token = claim(report_id)
    if token is None:
        return None
    report = ConsolidatedReport.objects.select_related("period__campaign").get(pk=report_id)
    try:
        snapshot = gather(report.period)
        if not heartbeat(report_id, token):
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
        with transaction.atomic():
            ours = ConsolidatedReport.objects.filter(pk=report_id, attempt_token=token, status=Status.COMPILING)
            failed = ours.update(
                status=Status.FAILED,
                error=f"{type(error).__name__}: {error}"[:2000],
                attempt_token=None,
                lease_expires_at=None,
            )
            if failed:
                report.refresh_from_db()
                _log(report, "fail", None, previous=Status.COMPILING, comment=report.error)
        return None
    with transaction.atomic():
        finished = ConsolidatedReport.objects.filter(pk=report_id, attempt_token=token, status=Status.COMPILING).update(
            status=Status.READY,
            snapshot=snapshot,
            sections=sections,
            compiled_at=timezone.now(),
            attempt_token=None,
            lease_expires_at=None,
            error=warning,
        )
        if not finished:
            return None  # our lease was taken over; the other run's result stands
        report.refresh_from_db()
        _log(report, "compile", None, previous=Status.COMPILING, comment=warning)
    return report


def consolidation_sweep():
    """Re-enqueue queued rows and rows whose lease expired; give up on rows past their attempts."""
    now = timezone.now()
    stale = now - timedelta(seconds=settings.CONSOLIDATION_REQUEUE_AFTER_SECONDS)
    abandoned = Q(status=Status.QUEUED) | Q(status=Status.COMPILING, lease_expires_at__lt=now)
    exhausted = ConsolidatedReport.objects.filter(abandoned, attempts__gte=max_attempts())
    for report in exhausted:
        reason = (
            f"Tổng hợp bị gián đoạn {report.attempts} lần (quá số lần cho phép); "
            "vui lòng bấm “Tổng hợp lại” hoặc báo quản trị hệ thống."
        )
        updated = ConsolidatedReport.objects.filter(abandoned, pk=report.pk, attempts__gte=max_attempts()).update(
            status=Status.FAILED, error=reason, attempt_token=None, lease_expires_at=None
        )
        if updated:
            previous = report.status
            report.refresh_from_db()
            _log(report, "fail", None, previous=previous, comment=report.error)
    due = ConsolidatedReport.objects.filter(
        Q(status=Status.QUEUED) & (Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale))
        | Q(status=Status.COMPILING, lease_expires_at__lt=now, attempts__lt=max_attempts())
    ).values_list("pk", flat=True)
    requeued = []
    for report_id in due:
        if _enqueue(report_id):
            requeued.append(report_id)
    return requeued


def _locked(report):
    return ConsolidatedReport.objects.select_for_update().select_related("period").get(pk=report.pk)


def consolidation_edit(*, report, actor, texts):
    """Save the office's edits of the synthesised sections (a version in the history each time)."""
    if not actor.is_office_reviewer:
        raise NotAllowed("Chỉ Phòng Hành chính - Tổng hợp được chỉnh sửa báo cáo tổng hợp.")
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
        _log(locked, "edit", actor, previous=locked.status, sections=locked.sections)
        return locked


def _move(report, actor, *, sources, target, action, comment="", **fields):
    with transaction.atomic():
        locked = _locked(report)
        if locked.status not in sources:
            raise InvalidTransition("Báo cáo tổng hợp không ở trạng thái phù hợp (có thể người khác vừa xử lý).")
        previous = locked.status
        locked.status = target
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save()
        _log(locked, action, actor, previous=previous, comment=comment)
        return locked


def consolidation_send_for_approval(*, report, actor, texts=None):
    """Send the report for approval; `texts` are sections edited on the page but not saved, saved first.

    One transaction: the edits and the sending both happen or neither does, so pressing "Trình lãnh
    đạo duyệt" right after typing never loses what was typed.
    """
    if not actor.is_office_reviewer:
        raise NotAllowed("Chỉ Phòng Hành chính - Tổng hợp được trình duyệt báo cáo tổng hợp.")
    with transaction.atomic():
        locked = _locked(report)
        if locked.status not in EDITABLE:
            raise InvalidTransition("Báo cáo tổng hợp không ở trạng thái phù hợp (có thể người khác vừa xử lý).")
        if texts:
            consolidation_edit(report=locked, actor=actor, texts=texts)
        return _move(locked, actor, sources=EDITABLE, target=Status.PENDING_APPROVAL, action="send_for_approval")


def content_digest(report):
    payload = json.dumps({"snapshot": report.snapshot, "sections": report.sections}, sort_keys=True, ensure_ascii=False)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def consolidation_approve(*, report, actor):
    """The Director or a Deputy Director approves; the content's SHA-256 is taken now."""
    if not actor.is_leadership:
        raise NotAllowed("Chỉ lãnh đạo Sở được duyệt báo cáo tổng hợp.")
    with transaction.atomic():
        locked = _locked(report)
        return _move(
            locked,
            actor,
            sources=(Status.PENDING_APPROVAL,),
            target=Status.APPROVED,
            action="approve",
            approved_by=actor,
            approved_at=timezone.now(),
            signer_name=actor.full_name,
            signer_is_deputy=actor.position == actor.Position.DEPUTY,
            content_sha256=content_digest(locked),
        )


def consolidation_return(*, report, actor, comment):
    if not actor.is_leadership:
        raise NotAllowed("Chỉ lãnh đạo Sở được trả lại báo cáo tổng hợp.")
    comment = (comment or "").strip()
    if not comment:
        raise InvalidTransition("Vui lòng ghi ý kiến khi trả lại báo cáo tổng hợp.")
    return _move(
        report, actor, sources=(Status.PENDING_APPROVAL,), target=Status.RETURNED, action="return", comment=comment
    )


def consolidation_issue(*, report, actor, issued_on, number=None, signed_pdf=None):
    """Give the approved report its number and date: the clerk's (with the signed PDF) or the portal's."""
    from ..documents.register import register_next_number, register_record_number

    if not actor.is_office_reviewer:
        raise NotAllowed("Chỉ Phòng Hành chính - Tổng hợp được vào số báo cáo tổng hợp.")
    with transaction.atomic():
        locked = _locked(report)
        if locked.status != Status.APPROVED:
            raise InvalidTransition("Chỉ vào số được báo cáo tổng hợp đã được lãnh đạo duyệt.")
        campaign = locked.period.campaign
        summary = f"Báo cáo kết quả thực hiện Phong trào thi đua {locked.period.label}"
        register = {"issuer_code": campaign.issuing_body_abbreviation, "type_code": "BC", "issued_on": issued_on}
        if number is not None:
            entry = register_record_number(number=number, summary=summary, actor=actor, **register)
        else:
            entry = register_next_number(summary=summary, actor=actor, **register)
        signed = {}
        if signed_pdf is not None:
            # Stored now, recorded by _move: it re-reads the row, so a file set on `locked` alone would be lost.
            locked.signed_pdf.save(signed_pdf.name, signed_pdf, save=False)
            signed["signed_pdf"] = locked.signed_pdf.name
        return _move(
            locked,
            actor,
            sources=(Status.APPROVED,),
            target=Status.ISSUED,
            action="issue",
            comment=str(entry),
            register_entry=entry,
            **signed,
        )


def consolidation_mark_sent(*, report, actor, sent_on, channel):
    if not actor.is_office_reviewer:
        raise NotAllowed("Chỉ Phòng Hành chính - Tổng hợp được ghi nhận gửi báo cáo.")
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
        _log(locked, "send", actor, previous=locked.status, comment=f"{sent_on:%d/%m/%Y} — {channel}")
        return locked
