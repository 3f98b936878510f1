"""Celery tasks of the documents app: thin, take ids, idempotent; the work is in documents.stored.

The render job is the shared leased job (workflow/jobs.py); its options and lease come from the
DOCUMENT_RENDER_* settings.
"""

from celery import shared_task

from .stored import RENDER_JOB, render


@shared_task(name="documents.render_stored_files", **RENDER_JOB.task_options())
def render_stored_files(self, stored_id):
    """Render one document's PDF, DOCX and XLSX and store them. The row's lease decides who renders."""
    row = render(stored_id=stored_id, keep_alive=not self.request.is_eager)
    return None if row is None else row.render_status


@shared_task(name="documents.sweep_stored_files", **RENDER_JOB.sweep_task_options())
def sweep_stored_files():
    """Publish queued render jobs again and take over jobs whose worker died (expired lease)."""
    return RENDER_JOB.sweep()
