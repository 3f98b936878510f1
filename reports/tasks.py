"""Celery tasks of the reports app: thin, take ids, idempotent."""

from celery import shared_task
from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from .models import Notification
from .services import reminders


@shared_task(name="reports.send_notification_emails")
def send_notification_emails(notification_ids):
    """E-mail each notification once; a notification already e-mailed is skipped."""
    sent = 0
    for notification_id in notification_ids:
        with transaction.atomic():
            notification = (
                Notification.objects.select_for_update(skip_locked=True)
                .select_related("recipient")
                .filter(pk=notification_id, emailed_at__isnull=True)
                .first()
            )
            if notification is None or not notification.recipient.email:
                continue
            send_mail(
                subject=notification.message[:120],
                message=f"{notification.message}\n\nXem trên Cổng thi đua: {notification.url}",
                from_email=settings.DEFAULT_FROM_EMAIL,
                recipient_list=[notification.recipient.email],
            )
            notification.emailed_at = timezone.now()
            notification.save(update_fields=["emailed_at"])
            sent += 1
    return sent


@shared_task(name="reports.send_deadline_reminders")
def send_deadline_reminders():
    run = reminders.send_deadline_reminders()
    return {"sent": run.sent, "skipped": run.skipped}
