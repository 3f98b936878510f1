"""Celery tasks of the notifications: thin, take ids, idempotent; the work is in notifications.emails."""

from celery import shared_task

from . import emails


@shared_task(name="notifications.send_emails")
def send_emails(notification_ids):
    """E-mail each notification once; a notification already e-mailed is skipped."""
    return emails.email_notifications(notification_ids)


@shared_task(name="notifications.sweep_emails")
def sweep_emails():
    """E-mail recent notifications whose task was lost (the broker was down when they were written)."""
    return emails.email_notifications(emails.notifications_to_email())
