"""The council (Hội đồng Thi đua - Khen thưởng): its members, meetings, agenda, attendance, ballots and results.

Every write runs in one transaction with the rows it changes locked, checks the current state and
the actor, moves nominations and meetings through their state machines (workflow/transitions.py) and
notifies through notifications.services.notify. awards/ballot_rules.py holds the counting rules.

Electronic ballots: a vote writes the voter's `BallotCast` (who voted, never what) and rewrites, in the same
transaction and under a row lock, the item's one `BallotTally` (all its counts, sealed by awards/ballot_seal.py).
There is no row per vote, so nothing in the database pairs a voter with a choice; the counts are unsealed only
when the vote closes (`ballot_count`, or `meeting_close`) and copied to the agenda item.
"""

from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.urls import NoReverseMatch, reverse
from django.utils import timezone

from notifications.services import notify
from units.capabilities import Capability, grant, revoke
from units.selectors import leaders, unit_managers

from .. import permissions
from ..ballot_rules import (
    decide,
    eligible_voters,
    needs_casting_vote,
    quorum_status,
)
from ..ballot_seal import SealBroken, seal, unseal
from ..documents.minutes import minutes_content, minutes_summary
from ..errors import AwardError, InvalidTransition, NotAllowed
from ..models import (
    AgendaItem,
    AwardRound,
    BallotCast,
    BallotTally,
    CouncilMeeting,
    CouncilMember,
    CouncilRole,
    MeetingMember,
    Nomination,
)
from . import documents

Outcome = AgendaItem.Outcome
MeetingStatus = CouncilMeeting.Status
NOMINATION = Nomination.WORKFLOW
MEETING = CouncilMeeting.WORKFLOW


class TallyInvalid(AwardError):
    """The tally as typed has mistakes; `problems` maps each agenda item's id to its message."""

    def __init__(self, problems):
        super().__init__("Kết quả kiểm phiếu chưa hợp lệ; chưa lưu gì. Vui lòng sửa các dòng được đánh dấu.")
        self.problems = problems


# ---------------------------------------------------------------------------------------------
# Members
# ---------------------------------------------------------------------------------------------


def _require_office(actor, message="Chỉ Văn phòng (Phòng Hành chính - Tổng hợp) thực hiện việc này."):
    if not permissions.can_manage_rounds(actor):
        raise NotAllowed(message)


def council_member_add(*, user, role, actor, title_in_council=""):
    """Seat a user on the council with a role; grants the council member capability if they lack it."""
    _require_office(actor, "Chỉ Văn phòng cập nhật thành phần Hội đồng.")
    if role not in CouncilRole.values:
        raise AwardError("Vai trò trong Hội đồng không hợp lệ.")
    if not user.is_active:
        raise AwardError("Tài khoản này đã ngừng hoạt động; không thể bổ sung vào Hội đồng.")
    with transaction.atomic():
        if CouncilMember.objects.filter(user=user, is_active=True).exists():
            raise AwardError(f"{user} đã là thành viên Hội đồng.")
        if role == CouncilRole.CHAIR and CouncilMember.objects.filter(role=CouncilRole.CHAIR, is_active=True).exists():
            raise AwardError("Hội đồng đã có Chủ tịch. Hãy kết thúc nhiệm vụ của Chủ tịch hiện tại trước.")
        try:
            with transaction.atomic():
                seat = CouncilMember.objects.create(user=user, role=role, title_in_council=title_in_council.strip())
        except IntegrityError:
            # Two people seating a chair (or the same user) at once: the database keeps one.
            raise AwardError("Hội đồng đã có Chủ tịch hoặc người này đã là thành viên Hội đồng.") from None
        grant(user, Capability.COUNCIL_MEMBER)
        notify(
            [user],
            f"Bạn được bổ sung vào Hội đồng Thi đua - Khen thưởng với vai trò {seat.get_role_display()}.",
            _url("awards:council_home"),
            actor=actor,
        )
    return seat


def council_member_end(*, seat, actor):
    """End a seat (kept, never deleted: past meetings recorded it); the member's capability goes with it
    unless another seat of theirs still needs it."""
    _require_office(actor, "Chỉ Văn phòng cập nhật thành phần Hội đồng.")
    with transaction.atomic():
        updated = CouncilMember.objects.filter(pk=seat.pk, is_active=True).update(
            is_active=False, until=timezone.localdate()
        )
        if not updated:
            raise InvalidTransition("Thành viên này đã thôi tham gia Hội đồng.")
        seat.refresh_from_db()
        if not CouncilMember.objects.filter(user_id=seat.user_id, is_active=True).exists():
            revoke(seat.user, Capability.COUNCIL_MEMBER)
    return seat


# ---------------------------------------------------------------------------------------------
# Meetings and the agenda
# ---------------------------------------------------------------------------------------------


def _url(name, *args):
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def meeting_create(*, award_round, title, scheduled_at, place, voting, actor):
    """Convene a meeting for a round; the active members are recorded as they stand today.

    Never for a time already past: the members would be called to a meeting that cannot take place. Times are
    typed to the minute, so the current minute still counts as now.
    """
    _require_office(actor, "Chỉ Văn phòng triệu tập cuộc họp Hội đồng.")
    if award_round.status not in (AwardRound.Status.OPEN, AwardRound.Status.CLOSED):
        raise AwardError("Chỉ triệu tập họp Hội đồng cho đợt xét đang nhận hoặc đã hết hạn nhận hồ sơ.")
    if voting not in CouncilMeeting.Voting.values:
        raise AwardError("Hình thức bỏ phiếu không hợp lệ.")
    now = timezone.localtime()
    if scheduled_at < now.replace(second=0, microsecond=0):
        raise AwardError(
            f"Thời gian họp ({timezone.localtime(scheduled_at):%H:%M ngày %d/%m/%Y}) đã qua; không triệu tập "
            f"cuộc họp vào thời điểm trước hiện tại ({now:%H:%M ngày %d/%m/%Y}).",
            field="scheduled_at",
        )
    with transaction.atomic():
        seats = list(CouncilMember.objects.filter(is_active=True).select_related("user"))
        if not seats:
            raise AwardError("Hội đồng chưa có thành viên nào; hãy cập nhật thành phần Hội đồng trước.")
        if not any(seat.role == CouncilRole.CHAIR for seat in seats):
            raise AwardError("Hội đồng chưa có Chủ tịch; hãy cập nhật thành phần Hội đồng trước.")
        meeting = CouncilMeeting.objects.create(
            round=award_round,
            title=title.strip(),
            scheduled_at=scheduled_at,
            place=place.strip(),
            voting=voting,
            member_count=len(seats),
            created_by=actor,
        )
        MeetingMember.objects.bulk_create(
            MeetingMember(meeting=meeting, user=seat.user, role=seat.role, name=seat.user.get_full_name())
            for seat in seats
        )
        MEETING.record(meeting, "convene", actor=actor, from_status="")
        when = timezone.localtime(scheduled_at).strftime("%H:%M ngày %d/%m/%Y")
        notify(
            [seat.user for seat in seats],
            f"Triệu tập họp Hội đồng Thi đua - Khen thưởng: {meeting.title}, {when}"
            + (f", tại {meeting.place}." if meeting.place else "."),
            meeting.get_absolute_url(),
            actor=actor,
        )
    return meeting


def _lock_meeting(meeting):
    return MEETING.lock(meeting)


def agenda_candidates(meeting):
    """The round's nominations the office may put on the agenda: submitted, not already on it."""
    return (
        Nomination.objects.filter(round_id=meeting.round_id, status=Nomination.Status.SUBMITTED)
        .exclude(agenda_items__meeting=meeting)
        .select_related("form", "unit")
    )


def agenda_add(*, meeting, nominations, actor):
    """Put submitted nominations on a planned meeting's agenda: all of them, or none."""
    _require_office(actor, "Chỉ Văn phòng lập chương trình họp Hội đồng.")
    if not nominations:
        raise AwardError("Vui lòng chọn ít nhất một đề nghị khen thưởng.")
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        if locked.status != MeetingStatus.PLANNED:
            raise InvalidTransition("Chỉ bổ sung chương trình cho cuộc họp chưa diễn ra.")
        ids = sorted({nomination.pk for nomination in nominations})
        rows = list(
            Nomination.objects.select_for_update(of=("self",))
            .filter(pk__in=ids)
            .select_related("form", "unit")
            .order_by("pk")
        )
        if len(rows) != len(ids):
            raise AwardError("Không tìm thấy một số đề nghị đã chọn.")
        position = locked.agenda.count()
        items = []
        for nomination in rows:
            if nomination.round_id != locked.round_id:
                raise AwardError(f"Đề nghị “{nomination}” không thuộc đợt xét của cuộc họp này.")
            if not NOMINATION.allows(nomination, "put_on_agenda"):
                raise InvalidTransition(
                    f"Đề nghị “{nomination}” không ở trạng thái đã gửi (hiện: {nomination.get_status_display()})."
                )
            if not permissions.can_check_nomination(actor, nomination):
                raise NotAllowed(f"Bạn không thẩm định hồ sơ “{nomination}” của đơn vị mình.")
            NOMINATION.apply(
                nomination, "put_on_agenda", actor=actor, comment=f"Đưa vào chương trình họp: {locked.title}."
            )
            position += 1
            items.append(AgendaItem(meeting=locked, nomination=nomination, position=position))
            notify(
                unit_managers(nomination.unit_id),
                f"Hồ sơ đề nghị “{nomination}” đã được đưa ra Hội đồng Thi đua - Khen thưởng xét.",
                _url("awards:nomination_detail", nomination.pk),
                actor=actor,
            )
        AgendaItem.objects.bulk_create(items)
    return items


def agenda_remove(*, item, actor):
    """Take a nomination off the agenda before the meeting is held; it goes back to submitted."""
    _require_office(actor, "Chỉ Văn phòng điều chỉnh chương trình họp Hội đồng.")
    with transaction.atomic():
        locked = _lock_meeting(item.meeting)
        if locked.status != MeetingStatus.PLANNED:
            raise InvalidTransition("Cuộc họp đã diễn ra; không rút đề nghị khỏi chương trình được.")
        item = AgendaItem.objects.filter(pk=item.pk, meeting=locked).first()
        if item is None:
            raise InvalidTransition("Đề nghị này không còn trong chương trình họp.")
        nomination = NOMINATION.lock(item.nomination, "form")
        NOMINATION.apply(
            nomination, "remove_from_agenda", actor=actor, comment=f"Rút khỏi chương trình họp: {locked.title}."
        )
        item.delete()
        notify(
            unit_managers(nomination.unit_id),
            f"Hồ sơ đề nghị “{nomination}” được rút khỏi chương trình họp Hội đồng; "
            "Văn phòng sẽ xếp vào phiên họp khác.",
            _url("awards:nomination_detail", nomination.pk),
            actor=actor,
        )
    return nomination


# ---------------------------------------------------------------------------------------------
# Holding the meeting: attendance, paper tally, electronic ballot
# ---------------------------------------------------------------------------------------------


def _require_tally_clerk(actor, meeting):
    if not permissions.can_enter_tally(actor, meeting):
        raise NotAllowed("Chỉ Thư ký Hội đồng hoặc Văn phòng thực hiện việc này.")


def _voting_started(meeting):
    return (
        meeting.agenda.filter(Q(agree__isnull=False) | Q(disagree__isnull=False)).exists()
        or BallotCast.objects.filter(item__meeting=meeting).exists()
    )


def meeting_record_attendance(*, meeting, present_user_ids, actor):
    """Record who attended; the meeting is then being held (planned → held).

    A meeting opened before its scheduled time keeps the time it really began (`started_at`), which the
    minutes print; one opened at or after it began as scheduled.
    """
    _require_tally_clerk(actor, meeting)
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        if locked.status == MeetingStatus.CLOSED:
            raise InvalidTransition("Cuộc họp đã kết thúc; không sửa danh sách có mặt được.")
        if _voting_started(locked):
            raise InvalidTransition("Đã có kết quả bỏ phiếu; không sửa danh sách có mặt được.")
        present = set(present_user_ids)
        members = list(locked.members.select_related("user"))
        unknown = present - {member.user_id for member in members}
        if unknown:
            raise AwardError("Danh sách có mặt có người không phải thành viên của cuộc họp.")
        for member in members:
            member.attended = member.user_id in present
        MeetingMember.objects.bulk_update(members, ["attended"])
        attended = sum(member.attended for member in members)
        comment = f"Có mặt {attended}/{len(members)} thành viên."
        if MEETING.allows(locked, "hold"):
            now = timezone.now()
            if now < locked.scheduled_at:
                locked.started_at = now
                comment += (
                    f" Cuộc họp bắt đầu lúc {timezone.localtime(now):%H:%M ngày %d/%m/%Y}, sớm hơn lịch "
                    f"({timezone.localtime(locked.scheduled_at):%H:%M ngày %d/%m/%Y})."
                )
            MEETING.apply(locked, "hold", actor=actor, comment=comment)
            if locked.voting == CouncilMeeting.Voting.ELECTRONIC:
                # The hand-over to the members present: the electronic ballot is open for them from now on.
                notify(
                    [member.user for member in members if member.attended],
                    f"Cuộc họp Hội đồng Thi đua - Khen thưởng “{locked.title}” đã bắt đầu: "
                    "mời thành viên bỏ phiếu điện tử.",
                    locked.get_absolute_url(),
                    actor=actor,
                )
        else:
            MEETING.record(locked, "attendance", actor=actor, comment=comment)
    return locked


def _held_with_quorum(meeting, *, voting):
    if meeting.status != MeetingStatus.HELD:
        raise InvalidTransition("Cuộc họp chưa bắt đầu (chưa ghi danh sách có mặt) hoặc đã kết thúc.")
    if meeting.voting != voting:
        if voting == CouncilMeeting.Voting.PAPER:
            raise AwardError("Cuộc họp này bỏ phiếu điện tử; kết quả được kiểm từ phiếu điện tử.")
        raise AwardError("Cuộc họp này bỏ phiếu bằng giấy; Thư ký nhập kết quả kiểm phiếu.")
    quorum = quorum_status(meeting)
    if not quorum["met"]:
        raise AwardError(below_quorum_message(meeting, quorum))
    return quorum


def below_quorum_message(meeting, quorum):
    return (
        f"Chưa đủ số thành viên dự họp: có mặt {quorum['attended']}/{meeting.member_count}, "
        f"cần ít nhất {quorum['needed']} ({_percent(quorum['percent'])}% tổng số thành viên)."
    )


def _percent(value):
    text = f"{Decimal(value).normalize():f}"
    return text.replace(".", ",")


def tally_enter(*, meeting, counts, actor):
    """Save the paper ballot's counts per agenda item, as read from the biên bản kiểm phiếu.

    `counts` maps an agenda item's id to {"agree", "disagree", "chair_casting_vote"}. Items left
    out are untouched. With any mistake nothing is saved (TallyInvalid lists the mistakes).
    """
    _require_tally_clerk(actor, meeting)
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        _held_with_quorum(locked, voting=CouncilMeeting.Voting.PAPER)
        items = {item.pk: item for item in locked.agenda.select_related("nomination__form", "nomination__person")}
        attending = set(locked.members.filter(attended=True).values_list("user_id", flat=True))
        problems = {}
        changed = []
        now = timezone.now()
        for item_id, values in counts.items():
            item = items.get(item_id)
            if item is None:
                raise AwardError("Có đề nghị không thuộc chương trình họp này.")
            problem = _tally_problem(item, values, attending)
            if problem:
                problems[item_id] = problem
                continue
            casting = values.get("chair_casting_vote") if needs_casting_vote(values, item.nomination.form) else None
            item.agree, item.disagree, item.chair_casting_vote = values["agree"], values["disagree"], casting
            item.tally_entered_by, item.tally_entered_at = actor, now
            changed.append(item)
        if problems:
            raise TallyInvalid(problems)
        AgendaItem.objects.bulk_update(
            changed, ["agree", "disagree", "chair_casting_vote", "tally_entered_by", "tally_entered_at"]
        )
    return changed


def _tally_problem(item, values, attending):
    agree, disagree = values.get("agree"), values.get("disagree")
    if agree is None or disagree is None:
        return "Vui lòng nhập cả số phiếu đồng ý và số phiếu không đồng ý."
    if agree < 0 or disagree < 0:
        return "Số phiếu không được âm."
    voters = eligible_voters(item, attending)
    if agree + disagree > voters:
        nominee = " (không kể người được đề nghị, không tự bỏ phiếu cho mình)" if voters < len(attending) else ""
        return f"Tổng số phiếu ({agree + disagree}) vượt quá số thành viên được bỏ phiếu có mặt: {voters}{nominee}."
    return ""


def casting_vote_enter(*, meeting, votes, actor):
    """The chair's casting vote on tied simple-majority items, once an electronic ballot is counted."""
    _require_tally_clerk(actor, meeting)
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        _held_with_quorum(locked, voting=locked.voting)
        items = {item.pk: item for item in locked.agenda.select_related("nomination__form")}
        changed = []
        for item_id, vote in votes.items():
            item = items.get(item_id)
            if item is None:
                raise AwardError("Có đề nghị không thuộc chương trình họp này.")
            if not needs_casting_vote(counts_of(item), item.nomination.form):
                raise AwardError(f"Đề nghị “{item.nomination}” không có số phiếu ngang nhau cần Chủ tịch quyết định.")
            item.chair_casting_vote = vote
            changed.append(item)
        AgendaItem.objects.bulk_update(changed, ["chair_casting_vote"])
    return changed


def ballot_cast(*, item, choice, actor):
    """An attending member's secret electronic vote on one agenda item.

    Writes who voted (`BallotCast`, refused the second time) and rewrites the item's one tally in place, both in
    one transaction with the meeting and the tally locked: no row records what this member chose.
    """
    if choice not in BallotTally.Choice.values:
        raise AwardError("Vui lòng chọn Đồng ý hoặc Không đồng ý.")
    with transaction.atomic():
        meeting = _lock_meeting(item.meeting)
        _held_with_quorum(meeting, voting=CouncilMeeting.Voting.ELECTRONIC)
        item = AgendaItem.objects.select_related("meeting", "nomination__person").get(pk=item.pk, meeting=meeting)
        tally = BallotTally.objects.select_for_update().filter(item=item).first()
        if item.agree is not None or (tally is not None and tally.closed):
            raise InvalidTransition("Đã kết thúc bỏ phiếu đề nghị này.")
        person = item.nomination.person
        if person is not None and person.user_id == actor.pk:
            raise NotAllowed("Thành viên Hội đồng không bỏ phiếu cho chính mình.")
        if not permissions.can_cast_ballot(actor, item):
            raise NotAllowed("Chỉ thành viên Hội đồng có mặt tại cuộc họp mới được bỏ phiếu.")
        try:
            with transaction.atomic():
                BallotCast.objects.create(item=item, user=actor)
        except IntegrityError:
            raise InvalidTransition("Bạn đã bỏ phiếu cho đề nghị này; mỗi thành viên chỉ bỏ một phiếu.") from None
        agree, disagree = _unsealed(item, tally)
        if choice == BallotTally.Choice.AGREE:
            agree += 1
        else:
            disagree += 1
        sealed = seal(item.pk, agree, disagree)
        if tally is None:
            BallotTally.objects.create(item=item, sealed=sealed)
        else:
            BallotTally.objects.filter(pk=tally.pk).update(sealed=sealed)


def _unsealed(item, tally):
    """(agree, disagree) of an item's tally; (0, 0) before the first vote."""
    if tally is None:
        return 0, 0
    try:
        return unseal(item.pk, tally.sealed)
    except SealBroken:
        raise AwardError(
            f"Không mở được kết quả bỏ phiếu điện tử của đề nghị “{item.nomination}”: khóa bí mật của cổng "
            "(DJANGO_SECRET_KEY) đã đổi mà khóa cũ không được giữ trong SECRET_KEY_FALLBACKS. "
            "Vui lòng liên hệ quản trị hệ thống; chưa thay đổi gì."
        ) from None


TALLY_FIELDS = ["agree", "disagree", "tally_entered_by", "tally_entered_at"]


def _count_ballots(meeting, items, actor):
    """Close the items' electronic votes and write their counts into them."""
    _read_ballots(meeting, items, actor)
    _close_tallies(items)
    AgendaItem.objects.bulk_update(items, TALLY_FIELDS)


def _read_ballots(meeting, items, actor):
    """Set each item's counts from its tally in memory (the tallies locked); the caller saves them and closes the
    tallies once it may, so a refused close writes nothing."""
    tallies = {tally.item_id: tally for tally in BallotTally.objects.select_for_update().filter(item__meeting=meeting)}
    now = timezone.now()
    for item in items:
        item.agree, item.disagree = _unsealed(item, tallies.get(item.pk))
        item.tally_entered_by, item.tally_entered_at = actor, now
        item.has_tally = item.pk in tallies


def _close_tallies(items):
    """No vote is taken on these items any more; an item nobody voted on gets a closed tally of zero, so every
    counted item has its one row."""
    BallotTally.objects.filter(item__in=[item.pk for item in items if item.has_tally]).update(closed=True)
    BallotTally.objects.bulk_create(
        BallotTally(item=item, sealed=seal(item.pk, 0, 0), closed=True) for item in items if not item.has_tally
    )


def ballot_count(*, meeting, actor):
    """End the electronic ballot and count it; the counts are then shown and no vote is taken any more."""
    _require_tally_clerk(actor, meeting)
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        _held_with_quorum(locked, voting=CouncilMeeting.Voting.ELECTRONIC)
        items = list(locked.agenda.all())
        if not items:
            raise AwardError("Chương trình họp chưa có đề nghị nào.")
        if all(item.agree is not None for item in items):
            raise InvalidTransition("Đã kiểm phiếu cuộc họp này.")
        _count_ballots(locked, items, actor)
    return items


def counts_of(item):
    return {"agree": item.agree, "disagree": item.disagree, "chair_casting_vote": item.chair_casting_vote}


def meeting_close(*, meeting, actor, notes="", ended_at=None):
    """Decide every item, move each nomination to recommended or not recommended, and close the meeting.

    `notes` are the opinions voiced at the meeting and `ended_at` the time it ended, both for the minutes. An
    end before the meeting began (its actual start when opened early) is refused; without one, the end is now
    (left unknown while the record says the meeting has not begun yet).
    """
    _require_tally_clerk(actor, meeting)
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        if locked.status == MeetingStatus.CLOSED:
            raise InvalidTransition("Cuộc họp đã kết thúc.")
        # Times are typed to the minute: an end in the minute the meeting started is not before it.
        started = locked.began_at.replace(second=0, microsecond=0)
        if ended_at is None:
            ended_at = timezone.now() if timezone.now() >= started else None
        elif ended_at < started:
            start = timezone.localtime(locked.began_at)
            raise AwardError(
                f"Thời gian kết thúc ({timezone.localtime(ended_at):%H:%M ngày %d/%m/%Y}) không được trước "
                f"thời gian bắt đầu cuộc họp ({start:%H:%M ngày %d/%m/%Y}).",
                field="ended_at",
            )
        _held_with_quorum(locked, voting=locked.voting)
        items = list(locked.agenda.select_related("nomination__form", "nomination__unit"))
        if not items:
            raise AwardError("Chương trình họp chưa có đề nghị nào; không kết thúc cuộc họp được.")
        # Counted in memory and saved with the outcomes: a close refused below writes nothing.
        counted = locked.voting == CouncilMeeting.Voting.ELECTRONIC and any(item.agree is None for item in items)
        if counted:
            _read_ballots(locked, items, actor)
        missing = [str(item.nomination) for item in items if item.agree is None]
        if missing:
            raise AwardError("Chưa nhập kết quả kiểm phiếu cho: " + "; ".join(missing) + ".")
        attended = locked.members.filter(attended=True).count()
        outcomes = [
            (item, decide(counts_of(item), item.nomination.form, locked.member_count, attended)) for item in items
        ]
        waiting = [str(item.nomination) for item, outcome in outcomes if outcome == Outcome.PENDING]
        if waiting:
            raise AwardError(
                "Số phiếu ngang nhau, cần ý kiến quyết định của Chủ tịch Hội đồng cho: " + "; ".join(waiting) + "."
            )
        nominations = {
            row.pk: row
            for row in Nomination.objects.select_for_update(of=("self",)).filter(
                pk__in=[item.nomination_id for item, _ in outcomes]
            )
        }
        passed = 0
        for item, outcome in outcomes:
            nomination = nominations[item.nomination_id]
            item.outcome = outcome
            passed += outcome == Outcome.PASSED
            if not NOMINATION.allows(nomination, "recommend"):
                raise InvalidTransition(f"Đề nghị “{item.nomination}” không còn ở trạng thái chờ Hội đồng xét.")
            NOMINATION.apply(
                nomination,
                "recommend" if outcome == Outcome.PASSED else "not_recommend",
                actor=actor,
                comment=f"{locked.title}: {item.agree} đồng ý, {item.disagree} không đồng ý / "
                f"{locked.member_count} thành viên.",
            )
            notify(
                unit_managers(nomination.unit_id),
                f"Hội đồng Thi đua - Khen thưởng: đề nghị “{item.nomination}” — {nomination.get_status_display()}.",
                _url("awards:nomination_detail", nomination.pk),
                actor=actor,
            )
        if counted:
            _close_tallies(items)
        AgendaItem.objects.bulk_update([item for item, _ in outcomes], ["outcome", *(TALLY_FIELDS if counted else [])])
        locked.notes = notes.strip()
        locked.ended_at = ended_at
        MEETING.apply(locked, "close", actor=actor, comment=f"Đề nghị khen thưởng {passed}/{len(outcomes)} hồ sơ.")
        notify(
            leaders(),
            f"Hội đồng Thi đua - Khen thưởng đã họp ({locked.title}): đề nghị khen thưởng {passed}/{len(outcomes)} "
            "hồ sơ, chờ lãnh đạo Sở xem xét.",
            locked.get_absolute_url(),
            actor=actor,
        )
    return locked


# ---------------------------------------------------------------------------------------------
# The minutes
# ---------------------------------------------------------------------------------------------


def minutes_request(*, meeting, actor):
    """Ask the render job for the minutes (biên bản họp) of a closed meeting and link them to it."""
    _require_tally_clerk(actor, meeting)
    with transaction.atomic():
        locked = _lock_meeting(meeting)
        if locked.status != MeetingStatus.CLOSED:
            raise InvalidTransition("Chỉ lập biên bản sau khi cuộc họp kết thúc.")
        previous = locked.minutes
        if previous is not None and previous.render_status != previous.RenderStatus.FAILED:
            raise InvalidTransition("Biên bản cuộc họp này đã được lập.")
        document = documents.request_document(
            kind="minutes",
            award_round=locked.round,
            actor=actor,
            content=minutes_content(locked),
            summary=minutes_summary(locked),
            meeting=locked,
        )
        if locked.minutes_id != document.pk:
            locked.minutes = document
            locked.save(update_fields=["minutes"])
        MEETING.record(locked, "minutes", actor=actor, comment=document.summary)
    return document
