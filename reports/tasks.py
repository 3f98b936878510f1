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
