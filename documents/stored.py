"""Documents rendered once, by the shared background job, and stored: a download serves the stored file.

An app registers each kind of document it owns (`register`, from its AppConfig.ready()): how to build the
`documents.model.Document` of an owner row, its file names, and when it is final (issued, accepted). Then:

- `request_current(owner)` builds the Document (cheap: no rendering), takes its digest and, when the stored
  files show other content, queues the render job (workflow.jobs.LeasedJob) — the previous files are served
  meanwhile and the page shows the job's progress. Final files are never rendered again.
- the job (`render`, task `documents.render_stored_files`) renders PDF, DOCX and XLSX from the Document of
  the moment, stores them under new names with their sha256, and marks them final when the owner is.
- `response(owner, format)` serves the stored file, or None when there is none yet: it never renders.
"""

import hashlib
import logging
from dataclasses import asdict, dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from django.db import transaction
from django.http import FileResponse
from django.utils import timezone

from portal.uploads import CONTENT_TYPES
from workflow.jobs import LeasedJob

from .integrity import content_digest
from .models import StoredFiles
from .render import render_docx, render_pdf, render_xlsx

logger = logging.getLogger(__name__)

Render = StoredFiles.RenderStatus
RENDERERS = {"pdf": render_pdf, "docx": render_docx, "xlsx": render_xlsx}


@dataclass(frozen=True)
class Renderable:
    slug: str  # the kind in the files' URLs ("bao-cao-tong-hop")
    build: object  # owner -> documents.model.Document
    filename: object  # (owner, extension) -> the download's name
    is_final: object  # owner -> True once its files must never change
    visible: object  # (user, pk) -> the owner, or Http404 / PermissionDenied: the owning app's access rule
    formats: tuple = ("pdf", "docx", "xlsx")


KINDS = {}  # model label -> Renderable
SLUGS = {}  # slug -> Renderable


def register(model, *, slug, build, filename, is_final, visible, formats=("pdf", "docx", "xlsx")):
    """Called by the app that owns `model` from its AppConfig.ready()."""
    kind = Renderable(slug, build, filename, is_final, visible, tuple(formats))
    KINDS[model._meta.label_lower] = SLUGS[slug] = kind


def kind_of(owner):
    return KINDS[owner._meta.label_lower]


def document_digest(document):
    """The fingerprint of what a Document says (every field, as text): equal digests print equal files."""
    return content_digest(asdict(document))


def stored_files(owner):
    """The owner's StoredFiles row, or None before its first render was asked for."""
    owner_type = ContentType.objects.get_for_model(owner)
    return StoredFiles.objects.filter(owner_type=owner_type, owner_id=owner.pk).first()


def _record_failure(row, previous, reason):
    logger.warning("stored files %s failed: %s", row.pk, reason)


RENDER_JOB = LeasedJob(
    model=StoredFiles,
    task="documents.render_stored_files",
    settings_prefix="DOCUMENT_RENDER",
    state="render_status",
    queued=Render.QUEUED,
    running=Render.RENDERING,
    failed=Render.FAILED,
    gave_up=(
        "Việc tạo tệp văn bản bị gián đoạn {attempts} lần (quá số lần cho phép); "
        "vui lòng tải lại trang hoặc báo quản trị hệ thống."
    ),
    on_failed=_record_failure,
)
LIVE = (Render.QUEUED, Render.RENDERING)


def request_current(owner):
    """The owner's files row, with a render queued when they do not show its content of the moment."""
    kind = kind_of(owner)
    wanted = document_digest(kind.build(owner))
    owner_type = ContentType.objects.get_for_model(owner)
    with transaction.atomic():
        row, created = StoredFiles.objects.select_for_update().get_or_create(
            owner_type=owner_type, owner_id=owner.pk, defaults={"wanted_digest": wanted}
        )
        if created:
            RENDER_JOB.enqueue_on_commit(row.pk)
            return row
        if row.final:
            return row
        if row.wanted_digest == wanted and (row.is_current or row.render_status in LIVE):
            if row.is_current and kind.is_final(owner):
                # Accepted or issued with the content its files already show: those files are the record now.
                row.final = True
                row.save(update_fields=["final"])
            return row
        row.wanted_digest = wanted
        row.save(update_fields=["wanted_digest"])
        RENDER_JOB.restart(row.pk)
    row.refresh_from_db()
    return row


def response(owner, extension):
    """The stored file as a download, or None when it has not been rendered yet (never renders here)."""
    row = stored_files(owner)
    field = getattr(row, extension, None) if row is not None else None
    if not field:
        return None
    return FileResponse(
        field.open("rb"),
        as_attachment=True,
        filename=kind_of(owner).filename(owner, extension),
        content_type=CONTENT_TYPES[extension],
    )


def panel(owner):
    """What a document's page shows of its files (documents/_stored_files.html): whether they show the content
    of the moment, the job's progress, when they were made and each file's sha256. Reads only."""
    kind = kind_of(owner)
    row = stored_files(owner)
    live = row is not None and row.render_status in LIVE
    current = row is not None and (row.final or row.content_digest == document_digest(kind.build(owner)))
    final = row is not None and row.final
    return {
        "row": row,
        "slug": kind.slug,
        # A new rendering can be asked for when the files are missing, failed or behind the content, never once final.
        "can_request": not live and not final and not (current and row is not None and row.files()),
        "owner_id": owner.pk,
        "formats": kind.formats,
        "ready": row is not None and bool(row.files()),
        "current": current,
        "live": live,
        "failed": row is not None and row.render_status == Render.FAILED,
        "files": row.files() if row is not None else [],
    }


# --- the work --------------------------------------------------------------------------------------------


def save_files(instance, files):
    """Store each {field: (file name, bytes)} of `instance` under a new name (its field's storage and upload_to):
    ({field: stored name}, {field: sha256}). The row is not saved: the job's `finish` writes the names."""
    names, digests = {}, {}
    for field, (filename, content) in files.items():
        file_field = getattr(instance, field)
        names[field] = file_field.storage.save(
            file_field.field.generate_filename(instance, filename), ContentFile(content)
        )
        digests[field] = hashlib.sha256(content).hexdigest()
    return names, digests


def delete_files(storage, names):
    """Remove files no row points to any more (replaced, or a run whose lease was lost); a failure is logged."""
    for name in names:
        try:
            storage.delete(name)
        except OSError:
            logger.warning("could not delete %s", name, exc_info=True)


def render(*, stored_id, keep_alive=False):
    """The task's work: claim the row, build the owner's Document, render each format, store. Idempotent."""
    token = RENDER_JOB.claim(stored_id)
    if token is None:
        return None
    row = StoredFiles.objects.get(pk=stored_id)
    storage = row.pdf.storage
    try:
        owner = row.owner
        kind = kind_of(owner)
        final = kind.is_final(owner)
        document = kind.build(owner)
        digest = document_digest(document)
        files = {}
        with RENDER_JOB.keep_alive(stored_id, token, enabled=keep_alive) as lease:
            for extension in kind.formats:
                if files and not (lease.held and RENDER_JOB.heartbeat(stored_id, token)):
                    logger.warning("stored files %s: lease lost while rendering", stored_id)
                    return None
                files[extension] = RENDERERS[extension](document)
        names, digests = save_files(
            row, {extension: (f"van-ban.{extension}", content) for extension, content in files.items()}
        )
    except Exception as error:  # noqa: BLE001 — recorded on the row; the page offers the previous files.
        logger.exception("stored files %s failed to render", stored_id)
        RENDER_JOB.fail(stored_id, token, f"{type(error).__name__}: {error}")
        return None
    old = [getattr(row, extension).name for extension in files if getattr(row, extension).name]
    new = list(names.values())
    with transaction.atomic():
        # The files of a final document never change: a run that finds them final keeps the old ones.
        current = StoredFiles.objects.select_for_update().get(pk=stored_id)
        if current.final:
            transaction.on_commit(lambda: delete_files(storage, new))
            RENDER_JOB.finish(stored_id, token, state=Render.READY)
            return current
        finished = RENDER_JOB.finish(
            stored_id,
            token,
            state=Render.READY,
            rendered_at=timezone.now(),
            error="",
            # The run rendered the content of its moment; a later change is seen by the next request_current.
            content_digest=digest,
            wanted_digest=digest,
            final=final,
            **names,
            **{f"{extension}_sha256": digest for extension, digest in digests.items()},
        )
        if not finished:
            transaction.on_commit(lambda: delete_files(storage, new))
            return None
        transaction.on_commit(lambda: delete_files(storage, old))
    row.refresh_from_db()
    return row
