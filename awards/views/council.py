"""The council in the browser: its members, meetings, agenda, attendance, the paper tally, the electronic
ballot, closing a meeting and its minutes.

Views are thin: awards.permissions answers who may see and do what (404 for a meeting one does not
belong to, 403 for an action that is not theirs), awards.forms.council reads the input and
awards.services.council does the work. A refusal changes nothing and keeps what was typed.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from portal.forms import error_messages
from workflow.errors import Refused

from .. import permissions
from ..forms.council import (
    AgendaAddForm,
    AttendanceForm,
    BallotForm,
    CloseForm,
    CouncilMemberForm,
    MeetingForm,
    TallyForm,
)
from ..models import AgendaItem, AwardRound, BallotCast, CouncilMeeting, CouncilMember, CouncilRole, MeetingMember
from ..services import council as services
from ..services import rules as award_rules

MeetingStatus = CouncilMeeting.Status
Voting = CouncilMeeting.Voting
STATUS_BADGES = {
    MeetingStatus.PLANNED: "text-bg-secondary",
    MeetingStatus.HELD: "text-bg-primary",
    MeetingStatus.CLOSED: "text-bg-success",
}
ROLE_ORDER = {CouncilRole.CHAIR: 0, CouncilRole.VICE_CHAIR: 1, CouncilRole.MEMBER: 2, CouncilRole.SECRETARY: 3}
OUTCOME_BADGES = {
    AgendaItem.Outcome.PENDING: "text-bg-light border",
    AgendaItem.Outcome.PASSED: "text-bg-success",
    AgendaItem.Outcome.FAILED: "text-bg-danger",
}


def _link(name, *args):
    """The URL of another area's page, or "" while that area has not added it yet."""
    try:
        return reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _sees_everything(user):
    return permissions.can_manage_rounds(user) or permissions.can_decide(user)


def _require_council(user):
    if not permissions.can_see_council(user):
        raise Http404("Không tìm thấy trang.")


def _office_meeting(user, pk):
    meeting = permissions.get_visible_meeting(user, pk)
    if not permissions.can_manage_rounds(user):
        raise PermissionDenied("Chỉ Văn phòng lập chương trình họp Hội đồng.")
    return meeting


def _clerk_meeting(user, pk):
    meeting = permissions.get_visible_meeting(user, pk)
    if not permissions.can_enter_tally(user, meeting):
        raise PermissionDenied("Chỉ Thư ký Hội đồng hoặc Văn phòng thực hiện việc này.")
    return meeting


def _agenda(meeting):
    return list(
        meeting.agenda.select_related("nomination__form", "nomination__person", "nomination__unit").order_by(
            "position", "pk"
        )
    )


# ---------------------------------------------------------------------------------------------
# Home and members
# ---------------------------------------------------------------------------------------------


@require_GET
def council_home(request):
    """The council's landing page: the meetings the person may see with their agendas, and the council."""
    user = request.user
    _require_council(user)
    meetings = list(
        CouncilMeeting.objects.filter(permissions.visible_meetings_filter(user))
        .select_related("round")
        .prefetch_related(
            Prefetch(
                "agenda",
                queryset=AgendaItem.objects.select_related("nomination__form").order_by("position", "pk"),
            )
        )
    )
    for meeting in meetings:
        meeting.badge = STATUS_BADGES.get(meeting.status, "")
        for item in meeting.agenda.all():
            item.link = _link("awards:nomination_detail", item.nomination_id)
    composition = None
    if _sees_everything(user):
        composition = list(CouncilMember.objects.filter(is_active=True).select_related("user__unit"))
    return render(
        request,
        "awards/council/home.html",
        {
            "meetings": meetings,
            "composition": composition,
            "can_manage": permissions.can_manage_rounds(user),
        },
    )


@require_http_methods(["GET", "POST"])
def council_members(request):
    """The council's composition; the office seats a member with a role or ends a seat."""
    user = request.user
    if not _sees_everything(user):
        raise Http404("Không tìm thấy trang.")
    can_manage = permissions.can_manage_rounds(user)
    form = CouncilMemberForm(request.POST if request.method == "POST" else None) if can_manage else None
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("Chỉ Văn phòng cập nhật thành phần Hội đồng.")
        if form.is_valid():
            try:
                seat = services.council_member_add(
                    user=form.cleaned_data["user"],
                    role=form.cleaned_data["role"],
                    title_in_council=form.cleaned_data["title_in_council"],
                    actor=user,
                )
            except Refused as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"Đã bổ sung {seat.user} vào Hội đồng ({seat.get_role_display()}).")
                return redirect("awards:council_members")
    seats = CouncilMember.objects.select_related("user__unit").order_by("-is_active", "role", "user__full_name")
    return render(
        request,
        "awards/council/members.html",
        {"seats": list(seats), "form": form, "can_manage": can_manage},
    )


@require_POST
def council_member_end(request, pk):
    """End a member's seat (the row stays: past meetings recorded it)."""
    user = request.user
    if not _sees_everything(user):
        raise Http404("Không tìm thấy trang.")
    seat = get_object_or_404(CouncilMember.objects.select_related("user"), pk=pk)
    if not permissions.can_manage_rounds(user):
        raise PermissionDenied("Chỉ Văn phòng cập nhật thành phần Hội đồng.")
    try:
        services.council_member_end(seat=seat, actor=user)
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"{seat.user} đã thôi tham gia Hội đồng từ ngày {seat.until:%d/%m/%Y}.")
    return redirect("awards:council_members")


# ---------------------------------------------------------------------------------------------
# Meetings
# ---------------------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def meeting_create(request):
    """The office convenes a meeting of the council for a round; paper ballot unless chosen otherwise."""
    user = request.user
    _require_council(user)
    if not permissions.can_manage_rounds(user):
        raise PermissionDenied("Chỉ Văn phòng triệu tập cuộc họp Hội đồng.")
    initial = {}
    round_id = request.GET.get("round", "")
    if round_id.isdigit():
        initial["round"] = AwardRound.objects.filter(pk=round_id).first()
    form = MeetingForm(request.POST if request.method == "POST" else None, initial=initial)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            meeting = services.meeting_create(
                award_round=data["round"],
                title=data["title"],
                scheduled_at=data["scheduled_at"],
                place=data["place"],
                voting=data["voting"],
                actor=user,
            )
        except Refused as error:
            messages.error(request, error.message)
            if error.field in form.fields:
                form.add_error(error.field, error.message)  # shown on the field, what was typed kept
        else:
            messages.success(request, "Đã triệu tập cuộc họp Hội đồng.")
            return redirect(meeting)
    return render(request, "awards/council/meeting_form.html", {"form": form})


@require_GET
def meeting_detail(request, pk):
    """A meeting: its members and attendance, the agenda, the tallies and outcomes, and what one may do next."""
    return _meeting_page(request, permissions.get_visible_meeting(request.user, pk))


def _meeting_page(request, meeting, *, close_form=None, status=200):
    """The meeting's page; after a refused close, with the close form as it was typed."""
    user = request.user
    members = sorted(meeting.members.all(), key=lambda member: (ROLE_ORDER.get(member.role, 9), member.name))
    electronic = meeting.voting == Voting.ELECTRONIC
    agenda = meeting.agenda.select_related("nomination__form", "nomination__person", "nomination__unit").order_by(
        "position", "pk"
    )
    if electronic:
        # Who has voted, from BallotCast alone; the counts come from the item once the ballot is counted.
        agenda = agenda.prefetch_related(
            Prefetch("casts", queryset=BallotCast.objects.select_related("user").order_by("user__full_name"))
        )
    items = list(agenda)
    quorum = services.quorum_status(meeting, items=items, members=members)
    # The award rules again, on the record as it stands at the meeting (one evaluation for the whole agenda).
    rule_results = award_rules.evaluate([item.nomination for item in items])
    for item in items:
        item.link = _link("awards:nomination_detail", item.nomination_id)
        item.failed_rules = [result for result in rule_results.get(item.nomination_id, []) if result.blocks]
        item.counted = item.agree is not None and (not electronic or item.tally_entered_by_id is not None)
        if meeting.status == MeetingStatus.CLOSED:
            item.result = item.outcome
        elif item.counted:
            item.result = services.decide(
                services.counts_of(item), item.nomination.form, meeting.member_count, quorum["attended"]
            )
        else:
            item.result = AgendaItem.Outcome.PENDING
        item.result_label = AgendaItem.Outcome(item.result).label
        item.badge = OUTCOME_BADGES[item.result]
        item.voters = [cast.user.get_full_name() for cast in item.casts.all()] if electronic else []
        item.removable = meeting.status == MeetingStatus.PLANNED
    office = permissions.can_manage_rounds(user)
    clerk = permissions.can_enter_tally(user, meeting)
    seat = next((member for member in members if member.user_id == user.pk), None)
    held = meeting.status == MeetingStatus.HELD
    counted = bool(items) and all(item.counted for item in items)
    return render(
        request,
        "awards/council/meeting_detail.html",
        {
            "meeting": meeting,
            "badge": STATUS_BADGES.get(meeting.status, ""),
            "members": members,
            "items": items,
            "quorum": quorum,
            "electronic": electronic,
            "office": office,
            "clerk": clerk,
            "can_add_agenda": office and meeting.status == MeetingStatus.PLANNED,
            "can_record_attendance": clerk and meeting.status != MeetingStatus.CLOSED,
            "can_tally": clerk and held and quorum["met"] and (not electronic or counted),
            "can_count_ballots": clerk and held and electronic and quorum["met"] and not counted and bool(items),
            "can_vote": seat is not None and seat.attended and electronic and held and quorum["met"] and not counted,
            "can_close": clerk and held and quorum["met"] and bool(items),
            "close_form": close_form or CloseForm(initial={"notes": meeting.notes, "ended_at": timezone.localtime()}),
            "can_request_minutes": clerk and meeting.status == MeetingStatus.CLOSED and meeting.minutes_id is None,
            "minutes_link": _link("awards:document_detail", meeting.minutes_id) if meeting.minutes_id else "",
            "round_link": _link("awards:round_detail", meeting.round_id),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def agenda_add(request, pk):
    """The office puts the round's submitted nominations on a planned meeting's agenda."""
    user = request.user
    meeting = _office_meeting(user, pk)
    if meeting.status != MeetingStatus.PLANNED:
        messages.error(request, "Chỉ bổ sung chương trình cho cuộc họp chưa diễn ra.")
        return redirect(meeting)
    form = AgendaAddForm(
        request.POST if request.method == "POST" else None, candidates=services.agenda_candidates(meeting)
    )
    if request.method == "POST" and form.is_valid():
        try:
            items = services.agenda_add(meeting=meeting, nominations=list(form.cleaned_data["nominations"]), actor=user)
        except Refused as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Đã đưa {len(items)} đề nghị vào chương trình họp.")
            return redirect(meeting)
    return render(request, "awards/council/agenda_add.html", {"meeting": meeting, "form": form})


@require_POST
def agenda_remove(request, pk, item_pk):
    """The office takes a nomination off the agenda before the meeting is held."""
    user = request.user
    meeting = _office_meeting(user, pk)
    item = get_object_or_404(AgendaItem.objects.select_related("nomination", "meeting"), pk=item_pk, meeting=meeting)
    try:
        services.agenda_remove(item=item, actor=user)
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã rút đề nghị “{item.nomination}” khỏi chương trình họp.")
    return redirect(meeting)


@require_http_methods(["GET", "POST"])
def meeting_attendance(request, pk):
    """The secretary or the office records who attended; the meeting is then being held."""
    user = request.user
    meeting = _clerk_meeting(user, pk)
    form = AttendanceForm(request.POST if request.method == "POST" else None, meeting=meeting)
    if request.method == "POST" and form.is_valid():
        present = [member.user_id for member in form.cleaned_data["present"]]
        try:
            meeting = services.meeting_record_attendance(meeting=meeting, present_user_ids=present, actor=user)
        except Refused as error:
            messages.error(request, error.message)
        else:
            quorum = services.quorum_status(meeting)
            if quorum["met"]:
                messages.success(request, f"Đã ghi danh sách có mặt: {quorum['attended']}/{meeting.member_count}.")
            else:
                messages.warning(request, services.below_quorum_message(meeting, quorum))
            return redirect(meeting)
    return render(
        request,
        "awards/council/attendance.html",
        {"meeting": meeting, "form": form, "quorum": services.quorum_status(meeting)},
    )


@require_http_methods(["GET", "POST"])
def meeting_tally(request, pk):
    """The secretary enters the paper ballot's counts (or, after an electronic count, the chair's casting votes)."""
    user = request.user
    meeting = _clerk_meeting(user, pk)
    if meeting.status != MeetingStatus.HELD:
        messages.error(request, "Chỉ nhập kết quả kiểm phiếu khi cuộc họp đang diễn ra.")
        return redirect(meeting)
    items = _agenda(meeting)
    quorum = services.quorum_status(meeting, items=items)
    electronic = meeting.voting == Voting.ELECTRONIC
    if electronic:
        items = [item for item in items if services.needs_casting_vote(services.counts_of(item), item.nomination.form)]
    if electronic and not items and request.method == "POST":
        messages.info(
            request, "Không có nội dung nào ngang phiếu cần Chủ tịch Hội đồng quyết định; không có gì để lưu."
        )
        return redirect(meeting)
    form = TallyForm(request.POST if request.method == "POST" else None, items=items, counts_editable=not electronic)
    if request.method == "POST" and quorum["met"] and form.is_valid():
        try:
            if electronic:
                services.casting_vote_enter(meeting=meeting, votes=form.casting_votes(), actor=user)
            else:
                services.tally_enter(meeting=meeting, counts=form.counts(), actor=user)
        except services.TallyInvalid as error:
            messages.error(request, error.message)
            for item_id, problem in error.problems.items():
                form.add_error(f"agree-{item_id}", problem)
        except Refused as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Đã lưu kết quả kiểm phiếu.")
            return redirect(meeting)
    return render(
        request,
        "awards/council/tally.html",
        {
            "meeting": meeting,
            "form": form,
            "quorum": quorum,
            "below_quorum": "" if quorum["met"] else services.below_quorum_message(meeting, quorum),
            "electronic": electronic,
        },
    )


@require_http_methods(["GET", "POST"])
def ballot(request, pk):
    """An attending member's electronic secret ballot: one vote per agenda item, never on themself."""
    user = request.user
    meeting = permissions.get_visible_meeting(user, pk)
    seat = MeetingMember.objects.filter(meeting=meeting, user=user).first()
    if seat is None:
        raise PermissionDenied("Chỉ thành viên Hội đồng dự họp mới bỏ phiếu.")
    if meeting.voting != Voting.ELECTRONIC:
        messages.error(request, "Cuộc họp này bỏ phiếu bằng giấy; Thư ký nhập kết quả kiểm phiếu.")
        return redirect(meeting)
    items = list(
        meeting.agenda.select_related("meeting", "nomination__form", "nomination__person").order_by("position", "pk")
    )
    if request.method == "POST":
        form = BallotForm(request.POST)
        if form.is_valid():
            item = next((item for item in items if item.pk == form.cleaned_data["item"]), None)
            if item is None:
                raise Http404("Không tìm thấy nội dung cần biểu quyết.")
            try:
                services.ballot_cast(item=item, choice=form.cleaned_data["choice"], actor=user)
            except Refused as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"Đã ghi nhận phiếu của bạn về đề nghị “{item.nomination}”.")
                return redirect("awards:ballot", pk=meeting.pk)
        else:
            messages.error(request, "Vui lòng chọn Đồng ý hoặc Không đồng ý.")
    voted = set(BallotCast.objects.filter(item__meeting=meeting, user=user).values_list("item_id", flat=True))
    quorum = services.quorum_status(meeting, items=items)
    open_for_votes = meeting.status == MeetingStatus.HELD and quorum["met"]
    for item in items:
        item.link = _link("awards:nomination_detail", item.nomination_id)
        item.voted = item.pk in voted
        person = item.nomination.person
        item.is_self = person is not None and person.user_id == user.pk
        item.closed = item.agree is not None
        item.can_vote = open_for_votes and seat.attended and not item.voted and not item.is_self and not item.closed
    return render(
        request,
        "awards/council/ballot.html",
        {
            "meeting": meeting,
            "items": items,
            "seat": seat,
            "open_for_votes": open_for_votes,
            "below_quorum": "" if quorum["met"] else services.below_quorum_message(meeting, quorum),
        },
    )


@require_POST
def ballot_count(request, pk):
    """End the electronic ballot and count it."""
    user = request.user
    meeting = _clerk_meeting(user, pk)
    try:
        services.ballot_count(meeting=meeting, actor=user)
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Đã kết thúc bỏ phiếu và kiểm phiếu.")
    return redirect(meeting)


@require_POST
def meeting_close(request, pk):
    """Decide every nomination on the agenda and close the meeting at the end time typed; a refusal shows the
    page again with what was typed."""
    user = request.user
    meeting = _clerk_meeting(user, pk)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.meeting_close(
                meeting=meeting, actor=user, notes=form.cleaned_data["notes"], ended_at=form.cleaned_data["ended_at"]
            )
        except Refused as error:
            messages.error(request, error.message)
            if error.field in form.fields:
                form.add_error(error.field, error.message)
        else:
            messages.success(request, "Cuộc họp đã kết thúc; kết quả đã được gửi tới các đơn vị và lãnh đạo Sở.")
            return redirect(meeting)
    else:
        for message in error_messages(form):
            messages.error(request, message)
    meeting.refresh_from_db()
    return _meeting_page(request, meeting, close_form=form, status=400)


@require_POST
def meeting_minutes(request, pk):
    """Ask for the minutes (biên bản họp) of a closed meeting, rendered by the shared renderer."""
    user = request.user
    meeting = _clerk_meeting(user, pk)
    try:
        document = services.minutes_request(meeting=meeting, actor=user)
    except Refused as error:
        messages.error(request, error.message)
        return redirect(meeting)
    messages.success(request, "Đã yêu cầu lập biên bản họp; văn bản sẽ sẵn sàng sau ít phút.")
    link = _link("awards:document_detail", document.pk)
    return redirect(link) if link else redirect(meeting)


urlpatterns = [
    path("council/", council_home, name="council_home"),
    path("council/members/", council_members, name="council_members"),
    path("council/members/<int:pk>/end/", council_member_end, name="council_member_end"),
    path("council/meetings/new/", meeting_create, name="meeting_create"),
    path("council/meetings/<int:pk>/", meeting_detail, name="meeting_detail"),
    path("council/meetings/<int:pk>/agenda/add/", agenda_add, name="agenda_add"),
    path("council/meetings/<int:pk>/agenda/<int:item_pk>/remove/", agenda_remove, name="agenda_remove"),
    path("council/meetings/<int:pk>/attendance/", meeting_attendance, name="meeting_attendance"),
    path("council/meetings/<int:pk>/tally/", meeting_tally, name="meeting_tally"),
    path("council/meetings/<int:pk>/ballot/", ballot, name="ballot"),
    path("council/meetings/<int:pk>/ballot/count/", ballot_count, name="ballot_count"),
    path("council/meetings/<int:pk>/close/", meeting_close, name="meeting_close"),
    path("council/meetings/<int:pk>/minutes/", meeting_minutes, name="meeting_minutes"),
]
