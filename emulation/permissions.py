"""Who may see and do what in the emulation year. Every emulation view goes through this module.

A unit's members see and draft only their own unit's registration and assessment; its head or deputy sends
them. The office (Phòng Hành chính - Tổng hợp) opens the year, reviews what units send, scores and compiles;
nobody reviews or scores their own unit — another reviewer or leadership does. Leadership reads everything,
approves the Department's registration and confirms the scores. What a person may not see answers 404;
an action on something they see but may not take answers 403.
"""

from django.http import Http404

from units.capabilities import Capability
from units.models import User

from .models import Assessment, Registration, ScoringScheme

SENT_ONCE_REGISTRATION = (
    Registration.Status.SUBMITTED,
    Registration.Status.RETURNED,
    Registration.Status.ACCEPTED,
)
SENT_ONCE_ASSESSMENT = (Assessment.Status.SUBMITTED, Assessment.Status.RETURNED, Assessment.Status.CONFIRMED)


def _active(user):
    return user.is_authenticated and user.is_active


def is_member_of(user, unit_id):
    return _active(user) and user.is_unit_member and user.unit_id == unit_id


def acts_for_unit(user, unit_id):
    """The head or a deputy of the unit: sends its registration and assessment."""
    return is_member_of(user, unit_id) and user.is_unit_manager


def is_office(user):
    return _active(user) and user.is_office_reviewer


def is_leadership(user):
    return _active(user) and user.is_leadership


def can_see_emulation(user):
    """The emulation pages: units' members, the office and leadership."""
    return _active(user) and (user.is_unit_member or user.is_office_reviewer or user.is_leadership)


def can_manage_year(user):
    """Record the year's plan, open and close registration, compile the Department's registration, keep schemes."""
    return is_office(user)


def can_see_department(user):
    """The Department-wide pages: every unit's registrations, the compiled registration, the ranking."""
    return is_office(user) or is_leadership(user)


def unit_has_reviewer(unit_id):
    return User.objects.filter(unit_id=unit_id, is_active=True, groups__name=Capability.OFFICE_REVIEWER).exists()


def reviews_unit(user, unit_id):
    """Office reviewers of other units review and score a unit; the office's own unit goes to leadership."""
    if not _active(user) or user.unit_id == unit_id:
        return False
    if user.is_office_reviewer:
        return True
    return user.is_leadership and unit_has_reviewer(unit_id)


# --- Registration ----------------------------------------------------------------------------------------


def can_see_registration(user, registration):
    if is_member_of(user, registration.unit_id):
        return True
    return can_see_department(user) and registration.status in SENT_ONCE_REGISTRATION


def get_visible_registration(user, pk):
    try:
        registration = Registration.objects.select_related("year", "unit").get(pk=pk)
    except Registration.DoesNotExist:
        raise Http404("Không tìm thấy đăng ký thi đua.") from None
    if not can_see_registration(user, registration):
        raise Http404("Không tìm thấy đăng ký thi đua.")
    return registration


def can_edit_registration(user, registration):
    return is_member_of(user, registration.unit_id) and registration.is_editable_state


def can_submit_registration(user, registration):
    return can_edit_registration(user, registration) and user.is_unit_manager


def can_review_registration(user, registration):
    return registration.status == Registration.Status.SUBMITTED and reviews_unit(user, registration.unit_id)


def can_approve_department_registration(user):
    return is_leadership(user)


# --- Year-end assessment -----------------------------------------------------------------------------------


def can_see_assessment(user, assessment):
    if is_member_of(user, assessment.unit_id):
        return True
    return can_see_department(user) and assessment.status in SENT_ONCE_ASSESSMENT


def get_visible_assessment(user, pk):
    try:
        assessment = Assessment.objects.select_related("year", "unit").get(pk=pk)
    except Assessment.DoesNotExist:
        raise Http404("Không tìm thấy kết quả bình xét.") from None
    if not can_see_assessment(user, assessment):
        raise Http404("Không tìm thấy kết quả bình xét.")
    return assessment


def can_edit_assessment(user, assessment):
    return is_member_of(user, assessment.unit_id) and assessment.is_editable_state


def can_submit_assessment(user, assessment):
    return can_edit_assessment(user, assessment) and user.is_unit_manager


def can_confirm_assessment(user, assessment):
    """The office enters or confirms the classifications decided, for units other than its own."""
    return assessment.status == Assessment.Status.SUBMITTED and reviews_unit(user, assessment.unit_id)


# --- Scoring and ranking -----------------------------------------------------------------------------------


def can_score(user, unit_id, scheme):
    """Enter the office's score of a unit: an office reviewer of another unit (leadership for the office's own),
    while the scheme is not locked."""
    return scheme.status in (ScoringScheme.Status.DRAFT, ScoringScheme.Status.PUBLISHED) and reviews_unit(user, unit_id)


def can_run_scheme(user):
    """Publish the provisional scores and record the council's review: the office."""
    return is_office(user)


def can_confirm_scores(user):
    return is_leadership(user)


def can_explain(user, unit_id, scheme):
    """The unit's head or deputy explains its provisional score while the window is open."""
    return scheme.status == ScoringScheme.Status.PUBLISHED and acts_for_unit(user, unit_id)


def can_see_score(user, unit_id, scheme):
    """A unit sees its own score once published; the office and leadership see every score."""
    if can_see_department(user):
        return True
    return scheme.status != ScoringScheme.Status.DRAFT and is_member_of(user, unit_id)
