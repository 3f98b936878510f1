"""Rounds (đợt xét khen thưởng): the office creates, edits, opens and closes them.

A round is the annual round of a year or a phase review. Status: draft → open → closed → finished.
Opening a round tells the units' heads and deputies; the reporting periods whose unit reports must
be accepted default to the periods the portal collects for that year (or phase).
"""

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from campaign.models import ReportingPeriod
from notifications.services import notify
from units.models import User

from .. import permissions
from ..errors import AwardError, InvalidTransition, NotAllowed
from ..models import AwardRound, Nomination, RoundForm

Status = AwardRound.Status

WORKFLOW = AwardRound.WORKFLOW


def default_periods(*, campaign, kind, year, phase=None):
    """The periods whose unit reports a round requires unless the office chooses others.

    Annual round: the year's annual (FY) period. Phase review: the phase's annual periods and its
    review period. Periods before the portal started (history, reported on paper) are left out:
    no unit report can ever be accepted for them in the portal.
    """
    periods = ReportingPeriod.objects.owed(campaign)
    if kind == AwardRound.Kind.ANNUAL:
        return periods.filter(year=year, kind=ReportingPeriod.Kind.ANNUAL)
    if phase is None:
        return periods.none()
    return periods.filter(phase=phase, kind__in=(ReportingPeriod.Kind.ANNUAL, ReportingPeriod.Kind.PHASE_REVIEW))


def _check_actor(actor):
    if not permissions.can_manage_rounds(actor):
        raise NotAllowed("Chỉ Phòng Hành chính - Tổng hợp quản lý các đợt xét khen thưởng.")


def _check_fields(*, kind, phase, deadline, notice_starts_on, notice_ends_on, offers):
    if kind == AwardRound.Kind.PHASE_REVIEW and phase is None:
        raise AwardError("Đợt xét sơ kết, tổng kết phải chọn giai đoạn.")
    if notice_starts_on and notice_ends_on and notice_ends_on < notice_starts_on:
        raise AwardError("Ngày kết thúc công khai phải sau ngày bắt đầu công khai.")
    if not offers:
        raise AwardError("Vui lòng chọn ít nhất một hình thức khen thưởng được xét trong đợt.")


def _save_offers(award_round, offers):
    """Make the round's forms and quotas match `offers` ({AwardForm: quota or None})."""
    current = {offer.form_id: offer for offer in award_round.round_forms.select_related("form")}
    wanted = {form.pk: (form, quota) for form, quota in offers.items()}
    removed = [offer for form_id, offer in current.items() if form_id not in wanted]
    if removed:
        used = set(
            Nomination.objects.filter(round=award_round, form_id__in=[offer.form_id for offer in removed])
            .open()
            .values_list("form_id", flat=True)
        )
        if used:
            names = ", ".join(str(offer.form) for offer in removed if offer.form_id in used)
            raise AwardError(f"Không bỏ được hình thức đã có đơn vị đề nghị: {names}.")
        RoundForm.objects.filter(pk__in=[offer.pk for offer in removed]).delete()
    for form_id, (form, quota) in wanted.items():
        offer = current.get(form_id)
        if offer is None:
            RoundForm.objects.create(round=award_round, form=form, quota=quota)
        elif offer.quota != quota:
            offer.quota = quota
            offer.save(update_fields=["quota"])


def round_create(
    *,
    actor,
    campaign,
    kind,
    title,
    year,
    deadline,
    offers,
    phase=None,
    periods=None,
    notice_starts_on=None,
    notice_ends_on=None,
):
    """A new round in draft, with its forms ({AwardForm: quota}) and periods (None: the default ones)."""
    _check_actor(actor)
    if kind == AwardRound.Kind.ANNUAL:
        phase = phase or None
    _check_fields(
        kind=kind,
        phase=phase,
        deadline=deadline,
        notice_starts_on=notice_starts_on,
        notice_ends_on=notice_ends_on,
        offers=offers,
    )
    with transaction.atomic():
        award_round = AwardRound.objects.create(
            campaign=campaign,
            kind=kind,
            title=title.strip(),
            year=year,
            phase=phase,
            deadline=deadline,
            notice_starts_on=notice_starts_on,
            notice_ends_on=notice_ends_on,
            created_by=actor,
        )
        _save_offers(award_round, offers)
        if not periods:
            periods = default_periods(campaign=campaign, kind=kind, year=year, phase=phase)
        award_round.periods.set(periods)
        WORKFLOW.record(award_round, "create", actor=actor, from_status="")
    return award_round


def round_update(
    *,
    award_round,
    actor,
    kind,
    title,
    year,
    deadline,
    offers,
    phase=None,
    periods=None,
    notice_starts_on=None,
    notice_ends_on=None,
):
    """Change a round that has not finished; a form some unit already nominated for cannot be dropped."""
    _check_actor(actor)
    _check_fields(
        kind=kind,
        phase=phase,
        deadline=deadline,
        notice_starts_on=notice_starts_on,
        notice_ends_on=notice_ends_on,
        offers=offers,
    )
    with transaction.atomic():
        locked = AwardRound.objects.select_for_update().get(pk=award_round.pk)
        if locked.status == Status.FINISHED:
            raise InvalidTransition("Đợt xét đã kết thúc; không sửa được nữa.")
        if locked.status != Status.DRAFT and (kind != locked.kind or year != locked.year):
            raise AwardError("Đợt xét đã mở; không đổi được loại đợt và năm xét.")
        locked.kind = kind
        locked.title = title.strip()
        locked.year = year
        locked.phase = phase if kind == AwardRound.Kind.PHASE_REVIEW else (phase or None)
        locked.deadline = deadline
        locked.notice_starts_on = notice_starts_on
        locked.notice_ends_on = notice_ends_on
        locked.save()
        _save_offers(locked, offers)
        if not periods:
            periods = default_periods(campaign=locked.campaign, kind=kind, year=year, phase=locked.phase)
        locked.periods.set(periods)
    return locked


def _unit_managers_everywhere():
    return User.objects.filter(
        Q(position=User.Position.HEAD) | Q(position=User.Position.DEPUTY),
        is_active=True,
        unit__parent__isnull=False,
    )


def _move(award_round, *, actor, move):
    _check_actor(actor)
    with transaction.atomic():
        locked = WORKFLOW.lock(award_round)
        WORKFLOW.check(locked, move)
        if move == "open" and not locked.round_forms.exists():
            raise AwardError("Đợt xét chưa có hình thức khen thưởng nào; vui lòng chọn trước khi mở.")
        if move == "open" and locked.deadline < timezone.localdate():
            raise AwardError(f"Hạn nộp hồ sơ ({locked.deadline:%d/%m/%Y}) đã qua; vui lòng sửa hạn trước khi mở đợt.")
        WORKFLOW.apply(locked, move, actor=actor)
        if move == "open":
            notify(
                _unit_managers_everywhere(),
                f"Sở mở đợt “{locked.title}”: các đơn vị gửi đề nghị khen thưởng trước ngày "
                f"{locked.deadline:%d/%m/%Y}.",
                locked.get_absolute_url(),
                actor=actor,
            )
    return locked


def round_open(*, award_round, actor):
    return _move(award_round, actor=actor, move="open")


def round_close(*, award_round, actor):
    return _move(award_round, actor=actor, move="close")


def round_finish(*, award_round, actor):
    return _move(award_round, actor=actor, move="finish")
