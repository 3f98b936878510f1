"""The reads behind "Việc chờ tôi": one query per kind of thing that can wait, whatever the number of rows.

Who sees what is each app's rule, asked through its permissions module: leadership (approve, decide, confirm), the
office (review, compile, issue, answer), the members of a unit (what their unit owes), the council's members (their
meetings). The office's own unit's submissions go to leadership as the apps' `reviews_unit` / `can_review` say: the
units that have an office reviewer are a subquery of those queries (`reviewer_units`).
"""

from dataclasses import dataclass
from datetime import date, datetime
from urllib.parse import urlencode

from django.db.models import Count, Max, Min, OuterRef, Q, Subquery
from django.db.models.functions import Coalesce
from django.urls import reverse
from django.utils import timezone

from awards import permissions as award_permissions
from awards.models import (
    AgendaItem,
    AwardDocument,
    AwardRound,
    BallotCast,
    CouncilMeeting,
    MeetingMember,
    Nomination,
    PublicComment,
)
from emulation import permissions as emulation_permissions
from emulation.models import Assessment, DepartmentRegistration, EmulationYear, Registration, ScoringScheme
from reports import permissions as report_permissions
from reports.models import ConsolidatedReport, UnitReport
from reports.selectors import NOT_STARTED, unit_todo
from units.selectors import office_reviewers

# The menu items under which each kind of thing is handled (their counts add up there).
MENU_TODO = "reports:todo"
MENU_MATRIX = "reports:matrix"
MENU_CONSOLIDATED = "reports:consolidated_list"
MENU_EMULATION = "emulation:home"
MENU_NOMINATIONS = "awards:nomination_list"
MENU_APPROVALS = "awards:approvals"
MENU_COUNCIL = "awards:council_home"
MENU_DOCUMENTS = "awards:document_list"


@dataclass(frozen=True)
class WaitingItem:
    """One thing waiting for the person: what to do, where, since when and by when; `count` things behind it."""

    kind: str
    text: str
    url: str
    menu: str
    since: datetime | date | None = None
    due: date | None = None
    count: int = 1
    due_label: str = "Hạn"  # what the date is: a due date, or the day of a meeting

    def days_left(self, today):
        return None if self.due is None else (self.due - today).days

    def sort_key(self, today):
        since = self.since
        if isinstance(since, datetime):
            since = timezone.localdate(since)
        return (self.due or date.max, since or date.max, self.text)


@dataclass(frozen=True)
class Roles:
    """What the person does beyond their unit, each answered by the app's permissions module."""

    leadership: bool
    office: bool
    unit_member: bool
    council: bool
    decides_nominations: bool
    confirms_scores: bool
    approves_department_registration: bool
    handles_public_comments: bool

    @classmethod
    def of(cls, user):
        return cls(
            leadership=report_permissions.can_approve(user),
            office=report_permissions.is_office(user),
            unit_member=report_permissions.can_see_todo(user),
            council=award_permissions.sits_on_council(user),
            decides_nominations=award_permissions.can_decide(user),
            confirms_scores=emulation_permissions.can_confirm_scores(user),
            approves_department_registration=emulation_permissions.can_approve_department_registration(user),
            handles_public_comments=award_permissions.can_handle_public_comments(user),
        )

    @property
    def reviews(self):
        return self.office or self.leadership


# More than this many submissions of one period (or year) waiting: one item with their count, linking to the list
# that filters them — at a deadline the office's menu would otherwise build an item for every unit on every page.
GROUP_ABOVE = 3


def first_of_each(submissions, group_field, fields, *, late=True):
    """The submissions waiting, as the items need them: of each group (`group_field`), its earliest submission alone
    when the group is larger than GROUP_ABOVE, else each of them, as dicts of `fields` (with "pk" and
    "submitted_at"); every row carries "group_count" (and "group_late", the late ones, when the model has `is_late`).

    Two plain queries whatever the number of units: the waiting ones' ids, groups and lateness (tuples, no model),
    then the columns shown of the rows shown. (Window functions would do it in one, but Django's SQL for them costs
    more than both.)"""
    keys = ("pk", group_field, "is_late") if late else ("pk", group_field)
    groups = {}
    for pk, group, *is_late in submissions.order_by("submitted_at", "pk").values_list(*keys):
        groups.setdefault(group, []).append((pk, bool(is_late and is_late[0])))
    shown = {}
    for members in groups.values():
        kept = members if len(members) <= GROUP_ABOVE else members[:1]
        for pk, _ in kept:
            shown[pk] = (len(members), sum(is_late for _, is_late in members))
    # An id no row has when nothing waits: the same two queries whatever waits.
    rows = list(
        submissions.filter(pk__in=list(shown) or [0])
        .order_by("submitted_at", "pk")
        .values("pk", "submitted_at", *fields)
    )
    for row in rows:
        row["group_count"], row["group_late"] = shown[row["pk"]]
    return rows


def submission_items(rows, *, kind, menu, alone, together):
    """One item per row of `first_of_each`: (text, url) from `alone(row)`, or from `together(row)` for a group too
    large to list, counting the group."""
    items = []
    for row in rows:
        grouped = row["group_count"] > GROUP_ABOVE
        text, url = together(row) if grouped else alone(row)
        count = row["group_count"] if grouped else 1
        items.append(WaitingItem(kind=kind, text=text, url=url, menu=menu, since=row["submitted_at"], count=count))
    return items


def late_note(row, word):
    """ " (3 nộp muộn)" after a group's text, when some of it came late."""
    return f" ({row['group_late']} {word})" if row["group_late"] else ""


def reviewer_units():
    """The units with an office reviewer among their members: their submissions go to leadership (a subquery)."""
    return office_reviewers().values("unit_id")


def reviewed_by(user, roles, reviewer_units_of):
    """Q over a `unit_id` field: the units whose submissions the person reviews (never their own)."""
    if roles.office:
        return ~Q(unit_id=user.unit_id)
    if roles.leadership:
        return Q(unit_id__in=reviewer_units_of) & ~Q(unit_id=user.unit_id)
    return Q(pk__in=[])


# --- Reports ------------------------------------------------------------------------------------------------------


SUBMITTED_REPORT = UnitReport.Status.SUBMITTED


def reports_to_review(user, roles, reviewer_units_of):
    reports = UnitReport.objects.filter(reviewed_by(user, roles, reviewer_units_of), status=UnitReport.Status.SUBMITTED)
    return submission_items(
        first_of_each(reports, "period_id", ("unit_name", "is_late", "period__label", "period__code")),
        kind="report_review",
        menu=MENU_MATRIX,
        alone=lambda report: (
            f"Rà soát báo cáo {report['period__label']} của {report['unit_name']}"
            + (" (nộp muộn)" if report["is_late"] else ""),
            reverse("reports:review", args=[report["pk"]]),
        ),
        together=lambda report: (
            f"Rà soát {report['group_count']} báo cáo {report['period__label']} đã nộp" + late_note(report, "nộp muộn"),
            f"{reverse(MENU_MATRIX)}?"
            + urlencode({"period": report["period__code"], "status": UnitReport.Status.SUBMITTED}),
        ),
    )


CONSOLIDATED_OFFICE = {
    ConsolidatedReport.Status.READY: "Trình lãnh đạo duyệt báo cáo tổng hợp {period} (đã tổng hợp xong)",
    ConsolidatedReport.Status.RETURNED: "Sửa và trình lại báo cáo tổng hợp {period} (lãnh đạo trả lại)",
    ConsolidatedReport.Status.APPROVED: "Vào số, ban hành báo cáo tổng hợp {period} (lãnh đạo đã duyệt)",
    ConsolidatedReport.Status.FAILED: "Tổng hợp lại báo cáo tổng hợp {period} (tổng hợp lỗi)",
}
CONSOLIDATED_LEADERSHIP = {
    ConsolidatedReport.Status.PENDING_APPROVAL: "Duyệt báo cáo tổng hợp {period}",
}


def consolidated(roles):
    texts = {**(CONSOLIDATED_OFFICE if roles.office else {}), **(CONSOLIDATED_LEADERSHIP if roles.leadership else {})}
    if not texts:
        return []
    reports = (
        ConsolidatedReport.objects.filter(status__in=list(texts))
        .values("pk", "status", "compiled_at", "period__label", "period__department_due_date")
        .annotate(since=Max("transitions__at"))
        .order_by("period__end", "pk")
    )
    return [
        WaitingItem(
            kind=f"consolidated_{report['status']}",
            text=texts[report["status"]].format(period=report["period__label"]),
            url=reverse("reports:consolidated_detail", args=[report["pk"]]),
            menu=MENU_CONSOLIDATED,
            since=report["since"] or report["compiled_at"],
            due=report["period__department_due_date"],
        )
        for report in reports
    ]


def reports_owed(user):
    """The unit's reports still owed (not started, draft or returned) with their due dates (reports.selectors)."""
    owed, _done = unit_todo(user.unit)
    items = []
    for todo in owed:
        if todo.status == NOT_STARTED:
            text, url = f"Lập và nộp báo cáo {todo.period.label}", reverse("reports:todo")
        elif todo.status == UnitReport.Status.RETURNED:
            text = f"Bổ sung và nộp lại báo cáo {todo.period.label} (Văn phòng trả lại)"
            url = reverse("reports:detail", args=[todo.report.pk])
        else:
            text = f"Hoàn thiện và nộp báo cáo {todo.period.label}"
            url = reverse("reports:detail", args=[todo.report.pk])
        items.append(
            WaitingItem(
                kind=f"report_{todo.status}",
                text=text,
                url=url,
                menu=MENU_TODO,
                since=todo.report.updated_at if todo.report else None,
                due=todo.period.unit_due_date,
            )
        )
    return items


# --- The emulation year -------------------------------------------------------------------------------------------


DEPARTMENT_OFFICE = {
    DepartmentRegistration.Status.DRAFT: "Trình lãnh đạo duyệt đăng ký thi đua năm {year} của Sở (đã tổng hợp)",
    DepartmentRegistration.Status.RETURNED: "Sửa và trình lại đăng ký thi đua năm {year} của Sở (lãnh đạo trả lại)",
    DepartmentRegistration.Status.APPROVED: "Vào số, ban hành đăng ký thi đua năm {year} của Sở (lãnh đạo đã duyệt)",
}
DEPARTMENT_LEADERSHIP = {
    DepartmentRegistration.Status.PENDING_APPROVAL: "Duyệt đăng ký thi đua năm {year} của Sở",
}


def department_registrations(roles):
    texts = {
        **(DEPARTMENT_OFFICE if roles.office else {}),
        **(DEPARTMENT_LEADERSHIP if roles.approves_department_registration else {}),
    }
    if not texts:
        return []
    rows = (
        DepartmentRegistration.objects.filter(status__in=list(texts))
        .values("pk", "status", "year__year")
        .annotate(since=Max("transitions__at"))
        .order_by("year__year")
    )
    return [
        WaitingItem(
            kind=f"department_registration_{row['status']}",
            text=texts[row["status"]].format(year=row["year__year"]),
            url=reverse("emulation:department_registration", args=[row["year__year"]]),
            menu=MENU_EMULATION,
            since=row["since"],
        )
        for row in rows
    ]


def registrations_to_review(user, roles, reviewer_units_of):
    rows = Registration.objects.filter(
        reviewed_by(user, roles, reviewer_units_of), status=Registration.Status.SUBMITTED
    )
    return submission_items(
        first_of_each(rows, "year_id", ("unit_name", "is_late", "year__year")),
        kind="registration_review",
        menu=MENU_EMULATION,
        alone=lambda row: (
            f"Xem xét, tiếp nhận đăng ký thi đua năm {row['year__year']} của {row['unit_name']}"
            + (" (gửi muộn)" if row["is_late"] else ""),
            reverse("emulation:registration", args=[row["pk"]]),
        ),
        together=lambda row: (
            f"Xem xét, tiếp nhận {row['group_count']} đăng ký thi đua năm {row['year__year']}"
            + late_note(row, "gửi muộn"),
            f"{reverse('emulation:registrations', args=[row['year__year']])}?status={Registration.Status.SUBMITTED}",
        ),
    )


def assessments_to_confirm(user, roles, reviewer_units_of):
    rows = Assessment.objects.filter(reviewed_by(user, roles, reviewer_units_of), status=Assessment.Status.SUBMITTED)
    return submission_items(
        first_of_each(rows, "year_id", ("unit__name", "year__year"), late=False),
        kind="assessment_confirm",
        menu=MENU_EMULATION,
        alone=lambda row: (
            f"Xác nhận kết quả bình xét năm {row['year__year']} của {row['unit__name']}",
            reverse("emulation:assessment_detail", args=[row["pk"]]),
        ),
        together=lambda row: (
            f"Xác nhận kết quả bình xét năm {row['year__year']} của {row['group_count']} đơn vị",
            f"{reverse('emulation:assessments', args=[row['year__year']])}?status={Assessment.Status.SUBMITTED}",
        ),
    )


def schemes(roles, today):
    """Leadership confirms the scores the council reviewed; the office records the council's review once the units'
    time to explain has passed."""
    condition = Q(pk__in=[])
    if roles.confirms_scores:
        condition |= Q(status=ScoringScheme.Status.REVIEWED)
    if roles.office:
        condition |= Q(status=ScoringScheme.Status.PUBLISHED, explain_until__lt=today)
    if not (roles.confirms_scores or roles.office):
        return []
    items = []
    schemes_waiting = ScoringScheme.objects.filter(condition).order_by("pk")
    for pk, status, name, council_session_on, explain_until in schemes_waiting.values_list(
        "pk", "status", "name", "council_session_on", "explain_until"
    ):
        if status == ScoringScheme.Status.REVIEWED:
            text, since = f"Xác nhận điểm: {name} (Hội đồng đã xem xét)", council_session_on
        else:
            text, since = f"Ghi kết quả Hội đồng xem xét điểm: {name} (hết hạn giải trình)", explain_until
        items.append(
            WaitingItem(
                kind=f"scheme_{status}",
                text=text,
                url=reverse("emulation:scheme_detail", args=[pk]),
                menu=MENU_EMULATION,
                since=since,
            )
        )
    return items


def registration_owed(user, today):
    """The unit's registration for a year whose window is open: not started, in draft or returned."""
    years = (
        EmulationYear.objects.filter(registration_opened_at__isnull=False, registration_closed_at__isnull=True)
        .annotate(
            own_pk=Subquery(Registration.objects.filter(year=OuterRef("pk"), unit_id=user.unit_id).values("pk")[:1]),
            own_status=Subquery(
                Registration.objects.filter(year=OuterRef("pk"), unit_id=user.unit_id).values("status")[:1]
            ),
        )
        .order_by("year")
        .values_list("year", "registration_opened_at", "registration_due_on", "own_pk", "own_status")
    )
    items = []
    for year, opened_at, due_on, own_pk, own_status in years:
        if own_status in (Registration.Status.SUBMITTED, Registration.Status.ACCEPTED):
            continue
        if own_status == Registration.Status.RETURNED:
            text = f"Bổ sung và gửi lại đăng ký thi đua năm {year} (Văn phòng trả lại)"
        elif own_status == Registration.Status.DRAFT:
            text = f"Hoàn thiện và gửi đăng ký thi đua năm {year}"
        else:
            text = f"Lập và gửi đăng ký thi đua năm {year}"
        url = reverse("emulation:registration", args=[own_pk]) if own_pk else reverse("emulation:year", args=[year])
        items.append(
            WaitingItem(
                kind=f"registration_{own_status or 'not_started'}",
                text=text,
                url=url,
                menu=MENU_EMULATION,
                since=opened_at,
                due=due_on,
            )
        )
    return items


def assessments_owed(user):
    rows = (
        Assessment.objects.filter(
            unit_id=user.unit_id, status__in=[Assessment.Status.DRAFT, Assessment.Status.RETURNED]
        )
        .values("pk", "status", "created_at", "year__year")
        .annotate(since=Max("transitions__at"))
        .order_by("year__year")
    )
    return [
        WaitingItem(
            kind=f"assessment_{row['status']}",
            text=(
                f"Bổ sung và gửi lại kết quả bình xét năm {row['year__year']} (Văn phòng trả lại)"
                if row["status"] == Assessment.Status.RETURNED
                else f"Hoàn thiện và gửi kết quả bình xét năm {row['year__year']}"
            ),
            url=reverse("emulation:assessment_detail", args=[row["pk"]]),
            menu=MENU_EMULATION,
            since=row["since"] or row["created_at"],
        )
        for row in rows
    ]


# --- Awards -------------------------------------------------------------------------------------------------------


def nominations_waiting(user, roles):
    """Per round: the dossiers the office checks (other units') and the recommendations leadership decides."""
    condition = Q(pk__in=[])
    if roles.office:
        condition |= Q(status=Nomination.Status.SUBMITTED) & ~Q(unit_id=user.unit_id)
    if roles.decides_nominations:
        condition |= Q(status=Nomination.Status.RECOMMENDED)
    if not (roles.office or roles.decides_nominations):
        return []
    groups = (
        Nomination.objects.filter(condition)
        .values("round_id", "round__title", "round__deadline", "status")
        .annotate(count=Count("pk", distinct=True), first_sent=Min("submitted_at"), last_move=Max("transitions__at"))
        .order_by("round_id", "status")
    )
    items = []
    for group in groups:
        title = group["round__title"]
        if group["status"] == Nomination.Status.SUBMITTED:
            items.append(
                WaitingItem(
                    kind="nomination_check",
                    text=f"Kiểm tra {group['count']} hồ sơ đề nghị khen thưởng — {title}",
                    url=reverse("awards:round_detail", args=[group["round_id"]]),
                    menu=MENU_NOMINATIONS,
                    since=group["first_sent"],
                    due=group["round__deadline"],
                    count=group["count"],
                )
            )
        else:
            items.append(
                WaitingItem(
                    kind="nomination_decide",
                    text=f"Quyết định {group['count']} đề nghị khen thưởng Hội đồng đã xét — {title}",
                    url=reverse("awards:approvals"),
                    menu=MENU_APPROVALS,
                    since=group["last_move"],
                    count=group["count"],
                )
            )
    return items


def nominations_owed(user):
    """The unit's nominations returned for completion, and its drafts in a round still taking dossiers."""
    rows = (
        Nomination.objects.filter(unit_id=user.unit_id)
        .filter(
            Q(status=Nomination.Status.RETURNED)
            | Q(status=Nomination.Status.DRAFT, round__status=AwardRound.Status.OPEN)
        )
        .values("pk", "status", "nominee_name", "form__name", "form__award_class", "round__deadline", "round__status")
        .annotate(since=Max("transitions__at"))
        .order_by("round__deadline", "pk")
    )
    items = []
    for row in rows:
        form = f"{row['form__name']} {row['form__award_class']}".strip()  # as AwardForm.__str__ writes it
        items.append(
            WaitingItem(
                kind=f"nomination_{row['status']}",
                text=(
                    f"Bổ sung và gửi lại đề nghị “{form}” cho {row['nominee_name']} (Văn phòng trả lại)"
                    if row["status"] == Nomination.Status.RETURNED
                    else f"Hoàn thiện và gửi đề nghị “{form}” cho {row['nominee_name']}"
                ),
                url=reverse("awards:nomination_detail", args=[row["pk"]]),
                menu=MENU_NOMINATIONS,
                since=row["since"],
                due=row["round__deadline"] if row["round__status"] == AwardRound.Status.OPEN else None,
            )
        )
    return items


def documents_to_issue():
    rows = (
        # The council's minutes are signed at the meeting, not numbered by the office: not waiting for it.
        # A decision is done once issued (it confers); a proposal still has to go upward.
        AwardDocument.objects.filter(
            Q(status=AwardDocument.Status.DRAFT)
            | Q(status=AwardDocument.Status.ISSUED, sent_on__isnull=True, kind=AwardDocument.Kind.PROPOSAL)
        )
        .exclude(kind=AwardDocument.Kind.MINUTES)
        .values("pk", "status", "kind", "summary", "created_at")
        .annotate(since=Max("transitions__at"))
        .order_by("created_at", "pk")
    )
    items = []
    for row in rows:
        kind = AwardDocument.Kind(row["kind"]).label.lower()
        items.append(
            WaitingItem(
                kind=f"award_document_{row['status']}",
                text=(
                    f"Vào số, ban hành {kind}: {row['summary']}"
                    if row["status"] == AwardDocument.Status.DRAFT
                    else f"Ghi nhận đã gửi {kind}: {row['summary']}"
                ),
                url=reverse("awards:document_detail", args=[row["pk"]]),
                menu=MENU_DOCUMENTS,
                since=row["since"] or row["created_at"],
            )
        )
    return items


def public_comments():
    summary = PublicComment.objects.filter(handled_at__isnull=True).aggregate(
        count=Count("pk"), since=Min("received_at")
    )
    if not summary["count"]:
        return []
    return [
        WaitingItem(
            kind="public_comment",
            text=f"Trả lời, xử lý {summary['count']} ý kiến góp ý của công chúng",
            url=reverse("awards:public_comments"),
            menu=MENU_NOMINATIONS,
            since=summary["since"],
            count=summary["count"],
        )
    ]


def council_meetings(user):
    """The meetings the person sits on: those to attend, and the open electronic ballots with items left to vote."""
    open_items = AgendaItem.objects.filter(meeting_id=OuterRef("meeting_id"), agree__isnull=True)
    seats = (
        MeetingMember.objects.filter(
            user=user,
            meeting__status__in=[CouncilMeeting.Status.PLANNED, CouncilMeeting.Status.HELD],
        )
        .annotate(
            open_items=Coalesce(Subquery(open_items.values("meeting_id").annotate(n=Count("pk")).values("n")[:1]), 0),
            voted=Coalesce(
                Subquery(
                    BallotCast.objects.filter(
                        item__meeting_id=OuterRef("meeting_id"), user=user, item__agree__isnull=True
                    )
                    .values("item__meeting_id")
                    .annotate(n=Count("pk"))
                    .values("n")[:1]
                ),
                0,
            ),
        )
        .order_by("meeting__scheduled_at")
        .values_list(
            "attended",
            "open_items",
            "voted",
            "meeting_id",
            "meeting__status",
            "meeting__title",
            "meeting__scheduled_at",
            "meeting__voting",
            "meeting__started_at",
        )
    )
    items = []
    for attended, open_items, voted, meeting_id, status, title, scheduled_at, voting, started_at in seats:
        url = reverse("awards:meeting_detail", args=[meeting_id])
        if status == CouncilMeeting.Status.PLANNED:
            when = timezone.localtime(scheduled_at)
            items.append(
                WaitingItem(
                    kind="council_meeting",
                    text=f"Dự họp Hội đồng Thi đua - Khen thưởng: {title} (lúc {when:%H:%M})",
                    url=url,
                    menu=MENU_COUNCIL,
                    due=timezone.localdate(scheduled_at),
                    due_label="Họp ngày",
                )
            )
            continue
        left = open_items - voted
        if voting == CouncilMeeting.Voting.ELECTRONIC and attended and left > 0:
            items.append(
                WaitingItem(
                    kind="council_vote",
                    text=f"Bỏ phiếu {left} đề nghị khen thưởng — {title}",
                    url=reverse("awards:ballot", args=[meeting_id]),
                    menu=MENU_COUNCIL,
                    since=started_at or scheduled_at,  # as CouncilMeeting.began_at says
                    count=left,
                )
            )
    return items
