"""Celery tasks of the reports app: thin, take ids, idempotent; the work is in reports.services."""

from celery import shared_task
from django.conf import settings

from .services import emails, reminders


@shared_task(name="reports.send_notification_emails")
def send_notification_emails(notification_ids):
    """E-mail each notification once; a notification already e-mailed is skipped."""
    return emails.email_notifications(notification_ids)


@shared_task(name="reports.sweep_notification_emails")
def sweep_notification_emails():
    """E-mail recent notifications whose task was lost (the broker was down when they were written)."""
    return emails.email_notifications(emails.notifications_to_email())


@shared_task(name="reports.send_deadline_reminders")
def send_deadline_reminders():
    run = reminders.send_deadline_reminders()
    return {"sent": run.sent, "skipped": run.skipped}


# The consolidation job (DESIGN.md sections 3 and 8). The row's lease decides who compiles, so a message
# delivered twice costs one cheap claim. Late acknowledgement: a worker lost mid-compile leaves the
# message to be sent again (retry_on_worker_lost, at most CONSOLIDATION_MAX_ATTEMPTS times, never an
# endless loop); the sweeper covers what the broker loses. Time limits are settings (portal/settings.py, from
# the environment) so that tests and slow machines can change them; the soft limit fails the row with its
# reason, the hard one leaves it to its expiring lease. No result is stored: the row is the result.
CONSOLIDATION_TASK_OPTIONS = {
    "acks_late": True,
    "reject_on_worker_lost": True,
    "retry_on_worker_lost": True,
    "max_retries": settings.CONSOLIDATION_MAX_ATTEMPTS,
    "time_limit": settings.CONSOLIDATION_TIME_LIMIT_SECONDS,
    "soft_time_limit": settings.CONSOLIDATION_SOFT_TIME_LIMIT_SECONDS,
    "ignore_result": True,
}
# The sweep is cheap and periodic: a lost one is replaced by the next, and sweeps piled up while every
# worker was down expire instead of running one after another.
SWEEP_TASK_OPTIONS = {
    "acks_late": False,
    "expires": settings.CONSOLIDATION_SWEEP_EXPIRES_SECONDS,
    "time_limit": settings.CONSOLIDATION_SWEEP_TIME_LIMIT_SECONDS,
    "soft_time_limit": settings.CONSOLIDATION_SWEEP_SOFT_TIME_LIMIT_SECONDS,
    "ignore_result": True,
}


@shared_task(name="reports.compile_consolidated_report", **CONSOLIDATION_TASK_OPTIONS)
def compile_consolidated_report(report_id):
    """Compile one consolidated report. The row's lease decides who compiles; a duplicate run does nothing."""
    from .services.consolidation import consolidation_compile

    report = consolidation_compile(report_id=report_id)
    return None if report is None else report.status


@shared_task(name="reports.sweep_consolidated_reports", **SWEEP_TASK_OPTIONS)
def sweep_consolidated_reports():
    """Publish queued consolidation jobs again and take over jobs whose worker died (expired lease)."""
    from .services.consolidation import consolidation_sweep

    return consolidation_sweep()
