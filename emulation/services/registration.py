"""A unit's registration for the year (đăng ký thi đua): start, edit, submit, return, accept — and reminders.

The unit's staff and head start and edit the draft: the collective titles the unit aims at, the people who register
for individual titles, and its commitments per criterion of the campaign that applies to it (a target for each
active indicator, a short text otherwise). Only the head or a deputy submits; the office (leadership for the office's
own unit) accepts it or returns it with a reason. Each move runs with the row locked through Registration.WORKFLOW
and writes a RegistrationTransition with the content as it stood. A submission after the due date needs a reason;
none is taken before the office opens the window or once it closes it.
"""

import logging
from dataclasses import dataclass, field
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from campaign.models import Criterion
from notifications.services import notify, notify_once
from reports.services.reminders import ReminderRun, deadline_stage
from units.models import Person, Unit, User
from units.selectors import leaders, office_reviewers
from workflow.errors import InvalidTransition, NotAllowed, Refused

from .. import permissions
from ..extensions import COLLECTIVE, INDIVIDUAL, titles
from ..models import Commitment, EmulationYear, RegisteredTitle, Registration, RegistrationTransition

logger = logging.getLogger(__name__)

Status = Registration.Status
Action = RegistrationTransition.Action
WORKFLOW = Registration.WORKFLOW
TEXT_LENGTH = 1000
NOT_REGISTERED = (Status.DRAFT, Status.RETURNED)


INVALID = "Có thông tin chưa hợp lệ; vui lòng sửa các ô được đánh dấu. Chưa có gì được lưu."
NOT_OF_UNIT = "Cá nhân này không thuộc đơn vị (hoặc không còn công tác); không đăng ký được."


class RegistrationInvalid(Refused):
    """Input the registration cannot hold: `errors` is {form field: message}; nothing was changed."""

    def __init__(self, errors, message=INVALID):
        super().__init__(message, field=next(iter(errors), None))
        self.errors = errors


@dataclass
class RegistrationContent:
    """What a unit registers: collective title codes, (person id, title code) pairs, targets and texts."""

    collective: list = field(default_factory=list)
    individuals: list = field(default_factory=list)
    targets: dict = field(default_factory=dict)  # indicator id → Decimal target (≥ 0)
    texts: dict = field(default_factory=dict)  # criterion id → short commitment text


def annual_titles(kind):
    """The catalogue's annual titles (danh hiệu thi đua) for `kind`, in the catalogue's order."""
    return [title for title in titles(kind) if title.is_annual_title]


def applicable_criteria(unit):
    """The campaign's active criteria that concern the unit (its own rule, else the default), with indicators."""
    return list(
        Criterion.objects.applicable_to(unit)
        .select_related("group")
        .prefetch_related("indicators")
        .order_by("group__sort_order", "number")
    )


def unit_people(unit):
    """The unit's people at work, who may register for individual titles."""
    return list(Person.objects.filter(unit=unit, is_active=True).order_by("full_name", "pk"))


# --- Reading and checking what was typed ---------------------------------------------------------------------


def validate_content(unit, content):
    """{form field: message} of everything the registration cannot hold (the view shows each on its field)."""
    errors = {}
    collective = {title.code: title for title in annual_titles(COLLECTIVE)}
    individual = {title.code: title for title in annual_titles(INDIVIDUAL)}
    for code in content.collective:
        if code not in collective:
            errors["collective"] = (
                f"“{code}” không phải danh hiệu thi đua tập thể hằng năm trong danh mục; vui lòng chọn trong danh sách."
            )
    people = {person.pk for person in unit_people(unit)}
    for person_id, code in content.individuals:
        if person_id not in people:
            errors[f"person-{person_id}"] = NOT_OF_UNIT
        elif code not in individual:
            errors[f"person-{person_id}"] = (
                "Danh hiệu không phải danh hiệu thi đua cá nhân hằng năm trong danh mục; vui lòng chọn trong danh sách."
            )
    criteria = applicable_criteria(unit)
    indicators = {
        indicator.pk for criterion in criteria for indicator in criterion.indicators.all() if indicator.is_active
    }
    for indicator_id, target in content.targets.items():
        if indicator_id not in indicators:
            errors[f"target-{indicator_id}"] = "Chỉ số này không áp dụng với đơn vị."
        elif target is not None and target < 0:
            errors[f"target-{indicator_id}"] = "Chỉ tiêu đăng ký không được âm."
        elif target is not None and target >= Decimal("1e12"):
            errors[f"target-{indicator_id}"] = "Chỉ tiêu quá lớn; vui lòng kiểm tra lại."
    criterion_ids = {criterion.pk for criterion in criteria}
    for criterion_id, text in content.texts.items():
        if criterion_id not in criterion_ids:
            errors[f"text-{criterion_id}"] = "Tiêu chí này không áp dụng với đơn vị."
        elif len(text) > TEXT_LENGTH:
            errors[f"text-{criterion_id}"] = f"Nội dung cam kết tối đa {TEXT_LENGTH} ký tự."
    return errors


def content_of(registration):
    """The registration's content as stored, in the shape the editor posts."""
    content = RegistrationContent()
    for title in registration.titles.all():
        if title.person_id is None:
            content.collective.append(title.title_code)
        else:
            content.individuals.append((title.person_id, title.title_code))
    for commitment in registration.commitments.all():
        if commitment.indicator_id is not None:
            content.targets[commitment.indicator_id] = commitment.target
        elif commitment.text:
            content.texts[commitment.criterion_id] = commitment.text
    return content


def _write_content(registration, content):
    """Replace the registration's titles and commitments by `content` (checked already)."""
    names = {title.code: title.name for title in titles()}
    registration.titles.all().delete()
    registration.commitments.all().delete()
    rows = [
        RegisteredTitle(registration=registration, title_code=code, title_name=names[code], sort_order=index)
        for index, code in enumerate(dict.fromkeys(content.collective))
    ]
    rows += [
        RegisteredTitle(
            registration=registration, person_id=person_id, title_code=code, title_name=names[code], sort_order=index
        )
        for index, (person_id, code) in enumerate(dict.fromkeys(content.individuals))
    ]
    RegisteredTitle.objects.bulk_create(rows)
    indicators = {
        indicator.pk: indicator
        for criterion in applicable_criteria(registration.unit)
        for indicator in criterion.indicators.all()
    }
    commitments = [
        Commitment(
            registration=registration,
            criterion_id=indicators[indicator_id].criterion_id,
            indicator_id=indicator_id,
            target=target,
        )
        for indicator_id, target in content.targets.items()
        if target is not None
    ]
    commitments += [
        Commitment(registration=registration, criterion_id=criterion_id, text=text)
        for criterion_id, text in content.texts.items()
        if text
    ]
    Commitment.objects.bulk_create(commitments)


def registration_snapshot(registration):
    """The registration's content as it stands, for its transition rows (the history shows what was sent)."""
    people = {title.person_id: title.person for title in registration.titles.select_related("person")}
    return {
        "unit": registration.unit_name,
        "collective": [
            {"code": title.title_code, "name": title.title_name}
            for title in registration.titles.all()
            if title.person_id is None
        ],
        "individuals": [
            {
                "person_id": title.person_id,
                "person": people[title.person_id].full_name,
                "code": title.title_code,
                "name": title.title_name,
            }
            for title in registration.titles.all()
            if title.person_id is not None
        ],
        "commitments": [
            {
                "criterion": commitment.criterion.code,
                "indicator": commitment.indicator.code if commitment.indicator_id else None,
                "target": None if commitment.target is None else str(commitment.target),
                "text": commitment.text,
            }
            for commitment in registration.commitments.select_related("criterion__group", "indicator")
        ],
        "is_late": registration.is_late,
        "late_reason": registration.late_reason,
    }


# --- The moves ---------------------------------------------------------------------------------------------


def _lock(registration):
    # The registration's row only: the year row stays free for every other unit's submission.
    return WORKFLOW.lock(registration, "year", "unit")


def window_refusal(year):
    """Why no registration may be started or sent now, or None while the window is open."""
    if year.registration_opened_at is None:
        return f"Năm thi đua {year.year} chưa mở đăng ký; Văn phòng sẽ thông báo khi mở."
    if year.registration_closed_at is not None:
        return f"Văn phòng đã đóng đăng ký thi đua năm {year.year}; không gửi được đăng ký nữa."
    return None


def registration_start(*, year, unit, actor, now=None):
    """The unit's registration for the year, created as a draft the first time (a second call returns it)."""
    if not permissions.is_member_of(actor, unit.pk):
        raise NotAllowed("Chỉ cán bộ của đơn vị mới lập đăng ký thi đua của đơn vị.")
    existing = Registration.objects.filter(year=year, unit=unit).first()
    if existing is not None:
        return existing
    refusal = window_refusal(year)
    if refusal:
        raise InvalidTransition(refusal)
    now = now or timezone.now()
    try:
        with transaction.atomic():
            registration = Registration.objects.create(year=year, unit=unit, unit_name=unit.name, created_by=actor)
            WORKFLOW.record(registration, Action.CREATE, actor=actor, at=now, snapshot={})
    except IntegrityError:
        # Two people of the unit pressed "Lập đăng ký" at once: the other one's draft is the unit's.
        return Registration.objects.get(year=year, unit=unit)
    return registration


def registration_save(*, registration, actor, content):
    """Save the draft's content, or change nothing and raise RegistrationInvalid with every problem."""
    with transaction.atomic():
        locked = _lock(registration)
        if not permissions.can_edit_registration(actor, locked):
            if permissions.is_member_of(actor, locked.unit_id):
                raise InvalidTransition(WORKFLOW.moves[Action.SUBMIT].refusal)
            raise NotAllowed("Chỉ cán bộ của đơn vị mới sửa đăng ký thi đua của đơn vị.")
        errors = validate_content(locked.unit, content)
        if errors:
            raise RegistrationInvalid(errors)
        _write_content(locked, content)
        locked.save(update_fields=["updated_at"])
        return locked


def registration_submit(*, registration, actor, content=None, late_reason="", now=None):
    """Save the last edits (when given) and send the registration to the office; or change nothing and refuse.

    After the due date the unit gives a reason (is_late, late_reason); a registration returned and sent again
    keeps the lateness of the submission it revises. `now` is the moment of sending (the demo loads past years).
    """
    now = now or timezone.now()
    late_reason = (late_reason or "").strip()
    with transaction.atomic():
        locked = _lock(registration)
        WORKFLOW.check(locked, Action.SUBMIT)
        if not permissions.can_submit_registration(actor, locked):
            raise NotAllowed("Chỉ trưởng hoặc phó trưởng đơn vị mới được gửi đăng ký thi đua.")
        refusal = window_refusal(locked.year)
        if refusal:
            raise InvalidTransition(refusal)
        if content is not None:
            errors = validate_content(locked.unit, content)
            if errors:
                raise RegistrationInvalid(errors)
            _write_content(locked, content)
        if not locked.titles.exists():
            raise RegistrationInvalid(
                {"collective": "Vui lòng chọn ít nhất một danh hiệu đăng ký (của đơn vị hoặc của cá nhân)."}
            )
        if locked.status != Status.RETURNED:
            locked.is_late = locked.year.is_late_on(timezone.localdate(now))
        if locked.is_late:
            if late_reason:
                locked.late_reason = late_reason[:TEXT_LENGTH]
            if not locked.late_reason:
                due = locked.year.registration_due_on.strftime("%d/%m/%Y")
                raise RegistrationInvalid(
                    {"late_reason": f"Đã quá hạn đăng ký ({due}): vui lòng nêu lý do đăng ký muộn."}
                )
        locked.submission_count += 1
        locked.submitted_at = now
        locked.submitted_by = actor
        return _move(locked, Action.SUBMIT, actor, now=now, comment=locked.late_reason if locked.is_late else "")


def _review(registration, actor, action, comment, now):
    with transaction.atomic():
        locked = _lock(registration)
        WORKFLOW.check(locked, action)
        if not permissions.can_review_registration(actor, locked):
            raise NotAllowed("Bạn không được xem xét đăng ký này (không ai xem xét đăng ký của chính đơn vị mình).")
        if action == Action.ACCEPT:
            locked.accepted_at = now
        return _move(locked, action, actor, now=now, comment=comment)


def registration_return(*, registration, actor, reason, now=None):
    reason = (reason or "").strip()
    if not reason:
        raise Refused("Vui lòng nêu lý do trả lại để đơn vị biết cần bổ sung gì.", field="reason")
    return _review(registration, actor, Action.RETURN, reason, now or timezone.now())


def registration_accept(*, registration, actor, comment="", now=None):
    return _review(registration, actor, Action.ACCEPT, (comment or "").strip(), now or timezone.now())


def _move(locked, action, actor, *, now, comment=""):
    transition = WORKFLOW.apply(
        locked, action, actor=actor, comment=comment, at=now, snapshot=registration_snapshot(locked)
    )
    _notify(locked, transition)
    return transition


# --- Who hears about it -------------------------------------------------------------------------------------


def unit_members(unit_id):
    """The unit's head, deputies and staff, who draft and send its registration."""
    return User.objects.filter(is_active=True, unit_id=unit_id).exclude(position="")


def _notify(registration, transition):
    label = f"{registration.unit_name} — đăng ký thi đua năm {registration.year.year}"
    url = reverse("emulation:registration", args=[registration.pk])
    if transition.action == Action.SUBMIT:
        recipients = list(office_reviewers(exclude_unit_id=registration.unit_id))
        if permissions.unit_has_reviewer(registration.unit_id):
            recipients += list(leaders())  # the office's own registration goes to leadership
        late = " (gửi muộn)" if registration.is_late else ""
        message = f"{label}: đơn vị đã gửi đăng ký{late}."
    elif transition.action == Action.RETURN:
        recipients = unit_members(registration.unit_id)
        message = f"{label}: Văn phòng trả lại để bổ sung. Lý do: {transition.comment}"
    else:
        recipients = unit_members(registration.unit_id)
        message = f"{label}: đăng ký đã được tiếp nhận."
    return notify(recipients, message, url, actor=transition.actor)


# --- Reminders ---------------------------------------------------------------------------------------------


def units_not_registered(year, on=None):
    """Reporting units with no registration for the year, or one still in draft or returned."""
    sent = Registration.objects.filter(year=year).exclude(status__in=NOT_REGISTERED).values("unit_id")
    return Unit.objects.reporting(on).exclude(pk__in=sent).order_by("sort_order", "name")


def _unit_message(year, today):
    due = year.registration_due_on
    days_left = (due - today).days
    if days_left > 0:
        return (
            f"Nhắc việc: đơn vị chưa gửi đăng ký thi đua năm {year.year}; hạn đăng ký {due:%d/%m/%Y} "
            f"(còn {days_left} ngày)."
        )
    if days_left == 0:
        return f"Nhắc việc: hôm nay ({due:%d/%m/%Y}) là hạn gửi đăng ký thi đua năm {year.year} của đơn vị."
    return (
        f"Đăng ký thi đua năm {year.year} của đơn vị đã quá hạn {-days_left} ngày (hạn {due:%d/%m/%Y}). "
        "Đề nghị gửi ngay, kèm lý do gửi muộn."
    )


def _remind(year, stage, today):
    run = ReminderRun()
    missing = list(units_not_registered(year, today))
    members = {}
    for user in User.objects.filter(unit__in=missing, is_active=True).exclude(position="").order_by("pk"):
        members.setdefault(user.unit_id, []).append(user)
    url = reverse("emulation:year", args=[year.year])
    for unit in missing:
        key = f"emulation-registration:{year.year}:{unit.code}:{stage}"
        written = notify_once(key, members.get(unit.pk, []), _unit_message(year, today), url)
        (run.skipped if written is None else run.sent).append(unit.code)
    return run


def registration_remind(*, year, actor, today=None):
    """The office's "Nhắc đơn vị chưa đăng ký": every unit not yet registered is told, once a day at most."""
    if not permissions.can_manage_year(actor):
        raise NotAllowed("Chỉ Văn phòng nhắc các đơn vị đăng ký thi đua.")
    if not year.registration_is_open:
        raise InvalidTransition("Đăng ký không ở trạng thái đang mở; không có gì để nhắc.")
    today = today or timezone.localdate()
    return _remind(year, f"office-{today.isoformat()}", today)


def reminder_stage(year, today):
    """The stage of the year's registration reminder today (reports' deadline rule, on the registration's due date)."""
    return deadline_stage(year.registration_due_on, today)


def send_registration_reminders(*, today=None):
    """The daily reminders of every open year to its units not yet registered; a second run the same day sends
    nothing."""
    today = today or timezone.localdate()
    run = ReminderRun()
    open_years = EmulationYear.objects.filter(
        registration_opened_at__isnull=False, registration_closed_at__isnull=True, registration_due_on__isnull=False
    )
    for year in open_years:
        stage = reminder_stage(year, today)
        if stage is None:
            continue
        done = _remind(year, stage, today)
        run.sent += done.sent
        run.skipped += done.skipped
    logger.info("registration reminders on %s: %d sent, %d already sent", today, len(run.sent), len(run.skipped))
    return run
