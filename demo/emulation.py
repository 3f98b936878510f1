"""The emulation years of the demo (2025–2027), each area's demo built on the one before: the units' registrations,
the Department's registration, the year-end assessments, then the scores and the ranking.

Loaded by `manage.py load_demo` after `demo.data.load_demo` (it needs the demo's units, people and reports).
"""

from django.db import transaction
from django.utils import timezone

from notifications.models import Notification

from . import emulation_assessment, emulation_department, emulation_registration, emulation_scoring


def load_emulation():
    """Add the demo's emulation years that are missing; return their numbers."""
    first_notification = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    with transaction.atomic():
        years = emulation_registration.load()
        emulation_department.load(years)
        emulation_assessment.load(years)
        emulation_scoring.load(years)
        # The demo's addresses have no mailboxes: the notifications of every area (the scores confirmed, the
        # assessments reviewed...) stay in the portal, never e-mailed.
        Notification.objects.filter(pk__gt=first_notification, emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )
    return sorted(years)
