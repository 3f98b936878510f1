"""The render job of award documents: decisions (QĐ), proposals (TTr) and council minutes (BB).

The job is the shared leased job (workflow/jobs.py), like the consolidated report's compile: the
AwardDocument row is written first (render_status queued) and the Celery task is published after
commit; a worker claims the row with a lease; only the holder of the current token may finish it; the
sweep publishes queued rows again and takes over expired leases; attempts are bounded.

Interface used by the other areas (implemented by the outcomes area):

    request_document(*, kind, award_round, actor, content, summary, recipient="", meeting=None)
        -> AwardDocument   # writes the row (queued) and enqueues rendering after commit

    BUILDERS: kind -> a function `build(document) -> documents.model.Document`, built only from
        `document.content` (a JSON snapshot) and the document's own fields.
"""

import io
import logging
import zipfile
from pathlib import PurePosixPath

from django.db import transaction
from django.utils import timezone

from documents.integrity import content_digest
from documents.render import render_docx, render_pdf
from documents.stored import delete_files, save_files
from workflow.jobs import LeasedJob

from ..documents import decision, minutes, proposal
from ..documents.certificates import render_certificates
from ..models import AwardDocument, DossierFile

logger = logging.getLogger(__name__)

BUILDERS = {"decision": decision.build, "proposal": proposal.build, "minutes": minutes.build}

Render = AwardDocument.RenderStatus
WORKFLOW = AwardDocument.WORKFLOW
LIVE_JOB = (Render.QUEUED, Render.RENDERING)
# The document's files: the field and the extension each is stored with.
FILE_EXTENSIONS = {"pdf": "pdf", "docx": "docx", "bundle": "zip", "certificates": "pdf"}


def log(document, action, actor, comment=""):
    """Record an event of the document (its rendering, or an action that does not move its state)."""
    return WORKFLOW.record(document, action, actor=actor, comment=comment)


def _record_failure(document, previous, reason):
    log(document, "render_failed", None, reason)


RENDER_JOB = LeasedJob(
    model=AwardDocument,
    task="awards.render_award_document",
    settings_prefix="AWARD_DOCUMENT",
    state="render_status",
    queued=Render.QUEUED,
    running=Render.RENDERING,
    failed=Render.FAILED,
    gave_up=(
        "Việc tạo văn bản bị gián đoạn {attempts} lần (quá số lần cho phép); "
        "vui lòng bấm “Thử lại” hoặc báo quản trị hệ thống."
    ),
    on_failed=_record_failure,
)


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
        RENDER_JOB.enqueue_on_commit(document.pk)
    return document


def request_render(*, document, actor, action="render", comment=""):
    """Render an existing document again (after its issue, or a retry): a fresh job with its own attempts."""
    with transaction.atomic():
        RENDER_JOB.restart(document.pk)
        document.refresh_from_db()
        log(document, action, actor, comment)
    return document


# --- the work --------------------------------------------------------------------------------------------


def build_document(document):
    """The documents.model.Document of an award document, by its kind's builder."""
    return BUILDERS[document.kind](document)


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


def _render_files(document, token, lease):
    """The files of one document, rendered in turn, the lease checked between them. None if the lease was lost."""
    built = build_document(document)
    files = {"pdf": render_pdf(built)}

    def still_ours():
        return lease.held and RENDER_JOB.heartbeat(document.pk, token)

    if not still_ours():
        return None
    files["docx"] = render_docx(built)
    if document.kind == AwardDocument.Kind.PROPOSAL:
        if not still_ours():
            return None
        files["bundle"] = build_bundle(document, files["pdf"])
    if document.kind == AwardDocument.Kind.DECISION and document.status != AwardDocument.Status.DRAFT:
        if not still_ours():
            return None
        files["certificates"] = render_certificates(document)
    return files


def render(*, document_id, keep_alive=False):
    """The task's work: claim, build, render PDF and DOCX (and the bundle or certificates), store. Idempotent.

    `keep_alive` renews the lease from a thread while the files are rendered (a real worker).
    """
    token = RENDER_JOB.claim(document_id)
    if token is None:
        return None
    document = AwardDocument.objects.select_related("register_entry", "round").get(pk=document_id)
    storage = document.pdf.storage
    try:
        with RENDER_JOB.keep_alive(document_id, token, enabled=keep_alive) as lease:
            files = _render_files(document, token, lease)
        if files is None:
            logger.warning("award document %s: lease lost while rendering; the other run's files stand", document_id)
            return None
        names, digests = save_files(
            document, {field: (f"{field}.{FILE_EXTENSIONS[field]}", content) for field, content in files.items()}
        )
    except Exception as error:  # noqa: BLE001 — recorded on the row, shown to the office with a retry.
        logger.exception("award document %s failed to render", document_id)
        RENDER_JOB.fail(document_id, token, f"{type(error).__name__}: {error}")
        return None
    old = [getattr(document, field).name for field in names if getattr(document, field).name]
    with transaction.atomic():
        finished = RENDER_JOB.finish(
            document_id,
            token,
            state=Render.READY,
            rendered_at=timezone.now(),
            error="",
            file_sha256={**document.file_sha256, **digests},
            **names,
        )
        if not finished:
            transaction.on_commit(lambda: delete_files(storage, names.values()))
            return None  # our lease was taken over; the other run's result stands
        log(document, "rendered", None)
        transaction.on_commit(lambda: delete_files(storage, old))
    document.refresh_from_db()
    return document
