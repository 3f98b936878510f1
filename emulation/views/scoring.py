"""Scoring and ranking in the browser: the year's schemes, a scheme's page and its rows, the office's scoring of a
unit, publication, the units' explanations, the council's review, leadership's confirmation; the rankings.

Views are thin: permission (emulation.permissions), form (emulation.forms.scoring), service
(emulation.services.scoring), selector (emulation.selectors.scoring). A refusal shows the page again (400) with
its message and what was typed; nothing changes.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaign.models import Phase
from documents.xlsx import Sheet, sheets_bytes
from workflow.errors import Refused

from .. import permissions
from ..forms.scoring import (
    ExplainForm,
    PublishForm,
    ReviewForm,
    SchemeCreateForm,
    SchemeSettingsForm,
    formset_rows,
    scheme_formsets,
)
from ..models import EmulationYear, ScoringScheme, UnitScore
from ..selectors import scoring as selectors
from ..services import scoring as services
from . import listing

NOT_FOUND = "Không tìm thấy bảng điểm."
KINDS = dict(ScoringScheme.Kind.choices)


def _year(number):
    return get_object_or_404(EmulationYear, year=number)


def _department_scheme(user, pk):
    """A scheme's own pages are the office's and leadership's: 404 for everyone else."""
    if not permissions.can_see_department(user):
        raise Http404(NOT_FOUND)
    return get_object_or_404(ScoringScheme.objects.select_related("year", "confirmed_by"), pk=pk)


def _office_scheme(user, pk):
    scheme = _department_scheme(user, pk)
    if not permissions.can_run_scheme(user):
        raise PermissionDenied("Chỉ Văn phòng thực hiện thao tác này.")
    return scheme


def _kind(request):
    kind = request.GET.get("loai") or ScoringScheme.Kind.ANNUAL
    if kind not in KINDS:
        raise Http404(NOT_FOUND)
    return kind


# --- The year's schemes --------------------------------------------------------------------------------------


def _list_page(request, year, *, form=None, status=200):
    user = request.user
    schemes = selectors.schemes_of(year)
    department = permissions.can_see_department(user)
    own = {}
    if not department and user.unit_id:
        own = {
            score.scheme_id: score
            for score in UnitScore.objects.filter(scheme__year=year, unit_id=user.unit_id).exclude(
                scheme__status=ScoringScheme.Status.DRAFT
            )
        }
    visible = schemes if department else [scheme for scheme in schemes if scheme.pk in own]
    can_create = permissions.can_manage_year(user)
    if form is None and can_create:
        form = SchemeCreateForm(initial={"name": f"Bảng điểm thi đua năm {year.year}"})
    return render(
        request,
        "emulation/scoring/list.html",
        {
            "year": year,
            "schemes": [(scheme, own.get(scheme.pk)) for scheme in visible],
            "department": department,
            "can_create": can_create,
            "form": form
            or (SchemeCreateForm(initial={"name": f"Bảng điểm thi đua năm {year.year}"}) if can_create else None),
        },
        status=status,
    )


@require_GET
def scheme_list(request, year):
    """The year's schemes: every one for the office and leadership; a unit's own published scores for its members."""
    if not permissions.can_see_emulation(request.user):
        raise Http404(NOT_FOUND)
    return _list_page(request, _year(year))


@require_POST
def scheme_create(request, year):
    """A new draft scheme of one kind, empty or copied from the previous year's of the same kind."""
    user = request.user
    if not permissions.can_see_department(user):
        raise Http404(NOT_FOUND)
    if not permissions.can_manage_year(user):
        raise PermissionDenied("Chỉ Văn phòng lập bảng điểm.")
    emulation_year = _year(year)
    form = SchemeCreateForm(request.POST)
    if form.is_valid():
        data = form.cleaned_data
        copy_from = None
        if data["copy_previous"]:
            copy_from = ScoringScheme.objects.filter(year__year=emulation_year.year - 1, kind=data["kind"]).first()
            if copy_from is None:
                form.add_error("copy_previous", "Năm trước không có bảng điểm cùng loại để sao chép.")
        if form.is_valid():
            try:
                scheme = services.scheme_create(
                    year=emulation_year, kind=data["kind"], name=data["name"], actor=user, copy_from=copy_from
                )
            except Refused as refusal:
                form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
            else:
                messages.success(request, "Đã lập bảng điểm.")
                return redirect("emulation:scheme_edit", pk=scheme.pk)
    return _list_page(request, emulation_year, form=form, status=400)


# --- One scheme ------------------------------------------------------------------------------------------------


def _detail_page(request, scheme, *, publish_form=None, review_form=None, status=200):
    user = request.user
    items, adjustments = selectors.scheme_items(scheme)
    ranked = _ranked_page(request, selectors.scheme_ranking(scheme))
    return render(
        request,
        "emulation/scoring/detail.html",
        {
            "scheme": scheme,
            "items": items,
            "adjustments": adjustments,
            **ranked,
            "rules_explained": selectors.RULES_EXPLAINED,
            "is_office": permissions.can_run_scheme(user),
            "can_confirm": permissions.can_confirm_scores(user) and scheme.status == ScoringScheme.Status.REVIEWED,
            "publish_form": publish_form or PublishForm(),
            "review_form": review_form or ReviewForm(),
            "history": selectors.scheme_history(scheme),
        },
        status=status,
    )


@require_GET
def scheme_detail(request, pk):
    """The scheme: its rules, items and adjustments, every unit's score and place, and the next step."""
    return _detail_page(request, _department_scheme(request.user, pk))


@require_http_methods(["GET", "POST"])
def scheme_edit(request, pk):
    """The office edits a draft scheme: its name, tie-break rules, items and adjustments (add, change, delete)."""
    scheme = _office_scheme(request.user, pk)
    if scheme.status != ScoringScheme.Status.DRAFT:
        messages.info(request, services.LOCKED if scheme.is_locked else services.NOT_DRAFT)
        return redirect("emulation:scheme_detail", pk=scheme.pk)
    data = request.POST if request.method == "POST" else None
    settings_form = SchemeSettingsForm(data, initial=SchemeSettingsForm.initial_for(scheme))
    items, adjustments, levels = scheme_formsets(scheme, data)
    status = 200
    if request.method == "POST":
        if settings_form.is_valid() and items.is_valid() and adjustments.is_valid():
            try:
                services.scheme_save(
                    scheme=scheme,
                    actor=request.user,
                    name=settings_form.cleaned_data["name"],
                    tie_break=settings_form.cleaned_data["tie_break"],
                    items=formset_rows(items),
                    adjustments=formset_rows(adjustments),
                )
            except Refused as refusal:
                messages.error(request, refusal.message)
            else:
                messages.success(request, "Đã lưu bảng điểm.")
                return redirect("emulation:scheme_edit", pk=scheme.pk)
        else:
            messages.error(request, "Có ô chưa hợp lệ; vui lòng sửa các ô được đánh dấu. Chưa có gì được lưu.")
        status = 400
    return render(
        request,
        "emulation/scoring/edit.html",
        {
            "scheme": scheme,
            "settings_form": settings_form,
            "items": items,
            "adjustments": adjustments,
            "levels": levels,
            "rules_explained": selectors.RULES_EXPLAINED,
        },
        status=status,
    )


def _refused(request, scheme, refusal, **forms):
    messages.error(request, refusal.message)
    return _detail_page(request, scheme, status=400, **forms)


@require_POST
def scheme_compute(request, pk):
    scheme = _office_scheme(request.user, pk)
    try:
        scores = services.scheme_compute(scheme=scheme, actor=request.user)
    except Refused as refusal:
        return _refused(request, scheme, refusal)
    messages.success(request, f"Đã tính điểm cho {len(scores)} đơn vị; điểm Văn phòng đã chấm được giữ nguyên.")
    return redirect("emulation:scheme_detail", pk=scheme.pk)


@require_POST
def scheme_publish(request, pk):
    scheme = _office_scheme(request.user, pk)
    form = PublishForm(request.POST)
    if not form.is_valid():
        return _refused(request, scheme, Refused("Vui lòng nhập hạn giải trình hợp lệ."), publish_form=form)
    try:
        services.scheme_publish(scheme=scheme, actor=request.user, explain_until=form.cleaned_data["explain_until"])
    except Refused as refusal:
        if refusal.field in form.fields:
            form.add_error(refusal.field, refusal.message)
        return _refused(request, scheme, refusal, publish_form=form)
    messages.success(request, "Đã công bố điểm tạm tính; các đơn vị đã được thông báo.")
    return redirect("emulation:scheme_detail", pk=scheme.pk)


@require_POST
def scheme_review(request, pk):
    scheme = _office_scheme(request.user, pk)
    form = ReviewForm(request.POST)
    if not form.is_valid():
        return _refused(request, scheme, Refused("Vui lòng nhập ngày họp và kết luận của Hội đồng."), review_form=form)
    try:
        services.scheme_review(
            scheme=scheme,
            actor=request.user,
            session_on=form.cleaned_data["council_session_on"],
            minutes=form.cleaned_data["council_minutes"],
        )
    except Refused as refusal:
        if refusal.field in form.fields:
            form.add_error(refusal.field, refusal.message)
        return _refused(request, scheme, refusal, review_form=form)
    messages.success(request, "Đã ghi kết quả xem xét của Hội đồng.")
    return redirect("emulation:scheme_detail", pk=scheme.pk)


@require_POST
def scheme_confirm(request, pk):
    scheme = _department_scheme(request.user, pk)
    if not permissions.can_confirm_scores(request.user):
        raise PermissionDenied("Chỉ lãnh đạo Sở xác nhận điểm.")
    try:
        services.scheme_confirm(scheme=scheme, actor=request.user)
    except Refused as refusal:
        return _refused(request, scheme, refusal)
    messages.success(request, "Đã xác nhận điểm; điểm không còn thay đổi được.")
    return redirect("emulation:scheme_detail", pk=scheme.pk)


# --- One unit's score ------------------------------------------------------------------------------------------


def _visible_score(user, pk):
    score = get_object_or_404(UnitScore.objects.select_related("scheme__year", "unit", "explained_by"), pk=pk)
    if not permissions.can_see_score(user, score.unit_id, score.scheme):
        raise Http404("Không tìm thấy điểm.")
    return score


def _score_page(request, score, *, typed=None, errors=None, explain_form=None, status=200):
    user = request.user
    scheme = score.scheme
    lines, report = selectors.score_lines(score)
    for view in lines:
        key = str(view.line.pk)
        view.typed = (typed or {}).get(key) or {
            "points": "" if view.line.office_points is None else view.line.office_points,
            "reason": view.line.reason,
            "occurrences": view.line.occurrences,
        }
        view.errors = (errors or {}).get(view.line.pk, {})
    place = selectors.place_of(selectors.scheme_ranking(scheme), score.unit_id)
    today = timezone.localdate()
    window_open = scheme.explain_until is None or today <= scheme.explain_until
    return render(
        request,
        "emulation/scoring/score.html",
        {
            "score": score,
            "scheme": scheme,
            "lines": lines,
            "report": report,
            "place": place,
            "can_score": permissions.can_score(user, score.unit_id, scheme),
            "can_explain": permissions.can_explain(user, score.unit_id, scheme) and window_open,
            "explain_form": explain_form or ExplainForm(initial={"explanation": score.explanation}),
            "department": permissions.can_see_department(user),
        },
        status=status,
    )


@require_GET
def score_detail(request, pk):
    """One unit's score: each line, what it rests on, the office's points and reasons; its place; its explanation."""
    return _score_page(request, _visible_score(request.user, pk))


@require_POST
def score_office(request, pk):
    """The office's points per line, each with its reason (another reviewer or leadership for the office's unit)."""
    score = _visible_score(request.user, pk)
    if not permissions.can_score(request.user, score.unit_id, score.scheme):
        if score.scheme.is_locked and permissions.reviews_unit(request.user, score.unit_id):
            messages.error(request, services.LOCKED)
            return _score_page(request, score, status=400)
        raise PermissionDenied("Bạn không được chấm điểm đơn vị này (không ai chấm điểm chính đơn vị mình).")
    entries = {}
    for line_id in score.lines.values_list("pk", flat=True):
        prefix = f"line-{line_id}-"
        if f"{prefix}points" not in request.POST:
            continue
        entries[str(line_id)] = {
            "points": request.POST.get(f"{prefix}points", ""),
            "reason": request.POST.get(f"{prefix}reason", ""),
        }
        if f"{prefix}occurrences" in request.POST:
            entries[str(line_id)]["occurrences"] = request.POST[f"{prefix}occurrences"]
    try:
        services.score_office(score=score, actor=request.user, entries=entries)
    except services.ScoreInvalid as invalid:
        messages.error(request, invalid.message)
        return _score_page(request, score, typed=entries, errors=invalid.errors, status=400)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return _score_page(request, score, typed=entries, status=400)
    messages.success(request, "Đã lưu điểm Văn phòng chấm.")
    return redirect("emulation:score_detail", pk=score.pk)


@require_POST
def score_explain(request, pk):
    """The unit's head or deputy explains its provisional score (giải trình) until the deadline."""
    score = _visible_score(request.user, pk)
    if not permissions.acts_for_unit(request.user, score.unit_id):
        raise PermissionDenied("Chỉ trưởng hoặc phó trưởng đơn vị giải trình.")
    form = ExplainForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Vui lòng nhập nội dung giải trình.")
        return _score_page(request, score, explain_form=form, status=400)
    try:
        services.score_explain(score=score, actor=request.user, text=form.cleaned_data["explanation"])
    except Refused as refusal:
        messages.error(request, refusal.message)
        return _score_page(request, score, explain_form=form, status=400)
    messages.success(request, "Đã gửi giải trình; Văn phòng đã được thông báo.")
    return redirect("emulation:score_detail", pk=score.pk)


# --- Rankings --------------------------------------------------------------------------------------------------


def _ranking_scheme(request, year):
    """The scheme of the year and kind asked for: any state for the office and leadership, published or later for
    a unit's members (who see only their own row)."""
    user = request.user
    if not permissions.can_see_emulation(user):
        raise Http404(NOT_FOUND)
    scheme = get_object_or_404(ScoringScheme.objects.select_related("year"), year__year=year, kind=_kind(request))
    if not permissions.can_see_department(user) and (scheme.status == ScoringScheme.Status.DRAFT or not user.unit_id):
        raise Http404(NOT_FOUND)
    return scheme


def _visible_rows(user, rows):
    if permissions.can_see_department(user):
        return rows
    return [row for row in rows if permissions.is_member_of(user, row.unit_id)]


def _ranked_page(request, ranked, *, query=None):
    """A page of a ranking (issue 17, item 3): the rows whose unit name holds ?q=, in their places, paginated on the
    server; each row plain, its score's link formatted from one reverse. `count` is every ranked unit."""
    search = listing.search_text(request)
    needle = search.casefold()
    found = [row for row in ranked if listing.matches(needle, row.unit_name)]
    context = listing.paged(request, found, {**(query or {}), "q": search})
    score_link = listing.link_pattern("emulation:score_detail")
    context["rows"] = [
        {
            "place": row.place,
            "unit_name": row.unit_name,
            "link": score_link.format(row.score_id) if row.score_id is not None else "",
            "self_total": row.self_total,
            "explained": row.explained,
            "total": row.total,
            "deductions": row.deductions,
            "on_time": row.on_time,
            "tie_rule": row.tie_rule,
            "year_totals": getattr(row, "year_totals", ()),
        }
        for row in context["page"].object_list
    ]
    context.update({"search": search, "count": len(ranked)})
    return context


@require_GET
def ranking(request, year):
    """The year's ranking of one kind (?loai=annual|campaign) with the tie-break rule shown by tied units: for the
    office and leadership every unit, searched by name and paginated; for a unit's members their own row."""
    scheme = _ranking_scheme(request, year)
    rows = selectors.scheme_ranking(scheme)
    department = permissions.can_see_department(request.user)
    context = _ranked_page(request, _visible_rows(request.user, rows), query={"loai": scheme.kind})
    return render(
        request,
        "emulation/scoring/ranking.html",
        {
            **context,
            "scheme": scheme,
            "kind": scheme.kind,
            "kinds": ScoringScheme.Kind.choices,
            "count": len(rows),
            "department": department,
            "phase": Phase.objects.filter(start_year__lte=year, end_year__gte=year).first(),
        },
    )


def _xlsx(filename, content):
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _taken_at():
    return f"Số liệu lúc {timezone.localtime():%H:%M} ngày {timezone.localdate():%d/%m/%Y}"


@require_GET
def ranking_xlsx(request, year):
    """The year's ranking as xlsx (the office and leadership): place, unit, points as numbers, the rule used."""
    if not permissions.can_see_department(request.user):
        raise Http404(NOT_FOUND)
    scheme = _ranking_scheme(request, year)
    rows = selectors.scheme_ranking(scheme)
    sheet = Sheet(
        "Xếp hạng",
        ["Hạng", "Đơn vị", "Điểm tự chấm", "Điểm", "Điểm trừ", "Báo cáo năm đúng hạn", "Quy tắc khi bằng điểm"],
        [
            (
                row.place,
                row.unit_name,
                row.self_total,
                row.total,
                row.deductions,
                "Đúng hạn" if row.on_time else "Không",
                row.tie_rule,
            )
            for row in rows
        ],
        title=[f"Xếp hạng thi đua năm {scheme.year.year} — {scheme.name}", scheme.get_status_display(), _taken_at()],
        widths=[7, 45, 12, 12, 12, 14, 50],
    )
    return _xlsx(f"xep-hang-{scheme.kind}-{scheme.year.year}.xlsx", sheets_bytes([sheet]))


def _phase(number, request):
    if not permissions.can_see_emulation(request.user):
        raise Http404(NOT_FOUND)
    return get_object_or_404(Phase, number=number)


@require_GET
def phase_ranking(request, number):
    """The phase's ranking of one kind: the sum of the confirmed years, the years missing named."""
    phase = _phase(number, request)
    result = selectors.phase_ranking(phase, _kind(request))
    if not permissions.can_see_department(request.user) and not request.user.unit_id:
        raise Http404(NOT_FOUND)
    context = _ranked_page(request, _visible_rows(request.user, result.rows), query={"loai": result.kind})
    return render(
        request,
        "emulation/scoring/phase.html",
        {
            **context,
            "result": result,
            "phase": phase,
            "kind": result.kind,
            "kind_label": KINDS[result.kind],
            "kinds": ScoringScheme.Kind.choices,
            "count": len(result.rows),
            "department": permissions.can_see_department(request.user),
        },
    )


@require_GET
def phase_ranking_xlsx(request, number):
    if not permissions.can_see_department(request.user):
        raise Http404(NOT_FOUND)
    phase = _phase(number, request)
    result = selectors.phase_ranking(phase, _kind(request))
    sheet = Sheet(
        "Xếp hạng giai đoạn",
        ["Hạng", "Đơn vị", *[f"Năm {year}" for year in result.years], "Tổng điểm", "Quy tắc khi bằng điểm"],
        [
            (row.place, row.unit_name, *[row.years.get(year) for year in result.years], row.total, row.tie_rule)
            for row in result.rows
        ],
        title=[
            f"Xếp hạng thi đua {phase.name} — {KINDS[result.kind]}",
            "Các năm chưa có điểm được xác nhận: " + (", ".join(map(str, result.missing)) or "không"),
            _taken_at(),
        ],
    )
    return _xlsx(f"xep-hang-giai-doan-{phase.number}-{result.kind}.xlsx", sheets_bytes([sheet]))
