"""Who may see and do what with rounds, nominations, the council and award documents.

Every awards view goes through this module. Units see their own nominations; the office and
leadership see every nomination once it has been submitted; a council member (who is neither)
reads only the dossiers on the agenda of meetings they belong to, and nothing else. What a person
may not see answers 404, like what does not exist.
"""

from django.db.models import Q
from django.http import Http404

from .models import AgendaItem, AwardDocument, AwardRound, CouncilMeeting, CouncilRole, MeetingMember, Nomination


def _active(user):
    return user.is_authenticated and user.is_active


def is_office(user):
    return _active(user) and user.is_office_reviewer


def is_leader(user):
    return _active(user) and user.is_leadership


def sits_on_council(user):
    """A member of the council (Hội đồng Thi đua - Khen thưởng)."""
    return _active(user) and user.is_council_member


def can_see_nominations(user):
    """The nominations list: the units (their own), the office and leadership (every sent one)."""
    return _active(user) and (user.is_unit_member or user.is_office_reviewer or user.is_leadership)


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


def visible_nominations(user):
    """Nominations the user may read (see visible_nominations_filter)."""
    return Nomination.objects.filter(visible_nominations_filter(user))


def get_visible_nomination(user, pk, *, for_update=False):
    queryset = visible_nominations(user).select_related("round", "form", "unit", "person", "nominee_unit")
    if for_update:
        queryset = queryset.select_for_update(of=("self",))
    try:
        return queryset.get(pk=pk)
    except Nomination.DoesNotExist:
        raise Http404("Không tìm thấy đề nghị khen thưởng.") from None


def nominates(user):
    """A member of a reporting unit, who nominates for it (the office is one)."""
    return _active(user) and user.is_unit_member


def can_draft_nomination(user, unit):
    """Staff, deputies and heads of a unit draft its nominations."""
    return nominates(user) and user.unit_id == unit.pk


def acts_for_unit(user, unit):
    """The head or a deputy of the unit, who send and take back its nominations."""
    return can_draft_nomination(user, unit) and user.is_unit_manager


def can_edit_nomination(user, nomination):
    return can_draft_nomination(user, nomination.unit) and nomination.is_editable_state


def can_submit_nomination(user, nomination):
    """Only the head or a deputy sends the unit's nominations."""
    return can_edit_nomination(user, nomination) and acts_for_unit(user, nomination.unit)


def can_withdraw_nomination(user, nomination):
    return acts_for_unit(user, nomination.unit) and Nomination.WORKFLOW.allows(nomination, "withdraw")


def can_manage_rounds(user):
    """The office opens rounds, checks dossiers, convenes meetings and issues documents."""
    return is_office(user)


def can_see_all_rounds(user):
    """The office manages rounds and leadership reads them; both see drafts too."""
    return is_office(user) or is_leader(user)


def visible_rounds_filter(user):
    """Units see the rounds once opened (to nominate and to follow them); drafts stay with the office."""
    if not _active(user):
        return Q(pk__in=[])
    if can_see_all_rounds(user):
        return Q()
    if user.is_unit_member:
        return ~Q(status=AwardRound.Status.DRAFT)
    return Q(pk__in=[])


def get_visible_round(user, pk):
    try:
        return AwardRound.objects.filter(visible_rounds_filter(user)).select_related("campaign", "phase").get(pk=pk)
    except AwardRound.DoesNotExist:
        raise Http404("Không tìm thấy đợt xét khen thưởng.") from None


def can_check_nomination(user, nomination):
    """The office checks a dossier for completeness; never one of its own unit's."""
    return is_office(user) and user.unit_id != nomination.unit_id


def can_decide(user):
    """Leadership approves or rejects the council's recommendations and approves documents."""
    return is_leader(user)


def visible_meetings_filter(user):
    if not _active(user):
        return Q(pk__in=[])
    if user.is_office_reviewer or user.is_leadership:
        return Q()
    if user.is_council_member:
        return Q(pk__in=MeetingMember.objects.filter(user=user).values("meeting_id"))
    return Q(pk__in=[])


def can_see_council(user):
    """The council's pages: the office and leadership (every meeting) and council members (their own)."""
    return _active(user) and (user.is_office_reviewer or user.is_leadership or user.is_council_member)


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
    return seat is not None and seat.role == CouncilRole.SECRETARY


def can_cast_ballot(user, item):
    """An attending member votes electronically, never on a nomination of themself."""
    seat = meeting_seat(user, item.meeting)
    if seat is None or not seat.attended:
        return False
    person = item.nomination.person
    return not (person is not None and person.user_id == user.pk)


# The award register (sổ theo dõi khen thưởng) and the public's comments.


def visible_records_filter(user):
    """The office and leadership read the whole register; a unit member reads their own unit's records."""
    if not _active(user):
        return Q(pk__in=[])
    if user.is_office_reviewer or user.is_leadership:
        return Q()
    if user.is_unit_member:
        return Q(unit_id=user.unit_id)
    return Q(pk__in=[])


def can_see_register(user):
    return _active(user) and (user.is_office_reviewer or user.is_leadership or user.is_unit_member)


def can_import_register(user):
    """The office imports past decisions into the register."""
    return is_office(user)


def can_handle_public_comments(user):
    """The office reads the public's comments and marks them handled."""
    return is_office(user)


def can_see_documents(user):
    """The office and leadership see every award document; units see their outcome on their nominations."""
    return is_office(user) or is_leader(user)


def visible_documents_filter(user):
    """Every document for the office and leadership; a council member reads the minutes of meetings they sat on."""
    if not _active(user):
        return Q(pk__in=[])
    if user.is_office_reviewer or user.is_leadership:
        return Q()
    if user.is_council_member:
        return Q(kind="minutes", minutes_of__members__user=user)
    return Q(pk__in=[])


def get_visible_document(user, pk):
    try:
        return (
            AwardDocument.objects.filter(visible_documents_filter(user))
            .select_related("round", "register_entry")
            .get(pk=pk)
        )
    except AwardDocument.DoesNotExist:
        raise Http404("Không tìm thấy văn bản.") from None


# The person's and the unit's record (hồ sơ thành tích): the office and leadership read every record, the head or
# a deputy of a unit reads its people's (the person's current unit) and its own; the office alone writes them.


def _manages(user, unit_id):
    return _active(user) and user.is_unit_manager and user.unit_id == unit_id


def can_see_record(user, person):
    """A person's record: the office, leadership, the head or a deputy of the person's unit, and a council member
    while the person's nomination is on the agenda of a meeting they sit on (the council reads the dossier)."""
    if is_office(user) or is_leader(user) or _manages(user, person.unit_id):
        return True
    return sits_on_council(user) and _on_my_agenda(user, person=person)


def can_see_unit_record(user, unit):
    """A unit's record: the office, leadership, the unit's own head or deputy, and a council member while the unit's
    collective nomination is on the agenda of a meeting they sit on."""
    if is_office(user) or is_leader(user) or _manages(user, unit.pk):
        return True
    return sits_on_council(user) and _on_my_agenda(user, nominee_unit=unit)


def _on_my_agenda(user, **nominee):
    return AgendaItem.objects.filter(
        meeting__members__user=user, **{f"nomination__{key}": value for key, value in nominee.items()}
    ).exists()


def can_edit_records(user):
    """The office enters and imports past records and maps the register's free-text rows to the catalogue."""
    return is_office(user)
