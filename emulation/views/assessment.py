"""The year-end assessment's pages: the year's assessments, one unit's assessment, its editor and its actions.

Views are thin: the object through emulation.permissions (404 for what one may not see, 403 for an action one
may not take on what one sees), input through emulation.forms.assessment, the change through
emulation.services.assessment. A refusal changes nothing and shows the page again (400) with what was typed.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from documents import stored
from documents import views as document_steps
from portal.uploads import CONTENT_TYPES
from units.listing import filter_unit_rows, sort_unit_rows
from units.models import Person
from workflow.errors import Refused

from .. import permissions
from ..documents.assessment_stored import minutes_filename
from ..forms.assessment import AssessmentForm, ConfirmForm, ReturnForm, add_refusal
from ..models import EmulationYear
from ..selectors import assessment as selectors
from ..services import assessment as services
from . import listing


def _year(year):
    return get_object_or_404(EmulationYear, year=year)


@require_GET
def assessment_list(request, year):
    """The office and leadership: every reporting unit's assessment of the year and its state. A unit's member:
    their unit's assessment (sent to it once started), or the button that starts it."""
    user = request.user
    if not permissions.can_see_emulation(user):
        raise Http404("Không tìm thấy trang.")
    emulation_year = _year(year)
    department = permissions.can_see_department(user)
    member = permissions.is_member_of(user, user.unit_id)
    own = selectors.own_assessment(emulation_year, user.unit_id) if member else None
    if not department and own is not None:
        return redirect("emulation:assessment_detail", pk=own.pk)
    context = {
        "year": emulation_year,
        "department": department,
        "own": own,
        "can_start": own is None and member,
    }
    if department:
        context.update(_department_list(request, user, emulation_year))
    return render(request, "emulation/assessment/list.html", context)


def _department_list(request, user, emulation_year):
    """Counts by state over every reporting unit; the table filtered (state, unit name or code), sorted and
    paginated on the server, as plain rows with links formatted from one reverse."""
    every = selectors.year_overview(emulation_year)
    counts = selectors.status_counts(every)
    status = request.GET.get("status") or None
    if status not in {key for key, _, _ in counts}:
        status = None
    search = listing.search_text(request)
    sort = request.GET.get("sort")
    if sort not in selectors.LIST_SORTS:
        sort = "unit"
    shown = sort_unit_rows(filter_unit_rows(every, status=status, search=search), sort, selectors.ACTION_RANK)
    context = listing.paged(request, shown, {"status": status, "q": search, "sort": sort})
    detail = listing.link_pattern("emulation:assessment_detail")
    rows = []
    for number, row in enumerate(context["page"].object_list, start=context["page"].start_index()):
        # permissions.can_see_assessment on plain values: the unit's own members, or the office and leadership once
        # it was sent (a draft stays the unit's).
        visible = row["assessment_id"] is not None and (
            permissions.is_member_of(user, row["unit_id"]) or row["status"] in permissions.SENT_ONCE_ASSESSMENT
        )
        submitted_at = row["submitted_at"]
        rows.append(
            {
                **row,
                "number": number,
                "link": detail.format(row["assessment_id"]) if visible else "",
                "submitted": timezone.localtime(submitted_at).strftime("%d/%m/%Y %H:%M") if submitted_at else "",
            }
        )
    context.update(
        {
            "rows": rows,
            "counts": counts,
            "total": len(every),
            "status": status,
            "search": search,
            "sort": sort,
            "sorts": list(selectors.LIST_SORTS.items()),
        }
    )
    return context


@require_POST
def assessment_start(request, year):
    """A unit's staff or head starts its assessment: one entry per person of the unit."""
    user = request.user
    if not permissions.can_see_emulation(user):
        raise Http404("Không tìm thấy trang.")
    emulation_year = _year(year)
    if not permissions.is_member_of(user, user.unit_id):
        raise PermissionDenied("Chỉ cán bộ của các đơn vị mới bắt đầu bình xét của đơn vị mình.")
    try:
        assessment = services.assessment_start(year=emulation_year, unit=user.unit, actor=user)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("emulation:assessments", year=year)
    messages.success(request, "Đã bắt đầu bình xét. Hãy nhập kết quả họp bình xét của đơn vị.")
    return redirect("emulation:assessment_edit", pk=assessment.pk)


def _detail_context(request, assessment, *, confirm_form=None, return_form=None):
    user = request.user
    page = selectors.assessment_page(assessment)
    can_confirm = permissions.can_confirm_assessment(user, assessment)
    if can_confirm and confirm_form is None:
        confirm_form = ConfirmForm(entries=page["entries"])
    generated = services.minutes_kind(assessment) == services.MINUTES_GENERATED
    return {
        "assessment": assessment,
        **page,
        "can_edit": permissions.can_edit_assessment(user, assessment),
        "can_submit": permissions.can_submit_assessment(user, assessment),
        "can_confirm": can_confirm,
        "confirm_form": confirm_form,
        "return_form": return_form or (ReturnForm() if can_confirm else None),
        "minutes": services.minutes_kind(assessment),
        "files": stored.panel(assessment) if generated else None,
    }


@require_GET
def assessment_detail(request, pk):
    """One unit's assessment: the people and what was proposed and decided, the minutes, the history, the actions."""
    assessment = permissions.get_visible_assessment(request.user, pk)
    return render(request, "emulation/assessment/detail.html", _detail_context(request, assessment))


def _editor_form(assessment, data=None, files=None):
    entries = {entry.person_id: entry for entry in assessment.entries.select_related("person")}
    newcomers = Person.objects.filter(unit_id=assessment.unit_id, is_active=True).exclude(pk__in=list(entries))
    people = sorted([*(entry.person for entry in entries.values()), *newcomers], key=lambda p: (p.full_name, p.pk))
    roles = selectors.meeting_roles(assessment)
    initial = {
        "meeting_date": assessment.meeting_date,
        "attendance": assessment.meeting_attendance,
        "chair": roles["chair"],
        "secretary": roles["secretary"],
    }
    return AssessmentForm(
        data,
        files,
        people=people,
        entries=entries,
        title_choices=selectors.individual_titles(),
        initial=initial,
    )


def _editable(user, pk):
    assessment = permissions.get_visible_assessment(user, pk)
    if not permissions.can_edit_assessment(user, assessment):
        raise PermissionDenied("Kết quả bình xét chỉ do đơn vị sửa, khi đang soạn hoặc bị trả lại.")
    return assessment


@require_http_methods(["GET", "POST"])
def assessment_edit(request, pk):
    """The unit records its meeting: date, attendance, chair, secretary, the minutes, each person's proposal."""
    assessment = _editable(request.user, pk)
    if request.method == "GET":
        form = _editor_form(assessment)
        return render(request, "emulation/assessment/edit.html", {"assessment": assessment, "form": form})
    form = _editor_form(assessment, request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.assessment_save(
                assessment=assessment,
                actor=request.user,
                meeting_date=data["meeting_date"],
                attendance=data["attendance"],
                chair=data["chair"],
                secretary=data["secretary"],
                entries=form.proposals(),
                minutes=data.get("minutes"),
                remove_minutes=data.get("remove_minutes", False),
            )
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Đã lưu kết quả họp bình xét.")
            return redirect("emulation:assessment_detail", pk=assessment.pk)
    return render(request, "emulation/assessment/edit.html", {"assessment": assessment, "form": form}, status=400)


def _refused_on_detail(request, assessment, refusal):
    messages.error(request, refusal.message)
    for message in (getattr(refusal, "errors", None) or {}).values():
        messages.error(request, message)
    return redirect("emulation:assessment_detail", pk=assessment.pk)


@require_POST
def assessment_generate_minutes(request, pk):
    """The portal makes the unit's biên bản from what was entered (the stored-files job renders it)."""
    assessment = _editable(request.user, pk)
    try:
        services.assessment_generate_minutes(assessment=assessment, actor=request.user)
    except Refused as refusal:
        return _refused_on_detail(request, assessment, refusal)
    messages.success(request, "Đã yêu cầu lập biên bản từ kết quả đã nhập; trang tự cập nhật khi tệp được tạo xong.")
    return redirect("emulation:assessment_detail", pk=assessment.pk)


@require_GET
def assessment_minutes(request, pk):
    """The minutes: the unit's signed PDF when attached, else the biên bản the portal made (as stored)."""
    assessment = permissions.get_visible_assessment(request.user, pk)
    if assessment.minutes_file:
        return FileResponse(
            assessment.minutes_file.open("rb"),
            as_attachment=True,
            filename=minutes_filename(assessment, "pdf"),
            content_type=CONTENT_TYPES["pdf"],
        )
    if services.minutes_kind(assessment) != services.MINUTES_GENERATED:
        raise Http404("Đơn vị chưa có biên bản họp bình xét.")
    return document_steps.stored_download(request, assessment, "pdf")


@require_GET
def assessment_minutes_docx(request, pk):
    """The biên bản the portal made, as a DOCX to edit in Word."""
    assessment = permissions.get_visible_assessment(request.user, pk)
    if services.minutes_kind(assessment) != services.MINUTES_GENERATED:
        raise Http404("Đơn vị chưa lập biên bản trên Cổng.")
    return document_steps.stored_download(request, assessment, "docx")


@require_POST
def assessment_submit(request, pk):
    """The head or a deputy sends the assessment to the office."""
    user = request.user
    assessment = permissions.get_visible_assessment(user, pk)
    if not permissions.can_submit_assessment(user, assessment):
        raise PermissionDenied("Chỉ trưởng hoặc phó trưởng đơn vị mới được gửi kết quả bình xét, khi đang soạn.")
    try:
        services.assessment_submit(assessment=assessment, actor=user)
    except Refused as refusal:
        return _refused_on_detail(request, assessment, refusal)
    messages.success(request, "Đã gửi kết quả bình xét đến Văn phòng.")
    return redirect("emulation:assessment_detail", pk=assessment.pk)


def _reviewed(user, pk):
    assessment = permissions.get_visible_assessment(user, pk)
    if not permissions.can_confirm_assessment(user, assessment):
        raise PermissionDenied(
            "Chỉ Văn phòng (không xử lý kết quả của chính đơn vị mình) xác nhận hoặc trả lại kết quả bình xét đã gửi."
        )
    return assessment


@require_POST
def assessment_return(request, pk):
    """The office returns the assessment with a reason."""
    assessment = _reviewed(request.user, pk)
    form = ReturnForm(request.POST)
    if form.is_valid():
        try:
            services.assessment_return(assessment=assessment, actor=request.user, reason=form.cleaned_data["reason"])
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Đã trả lại kết quả bình xét cho đơn vị.")
            return redirect("emulation:assessment_detail", pk=assessment.pk)
    context = _detail_context(request, assessment, return_form=form)
    return render(request, "emulation/assessment/detail.html", context, status=400)


@require_POST
def assessment_confirm(request, pk):
    """The office enters or confirms the classification decided for each person."""
    assessment = _reviewed(request.user, pk)
    entries = selectors.assessment_page(assessment)["entries"]
    form = ConfirmForm(request.POST, entries=entries)
    if form.is_valid():
        try:
            services.assessment_confirm(assessment=assessment, actor=request.user, decisions=form.decisions())
        except Refused as refusal:
            add_refusal(form, refusal)
        else:
            messages.success(request, "Đã xác nhận xếp loại; đơn vị đã được thông báo.")
            return redirect("emulation:assessment_detail", pk=assessment.pk)
    context = _detail_context(request, assessment, confirm_form=form)
    return render(request, "emulation/assessment/detail.html", context, status=400)
