"""Celery tasks of the reports app: thin, take ids, idempotent; the work is in reports.services."""

from celery import shared_task

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


@shared_task(name="reports.compile_consolidated_report")
def compile_consolidated_report(report_id):
    """Compile one consolidated report. The row's lease decides who compiles; a duplicate run does nothing."""
    from .services.consolidation import consolidation_compile

    report = consolidation_compile(report_id=report_id)
    return None if report is None else report.status


@shared_task(name="reports.sweep_consolidated_reports")
def sweep_consolidated_reports():
    """Publish queued consolidation jobs again and take over jobs whose worker died (expired lease)."""
    from .services.consolidation import consolidation_sweep

    return consolidation_sweep()
