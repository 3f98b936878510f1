"""E-mail copies of in-portal notifications: each notification is e-mailed once, whoever runs the job and how often.

The notification row is the truth: `emailed_at` is set in the same transaction that holds the row
locked while its message goes out, so two workers (or a task and the sweep) never both send it.
Rows the broker never got a task for are found again by `notifications_to_email`.
"""

import datetime
import logging
import smtplib

from django.conf import settings
from django.core.mail import EmailMessage, get_connection
from django.db import transaction
from django.utils import timezone

from .models import Notification

logger = logging.getLogger(__name__)

# The sweep looks this far back; older unsent notifications stay in the portal only.
SWEEP_WINDOW = datetime.timedelta(days=2)
# ... and leaves the newest ones to the task enqueued when they were written.
SWEEP_GRACE = datetime.timedelta(minutes=2)
SWEEP_BATCH = 500


def _unsent():
    return Notification.objects.filter(emailed_at__isnull=True, recipient__is_active=True).exclude(recipient__email="")


def _message(notification, connection):
    return EmailMessage(
        subject=notification.message[:120],
        body=f"{notification.message}\n\nXem trên Cổng thi đua: {notification.url}",
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[notification.recipient.email],
        connection=connection,
    )


def email_notifications(notification_ids):
    """E-mail the given notifications that have not been e-mailed yet; return how many were sent.

    An address the mail server refuses is logged and skipped (the notification stays unread in
    the portal); any other failure stops the run, and the sweep tries the rest again later.
    """
    pending = list(_unsent().filter(pk__in=notification_ids).order_by("pk").values_list("pk", flat=True))
    if not pending:
        return 0
    sent = 0
    with get_connection() as connection:
        for notification_id in pending:
            with transaction.atomic():
                notification = (
                    _unsent()
                    .select_for_update(skip_locked=True, of=("self",))
                    .select_related("recipient")
                    .filter(pk=notification_id)
                    .first()
                )
                if notification is None:
                    continue  # sent meanwhile, or another worker holds it
                try:
                    _message(notification, connection).send()
                except smtplib.SMTPRecipientsRefused:
                    logger.warning(
                        "mail server refused %s for notification %s", notification.recipient.email, notification_id
                    )
                    continue
                notification.emailed_at = timezone.now()
                notification.save(update_fields=["emailed_at"])
                sent += 1
    return sent


def notifications_to_email(now=None):
    """Ids of recent notifications still waiting for their e-mail (the enqueue was lost, or the send failed)."""
    now = now or timezone.now()
    return list(
        _unsent()
        .filter(created_at__gte=now - SWEEP_WINDOW, created_at__lte=now - SWEEP_GRACE)
        .order_by("pk")
        .values_list("pk", flat=True)[:SWEEP_BATCH]
    )
