"""Who may see and do what with unit reports. Every reports view goes through this module.

Unit staff and heads see their own unit's reports; office reviewers and leadership see every
report once it has been submitted; leadership reads and never edits. Objects a user may not
see answer 404, the same as objects that do not exist; an action on a report the user sees but
may not take (a reviewer editing it, staff submitting it, the unit reviewing itself) answers 403.
"""

from django.db.models import Q
from django.http import Http404

from units.capabilities import Capability

from .models import ConsolidatedReport, UnitReport

SUBMITTED_ONCE = (UnitReport.Status.SUBMITTED, UnitReport.Status.RETURNED, UnitReport.Status.ACCEPTED)


def visible_reports_filter(user):
    if not user.is_authenticated or not user.is_active:
        return Q(pk__in=[])
    condition = Q(pk__in=[])
    if user.is_unit_member:
        condition |= Q(unit_id=user.unit_id)
    if user.is_office_reviewer or user.is_leadership:
        condition |= Q(status__in=SUBMITTED_ONCE)
    return condition


def visible_reports(user):
    """Reports the user may read: their own unit's, and every submitted one for reviewers and leadership."""
    return UnitReport.objects.filter(visible_reports_filter(user))


def get_visible_report(user, pk, *, for_update=False):
    queryset = visible_reports(user).select_related("unit", "period", "period__campaign")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=pk)
    except UnitReport.DoesNotExist:
        raise Http404("Không tìm thấy báo cáo.") from None


def is_member_of(user, unit):
    return user.is_authenticated and user.is_active and user.is_unit_member and user.unit_id == unit.pk


def can_draft_for_own_unit(user):
    """A member of a reporting unit starts and drafts its reports."""
    return user.is_authenticated and user.is_active and user.is_unit_member


def can_draft_for(user, unit):
    """Staff, deputies and heads of the unit draft its reports."""
    return is_member_of(user, unit)


def acts_for_unit(user, unit):
    """The head or a deputy of the unit, who submit and take back its reports."""
    return can_draft_for(user, unit) and user.is_unit_manager


def can_edit(user, report):
    return can_draft_for(user, report.unit) and report.is_editable_state


def can_submit(user, report):
    return can_edit(user, report) and user.is_unit_manager


def can_withdraw(user, report):
    return (
        is_member_of(user, report.unit)
        and user.is_unit_manager
        and report.status == UnitReport.Status.SUBMITTED
        and report.review_opened_at is None
    )


def unit_has_reviewer(unit):
    return unit.members.filter(is_active=True, groups__name=Capability.OFFICE_REVIEWER).exists()


def can_review(user, report):
    """Office reviewers of other units review; the office's own report goes to leadership.

    Nobody reviews their own unit's report.
    """
    if not user.is_authenticated or not user.is_active or user.unit_id == report.unit_id:
        return False
    if user.is_office_reviewer:
        return True
    return user.is_leadership and unit_has_reviewer(report.unit)


def can_see_matrix(user):
    return user.is_authenticated and (user.is_office_reviewer or user.is_leadership)


def is_office(user):
    """A reviewer of Phòng Hành chính - Tổng hợp."""
    return user.is_authenticated and user.is_active and user.is_office_reviewer


def can_import_history(user):
    """Bring a past period's unit reports in from a spreadsheet (reports/services/history.py): the office."""
    return is_office(user)


def can_see_todo(user):
    """The unit's to-do list: whoever belongs to a reporting unit."""
    return user.is_authenticated and user.is_active and user.is_unit_member


# --- The consolidated report: the office compiles, edits and issues; leadership approves and reads. ---------
# Unit staff and heads never see it: every consolidated page answers them 404.


def can_see_consolidated(user):
    return user.is_authenticated and user.is_active and (user.is_office_reviewer or user.is_leadership)


def can_compile(user):
    """Compile, edit, send for approval, issue and mark sent: the office's work."""
    return is_office(user)


def can_approve(user):
    """Approve or return the consolidated report: the Director or a Deputy Director."""
    return user.is_authenticated and user.is_leadership


def get_visible_consolidated(user, pk):
    """A consolidated report for the office and leadership; 404 for everyone else, as for one that does not exist."""
    if not can_see_consolidated(user):
        raise Http404("Không tìm thấy báo cáo tổng hợp.")
    queryset = ConsolidatedReport.objects.select_related("period__campaign", "register_entry", "approved_by")
    try:
        return queryset.get(pk=pk)
    except ConsolidatedReport.DoesNotExist:
        raise Http404("Không tìm thấy báo cáo tổng hợp.") from None


def get_compiled_consolidated(user, pk):
    """A consolidated report the person may see, once it has content to print (its documents, its files)."""
    report = get_visible_consolidated(user, pk)
    if not report.has_content:
        raise Http404("Báo cáo tổng hợp chưa có nội dung.")
    return report
