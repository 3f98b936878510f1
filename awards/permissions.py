"""Who may see and do what with rounds, nominations, the council and award documents.

Every awards view goes through this module. Units see their own nominations; the office and
leadership see every nomination once it has been submitted; a council member (who is neither)
reads only the dossiers on the agenda of meetings they belong to, and nothing else. What a person
may not see answers 404, like what does not exist.
"""

from django.db.models import Q
from django.http import Http404

from .models import AgendaItem, CouncilMeeting, MeetingMember, Nomination


def _active(user):
    return user.is_authenticated and user.is_active


def is_office(user):
    return _active(user) and user.is_office_reviewer


def is_leadership(user):
    return _active(user) and user.is_leadership


def visible_nominations_filter(user):
    if not _active(user):
        return Q(pk__in=[])
    condition = Q(pk__in=[])
    if user.is_unit_member:
        condition |= Q(unit_id=user.unit_id)
    if user.is_office_reviewer or user.is_leadership:
        condition |= Q(submitted_at__isnull=False)
    if user.is_council_member:
        on_my_agenda = AgendaItem.objects.filter(meeting__members__user=user).values("nomination_id")
        condition |= Q(pk__in=on_my_agenda)
    return condition


def get_visible_nomination(user, pk, *, for_update=False):
    queryset = Nomination.objects.visible_to(user).select_related("round", "form", "unit", "person", "nominee_unit")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=pk)
    except Nomination.DoesNotExist:
        raise Http404("Không tìm thấy đề nghị khen thưởng.") from None


def can_draft_nomination(user, unit):
    """Staff, deputies and heads of a unit draft its nominations."""
    return _active(user) and user.is_unit_member and user.unit_id == unit.pk


def can_edit_nomination(user, nomination):
    return can_draft_nomination(user, nomination.unit) and nomination.is_editable_state


def can_submit_nomination(user, nomination):
    """Only the head or a deputy sends the unit's nominations."""
    return can_edit_nomination(user, nomination) and user.is_unit_manager


def can_withdraw_nomination(user, nomination):
    return (
        can_draft_nomination(user, nomination.unit)
        and user.is_unit_manager
        and nomination.can_move_to(Nomination.Status.WITHDRAWN)
    )


def can_manage_rounds(user):
    """The office opens rounds, checks dossiers, convenes meetings and issues documents."""
    return is_office(user)


def can_check_nomination(user, nomination):
    """The office checks a dossier for completeness; never one of its own unit's."""
    return is_office(user) and user.unit_id != nomination.unit_id


def can_decide(user):
    """Leadership approves or rejects the council's recommendations and approves documents."""
    return is_leadership(user)


def visible_meetings_filter(user):
    if not _active(user):
        return Q(pk__in=[])
    if user.is_office_reviewer or user.is_leadership:
        return Q()
    if user.is_council_member:
        return Q(pk__in=MeetingMember.objects.filter(user=user).values("meeting_id"))
    return Q(pk__in=[])


def get_visible_meeting(user, pk):
    try:
        return CouncilMeeting.objects.filter(visible_meetings_filter(user)).select_related("round").get(pk=pk)
    except CouncilMeeting.DoesNotExist:
        raise Http404("Không tìm thấy cuộc họp.") from None


def meeting_seat(user, meeting):
    """The user's seat at the meeting (role as it stood then), or None."""
    if not _active(user):
        return None
    return MeetingMember.objects.filter(meeting=meeting, user=user).first()


def can_enter_tally(user, meeting):
    """The meeting's secretary, or the office, enters the paper ballot's tally."""
    if is_office(user):
        return True
    seat = meeting_seat(user, meeting)
    return seat is not None and seat.role == "secretary"


def can_cast_ballot(user, item):
    """An attending member votes electronically, never on a nomination of themself."""
    seat = meeting_seat(user, item.meeting)
    if seat is None or not seat.attended:
        return False
    person = item.nomination.person
    return not (person is not None and person.user_id == user.pk)
