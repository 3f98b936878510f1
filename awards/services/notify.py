"""Who hears about a nomination's or a document's state change: in-portal now, e-mail by Celery after commit.

The rows are reports' Notification rows, so one list of notifications and one e-mail sweep serve
the whole portal.
"""

from django.db import transaction

from reports.models import Notification
from reports.services.notifications import _enqueue_emails, office_reviewers
from units.capabilities import Capability
from units.models import User


def unit_managers(unit_id):
    """Heads and deputies of the unit, who submit its nominations."""
    return User.objects.filter(is_active=True, unit_id=unit_id, position__in=[User.Position.HEAD, User.Position.DEPUTY])


def leaders():
    return User.objects.filter(is_active=True, groups__name=Capability.LEADERSHIP).distinct()


def notify(recipients, message, url="", *, actor=None):
    """Write one notification per recipient (never to the actor) and e-mail them after commit."""
    seen = set()
    rows = []
    for user in recipients:
        if user.pk in seen or (actor is not None and user.pk == actor.pk):
            continue
        seen.add(user.pk)
        rows.append(Notification(recipient=user, message=message[:500], url=url))
    notifications = Notification.objects.bulk_create(rows)
    ids = [notification.pk for notification in notifications]
    if ids:
        transaction.on_commit(lambda: _enqueue_emails(ids))
    return notifications


__all__ = ["leaders", "notify", "office_reviewers", "unit_managers"]
