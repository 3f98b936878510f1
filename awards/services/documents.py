"""The render job of award documents: decisions (QĐ), proposals (TTr) and council minutes (BB).

Same reliability rules as the consolidated report (reports/services/consolidation.py): the
AwardDocument row is written first (render_status queued) and the Celery task is enqueued on
commit; a worker claims the row with a lease (attempt token, expiry, heartbeat) by a conditional
UPDATE; only the holder of the current token may finish it; a periodic sweep re-enqueues queued
rows and rows whose lease expired; attempts are bounded.

Interface used by the other areas (implemented by the outcomes area):

    request_document(*, kind, award_round, actor, content, summary, recipient="", meeting=None)
        -> AwardDocument   # writes the row (queued) and enqueues rendering after commit

    BUILDERS: kind -> dotted path of a function `build(document) -> reports.documents.model.Document`
        built only from `document.content` (a JSON snapshot) and the document's own fields.
"""

import hashlib
import io
import json
import logging
import uuid
import zipfile
from datetime import timedelta
from pathlib import PurePosixPath

from django.conf import settings
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import F, Q
from django.utils import timezone
from django.utils.module_loading import import_string

from ..models import AwardDocument, AwardDocumentTransition, DossierFile

logger = logging.getLogger(__name__)

BUILDERS = {
    "decision": "awards.documents.decision.build",
    "proposal": "awards.documents.proposal.build",
    "minutes": "awards.documents.minutes.build",
}

Render = AwardDocument.RenderStatus
LIVE_JOB = (Render.QUEUED, Render.RENDERING)
FILE_FIELDS = ("pdf", "docx", "bundle", "certificates")


def lease_seconds():
    return getattr(settings, "AWARD_DOCUMENT_LEASE_SECONDS", 120)


def max_attempts():
    return getattr(settings, "AWARD_DOCUMENT_MAX_ATTEMPTS", 3)


def requeue_after_seconds():
    return getattr(settings, "AWARD_DOCUMENT_REQUEUE_AFTER_SECONDS", 30)


def log(document, action, actor, comment=""):
    return AwardDocumentTransition.objects.create(document=document, action=action, actor=actor, comment=comment)


def content_digest(content):
    payload = json.dumps(content, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(payload.encode("utf-8")).hexdigest()


def _enqueue(document_id):
    """Publish the render task; a broker that is down or hangs leaves the row queued for the sweeper."""
    from ..tasks import render_award_document

    try:
        render_award_document.delay(document_id)
    except Exception:  # noqa: BLE001 — broker down: the row stays queued and the sweep publishes it.
        logger.warning("could not enqueue award document %s; the sweeper will retry", document_id, exc_info=True)
        return False
    AwardDocument.objects.filter(pk=document_id).update(enqueued_at=timezone.now())
    return True


def request_document(*, kind, award_round, actor, content, summary, recipient="", meeting=None):
    """Write the document's row (queued, with its frozen content) and render it once the transaction commits.

    With `meeting` (council minutes) the meeting is linked to the new document, replacing any earlier
    minutes document, which is kept with its history.
    """
    with transaction.atomic():
        document = AwardDocument.objects.create(
            kind=kind,
            round=award_round,
            recipient=recipient,
            summary=summary[:500],
            content=content,
            content_sha256=content_digest(content),
            created_by=actor,
        )
        log(document, "request", actor)
        if meeting is not None:
            meeting.minutes = document
            meeting.save(update_fields=["minutes"])
        transaction.on_commit(lambda: _enqueue(document.pk))
    return document


def request_render(*, document, actor, action="render", comment=""):
    """Render an existing document again (after its issue, or a retry): a fresh job with its own attempts."""
    with transaction.atomic():
        AwardDocument.objects.filter(pk=document.pk).update(
            render_status=Render.QUEUED,
            attempt_token=None,
            attempts=0,
            lease_expires_at=None,
            heartbeat_at=None,
            enqueued_at=None,
            error="",
        )
        document.refresh_from_db()
        log(document, action, actor, comment)
        transaction.on_commit(lambda: _enqueue(document.pk))
    return document


# --- the lease -------------------------------------------------------------------------------------------


def claim(document_id):
    """Take the job's lease: the attempt token, or None when the row is not ours to render."""
    now = timezone.now()
    token = uuid.uuid4()
    claimable = Q(render_status=Render.QUEUED) | Q(render_status=Render.RENDERING, lease_expires_at__lt=now)
    # One statement, so a worker killed after taking the lease has still used up the attempt.
    updated = AwardDocument.objects.filter(claimable, pk=document_id, attempts__lt=max_attempts()).update(
        render_status=Render.RENDERING,
        attempt_token=token,
        attempts=F("attempts") + 1,
        lease_expires_at=now + timedelta(seconds=lease_seconds()),
        heartbeat_at=now,
    )
    return token if updated else None


def heartbeat(document_id, token):
    """Renew the lease; 0 when it was lost (another run took over the expired lease)."""
    now = timezone.now()
    return AwardDocument.objects.filter(pk=document_id, attempt_token=token, render_status=Render.RENDERING).update(
        heartbeat_at=now, lease_expires_at=now + timedelta(seconds=lease_seconds())
    )


def _ours(document_id, token):
    return AwardDocument.objects.filter(pk=document_id, attempt_token=token, render_status=Render.RENDERING)


# --- the work --------------------------------------------------------------------------------------------


def build_document(document):
    """The reports.documents.model.Document of an award document, by its kind's builder."""
    return import_string(BUILDERS[document.kind])(document)


def _slug(document):
    entry = document.register_entry
    kind = {"decision": "quyet-dinh", "proposal": "to-trinh", "minutes": "bien-ban"}[document.kind]
    if entry is not None:
        return f"{kind}-{entry.number:02d}-{entry.year}"
    return f"{kind}-du-thao-{document.pk}"


def download_name(document, extension, what=""):
    return f"{_slug(document)}{what}.{extension}"


def _safe_part(name, fallback):
    """A file or folder name for a zip entry: no separators, no '..', never empty."""
    cleaned = PurePosixPath(name.replace("\\", "/")).name.strip().strip(".") or fallback
    return cleaned[:150]


def build_bundle(document, pdf_bytes):
    """The proposal's dossiers as a zip: one folder per nomination with its files, and the proposal PDF."""
    folders = document.content.get("dossiers", [])
    ids = [file["id"] for folder in folders for file in folder["files"]]
    stored = {dossier.pk: dossier for dossier in DossierFile.objects.filter(pk__in=ids)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr(download_name(document, "pdf"), pdf_bytes)
        for index, folder in enumerate(folders, start=1):
            folder_name = f"{index:02d} - {_safe_part(folder['name'], 'ho-so')}"
            used = set()
            for file in folder["files"]:
                dossier = stored.get(file["id"])
                if dossier is None:
                    raise LookupError(f"Không tìm thấy tệp hồ sơ “{file['name']}”.")
                name = _safe_part(file["name"], f"tep-{file['id']}")
                stem, dot, extension = name.rpartition(".")
                candidate, copy = name, 2
                while candidate.lower() in used:
                    candidate = f"{stem} ({copy}).{extension}" if dot else f"{name} ({copy})"
                    copy += 1
                used.add(candidate.lower())
                with dossier.file.open("rb") as source:
                    archive.writestr(f"{folder_name}/{candidate}", source.read())
    return buffer.getvalue()


def _render_files(document, token):
    """The files of one document, rendered in turn, renewing the lease between them. None if the lease was lost."""
    from reports.documents import render_docx, render_pdf

    built = build_document(document)
    files = {"pdf": render_pdf(built)}
    if not heartbeat(document.pk, token):
        return None
    files["docx"] = render_docx(built)
    if document.kind == AwardDocument.Kind.PROPOSAL:
        if not heartbeat(document.pk, token):
            return None
        files["bundle"] = build_bundle(document, files["pdf"])
    if document.kind == AwardDocument.Kind.DECISION and document.status != AwardDocument.Status.DRAFT:
        from ..documents.certificates import render_certificates

        if not heartbeat(document.pk, token):
            return None
        files["certificates"] = render_certificates(document)
    return files


def _store(document, files):
    """Write the files under new random names; returns {field: stored name}."""
    names = {}
    for field, content in files.items():
        extension = "zip" if field == "bundle" else ("docx" if field == "docx" else "pdf")
        file_field = getattr(document, field)
        names[field] = file_field.storage.save(
            file_field.field.generate_filename(document, f"{field}.{extension}"), ContentFile(content)
        )
    return names


def _delete_files(storage, names):
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not delete %s", name, exc_info=True)


def render(*, document_id):
    """The task's work: claim, build, render PDF and DOCX (and the bundle or certificates), store. Idempotent."""
    token = claim(document_id)
    if token is None:
        return None
    document = AwardDocument.objects.select_related("register_entry", "round").get(pk=document_id)
    storage = document.pdf.storage
    try:
        files = _render_files(document, token)
        if files is None:
            logger.warning("award document %s: lease lost while rendering; the other run's files stand", document_id)
            return None
        names = _store(document, files)
    except Exception as error:  # noqa: BLE001 — recorded on the row, shown to the office with a retry.
        logger.exception("award document %s failed to render", document_id)
        with transaction.atomic():
            reason = f"{type(error).__name__}: {error}"[:2000]
            if _ours(document_id, token).update(
                render_status=Render.FAILED, error=reason, attempt_token=None, lease_expires_at=None
            ):
                log(document, "render_failed", None, reason)
        return None
    old = [getattr(document, field).name for field in names if getattr(document, field).name]
    with transaction.atomic():
        finished = _ours(document_id, token).update(
            render_status=Render.READY,
            rendered_at=timezone.now(),
            attempt_token=None,
            lease_expires_at=None,
            error="",
            **names,
        )
        if not finished:
            transaction.on_commit(lambda: _delete_files(storage, names.values()))
            return None  # our lease was taken over; the other run's result stands
        log(document, "rendered", None)
        transaction.on_commit(lambda: _delete_files(storage, old))
    document.refresh_from_db()
    return document


def sweep():
    """Re-enqueue queued rows and rows whose lease expired; give up on rows past their attempts."""
    now = timezone.now()
    stale = now - timedelta(seconds=requeue_after_seconds())
    abandoned = Q(render_status=Render.QUEUED) | Q(render_status=Render.RENDERING, lease_expires_at__lt=now)
    for document in AwardDocument.objects.filter(abandoned, attempts__gte=max_attempts()):
        reason = (
            f"Việc tạo văn bản bị gián đoạn {document.attempts} lần (quá số lần cho phép); "
            "vui lòng bấm “Thử lại” hoặc báo quản trị hệ thống."
        )
        with transaction.atomic():
            if AwardDocument.objects.filter(abandoned, pk=document.pk, attempts__gte=max_attempts()).update(
                render_status=Render.FAILED, error=reason, attempt_token=None, lease_expires_at=None
            ):
                log(document, "render_failed", None, reason)
    due = AwardDocument.objects.filter(
        Q(render_status=Render.QUEUED) & (Q(enqueued_at__isnull=True) | Q(enqueued_at__lt=stale))
        | Q(render_status=Render.RENDERING, lease_expires_at__lt=now, attempts__lt=max_attempts())
    ).values_list("pk", flat=True)
    return [document_id for document_id in due if _enqueue(document_id)]
