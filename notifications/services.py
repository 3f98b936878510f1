"""The one way to tell people something: `notify` writes the in-portal notifications and e-mails them after commit.

`notify_once` does the same under a unique key recorded first (a Dispatch row), for what a scheduled job
sends — a restarted beat or a second worker never sends it twice.
"""

import logging

from django.db import IntegrityError, transaction
from django.utils import timezone

from workflow.jobs import publish_on_commit

from .models import Dispatch, Notification

logger = logging.getLogger(__name__)

MESSAGE_LENGTH = 500
SEND_EMAILS_TASK = "notifications.send_emails"


def notify(recipients, message, url="", *, actor=None):
    """One notification per active recipient (never to the actor, never twice); e-mailed once the
    transaction commits. Returns the notifications written."""
    seen = set()
    rows = []
    for user in recipients:
        if user.pk in seen or not user.is_active or (actor is not None and user.pk == actor.pk):
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, message=message[:MESSAGE_LENGTH], url=url))
    notifications = Notification.objects.bulk_create(rows)
    ids = [notification.pk for notification in notifications]
    if ids:
        publish_on_commit(SEND_EMAILS_TASK, ids)  # an outbox row: no request waits on the broker
    return notifications


def notify_once(key, recipients, message, url=""):
    """`notify` under a key that can be used once; None (and nothing written) if the key was used already."""
    recipients = [user for user in recipients if user.is_active]
    try:
        with transaction.atomic():
            Dispatch.objects.create(key=key, recipients=len(recipients))
            return notify(recipients, message, url)
    except IntegrityError:
        return None


def unread_count(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def recent_for(user, limit=100):
    return list(Notification.objects.filter(recipient=user)[:limit])


def mark_all_read(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).update(read_at=timezone.now())
