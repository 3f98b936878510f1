"""Who hears about a report's state change: in-portal notifications now, e-mail through Celery after commit."""

from django.db import transaction

from units.capabilities import Capability
from units.models import User

from ..models import Notification, ReportTransition, UnitReport


def office_reviewers(exclude_unit_id=None):
    reviewers = User.objects.filter(is_active=True, groups__name=Capability.OFFICE_REVIEWER)
    if exclude_unit_id is not None:
        reviewers = reviewers.exclude(unit_id=exclude_unit_id)
    return reviewers.distinct()


def unit_recipients(report):
    """The unit's heads and deputies, and the staff who drafted the report."""
    managers = User.objects.filter(
        is_active=True, unit_id=report.unit_id, position__in=[User.Position.HEAD, User.Position.DEPUTY]
    )
    drafters = (
        set(report.results.exclude(updated_by=None).values_list("updated_by", flat=True))
        | set(report.sections.exclude(updated_by=None).values_list("updated_by", flat=True))
        | {report.created_by_id}
    )
    drafted = User.objects.filter(is_active=True, pk__in=drafters, unit_id=report.unit_id)
    return (managers | drafted).distinct()


def _message(transition):
    report = transition.report
    label = f"{report.unit_name} — {report.period.label}"
    if transition.action == ReportTransition.Action.SUBMIT:
        late = " (nộp muộn)" if report.is_late else ""
        return f"{label}: đơn vị đã nộp báo cáo{late}."
    if transition.action == ReportTransition.Action.RETURN:
        return f"{label}: Văn phòng trả lại báo cáo để bổ sung. Lý do: {transition.comment}"[:500]
    if transition.action == ReportTransition.Action.ACCEPT:
        return f"{label}: báo cáo đã được tiếp nhận."
    return ""


def notify_transition(transition):
    """Write the notifications of a transition and send their e-mails once the transaction commits."""
    report = transition.report
    if transition.action == ReportTransition.Action.SUBMIT:
        recipients = list(office_reviewers(exclude_unit_id=report.unit_id))
    elif transition.action in (ReportTransition.Action.RETURN, ReportTransition.Action.ACCEPT):
        recipients = list(unit_recipients(report))
    else:
        return []
    message = _message(transition)
    url = report.get_absolute_url()
    notifications = Notification.objects.bulk_create(
        Notification(recipient=user, message=message, url=url) for user in recipients if user.pk != transition.actor_id
    )
    ids = [notification.pk for notification in notifications]
    if ids:
        transaction.on_commit(lambda: _enqueue_emails(ids))
    return notifications


def _enqueue_emails(ids):
    from ..tasks import send_notification_emails

    try:
        send_notification_emails.delay(ids)
    except Exception:  # noqa: BLE001 — the broker is down: the notifications stay unread in the portal.
        import logging

        logging.getLogger(__name__).exception("could not enqueue notification e-mails %s", ids)


def unread_count(user):
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


__all__ = ["UnitReport", "notify_transition", "office_reviewers", "unit_recipients", "unread_count"]
