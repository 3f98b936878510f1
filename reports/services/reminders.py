"""Deadline reminders: before the due date, on it, and while overdue — only to units that have not submitted.

Each reminder is recorded under a unique key (notifications.services.notify_once), together with its
in-portal notifications, before anything is sent, so a restarted beat or a second worker never sends
it twice. The e-mails are the notifications' e-mail copies, sent once each.
"""

import logging
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone

from campaign.models import Campaign, ReportingPeriod
from notifications.emails import email_notifications
from notifications.services import notify_once
from units.models import Unit, User
from units.selectors import office_reviewers

from ..models import UnitReport

logger = logging.getLogger(__name__)

DAYS_BEFORE = 3
OVERDUE_EVERY_DAYS = 7
NOT_SUBMITTED = (UnitReport.Status.DRAFT, UnitReport.Status.RETURNED)
MESSAGE_LENGTH = 500


@dataclass
class ReminderRun:
    sent: list = field(default_factory=list)
    skipped: list = field(default_factory=list)
    notification_ids: list = field(default_factory=list)


def reminder_stage(period, today):
    """The stage of the period's reminder today (deadline_stage of its units' due date)."""
    return deadline_stage(period.unit_due_date, today)


def deadline_stage(due_on, today):
    """'before', 'due', 'overdue-<days>' or None: which reminder of a deadline is due today.

    Before: once in the last DAYS_BEFORE days (one key for the whole window, so the first run in it
    sends and later ones do not). Overdue: the day after the due date, then every OVERDUE_EVERY_DAYS.
    Reports' deadlines and the emulation year's registration window share it.
    """
    days_left = (due_on - today).days
    if 0 < days_left <= DAYS_BEFORE:
        return "before"
    if days_left == 0:
        return "due"
    if days_left < 0 and (-days_left - 1) % OVERDUE_EVERY_DAYS == 0:
        return f"overdue-{-days_left}"
    return None


def units_not_submitted(period, on):
    """Reporting units with no report for the period, or one still in draft or returned."""
    submitted = UnitReport.objects.filter(period=period).exclude(status__in=NOT_SUBMITTED).values("unit_id")
    return Unit.objects.reporting(on).exclude(pk__in=submitted).order_by("sort_order", "name")


def _unit_text(period, stage, today):
    due = period.unit_due_date.strftime("%d/%m/%Y")
    if stage == "before":
        days_left = (period.unit_due_date - today).days
        return f"Nhắc việc: báo cáo {period.label} của đơn vị cần nộp trước hạn {due} (còn {days_left} ngày)."
    if stage == "due":
        return f"Nhắc việc: hôm nay ({due}) là hạn nộp báo cáo {period.label} của đơn vị."
    days = stage.split("-", 1)[1]
    return f"Báo cáo {period.label} của đơn vị đã quá hạn {days} ngày (hạn {due}). Đề nghị nộp ngay."


def _digest_text(period, missing):
    head = f"{period.label}: {len(missing)} đơn vị chưa nộp báo cáo (hạn {period.unit_due_date:%d/%m/%Y}): "
    names = ", ".join(unit.name for unit in missing) + "."
    if len(head) + len(names) > MESSAGE_LENGTH:
        names = names[: MESSAGE_LENGTH - len(head) - 1] + "…"
    return head + names


def _record(run, key, users, message, url):
    """Write the dispatch key and the notifications in one transaction; False if the key was taken."""
    notifications = notify_once(key, users, message, url)
    if notifications is None:
        run.skipped.append(key)
        return False
    run.sent.append(key)
    run.notification_ids.extend(notification.pk for notification in notifications)
    return True


def _remind_period(run, period, today):
    stage = reminder_stage(period, today)
    if stage is None:
        return
    missing = list(units_not_submitted(period, today))
    if not missing:
        return
    members = {}
    for user in User.objects.filter(unit__in=missing, is_active=True).exclude(position="").order_by("pk"):
        members.setdefault(user.unit_id, []).append(user)
    todo_url = reverse("reports:todo")
    for unit in missing:
        key = f"reminder:{period.code}:{unit.code}:{stage}"
        _record(run, key, members.get(unit.pk, []), _unit_text(period, stage, today), todo_url)
    matrix_url = reverse("reports:matrix") + f"?period={period.code}"
    _record(run, f"digest:{period.code}:{stage}", office_reviewers(), _digest_text(period, missing), matrix_url)


def send_deadline_reminders(*, today=None):
    """Remind every unit that owes a report today, and send the office one digest per period.

    History periods (ended before the campaign's portal start) are never reminded. Running it
    twice on a day sends nothing the second time.
    """
    today = today or timezone.localdate()
    run = ReminderRun()
    for campaign in Campaign.objects.all():
        for period in ReportingPeriod.objects.owed(campaign).filter(start__lte=today).order_by("unit_due_date"):
            _remind_period(run, period, today)
    if run.notification_ids:
        email_notifications(run.notification_ids)
    logger.info("deadline reminders on %s: %d sent, %d already sent", today, len(run.sent), len(run.skipped))
    return run
