"""Deadline reminders: before the due date, on it, and while overdue — only to units that have not submitted.

Each message is recorded under a unique key (a Dispatch row) before it is sent, so a restarted
beat or a second worker never sends it twice.
"""

import logging
from dataclasses import dataclass, field

from django.conf import settings
from django.core.mail import send_mail
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from campaign.models import Campaign, ReportingPeriod
from units.models import Unit, User

from ..models import Dispatch, Notification, UnitReport
from .notifications import office_reviewers

logger = logging.getLogger(__name__)

DAYS_BEFORE = 3
OVERDUE_EVERY_DAYS = 7
NOT_SUBMITTED = (UnitReport.Status.DRAFT, UnitReport.Status.RETURNED)


@dataclass
class ReminderRun:
    sent: list = field(default_factory=list)
    skipped: list = field(default_factory=list)


def reminder_stage(period, today):
    """'before', 'due', 'overdue-<n>' or None for this period today."""
    days_left = (period.unit_due_date - today).days
    if 0 < days_left <= DAYS_BEFORE:
        return "before"  # one key for the whole window: sent on the first run in it, never again
    if days_left == 0:
        return "due"
    if days_left < 0 and (-days_left - 1) % OVERDUE_EVERY_DAYS == 0:
        return f"overdue-{-days_left}"
    return None


def units_not_submitted(period, on):
    submitted = UnitReport.objects.filter(period=period).exclude(status__in=NOT_SUBMITTED).values("unit_id")
    return Unit.objects.reporting(on).exclude(pk__in=submitted)


def _claim(key, recipients):
    try:
        with transaction.atomic():
            Dispatch.objects.create(key=key, recipients=recipients)
    except IntegrityError:
        return False
    return True


def _text(period, stage, today):
    due = period.unit_due_date.strftime("%d/%m/%Y")
    if stage == "before":
        days_left = (period.unit_due_date - today).days
        return f"Nhắc việc: báo cáo {period.label} của đơn vị cần nộp trước hạn {due} (còn {days_left} ngày)."
    if stage == "due":
        return f"Nhắc việc: hôm nay ({due}) là hạn nộp báo cáo {period.label}."
    days = stage.split("-", 1)[1]
    return f"Báo cáo {period.label} của đơn vị đã quá hạn {days} ngày (hạn {due}). Đề nghị nộp ngay."


def _deliver(users, message, url):
    users = [user for user in users if user.is_active]
    Notification.objects.bulk_create(Notification(recipient=user, message=message, url=url) for user in users)
    emails = [user.email for user in users if user.email]
    if emails:
        send_mail(
            subject=message[:120],
            message=f"{message}\n\nXem trên Cổng thi đua: {url}",
            from_email=settings.DEFAULT_FROM_EMAIL,
            recipient_list=emails,
            fail_silently=False,
        )


def send_deadline_reminders(*, today=None):
    today = today or timezone.localdate()
    run = ReminderRun()
    for campaign in Campaign.objects.all():
        periods = ReportingPeriod.objects.owed(campaign).filter(start__lte=today)
        for period in periods:
            stage = reminder_stage(period, today)
            if stage is None:
                continue
            missing = list(units_not_submitted(period, today))
            todo_url = reverse("reports:todo")
            for unit in missing:
                key = f"reminder:{period.code}:{unit.code}:{stage}"
                members = list(User.objects.filter(unit=unit, is_active=True).exclude(position=""))
                if not _claim(key, len(members)):
                    run.skipped.append(key)
                    continue
                _deliver(members, _text(period, stage, today), todo_url)
                run.sent.append(key)
            if missing:
                key = f"digest:{period.code}:{stage}"
                reviewers = list(office_reviewers())
                if _claim(key, len(reviewers)):
                    names = ", ".join(unit.name for unit in missing)
                    message = f"{period.label}: {len(missing)} đơn vị chưa nộp báo cáo ({names})."[:500]
                    _deliver(reviewers, message, reverse("reports:matrix") + f"?period={period.code}")
                    run.sent.append(key)
                else:
                    run.skipped.append(key)
    return run
