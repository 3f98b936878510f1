"""Rounds and nominations in the browser: the office's rounds, the units' nominations and dossiers,
the office's completeness check.

Views are thin: they get objects through awards.permissions (404 for what one may not see, 403 for
a visible thing one may not act on), read input with awards.forms.nominations, call the services
and redirect with a message. A refusal changes nothing and shows the form again with what was typed.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Case, Count, Prefetch, Q, Value, When
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from reports import permissions as report_permissions
from reports.selectors import current_campaign
from units.models import Unit
from workflow.errors import Refused

from .. import emulation_scores, permissions
from ..errors import NotEligible
from ..forms.nominations import (
    AchievementForm,
    AwardRoundForm,
    DossierUploadForm,
    NominationBatchForm,
    NominationCreateForm,
    NominationFilterForm,
    ReturnForm,
    RulesOverrideForm,
    WithdrawForm,
)
from ..models import ACHIEVEMENT_PARTS, AwardForm, AwardRound, DossierFile, Nomination, RoundForm
from ..services import eligibility, overrides, rounds
from ..services import nominations as services
from ..services import rules as award_rules
from . import lists

STATUS_BADGES = {
    Nomination.Status.DRAFT: "text-bg-light border",
    Nomination.Status.SUBMITTED: "text-bg-primary",
    Nomination.Status.RETURNED: "text-bg-warning",
    Nomination.Status.ON_AGENDA: "text-bg-info",
    Nomination.Status.RECOMMENDED: "text-bg-success",
    Nomination.Status.NOT_RECOMMENDED: "text-bg-secondary",
    Nomination.Status.APPROVED: "text-bg-success",
    Nomination.Status.REJECTED: "text-bg-danger",
    Nomination.Status.CONFERRED: "text-bg-success",
    Nomination.Status.FORWARDED: "text-bg-info",
    Nomination.Status.REFUSED_ABOVE: "text-bg-secondary",
    Nomination.Status.WITHDRAWN: "text-bg-secondary",
}
PAGE_SIZE = 50  # the office's list and a unit's own, a page at a time (as the register)


def _error_messages(request, form):
    for errors in form.errors.values():
        for error in errors:
            messages.error(request, error)


# ---------------------------------------------------------------------------------------------
# Rounds
# ---------------------------------------------------------------------------------------------


def _manage_round(user, pk):
    """A round for one of the office's actions: 404 if not visible, 403 if not the office."""
    award_round = permissions.get_visible_round(user, pk)
    if not permissions.can_manage_rounds(user):
        raise PermissionDenied("Chỉ Phòng Hành chính - Tổng hợp quản lý các đợt xét khen thưởng.")
    return award_round


@require_GET
def round_list(request):
    """Every round with its forms and how many nominations were sent: the office's and leadership's list."""
    if not permissions.can_see_all_rounds(request.user):
        raise Http404
    award_rounds = (
        AwardRound.objects.filter(permissions.visible_rounds_filter(request.user))
        .annotate(sent=Count("nominations", filter=~_draft_or_withdrawn()))
        .prefetch_related(Prefetch("round_forms", queryset=RoundForm.objects.select_related("form")))
        .select_related("phase")
    )
    return render(
        request,
        "awards/rounds/list.html",
        {"rounds": award_rounds, "can_manage": permissions.can_manage_rounds(request.user)},
    )


def _draft_or_withdrawn():
    return Q(nominations__status__in=(Nomination.Status.DRAFT, Nomination.Status.WITHDRAWN))


def _round_form(request, *, data=None, award_round=None):
    campaign = award_round.campaign if award_round else current_campaign()
    if campaign is None:
        raise Http404("Chưa có phong trào thi đua.")
    offers = {}
    initial = {}
    if award_round is not None:
        offers = {offer.form_id: offer.quota for offer in award_round.round_forms.all()}
        initial = {
            "kind": award_round.kind,
            "title": award_round.title,
            "year": award_round.year,
            "phase": award_round.phase_id,
            "deadline": award_round.deadline,
            "notice_starts_on": award_round.notice_starts_on,
            "notice_ends_on": award_round.notice_ends_on,
            "periods": list(award_round.periods.values_list("pk", flat=True)),
        }
    return AwardRoundForm(data, campaign=campaign, offers=offers, initial=initial), campaign


def _round_values(form):
    data = form.cleaned_data
    return {
        "kind": data["kind"],
        "title": data["title"],
        "year": data["year"],
        "phase": data.get("phase"),
        "deadline": data["deadline"],
        "notice_starts_on": data.get("notice_starts_on"),
        "notice_ends_on": data.get("notice_ends_on"),
        "periods": list(data.get("periods") or []),
        "offers": data["offers"],
    }


@require_http_methods(["GET", "POST"])
def round_create(request):
    """The office creates a round (in draft): kind, year or phase, forms with quotas, periods, deadline."""
    user = request.user
    if not permissions.can_see_all_rounds(user):
        raise Http404
    if not permissions.can_manage_rounds(user):
        raise PermissionDenied("Chỉ Phòng Hành chính - Tổng hợp tạo đợt xét khen thưởng.")
    form, campaign = _round_form(request, data=request.POST if request.method == "POST" else None)
    if request.method == "POST":
        if form.is_valid():
            try:
                award_round = rounds.round_create(actor=user, campaign=campaign, **_round_values(form))
            except Refused as error:
                messages.error(request, error.message)
            else:
                messages.success(request, f"Đã tạo đợt “{award_round.title}”. Kiểm tra lại rồi bấm “Mở đợt”.")
                return redirect(award_round)
        status = 400
    else:
        status = 200
    return render(request, "awards/rounds/form.html", {"form": form, "award_round": None}, status=status)


@require_http_methods(["GET", "POST"])
def round_edit(request, pk):
    award_round = _manage_round(request.user, pk)
    if request.method != "POST":
        form, _ = _round_form(request, award_round=award_round)
        return render(request, "awards/rounds/form.html", {"form": form, "award_round": award_round})
    form, _ = _round_form(request, data=request.POST, award_round=award_round)
    if form.is_valid():
        try:
            rounds.round_update(award_round=award_round, actor=request.user, **_round_values(form))
        except Refused as error:
            messages.error(request, error.message)
        else:
            messages.success(request, "Đã lưu đợt xét.")
            return redirect(award_round)
    return render(request, "awards/rounds/form.html", {"form": form, "award_round": award_round}, status=400)


@require_GET
def round_detail(request, pk):
    """A round: its forms and quotas, periods, deadline, notice window; the office's actions."""
    user = request.user
    award_round = permissions.get_visible_round(user, pk)
    offers = list(award_round.round_forms.select_related("form"))
    taken = dict(
        Nomination.objects.filter(round=award_round)
        .exclude(status__in=(*eligibility.TURNED_DOWN, Nomination.Status.DRAFT))
        .values_list("form_id")
        .annotate(count=Count("pk"))
    )
    for offer in offers:
        offer.taken = taken.get(offer.form_id, 0)
    return render(
        request,
        "awards/rounds/detail.html",
        {
            "award_round": award_round,
            "offers": offers,
            "periods": award_round.periods.order_by("end", "start"),
            "can_manage": permissions.can_manage_rounds(user),
            "can_nominate": permissions.nominates(user)
            and permissions.can_draft_nomination(user, user.unit)
            and award_round.accepts_nominations,
            # The office prepares the round's collective nominations with the top units of the matching ranking.
            "suggestions": emulation_scores.round_suggestions(award_round, offers)
            if permissions.can_manage_rounds(user)
            else [],
        },
    )


def _round_move(request, pk, move, success):
    award_round = _manage_round(request.user, pk)
    try:
        move(award_round=award_round, actor=request.user)
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(award_round)


@require_POST
def round_open(request, pk):
    return _round_move(request, pk, rounds.round_open, "Đã mở đợt xét; các đơn vị đã được thông báo.")


@require_POST
def round_close(request, pk):
    return _round_move(request, pk, rounds.round_close, "Đã đóng đợt xét: không nhận thêm hồ sơ mới.")


# ---------------------------------------------------------------------------------------------
# The list
# ---------------------------------------------------------------------------------------------


def _overview(request):
    """The submitted nominations the office and leadership see: counts by status over every nomination the round,
    form and unit filters keep; the table filtered by status too, in round order, a page of PAGE_SIZE plain rows."""
    user = request.user
    submitted = permissions.visible_nominations(user).filter(submitted_at__isnull=False)
    rounds_seen = AwardRound.objects.filter(permissions.visible_rounds_filter(user))
    units = Unit.objects.filter(pk__in=submitted.values("unit_id")).order_by("sort_order", "name")
    filters = NominationFilterForm(request.GET or None, rounds=rounds_seen, units=units)
    chosen = filters.cleaned_data if filters.is_valid() else {}
    if chosen.get("round"):
        submitted = submitted.filter(round=chosen["round"])
    if chosen.get("form"):
        submitted = submitted.filter(form=chosen["form"])
    if chosen.get("unit"):
        submitted = submitted.filter(unit=chosen["unit"])
    counts = dict(submitted.order_by().values_list("status").annotate(count=Count("pk")))
    status = chosen.get("status") or ""
    if status:
        submitted = submitted.filter(status=status)
    sort = request.GET.get("sort")
    if sort not in NOMINATION_SORTS:
        sort = "round"
    rows = submitted.order_by(*_nomination_order(sort)).values(
        "pk",
        "round_id",
        "round__title",
        "nominee_name",
        "nominee_position",
        "nominee_unit_name",
        "form__name",
        "form__award_class",
        "submitted_at",
        "status",
    )
    page = lists.page_of(
        rows, PAGE_SIZE, request.GET.get("page"), count=counts.get(status, 0) if status else sum(counts.values())
    )
    detail = lists.link_pattern("awards:nomination_detail")
    labels = dict(Nomination.Status.choices)
    groups = []
    for row in page.object_list:
        if not groups or groups[-1][0] != row["round_id"]:
            groups.append((row["round_id"], row["round__title"], []))
        submitted_at = row["submitted_at"]
        groups[-1][2].append(
            (
                detail.format(row["pk"]),
                row["nominee_name"],
                row["nominee_position"],
                row["nominee_unit_name"],
                f"{row['form__name']} {row['form__award_class']}".strip(),
                timezone.localtime(submitted_at).strftime("%d/%m/%Y %H:%M") if submitted_at else "",
                STATUS_BADGES.get(row["status"], ""),
                labels.get(row["status"], ""),
            )
        )
    raw = {name: request.GET.get(name, "") for name in ("round", "form", "unit", "status")}
    raw["sort"] = sort
    return {
        "filters": filters,
        "filter_fields": _filter_fields(raw, rounds_seen, units),
        "page": page,
        "groups": groups,
        "counts": [
            (value, label, counts.get(value, 0))
            for value, label in Nomination.Status.choices
            if value != Nomination.Status.DRAFT and counts.get(value)
        ],
        "total": sum(counts.values()),
        "query": lists.query_without(request, "page"),
    }


def _filter_fields(raw, rounds_seen, units):
    """The office's filters as plain selects (round, form, unit, status), the request's values chosen: one query
    each, and a thousand units cost one format each rather than a widget template each."""
    forms = [
        (pk, f"{name} {award_class}".strip())
        for pk, name, award_class in AwardForm.objects.values_list("pk", "name", "award_class")
    ]
    statuses = [choice for choice in Nomination.Status.choices if choice[0] != Nomination.Status.DRAFT]
    return [
        lists.select_field("round", "Đợt xét", rounds_seen.values_list("pk", "title"), raw["round"]),
        lists.select_field("form", "Hình thức", forms, raw["form"]),
        lists.select_field("unit", "Đơn vị", units.values_list("pk", "name"), raw["unit"]),
        lists.select_field("status", "Trạng thái", statuses, raw["status"]),
        lists.select_field("sort", "Sắp xếp", NOMINATION_SORTS.items(), raw["sort"], empty_label=None),
    ]


# The office's sorts: by round (the newest first), form, unit and name; the ones waiting for the office first (sent,
# then with the council, then decided); the most recently sent first. The table's round headings follow the rows.
NOMINATION_SORTS = {"round": "Đợt xét, hình thức, đơn vị", "action": "Cần xử lý trước", "submitted": "Gửi gần nhất"}
_ACTION_RANK = (
    Nomination.Status.SUBMITTED,
    Nomination.Status.ON_AGENDA,
    Nomination.Status.RECOMMENDED,
    Nomination.Status.NOT_RECOMMENDED,
    Nomination.Status.APPROVED,
    Nomination.Status.FORWARDED,
    Nomination.Status.RETURNED,
)


def _nomination_order(sort):
    by_round = (
        "-round__year",
        "-round__created_at",
        "round_id",
        "form__sort_order",
        "unit__sort_order",
        "nominee_name",
    )
    if sort == "action":
        rank = Case(
            *(When(status=status, then=Value(index)) for index, status in enumerate(_ACTION_RANK)),
            default=Value(len(_ACTION_RANK)),
        )
        return (rank, *by_round, "pk")
    if sort == "submitted":
        return ("-submitted_at", "-pk")
    return (*by_round, "pk")


@require_GET
def nomination_list(request):
    """ "Khen thưởng": open rounds and the unit's nominations for a unit member; the submitted ones for
    the office (with filters and counts) and for leadership (read-only)."""
    user = request.user
    unit_view = permissions.nominates(user)
    overview = permissions.can_see_all_rounds(user)
    if not unit_view and not overview:
        raise Http404
    context = {"unit_view": unit_view, "overview": overview, "can_manage": permissions.can_manage_rounds(user)}
    if unit_view:
        context.update(_unit_nominations(request))
    if overview:
        context.update(_overview(request))
    return render(request, "awards/nominations/list.html", context)


def _unit_nominations(request):
    """A unit member's part of the list: the open rounds, and the unit's nominations (withdrawn ones left out) newest
    round first, a page of PAGE_SIZE plain rows (?trang=, beside the office's ?page=)."""
    user = request.user
    own = (
        permissions.visible_nominations(user)
        .filter(unit_id=user.unit_id)
        .exclude(status=Nomination.Status.WITHDRAWN)
        .order_by("-round__year", "round_id", "form__sort_order", "nominee_name", "pk")
        .values("pk", "nominee_name", "nominee_position", "form__name", "form__award_class", "round__title", "status")
    )
    page = lists.page_of(own, PAGE_SIZE, request.GET.get("trang"))
    detail = lists.link_pattern("awards:nomination_detail")
    labels = dict(Nomination.Status.choices)
    rows = [
        (
            detail.format(row["pk"]),
            row["nominee_name"],
            row["nominee_position"],
            f"{row['form__name']} {row['form__award_class']}".strip(),
            row["round__title"],
            STATUS_BADGES.get(row["status"], ""),
            labels.get(row["status"], ""),
        )
        for row in page.object_list
    ]
    return {
        "open_rounds": AwardRound.objects.filter(status=AwardRound.Status.OPEN).prefetch_related(
            Prefetch("round_forms", queryset=RoundForm.objects.select_related("form"))
        ),
        "own": rows,
        "own_page": page,
        "own_query": lists.query_without(request, "trang"),
        "can_draft": permissions.can_draft_nomination(user, user.unit),
    }


# ---------------------------------------------------------------------------------------------
# Creating nominations
# ---------------------------------------------------------------------------------------------


def _nominating_round(user, pk):
    """An open round for the user's unit to nominate in: 404 if not visible, 403 if not a unit member."""
    award_round = permissions.get_visible_round(user, pk)
    if not permissions.nominates(user) or not permissions.can_draft_nomination(user, user.unit):
        raise PermissionDenied("Chỉ cán bộ các đơn vị lập đề nghị khen thưởng.")
    if not award_round.accepts_nominations:
        raise PermissionDenied("Đợt xét này không nhận hồ sơ.")
    return award_round


@require_http_methods(["GET", "POST"])
def nomination_create(request, round_pk):
    """One nomination: the unit itself or one person (from the unit's list, or added here)."""
    user = request.user
    award_round = _nominating_round(user, round_pk)
    initial = {}
    if "form" in request.GET:
        initial["form"] = request.GET["form"]
    form = NominationCreateForm(
        request.POST if request.method == "POST" else None, award_round=award_round, unit=user.unit, initial=initial
    )
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                nomination = services.nomination_create(
                    award_round=award_round,
                    form=data["form"],
                    unit=user.unit,
                    actor=user,
                    collective=data["nominee_kind"] == Nomination.NomineeKind.COLLECTIVE,
                    person=data.get("person"),
                    new_person_name=data.get("new_person_name", ""),
                    new_person_position=data.get("new_person_position", ""),
                    new_person_user=data.get("new_person_user"),
                )
            except Refused as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "Đã lập đề nghị. Hãy nhập tóm tắt thành tích và tải lên hồ sơ.")
                return redirect("awards:nomination_edit", pk=nomination.pk)
        return render(request, "awards/nominations/create.html", {"form": form, "award_round": award_round}, status=400)
    return render(request, "awards/nominations/create.html", {"form": form, "award_round": award_round})


@require_http_methods(["GET", "POST"])
def nomination_batch_create(request, round_pk):
    """A list: many people for one form at once (e.g. Lao động tiên tiến), one line per person."""
    user = request.user
    award_round = _nominating_round(user, round_pk)
    form = NominationBatchForm(request.POST if request.method == "POST" else None, award_round=award_round)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                created = services.nomination_batch_create(
                    award_round=award_round,
                    form=data["form"],
                    unit=user.unit,
                    actor=user,
                    rows=data["rows"],
                    achievement=data.get("achievement", ""),
                )
            except Refused as error:
                messages.error(request, error.message)
            else:
                messages.success(
                    request,
                    f"Đã lập {len(created)} đề nghị “{data['form']}”. "
                    "Tải lên hồ sơ chung của danh sách ở một đề nghị bất kỳ.",
                )
                return redirect(created[0])
        return render(request, "awards/nominations/batch.html", {"form": form, "award_round": award_round}, status=400)
    return render(request, "awards/nominations/batch.html", {"form": form, "award_round": award_round})


# ---------------------------------------------------------------------------------------------
# One nomination
# ---------------------------------------------------------------------------------------------


def _dossier_context(nomination):
    files = list(eligibility.dossier_files_of(nomination).select_related("nomination"))
    parts = []
    for part in nomination.form.dossier_parts or []:
        parts.append(
            {
                "code": part["code"],
                "label": part["label"],
                "required": part.get("required", False),
                "files": [file for file in files if file.part == part["code"]],
            }
        )
    return parts


def _detail_context(request, nomination, *, return_form=None, override_form=None):
    user = request.user
    reports = list(nomination.evidence_reports.select_related("period").order_by("period__end"))
    visible_reports = set(
        report_permissions.visible_reports(user)
        .filter(pk__in=[report.pk for report in reports])
        .values_list("pk", flat=True)
    )
    last_return = None
    if nomination.status == Nomination.Status.RETURNED:
        last_return = nomination.transitions.filter(action="return").order_by("-at", "-pk").first()
    before_submission = nomination.is_editable_state
    problems = eligibility.check(nomination) if before_submission else []
    can_edit = permissions.can_edit_nomination(user, nomination)
    can_check = permissions.can_check_nomination(user, nomination) and nomination.status == Nomination.Status.SUBMITTED
    rule_results = award_rules.evaluate_one(nomination)
    can_override = (
        permissions.can_decide(user)
        and nomination.status in overrides.OVERRIDABLE
        and bool(overrides.failed_rules(rule_results))
    )
    return {
        "nomination": nomination,
        "badge": STATUS_BADGES.get(nomination.status, ""),
        "achievement": [(label, (nomination.achievement or {}).get(key, "")) for key, label in ACHIEVEMENT_PARTS],
        "parts": _dossier_context(nomination),
        "reports": [(report, report.pk in visible_reports) for report in reports],
        "batch_size": Nomination.objects.filter(batch=nomination.batch).open().count() if nomination.batch else 0,
        "last_return": last_return,
        "show_eligibility": before_submission,
        "problems": problems,
        "eligible": not eligibility.blocking(problems),
        # What stops "Gửi đề nghị": the very checks nomination_submit refuses on, shown before anyone presses it.
        "blocking": eligibility.blocking(problems),
        "can_edit": can_edit,
        "can_submit": permissions.can_submit_nomination(user, nomination),
        "can_withdraw": permissions.can_withdraw_nomination(user, nomination),
        "can_check": can_check,
        "return_form": return_form or (ReturnForm() if can_check else None),
        "withdraw_form": WithdrawForm(),
        "emulation_score": emulation_scores.nomination_score(nomination),
        "rule_results": rule_results,
        "can_override": can_override,
        "override_form": override_form or (RulesOverrideForm() if can_override else None),
        "overrides": nomination.transitions.filter(action=overrides.OVERRIDE).select_related("actor"),
    }


@require_GET
def nomination_detail(request, pk):
    """The dossier: nominee, achievement summary, files, linked reports, eligibility, and what the viewer may do.

    Council members reach it from their meetings' agendas and get no edit or action controls.
    """
    nomination = permissions.get_visible_nomination(request.user, pk)
    return render(request, "awards/nominations/detail.html", _detail_context(request, nomination))


def _unit_nomination(user, pk):
    """A nomination for its unit's editing pages: 404 if not visible, 403 if not of the user's unit."""
    nomination = permissions.get_visible_nomination(user, pk)
    if not permissions.can_draft_nomination(user, nomination.unit):
        raise PermissionDenied("Chỉ cán bộ của đơn vị lập đề nghị mới sửa được đề nghị.")
    return nomination


def _edit_page(request, nomination, form, *, status=200, upload_form=None):
    context = _detail_context(request, nomination)
    context.update(
        {
            "form": form,
            "upload_form": upload_form or DossierUploadForm(award_form=nomination.form),
        }
    )
    return render(request, "awards/nominations/edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def nomination_edit(request, pk):
    """The achievement summary, the linked accepted reports and the dossier parts, while the unit may edit."""
    nomination = _unit_nomination(request.user, pk)
    if not nomination.is_editable_state:
        messages.info(request, "Đề nghị đã gửi nên không sửa được nữa; bạn đang xem bản chỉ đọc.")
        return redirect(nomination)
    reports = services.accepted_reports(nomination.unit).order_by("period__end")
    if request.method != "POST":
        initial = {key: (nomination.achievement or {}).get(key, "") for key, _ in ACHIEVEMENT_PARTS}
        initial["revision"] = nomination.revision
        initial["evidence_reports"] = list(nomination.evidence_reports.values_list("pk", flat=True))
        return _edit_page(request, nomination, AchievementForm(initial=initial, reports=reports))
    form = AchievementForm(request.POST, reports=reports)
    if not form.is_valid():
        _error_messages(request, form)
        return _edit_page(request, nomination, form, status=400)
    try:
        services.nomination_save(
            nomination=nomination,
            actor=request.user,
            achievement=form.achievement(),
            evidence_reports=form.cleaned_data["evidence_reports"],
            revision=form.cleaned_data["revision"],
        )
    except Refused as error:
        messages.error(request, error.message)
        return _edit_page(request, nomination, form, status=409)
    messages.success(request, "Đã lưu tóm tắt thành tích.")
    return redirect("awards:nomination_edit", pk=nomination.pk)


@require_POST
def dossier_upload(request, pk):
    nomination = _unit_nomination(request.user, pk)
    form = DossierUploadForm(request.POST, request.FILES, award_form=nomination.form)
    if not form.is_valid():
        _error_messages(request, form)
        return redirect("awards:nomination_edit", pk=nomination.pk)
    upload = form.cleaned_data["file"]
    try:
        dossier_file = services.dossier_add(
            nomination=nomination, actor=request.user, part=form.cleaned_data["part"], upload=upload
        )
    except ValidationError as error:
        messages.error(request, f"Không tải lên được “{upload.name}”: {error.messages[0]}")
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã tải lên “{dossier_file.original_name}”.")
    return redirect("awards:nomination_edit", pk=nomination.pk)


def _visible_dossier_file(user, pk):
    dossier_file = get_object_or_404(DossierFile, pk=pk)
    nomination = permissions.get_visible_nomination(user, dossier_file.nomination_id)
    return dossier_file, nomination


@require_GET
def dossier_download(request, pk):
    """A dossier file, for anyone who may see its nomination (council members on its meeting too)."""
    dossier_file, _ = _visible_dossier_file(request.user, pk)
    return FileResponse(
        dossier_file.file.open("rb"),
        as_attachment=True,
        filename=dossier_file.original_name,
        content_type=dossier_file.content_type,
    )


@require_POST
def dossier_delete(request, pk):
    dossier_file, nomination = _visible_dossier_file(request.user, pk)
    if not permissions.can_draft_nomination(request.user, nomination.unit):
        raise PermissionDenied("Chỉ cán bộ của đơn vị lập đề nghị mới xóa được tệp hồ sơ.")
    try:
        services.dossier_remove(dossier_file=dossier_file, actor=request.user)
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã xóa “{dossier_file.original_name}”.")
    return redirect("awards:nomination_edit", pk=nomination.pk)


@require_POST
def nomination_submit(request, pk):
    """The head or a deputy sends the nomination to the office, if it is eligible."""
    user = request.user
    nomination = _unit_nomination(user, pk)
    if not permissions.acts_for_unit(user, nomination.unit):
        raise PermissionDenied("Chỉ trưởng hoặc phó trưởng đơn vị mới được gửi đề nghị khen thưởng.")
    try:
        services.nomination_submit(nomination=nomination, actor=user)
    except NotEligible as error:
        for problem in error.problems:
            messages.error(request, problem)
        return redirect(nomination)
    except Refused as error:
        messages.error(request, error.message)
        return redirect(nomination)
    messages.success(request, "Đã gửi đề nghị. Văn phòng sẽ kiểm tra hồ sơ và phản hồi trên Cổng.")
    return redirect(nomination)


@require_POST
def nomination_withdraw(request, pk):
    user = request.user
    nomination = _unit_nomination(user, pk)
    if not permissions.acts_for_unit(user, nomination.unit):
        raise PermissionDenied("Chỉ trưởng hoặc phó trưởng đơn vị mới được rút đề nghị khen thưởng.")
    form = WithdrawForm(request.POST)
    form.is_valid()
    try:
        services.nomination_withdraw(nomination=nomination, actor=user, reason=form.cleaned_data.get("reason", ""))
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, "Đã rút đề nghị.")
    return redirect(nomination)


@require_POST
def nomination_return(request, pk):
    """The office returns an incomplete dossier with a reason; an empty reason shows the page again with the form."""
    user = request.user
    nomination = permissions.get_visible_nomination(user, pk)
    if not permissions.can_check_nomination(user, nomination):
        raise PermissionDenied("Chỉ Phòng Hành chính - Tổng hợp kiểm tra hồ sơ đề nghị khen thưởng.")
    form = ReturnForm(request.POST)
    if not form.is_valid():
        _error_messages(request, form)
        context = _detail_context(request, nomination, return_form=form)
        return render(request, "awards/nominations/detail.html", context, status=400)
    try:
        services.nomination_return(nomination=nomination, actor=user, reason=form.cleaned_data["reason"])
    except Refused as error:
        messages.error(request, error.message)
        return redirect(nomination)
    messages.success(request, "Đã trả lại đề nghị cho đơn vị để bổ sung.")
    return redirect(nomination)


@require_POST
def nomination_rules_override(request, pk):
    """Leadership keeps a nomination whose rules fail, with a written reason kept in its history."""
    user = request.user
    nomination = permissions.get_visible_nomination(user, pk)
    if not permissions.can_decide(user):
        raise PermissionDenied("Chỉ lãnh đạo Sở được quyết định vẫn xét đề nghị khi chưa đạt điều kiện.")
    form = RulesOverrideForm(request.POST)
    if form.is_valid():
        try:
            overrides.rules_override(nomination=nomination, actor=user, reason=form.cleaned_data["reason"])
        except Refused as error:
            form.add_error("reason" if error.field == "reason" else None, error.message)
        else:
            messages.success(request, "Đã ghi quyết định vẫn xét đề nghị, kèm lý do, vào lịch sử hồ sơ.")
            return redirect(nomination)
    _error_messages(request, form)
    context = _detail_context(request, nomination, override_form=form)
    return render(request, "awards/nominations/detail.html", context, status=400)


@require_GET
def nominations_failing_rules(request):
    """For the office and leadership: the nominations on their way that the rules, on the record as it now stands,
    fail — to return, to take out of a draft, or for leadership to keep with a written reason."""
    user = request.user
    if not permissions.can_see_all_rounds(user):
        raise Http404("Không tìm thấy trang.")
    # The rules are evaluated for the whole pipeline (what fails is known only then); the rows are shown a page at
    # a time, their links formatted from one reverse.
    failing = overrides.failing_in_pipeline()
    page = lists.page_of(failing, PAGE_SIZE, request.GET.get("page"))
    detail = lists.link_pattern("awards:nomination_detail")
    rows = [(nomination, detail.format(nomination.pk), results, overridden) for nomination, results, overridden in page]
    return render(
        request,
        "awards/nominations/failing_rules.html",
        {"rows": rows, "page": page, "count": len(failing), "query": lists.query_without(request, "page")},
    )


def history_label(action):
    """The Vietnamese label of a history row: the label table's, else the state the move leads to; never a code."""
    if action in services.ACTION_LABELS:
        return services.ACTION_LABELS[action]
    move = Nomination.WORKFLOW.moves.get(action)
    if move is not None:
        return f"Chuyển sang “{Nomination.Status(move.target).label}”"
    return "Cập nhật đề nghị"


@require_GET
def nomination_history(request, pk):
    """Every state change of the nomination: who, when, what they said."""
    nomination = permissions.get_visible_nomination(request.user, pk)
    statuses = dict(Nomination.Status.choices)
    transitions = [
        (transition, history_label(transition.action), statuses.get(transition.to_status, transition.to_status))
        for transition in nomination.transitions.select_related("actor")
    ]
    return render(request, "awards/nominations/history.html", {"nomination": nomination, "transitions": transitions})


urlpatterns = [
    path("", nomination_list, name="nomination_list"),
    path("rounds/", round_list, name="round_list"),
    path("rounds/new/", round_create, name="round_create"),
    path("rounds/<int:pk>/", round_detail, name="round_detail"),
    path("rounds/<int:pk>/edit/", round_edit, name="round_edit"),
    path("rounds/<int:pk>/open/", round_open, name="round_open"),
    path("rounds/<int:pk>/close/", round_close, name="round_close"),
    path("rounds/<int:round_pk>/nominate/", nomination_create, name="nomination_create"),
    path("rounds/<int:round_pk>/nominate-list/", nomination_batch_create, name="nomination_batch_create"),
    path("nominations/<int:pk>/", nomination_detail, name="nomination_detail"),
    path("nominations/<int:pk>/edit/", nomination_edit, name="nomination_edit"),
    path("nominations/<int:pk>/dossier/", dossier_upload, name="dossier_upload"),
    path("nominations/<int:pk>/submit/", nomination_submit, name="nomination_submit"),
    path("nominations/<int:pk>/withdraw/", nomination_withdraw, name="nomination_withdraw"),
    path("nominations/<int:pk>/return/", nomination_return, name="nomination_return"),
    path("nominations/<int:pk>/van-xet/", nomination_rules_override, name="nomination_rules_override"),
    path("nominations/khong-dat-dieu-kien/", nominations_failing_rules, name="nominations_failing_rules"),
    path("nominations/<int:pk>/history/", nomination_history, name="nomination_history"),
    path("dossier/<int:pk>/", dossier_download, name="dossier_download"),
    path("dossier/<int:pk>/delete/", dossier_delete, name="dossier_delete"),
]
