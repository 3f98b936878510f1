"""Celery tasks of the awards app: thin, take ids, idempotent; the work is in awards.services.

The render job follows the consolidation job's rules (reports/tasks.py, DESIGN.md sections 3 and 8):
the row's lease decides who renders, so a message delivered twice costs one cheap claim; late
acknowledgement with a bounded number of redeliveries after a lost worker; time limits from settings;
the sweeper covers what the broker loses. No result is stored: the row is the result.
"""

from celery import shared_task
from django.conf import settings

RENDER_TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "retry_on_worker_lost": True,
    "max_retries": getattr(settings, "AWARD_DOCUMENT_MAX_ATTEMPTS", 3),
    "time_limit": getattr(settings, "AWARD_DOCUMENT_TIME_LIMIT_SECONDS", settings.CELERY_TASK_TIME_LIMIT),
    "soft_time_limit": getattr(
        settings, "AWARD_DOCUMENT_SOFT_TIME_LIMIT_SECONDS", settings.CELERY_TASK_SOFT_TIME_LIMIT
    ),
    "ignore_result": True,
}
# A lost sweep is replaced by the next; sweeps piled up while every worker was down expire.
SWEEP_TASK_OPTIONS = {
    "acks_late": False,
    "expires": getattr(settings, "AWARD_DOCUMENT_SWEEP_EXPIRES_SECONDS", 60),
    "time_limit": 120,
    "soft_time_limit": 100,
    "ignore_result": True,
}


@shared_task(name="awards.render_award_document", **RENDER_TASK_OPTIONS)
def render_award_document(document_id):
    """Render one award document's files. The row's lease decides who renders; a duplicate run does nothing."""
    from .services.documents import render

    document = render(document_id=document_id)
    return None if document is None else document.render_status


@shared_task(name="awards.sweep_award_documents", **SWEEP_TASK_OPTIONS)
def sweep_award_documents():
    """Publish queued render jobs again and take over jobs whose worker died (expired lease)."""
    from .services.documents import sweep

    return sweep()
