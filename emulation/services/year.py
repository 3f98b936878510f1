"""The emulation year's start: the office creates the year, records the Department's plan for it (Kế hoạch / phát
động thi đua năm …) and the registration window, then opens and closes registration.

Recording the plan (its number and date) is what lets the office open registration. The window's dates are data:
a registration after the due date needs a reason, and none is taken once the office closes the window.
"""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from notifications.services import notify
from portal.uploads import validate_upload
from units.models import User
from workflow.errors import InvalidTransition, NotAllowed, Refused

from .. import permissions
from ..models import EmulationYear

FIRST_YEAR = 2020
LAST_YEAR = 2100
NOT_OFFICE = "Chỉ Văn phòng (Phòng Hành chính - Tổng hợp) quản lý năm thi đua."


def _require_office(actor):
    if not permissions.can_manage_year(actor):
        raise NotAllowed(NOT_OFFICE)


def _lock(year):
    return EmulationYear.objects.select_for_update().get(pk=year.pk)


def year_create(*, campaign, year, actor):
    """A new emulation year of the campaign, without its plan yet."""
    _require_office(actor)
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise Refused(f"Năm phải trong khoảng {FIRST_YEAR}–{LAST_YEAR}.", field="year")
    with transaction.atomic():
        if EmulationYear.objects.filter(year=year).exists():
            raise Refused(f"Năm thi đua {year} đã có.", field="year")
        return EmulationYear.objects.create(campaign=campaign, year=year, created_by=actor)


def year_record_plan(*, year, actor, plan_number, plan_date, plan_title="", plan_file=None, opens_on=None, due_on=None):
    """Record (or correct) the Department's plan for the year and the registration window.

    `plan_file`, when given, replaces the stored PDF; the upload validator checks it first. Refusals name their
    field; nothing is changed by a refused call.
    """
    _require_office(actor)
    plan_number = (plan_number or "").strip()
    if not plan_number:
        raise Refused("Vui lòng nhập số kế hoạch, ví dụ 15/KH-SKHCN.", field="plan_number")
    if plan_date is None:
        raise Refused("Vui lòng nhập ngày ban hành kế hoạch (dd/mm/yyyy).", field="plan_date")
    if plan_date > timezone.localdate():
        raise Refused("Ngày ban hành kế hoạch không được sau ngày hôm nay.", field="plan_date")
    if opens_on and due_on and due_on < opens_on:
        raise Refused("Hạn đăng ký không được trước ngày mở đăng ký.", field="registration_due_on")
    if plan_file is not None:
        try:
            checked = validate_upload(plan_file)
        except ValidationError as error:
            raise Refused(error.messages[0], field="plan_file") from None
        if checked.extension != "pdf":
            raise Refused("Tệp kế hoạch phải là tệp PDF.", field="plan_file")
    with transaction.atomic():
        locked = _lock(year)
        locked.plan_number = plan_number[:50]
        locked.plan_date = plan_date
        locked.plan_title = (plan_title or "").strip()[:300]
        locked.registration_opens_on = opens_on
        locked.registration_due_on = due_on
        previous_file = locked.plan_file.name if plan_file is not None and locked.plan_file else ""
        if plan_file is not None:
            locked.plan_file.save(plan_file.name, plan_file, save=False)
        stored_name, storage = locked.plan_file.name, locked.plan_file.storage
        try:
            locked.save()
        except BaseException:
            if plan_file is not None:
                storage.delete(stored_name)
            raise
        if previous_file:
            transaction.on_commit(lambda: storage.delete(previous_file))
        return locked


def registration_open(*, year, actor, now=None):
    """Open registration (or open it again after closing it): the plan and the window must be recorded.

    Every unit's members are told; `now` is the moment of opening (the demo loads past years).
    """
    _require_office(actor)
    now = now or timezone.now()
    with transaction.atomic():
        locked = _lock(year)
        if not locked.has_plan:
            raise InvalidTransition(
                "Chưa mở được đăng ký: vui lòng ghi số và ngày ban hành Kế hoạch thi đua của năm trước.",
                field="plan_number",
            )
        if locked.registration_opens_on is None or locked.registration_due_on is None:
            raise InvalidTransition(
                "Chưa mở được đăng ký: vui lòng nhập thời gian đăng ký (mở từ ngày, hạn đăng ký).",
                field="registration_due_on",
            )
        if locked.registration_is_open:
            raise InvalidTransition("Đăng ký đang mở.")
        locked.registration_opened_at = now
        locked.registration_closed_at = None
        locked.save(update_fields=["registration_opened_at", "registration_closed_at"])
        _tell_units(locked, actor)
        return locked


def registration_close(*, year, actor, now=None):
    """Close registration: no registration is sent any more, late or not."""
    _require_office(actor)
    with transaction.atomic():
        locked = _lock(year)
        if not locked.registration_is_open:
            raise InvalidTransition("Đăng ký không ở trạng thái đang mở.")
        locked.registration_closed_at = now or timezone.now()
        locked.save(update_fields=["registration_closed_at"])
        return locked


def _tell_units(year, actor):
    members = User.objects.filter(is_active=True, unit__parent__isnull=False).exclude(position="")
    due = year.registration_due_on.strftime("%d/%m/%Y")
    message = f"Văn phòng đã mở đăng ký thi đua năm {year.year} (Kế hoạch số {year.plan_number}); hạn đăng ký {due}."
    notify(members, message, reverse("emulation:year", args=[year.year]), actor=actor)
