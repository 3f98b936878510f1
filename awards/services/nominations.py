"""Nominations from the units and the office's completeness check.

Staff and managers of a unit draft nominations (the unit itself, one person, or a list of people
sharing a `batch`), write the achievement summary, link accepted reports and upload dossier parts;
only the head or a deputy submits or withdraws. The office returns an incomplete dossier with a
reason. Each state change runs in one transaction with the nomination row locked, checks the
current state and the actor, writes an append-only NominationTransition (with a snapshot on
submission) and notifies after commit. A submitted dossier is immutable.
"""

import uuid

from django.db import IntegrityError, transaction
from django.utils import timezone

from notifications.services import notify
from portal.uploads import delete_stored_file, store_upload, upload_sha256, validate_upload
from reports.models import UnitReport
from units.models import Person, User
from units.selectors import office_reviewers, unit_managers

from .. import permissions
from ..errors import AwardError, InvalidTransition, NotAllowed, NotEligible
from ..models import ACHIEVEMENT_PARTS, AwardForm, DossierFile, Nomination, RoundForm
from . import eligibility

Status = Nomination.Status
Kind = Nomination.NomineeKind

WORKFLOW = Nomination.WORKFLOW
NOT_EDITABLE = "Đề nghị đã gửi nên không sửa được nữa."


def _lock(nomination):
    # Lock the nomination row only, not the round or the unit it joins.
    return WORKFLOW.lock(nomination, "round", "form", "unit", "person", "nominee_unit")


def nomination_snapshot(nomination):
    """The nomination as it stands: the nominee, the summary, the dossier and the linked reports."""
    return {
        "round": nomination.round.title,
        "form": str(nomination.form),
        "nominee_kind": nomination.nominee_kind,
        "nominee_name": nomination.nominee_name,
        "nominee_position": nomination.nominee_position,
        "nominee_unit_name": nomination.nominee_unit_name,
        "achievement": dict(nomination.achievement or {}),
        "dossier": [
            {"part": file.part, "name": file.original_name, "sha256": file.sha256}
            for file in eligibility.dossier_files_of(nomination).order_by("part", "pk")
        ],
        "evidence_reports": [
            {"id": report.pk, "period": report.period.label}
            for report in nomination.evidence_reports.select_related("period").order_by("period__end")
        ],
    }


def _take_names(nomination):
    """Copy the nominee's name, position and unit as they stand now into the row."""
    if nomination.nominee_kind == Kind.INDIVIDUAL:
        nomination.nominee_name = nomination.person.full_name
        nomination.nominee_position = nomination.person.position_title
    else:
        nomination.nominee_name = nomination.nominee_unit.name
        nomination.nominee_position = ""
    nomination.nominee_unit_name = nomination.unit.name


def _refuse_unless(problems):
    blocking = eligibility.blocking(problems)
    if blocking:
        raise NotEligible([problem.message for problem in blocking])


def normalise_name(name):
    return " ".join((name or "").split())


def _new_person(unit, *, full_name, position_title="", user=None):
    full_name = normalise_name(full_name)
    if not full_name:
        raise AwardError("Vui lòng nhập họ và tên người được đề nghị.")
    if user is not None:
        if user.unit_id != unit.pk:
            raise AwardError("Tài khoản được chọn không thuộc đơn vị.")
        if Person.objects.filter(user=user).exists():
            raise AwardError(f"Tài khoản {user} đã gắn với một cá nhân; vui lòng chọn cá nhân đó trong danh sách.")
    return Person.objects.create(
        full_name=full_name, position_title=normalise_name(position_title), unit=unit, user=user
    )


def _insert(nomination):
    """Save a new nomination; the database refuses a second open one of the same nominee, form and round."""
    try:
        with transaction.atomic():
            nomination.save()
    except IntegrityError:
        raise AwardError(eligibility.duplicate_message(nomination, eligibility.duplicate_of(nomination))) from None


def _check_can_nominate(actor, award_round, form, unit):
    if not permissions.can_draft_nomination(actor, unit):
        raise NotAllowed("Chỉ cán bộ của đơn vị mới lập được đề nghị khen thưởng của đơn vị.")
    if not award_round.round_forms.filter(form=form).exists():
        raise AwardError(f"Hình thức “{form}” không được xét trong đợt “{award_round}”.")


def nomination_create(
    *,
    award_round,
    form,
    unit,
    actor,
    collective=False,
    person=None,
    new_person_name="",
    new_person_position="",
    new_person_user=None,
):
    """A draft nomination of the unit itself (collective) or of one person of the unit.

    The person is one of the unit's active people, or created here from a name and position
    (linked to one of the unit's accounts or not).
    """
    _check_can_nominate(actor, award_round, form, unit)
    with transaction.atomic():
        if collective:
            nomination = Nomination(nominee_kind=Kind.COLLECTIVE, nominee_unit=unit)
        else:
            if person is None:
                person = _new_person(
                    unit, full_name=new_person_name, position_title=new_person_position, user=new_person_user
                )
            elif person.unit_id != unit.pk or not person.is_active:
                raise AwardError("Chỉ đề nghị được cá nhân đang công tác tại đơn vị.")
            nomination = Nomination(nominee_kind=Kind.INDIVIDUAL, person=person)
        nomination.round = award_round
        nomination.form = form
        nomination.unit = unit
        nomination.created_by = actor
        _take_names(nomination)
        _refuse_unless(eligibility.check(nomination, only=eligibility.CREATION_CHECKS))
        _insert(nomination)
        WORKFLOW.record(nomination, "create", actor=actor, from_status="")
    return nomination


def parse_lines(text):
    """ "Họ và tên | Chức vụ" per line → [(name, position)]; blank lines skipped."""
    rows = []
    for number, line in enumerate((text or "").splitlines(), start=1):
        if not line.strip():
            continue
        name, _, position = line.partition("|")
        name = normalise_name(name)
        if not name:
            raise AwardError(f"Dòng {number}: thiếu họ và tên.")
        rows.append((name, normalise_name(position)))
    return rows


def nomination_batch_create(*, award_round, form, unit, actor, rows, achievement=""):
    """Many people for one form at once (e.g. Lao động tiên tiến): one draft each, sharing a batch.

    People are matched by name among the unit's active people, else created. All rows or none:
    a duplicate or a refused row changes nothing.
    """
    _check_can_nominate(actor, award_round, form, unit)
    if form.recipient_kind == AwardForm.RecipientKind.COLLECTIVE:
        raise AwardError(f"Hình thức “{form}” chỉ xét cho tập thể; không lập danh sách cá nhân được.")
    if not rows:
        raise AwardError("Vui lòng nhập ít nhất một người (mỗi dòng: Họ và tên | Chức vụ).")
    seen = set()
    for name, _ in rows:
        key = name.casefold()
        if key in seen:
            raise AwardError(f"“{name}” có hai lần trong danh sách.")
        seen.add(key)
    people = {}
    for existing in Person.objects.filter(unit=unit, is_active=True):
        people.setdefault(normalise_name(existing.full_name).casefold(), []).append(existing)
    batch = uuid.uuid4()
    achievement = (achievement or "").strip()
    created = []
    with transaction.atomic():
        for name, position in rows:
            matches = people.get(name.casefold(), [])
            if len(matches) > 1:
                raise AwardError(f"Đơn vị có {len(matches)} người tên “{name}”; vui lòng đề nghị từng người.")
            person = matches[0] if matches else _new_person(unit, full_name=name, position_title=position)
            if matches and position and not person.position_title:
                person.position_title = position
                person.save(update_fields=["position_title"])
            nomination = Nomination(
                round=award_round,
                form=form,
                unit=unit,
                nominee_kind=Kind.INDIVIDUAL,
                person=person,
                batch=batch,
                achievement={"achievements": achievement} if achievement else {},
                created_by=actor,
            )
            _take_names(nomination)
            _refuse_unless(eligibility.check(nomination, only=eligibility.CREATION_CHECKS))
            _insert(nomination)
            WORKFLOW.record(nomination, "create", actor=actor, from_status="", comment="Lập theo danh sách.")
            created.append(nomination)
    return created


def accepted_reports(unit):
    """The unit's accepted reports, which a nomination may cite as evidence."""
    return UnitReport.objects.filter(unit=unit, status=UnitReport.Status.ACCEPTED).select_related("period")


def _check_editable(actor, nomination):
    if not permissions.can_draft_nomination(actor, nomination.unit):
        raise NotAllowed("Chỉ cán bộ của đơn vị lập đề nghị mới sửa được đề nghị.")
    if not nomination.is_editable_state:
        raise InvalidTransition(NOT_EDITABLE)


def nomination_save(*, nomination, actor, achievement, evidence_reports, revision):
    """Save the achievement summary and the linked reports; refuse if someone saved since the page loaded."""
    with transaction.atomic():
        locked = _lock(nomination)
        _check_editable(actor, locked)
        if revision != locked.revision:
            raise AwardError(
                "Đề nghị vừa được người khác cập nhật. Nội dung bạn nhập vẫn ở dưới đây; "
                "hãy mở lại trang để xem bản mới rồi lưu lại."
            )
        allowed = set(accepted_reports(locked.unit).values_list("pk", flat=True))
        reports = list(evidence_reports)
        if any(report.pk not in allowed for report in reports):
            raise AwardError("Chỉ liên kết được báo cáo đã được tiếp nhận của đơn vị.")
        locked.achievement = {key: (achievement.get(key) or "").strip() for key, _ in ACHIEVEMENT_PARTS}
        locked.revision += 1
        locked.save(update_fields=["achievement", "revision"])
        locked.evidence_reports.set(reports)
    return locked


def dossier_add(*, nomination, actor, part, upload):
    """Store a checked dossier part under a random name; ValidationError if the file is refused."""
    labels = {item["code"]: item["label"] for item in nomination.form.dossier_parts or []}
    if part not in labels:
        raise AwardError("Thành phần hồ sơ không hợp lệ với hình thức khen thưởng này.")
    checked = validate_upload(upload)
    sha256 = upload_sha256(upload)
    with transaction.atomic():
        locked = _lock(nomination)
        _check_editable(actor, locked)
        dossier_file = DossierFile(
            nomination=locked,
            part=part,
            original_name=upload.name[:255],
            size=checked.size,
            content_type=checked.content_type,
            sha256=sha256,
            uploaded_by=actor,
        )
        return store_upload(dossier_file, upload)


def dossier_remove(*, dossier_file, actor):
    with transaction.atomic():
        locked = _lock(dossier_file.nomination)
        _check_editable(actor, locked)
        delete_stored_file(dossier_file)


def nomination_submit(*, nomination, actor):
    """Send the nomination to the office, or change nothing and say what is missing (NotEligible)."""
    with transaction.atomic():
        locked = _lock(nomination)
        action = "resubmit" if locked.status == Status.RETURNED else "submit"
        WORKFLOW.check(locked, action)
        if not permissions.can_submit_nomination(actor, locked):
            raise NotAllowed("Chỉ trưởng hoặc phó trưởng đơn vị mới được gửi đề nghị khen thưởng.")
        # Serialise submissions of one form in one round, so two units cannot take the quota's last place.
        RoundForm.objects.select_for_update().filter(round_id=locked.round_id, form_id=locked.form_id).first()
        _refuse_unless(eligibility.check(locked))
        now = timezone.now()
        _take_names(locked)
        locked.submitted_at = now
        locked.submitted_by = actor
        WORKFLOW.apply(locked, action, actor=actor, at=now, snapshot=nomination_snapshot(locked))
        notify(
            office_reviewers(exclude_unit_id=locked.unit_id),
            f"{locked.unit.name} {'gửi lại' if action == 'resubmit' else 'gửi'} đề nghị "
            f"“{locked.form}” cho {locked.nominee_name} ({locked.round.title}).",
            locked.get_absolute_url(),
            actor=actor,
        )
    return locked


def nomination_withdraw(*, nomination, actor, reason=""):
    """The head or a deputy takes back a nomination not yet on a council agenda."""
    with transaction.atomic():
        locked = _lock(nomination)
        if not permissions.acts_for_unit(actor, locked.unit):
            raise NotAllowed("Chỉ trưởng hoặc phó trưởng đơn vị mới được rút đề nghị khen thưởng.")
        reason = (reason or "").strip()
        WORKFLOW.apply(locked, "withdraw", actor=actor, comment=reason)
        if locked.submitted_at is not None:
            notify(
                office_reviewers(exclude_unit_id=locked.unit_id),
                f"{locked.unit.name} rút đề nghị “{locked.form}” cho {locked.nominee_name}.",
                locked.get_absolute_url(),
                actor=actor,
            )
    return locked


def nomination_return(*, nomination, actor, reason):
    """The office returns an incomplete dossier to the unit, saying what to complete."""
    reason = (reason or "").strip()
    with transaction.atomic():
        locked = _lock(nomination)
        if not permissions.can_check_nomination(actor, locked):
            raise NotAllowed(
                "Chỉ Phòng Hành chính - Tổng hợp kiểm tra hồ sơ (không ai kiểm tra hồ sơ của chính đơn vị mình)."
            )
        WORKFLOW.check(locked, "return")
        if not reason:
            raise AwardError("Vui lòng nêu lý do trả lại để đơn vị biết cần bổ sung gì.")
        WORKFLOW.apply(locked, "return", actor=actor, comment=reason)
        recipients = list(unit_managers(locked.unit_id))
        recipients += list(User.objects.filter(pk=locked.created_by_id, is_active=True))
        notify(
            recipients,
            f"Văn phòng trả lại đề nghị “{locked.form}” cho {locked.nominee_name}: {reason}",
            locked.get_absolute_url(),
            actor=actor,
        )
    return locked


# What each move of Nomination.WORKFLOW (and each event recorded beside them) reads as in a history; a test
# checks that every move of the map has its label here, so no internal code reaches a page.
ACTION_LABELS = {
    "create": "Lập đề nghị",
    "submit": "Gửi đề nghị",
    "resubmit": "Gửi lại đề nghị",
    "withdraw": "Rút đề nghị",
    "return": "Trả lại để bổ sung",
    "put_on_agenda": "Đưa ra Hội đồng xét",
    "remove_from_agenda": "Rút khỏi chương trình họp Hội đồng",
    "recommend": "Hội đồng đề nghị khen thưởng",
    "not_recommend": "Hội đồng không đề nghị khen thưởng",
    "approve": "Lãnh đạo đồng ý khen thưởng",
    "reject": "Lãnh đạo không đồng ý khen thưởng",
    "confer": "Quyết định khen thưởng",
    "forward": "Trình cấp trên khen thưởng",
    "confer_above": "Cấp trên quyết định khen thưởng",
    "refuse_above": "Cấp trên không khen thưởng",
    "override_rules": "Lãnh đạo quyết định vượt điều kiện",
}
