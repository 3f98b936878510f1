"""Who hears about a unit report's state change, and what they are told (notifications.services does the telling)."""

from notifications.services import notify
from units.models import User
from units.selectors import leaders, office_reviewers, unit_managers

from .. import permissions
from ..models import ReportTransition


def unit_recipients(report):
    """The unit's heads and deputies, and the staff who drafted the report."""
    drafters = (
        set(report.results.exclude(updated_by=None).values_list("updated_by", flat=True))
        | set(report.sections.exclude(updated_by=None).values_list("updated_by", flat=True))
        | {report.created_by_id}
    )
    drafted = User.objects.filter(is_active=True, pk__in=drafters, unit_id=report.unit_id)
    return (unit_managers(report.unit_id) | drafted).distinct()


def _message(transition):
    report = transition.report
    label = f"{report.unit_name} — {report.period.label}"
    if transition.action == ReportTransition.Action.SUBMIT:
        late = " (nộp muộn)" if report.is_late else ""
        return f"{label}: đơn vị đã nộp báo cáo{late}."
    if transition.action == ReportTransition.Action.RETURN:
        return f"{label}: Văn phòng trả lại báo cáo để bổ sung. Lý do: {transition.comment}"
    if transition.action == ReportTransition.Action.ACCEPT:
        return f"{label}: báo cáo đã được tiếp nhận."
    return ""


def notify_transition(transition):
    """Tell the people a transition hands the report to: the office on a submission, the unit on the answer."""
    report = transition.report
    if transition.action == ReportTransition.Action.SUBMIT:
        recipients = list(office_reviewers(exclude_unit_id=report.unit_id))
        if permissions.unit_has_reviewer(report.unit):
            recipients += list(leaders())  # the office's own report goes to leadership too (permissions.can_review)
    elif transition.action in (ReportTransition.Action.RETURN, ReportTransition.Action.ACCEPT):
        recipients = unit_recipients(report)
    else:
        return []
    return notify(recipients, _message(transition), report.get_absolute_url(), actor=transition.actor)
