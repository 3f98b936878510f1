"""Celery tasks of the awards app: thin, take ids, idempotent; the work is in awards.services.

The render job is the shared leased job (workflow/jobs.py): its task options, time limits and lease come
from the AWARD_DOCUMENT_* settings.
"""

from celery import shared_task

from .services.documents import RENDER_JOB, render


@shared_task(name="awards.render_award_document", **RENDER_JOB.task_options())
def render_award_document(self, document_id):
    """Render one award document's files. The row's lease decides who renders; a duplicate run does nothing."""
    document = render(document_id=document_id, keep_alive=not self.request.is_eager)
    return None if document is None else document.render_status


@shared_task(name="awards.sweep_award_documents", **RENDER_JOB.sweep_task_options())
def sweep_award_documents():
    """Publish queued render jobs again and take over jobs whose worker died (expired lease)."""
    return RENDER_JOB.sweep()
