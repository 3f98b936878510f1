"""The Department's registration for the year: compile → send for approval → approve or return → issue.

The office compiles the units' accepted registrations into a frozen snapshot (the document prints only the
snapshot, so it never changes under the Director's eyes), chooses the Department's own collective titles and the
addressees, and may compile again while the registration is a draft or returned. Leadership approves or returns it
with a reason; the office then gives it the next number of the Department's công văn series ("Số: 12/SKHCN-HCTH",
documents.register) with the same date rules as the consolidated report's issue. Every move goes through
DepartmentRegistration.WORKFLOW; every change of what the document prints asks for its files again
(documents.stored.request_current).
"""

from django.db import transaction
from django.db.models import Prefetch
from django.urls import reverse
from django.utils import timezone

from campaign.models import Campaign
from documents.register import (
    LETTER,
    dates_confirmed,
    local_issue_date,
    order_conflict,
    refuse_future,
    register_next_number,
)
from documents.stored import request_current
from notifications.services import notify
from units.models import Unit
from units.selectors import leaders, office_code, office_reviewers
from workflow.errors import InvalidTransition, NotAllowed, Refused

from .. import permissions
from ..extensions import COLLECTIVE, titles
from ..models import Commitment, DepartmentRegistration, EmulationYear, RegisteredTitle, Registration

Status = DepartmentRegistration.Status
WORKFLOW = DepartmentRegistration.WORKFLOW
EDITABLE = (Status.DRAFT, Status.RETURNED)
SNAPSHOT_FORMAT = 1
DEFAULT_RECIPIENTS = "Sở Nội vụ\nTrưởng Khối thi đua"
BLOCK_WITHOUT_NAME = "trưởng khối thi đua"
RECIPIENT_LENGTH = 200
MAX_RECIPIENTS = 10

NOT_EDITABLE = "Chỉ tổng hợp, sửa được đăng ký thi đua của Sở khi đang dự thảo hoặc bị lãnh đạo trả lại."
NOTHING_ACCEPTED = (
    "Chưa có đăng ký thi đua nào của các phòng, đơn vị được tiếp nhận; chưa tổng hợp được đăng ký của Sở."
)


def summary_of(year_number):
    """The công văn's trích yếu."""
    return f"V/v đăng ký thi đua năm {year_number}"


def own_title_choices():
    """The catalogue's annual collective titles, which the Department itself may register for."""
    return [title for title in titles(COLLECTIVE) if title.is_annual_title]


def _require_office(actor, message):
    if not permissions.can_manage_year(actor):
        raise NotAllowed(message)


def _require_leadership(actor, message):
    if not permissions.can_approve_department_registration(actor):
        raise NotAllowed(message)


def _page_url(registration):
    return reverse("emulation:department_registration", args=[registration.year.year])


# --- what the office types ---------------------------------------------------------------------------------


def clean_own_titles(codes):
    """The chosen codes, each a collective annual title of the catalogue, in the catalogue's order."""
    names = {title.code: title.name for title in own_title_choices()}
    codes = [code for code in dict.fromkeys(codes or []) if code]
    unknown = [code for code in codes if code not in names]
    if unknown:
        raise Refused(
            f"Danh hiệu “{unknown[0]}” không phải danh hiệu thi đua tập thể hằng năm trong danh mục khen thưởng.",
            field="own_titles",
        )
    return [{"code": code, "name": names[code]} for code in names if code in codes]


def clean_recipients(text):
    """The addressees, one per line; the emulation block (Khối thi đua) must be named."""
    lines = [line.strip().lstrip("-").strip().rstrip(";.").strip() for line in (text or "").splitlines()]
    lines = [line for line in lines if line]
    if not lines:
        raise Refused("Vui lòng ghi nơi nhận công văn (Kính gửi), mỗi nơi một dòng.", field="recipients")
    if len(lines) > MAX_RECIPIENTS:
        raise Refused(f"Tối đa {MAX_RECIPIENTS} nơi nhận (Kính gửi).", field="recipients")
    for line in lines:
        if len(line) > RECIPIENT_LENGTH:
            raise Refused(f"Mỗi nơi nhận dài tối đa {RECIPIENT_LENGTH} ký tự: “{line[:40]}…”.", field="recipients")
        if line.lower() == BLOCK_WITHOUT_NAME:
            raise Refused("Vui lòng ghi tên Khối thi đua của Sở ở dòng “Trưởng Khối thi đua …”.", field="recipients")
    return "\n".join(lines)


# --- the compile -------------------------------------------------------------------------------------------


def _department_name():
    department = Unit.objects.filter(kind=Unit.Kind.DEPARTMENT, parent__isnull=True).order_by("pk").first()
    return department.name if department else "Sở"


def _campaign_part(campaign):
    return {
        "governing_body": campaign.governing_body,
        "issuing_body": campaign.issuing_body,
        "issuer_code": campaign.issuing_body_abbreviation,
        "place": campaign.place_name,
        "office_code": office_code(),
        "department": _department_name(),
    }


def _plan_part(year):
    return {
        "number": year.plan_number,
        "date": year.plan_date.isoformat() if year.plan_date else "",
        "title": year.plan_title,
    }


def _target_text(target):
    return None if target is None else format(target.normalize(), "f")


def accepted_registrations(year):
    """The year's accepted registrations of the units, with their titles, people and commitments (4 queries)."""
    return list(
        Registration.objects.filter(year=year, status=Registration.Status.ACCEPTED)
        .select_related("unit")
        .order_by("unit__sort_order", "unit__name")
        .prefetch_related(
            Prefetch("titles", queryset=RegisteredTitle.objects.select_related("person").order_by("sort_order", "pk")),
            Prefetch("commitments", queryset=Commitment.objects.select_related("criterion__group", "indicator")),
        )
    )


def _unit_part(registration):
    collective = [title.title_name for title in registration.titles.all() if title.person_id is None]
    people = sorted(
        (
            {
                "name": title.person.full_name,
                "position": title.person.position_title,
                "title": title.title_name,
                "title_code": title.title_code,
            }
            for title in registration.titles.all()
            if title.person_id is not None
        ),
        key=lambda person: (person["name"], person["title"]),
    )
    commitments = [
        {
            "criterion": f"{commitment.criterion.code} {commitment.criterion.short_label}",
            "indicator": commitment.indicator.name if commitment.indicator_id else "",
            "unit_of_measure": commitment.indicator.result_unit if commitment.indicator_id else "",
            "target": _target_text(commitment.target),
            "text": commitment.text,
        }
        for commitment in registration.commitments.all()
    ]
    return {
        "unit": registration.unit_name,
        "unit_code": registration.unit.code,
        "titles": collective,
        "title_codes": [title.title_code for title in registration.titles.all() if title.person_id is None],
        "people": people,
        "commitments": commitments,
    }


def gather(year):
    """The units' accepted registrations as plain JSON, frozen into the Department's registration."""
    campaign = Campaign.objects.get(pk=year.campaign_id)
    units = [_unit_part(registration) for registration in accepted_registrations(year)]
    return {
        "format": SNAPSHOT_FORMAT,
        "year": year.year,
        "campaign": _campaign_part(campaign),
        "plan": _plan_part(year),
        "units": units,
        "compiled_on": timezone.localdate().isoformat(),
    }


def department_registration_compile(*, year, actor, own_titles, recipients):
    """Gather the units' accepted registrations (again) with the office's choices; a draft or returned one only."""
    _require_office(actor, "Chỉ Phòng Hành chính - Tổng hợp được tổng hợp đăng ký thi đua của Sở.")
    chosen = clean_own_titles(own_titles)
    recipients = clean_recipients(recipients)
    with transaction.atomic():
        # The year's row locked: two compiles at once create one registration.
        EmulationYear.objects.select_for_update().get(pk=year.pk)
        registration = DepartmentRegistration.objects.filter(year=year).first()
        if registration is not None:
            registration = WORKFLOW.lock(registration, "year")
            if registration.status not in EDITABLE:
                raise InvalidTransition(NOT_EDITABLE)
        snapshot = gather(year)
        if not snapshot["units"]:
            raise Refused(NOTHING_ACCEPTED)
        snapshot["own_titles"] = chosen
        created = registration is None
        if created:
            registration = DepartmentRegistration(year=year)
        registration.own_titles = [title["code"] for title in chosen]
        registration.recipients = recipients
        registration.snapshot = snapshot
        registration.compiled_at = timezone.now()
        registration.compiled_by = actor
        registration.save()
        units = len(snapshot["units"])
        WORKFLOW.record(
            registration,
            "compile",
            actor=actor,
            from_status="" if created else None,
            comment=f"Tổng hợp đăng ký đã tiếp nhận của {units} phòng, đơn vị.",
        )
        request_current(registration)
        return registration


def department_registration_edit(*, registration, actor, own_titles, recipients):
    """Save the Department's own titles and the addressees without gathering again."""
    _require_office(actor, "Chỉ Phòng Hành chính - Tổng hợp được sửa đăng ký thi đua của Sở.")
    chosen = clean_own_titles(own_titles)
    recipients = clean_recipients(recipients)
    with transaction.atomic():
        locked = WORKFLOW.lock(registration, "year")
        if locked.status not in EDITABLE:
            raise InvalidTransition(NOT_EDITABLE)
        codes = [title["code"] for title in chosen]
        if codes == locked.own_titles and recipients == locked.recipients:
            return locked
        locked.own_titles = codes
        locked.recipients = recipients
        locked.snapshot = {**locked.snapshot, "own_titles": chosen}
        locked.save(update_fields=["own_titles", "recipients", "snapshot"])
        WORKFLOW.record(locked, "edit", actor=actor, comment="Sửa danh hiệu tập thể Sở đăng ký, nơi nhận.")
        request_current(locked)
        return locked


# --- approval and issue ------------------------------------------------------------------------------------


def department_registration_send(*, registration, actor):
    """The office sends the compiled registration to leadership, who are told."""
    _require_office(actor, "Chỉ Phòng Hành chính - Tổng hợp được trình duyệt đăng ký thi đua của Sở.")
    with transaction.atomic():
        locked = WORKFLOW.lock(registration, "year")
        WORKFLOW.apply(locked, "send_for_approval", actor=actor)
        notify(
            leaders(),
            f"Đăng ký thi đua năm {locked.year.year} của Sở: Phòng Hành chính - Tổng hợp trình duyệt.",
            _page_url(locked),
            actor=actor,
        )
        return locked


def department_registration_approve(*, registration, actor):
    """The Director or a Deputy Director approves; the signature block names them (KT. GIÁM ĐỐC for a deputy)."""
    _require_leadership(actor, "Chỉ lãnh đạo Sở được duyệt đăng ký thi đua của Sở.")
    with transaction.atomic():
        locked = WORKFLOW.lock(registration, "year")
        WORKFLOW.check(locked, "approve")
        locked.approved_at = timezone.now()
        locked.approved_by = actor
        WORKFLOW.apply(locked, "approve", actor=actor)
        notify(
            office_reviewers(),
            f"Đăng ký thi đua năm {locked.year.year} của Sở đã được lãnh đạo duyệt; vui lòng vào số, ban hành.",
            _page_url(locked),
            actor=actor,
        )
        request_current(locked)
        return locked


def department_registration_return(*, registration, actor, reason):
    """Leadership returns it to the office with a reason, which is required."""
    _require_leadership(actor, "Chỉ lãnh đạo Sở được trả lại đăng ký thi đua của Sở.")
    reason = (reason or "").strip()
    if not reason:
        raise Refused("Vui lòng ghi lý do trả lại.", field="reason")
    with transaction.atomic():
        locked = WORKFLOW.lock(registration, "year")
        WORKFLOW.apply(locked, "return", actor=actor, comment=reason)
        notify(
            office_reviewers(),
            f"Đăng ký thi đua năm {locked.year.year} của Sở bị lãnh đạo trả lại. Lý do: {reason}",
            _page_url(locked),
            actor=actor,
        )
        return locked


def department_registration_issue(*, registration, actor, issued_on, confirmation=""):
    """Give the approved registration the next number of the Department's công văn series and its date.

    As for the consolidated report: never dated after today; a date before leadership's approval, or a number
    dated out of the register's order, is refused unless the office confirms the paper was signed so
    (`confirmation`, the reason, kept in the issue's history).
    """
    _require_office(actor, "Chỉ Phòng Hành chính - Tổng hợp được vào số đăng ký thi đua của Sở.")
    issued_on = local_issue_date(issued_on)
    refuse_future(issued_on)
    with transaction.atomic():
        locked = WORKFLOW.lock(registration, "year")
        WORKFLOW.check(locked, "issue")
        campaign = locked.snapshot.get("campaign", {})
        register = {
            "issuer_code": campaign.get("issuer_code") or locked.year.campaign.issuing_body_abbreviation,
            "type_code": LETTER,
            "drafting_code": campaign.get("office_code") or office_code(),
            "issued_on": issued_on,
        }
        approved_on = timezone.localdate(locked.approved_at) if locked.approved_at else None
        reason = dates_confirmed(
            [
                f"Ngày ban hành ({issued_on:%d/%m/%Y}) trước ngày lãnh đạo duyệt trên Cổng ({approved_on:%d/%m/%Y})."
                if approved_on and issued_on < approved_on
                else "",
                order_conflict(**register),
            ],
            confirmation,
        )
        entry = register_next_number(summary=summary_of(locked.year.year), actor=actor, confirmation=reason, **register)
        locked.register_entry = entry
        comment = f"{entry}. Xác nhận ngày, số như văn bản đã ký: {reason}" if reason else str(entry)
        WORKFLOW.apply(locked, "issue", actor=actor, comment=comment)
        # Its final files, with the number and the date: rendered once more, then never again.
        request_current(locked)
        return locked
