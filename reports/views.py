"""Unit reports in the browser: the unit's to-do list and editor, the office's matrix and review.

Views are thin: they get objects through reports.permissions, read input with reports.forms,
call reports.services, and redirect with a message.
"""

import functools
import json
import logging

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.paginator import Paginator
from django.db import InterfaceError, OperationalError
from django.db.models import prefetch_related_objects
from django.http import FileResponse, Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.defaultfilters import date as format_date
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaign.models import ReportingPeriod
from documents import stored
from documents.model import Amount, Rate
from documents.xlsx import Sheet, sheets_bytes, workbook_bytes
from units.listing import filter_unit_rows, sort_unit_rows
from workflow.errors import InvalidTransition, Refused

from . import permissions, selectors, services
from .diff import snapshot_changes
from .errors import EditConflict, NotAllowed, SubmissionInvalid
from .extensions import report_annotations, review_panels
from .forms import SUBMIT, SUBMIT_KEEPING_PREFILLED, AcceptForm, CommentForm, EvidenceForm, ReportPartsForm, ReturnForm
from .models import Addressee, CriterionResult, Evidence, ReportTransition, UnitReport
from .parts import above_whole, digest, display_quantity
from .services import prefill_check
from .services.editing import assessment_levels, part_objects, report_save_part, values_of
from .services.workflow import REGISTER_NUMBER

NOT_FOUND = "Không tìm thấy báo cáo."
SUBMITTED = "Đã nộp báo cáo. Văn phòng sẽ rà soát và phản hồi trên Cổng."
WITHDRAWN = "Đã rút lại báo cáo; đơn vị có thể chỉnh sửa và nộp lại."
DATABASE_UNAVAILABLE = "Máy chủ tạm thời không kết nối được cơ sở dữ liệu; nội dung chưa được lưu."
WORKFLOW = UnitReport.WORKFLOW

logger = logging.getLogger(__name__)


@require_GET
def todo(request):
    """ "Việc cần làm": the reports the user's unit owes, overdue first, then its past reports."""
    user = request.user
    owed, done = selectors.unit_todo(user.unit if permissions.can_see_todo(user) else None)
    return render(request, "reports/todo.html", {"owed": owed, "done": done})


@require_POST
def start(request, period_code):
    """Open the unit's report for a period, creating it pre-filled from the unit's previous report."""
    user = request.user
    if not permissions.can_draft_for_own_unit(user):
        raise Http404(NOT_FOUND)
    period = get_object_or_404(ReportingPeriod, code=period_code)
    try:
        report = services.report_start(unit=user.unit, period=period, actor=user)
    except Refused as error:
        messages.error(request, error.message)
        return redirect("reports:todo")
    return redirect("reports:edit", pk=report.pk)


def _unit_report(user, pk):
    """A report for its own unit's pages (editor, autosave, evidence): 404 for whoever may not see it, 403 for
    whoever sees it but is not of its unit."""
    report = permissions.get_visible_report(user, pk)
    if not permissions.can_draft_for(user, report.unit):
        raise PermissionDenied("Chỉ cán bộ của đơn vị soạn báo cáo của đơn vị.")
    return report


def _reviewable_report(user, pk):
    """A report the user may review: 404 for whoever may not see it, 403 for whoever sees it but may not review
    it (nobody reviews their own unit's report)."""
    report = permissions.get_visible_report(user, pk)
    if not permissions.can_review(user, report):
        raise PermissionDenied("Bạn không được rà soát báo cáo này.")
    return report


def _editor_context(request, report, *, form=None, conflicts=None, errors=None):
    """The report's parts as the editor, the read-only page and the review page show them.

    Runs a fixed number of queries: parts with their criteria, indicators and levels, then the
    evidence of every result and every comment with its author, each in one query; and the notes the apps
    built on reports add beside criteria and indicators (reports.extensions, a fixed number each).
    """
    parts = part_objects(report)
    results = [part for part in parts.values() if isinstance(part, CriterionResult)]
    prefetch_related_objects(results, "evidence")
    comments = list(report.comments.select_related("author"))
    annotations = report_annotations(report)
    levels = assessment_levels()
    posted = form.posted if form is not None else {}
    items = []
    for key, part in parts.items():
        current = values_of(part)
        shown = posted.get(key, current)
        part_errors = (errors or {}).get(key, {})
        item = {
            "key": key,
            "part": part,
            "values": shown,
            "revision": part.revision,
            "original": digest(current),
            "errors": part_errors,
            "conflict": (conflicts or {}).get(key),
        }
        if isinstance(part, CriterionResult):
            notes = annotations.get(part.criterion_id, {})
            item["annotations"] = notes.get("criterion", [])
            item["indicators"] = [
                _indicator_entry(indicator, part, shown, part_errors, notes)
                for indicator in part.criterion.indicators.all()
                if indicator.is_active
            ]
            item["evidence"] = list(part.evidence.all())
            item["comments"] = [comment for comment in comments if comment.result_id == part.pk]
        items.append(item)
    return {
        "report": report,
        "results": [item for item in items if item["key"].startswith("criterion-")],
        "sections": [item for item in items if item["key"].startswith("section-")],
        "levels": levels,
        "not_applicable_ids": [level.pk for level in levels if level.means_not_applicable],
        "can_submit": permissions.can_submit(request.user, report),
        # A Chi cục or Trung tâm numbers its report: from its own book if its clerk gives the number.
        "asks_register_number": report.unit.has_own_seal and report.register_entry_id is None,
        "register_error": (errors or {}).get(REGISTER_NUMBER, {}).get("number", ""),
        "general_comments": [comment for comment in comments if comment.result_id is None],
        "evidence_form": EvidenceForm(),
        "addressees": [(value, label) for value, label in Addressee.choices if value],
    }


def _indicator_entry(indicator, result, shown, part_errors, notes):
    value = indicator.compute(result.quantities or {})
    return {
        "indicator": indicator,
        "quantities": [
            {
                **quantity,
                # As Vietnamese writes it ("1.050.000.000"); what the form refused stays as typed.
                "value": display_quantity((shown.get("quantities") or {}).get(quantity["key"], "")),
                "error": part_errors.get(f"q-{quantity['key']}"),
            }
            for quantity in indicator.quantities
        ],
        "value": value,
        "above_whole": above_whole(indicator, value),
        "annotations": notes.get("indicators", {}).get(indicator.pk, []),
    }


def _previous_year_figures(report, results):
    """Beside each indicator judged against the same period last year, the unit's figure then (None: none yet).

    One query: the unit's submitted results on the period of the same kind a year before (one per kind and year).
    """
    judged = [
        entry
        for item in results
        for entry in item["indicators"]
        if entry["indicator"].comparison == entry["indicator"].Comparison.PREVIOUS_YEAR
    ]
    if not judged:
        return
    period = report.period
    earlier = {
        result.criterion_id: result
        for result in CriterionResult.objects.filter(
            report__unit_id=report.unit_id,
            report__period__kind=period.kind,
            report__period__year=period.year - 1,
            report__status__in=permissions.SUBMITTED_ONCE,
            criterion_id__in={entry["indicator"].criterion_id for entry in judged},
        ).select_related("assessment")
    }
    for entry in judged:
        result = earlier.get(entry["indicator"].criterion_id)
        usable = result is not None and not result.is_not_applicable
        entry["previous_year"] = entry["indicator"].compute(result.quantities or {}) if usable else None


def _editor(request, report, *, status=200, stale_texts=None, **state):
    context = {
        **_editor_context(request, report, **state),
        "autosave_delay_ms": settings.REPORT_AUTOSAVE_DELAY_MS,
        # Texts that may still be last period's, listed for the head to confirm or edit (prefill_check).
        "stale_texts": stale_texts or [],
    }
    _previous_year_figures(report, context["results"])
    return render(request, "reports/edit.html", context, status=status)


def _repeat_of_a_move(refusal, report, action, user, comment=None):
    """Whether a refused move is the person's own, made moments ago and still standing (workflow.transitions)."""
    return isinstance(refusal, InvalidTransition) and WORKFLOW.already_done(report, action, actor=user, comment=comment)


def _submitted_just_now(request, report):
    """A "Nộp báo cáo" this person's submission of moments ago already answered (a double click, a form sent
    again): it gets that answer, the success, not the refusal of a report no longer a draft."""
    if request.POST.get("action") not in (SUBMIT, SUBMIT_KEEPING_PREFILLED):
        return False
    if not WORKFLOW.already_done(report, ReportTransition.Action.SUBMIT, actor=request.user):
        return False
    messages.success(request, SUBMITTED)
    return True


@require_http_methods(["GET", "POST"])
def edit(request, pk):
    """The report editor of the unit's staff and head: explicit save and submit (autosave posts elsewhere).

    Bad input, a refused submission or a conflict shows the editor again with what the person
    typed, and nothing is saved; a report that is no longer a draft opens read-only.
    """
    report = _unit_report(request.user, pk)
    if not permissions.can_edit(request.user, report):
        if request.method == "POST" and _submitted_just_now(request, report):
            return redirect(report)
        messages.info(request, "Báo cáo không ở trạng thái soạn thảo; bạn đang xem bản chỉ đọc.")
        return redirect(report)
    if request.method != "POST":
        return _editor(request, report)
    form = ReportPartsForm(part_objects(report), request.POST, levels=assessment_levels())
    if form.submitting and not permissions.acts_for_unit(request.user, report.unit):
        raise PermissionDenied("Chỉ trưởng hoặc phó trưởng đơn vị mới được nộp báo cáo.")
    if not form.is_valid():
        messages.error(request, "Có số liệu chưa hợp lệ; vui lòng sửa các ô được đánh dấu. Chưa có gì được lưu.")
        return _editor(request, report, form=form, errors=form.errors, status=400)
    try:
        if form.submitting:
            confirmed = prefill_check.check_prefilled(report, form.edits, confirmed=form.keeps_prefilled)
            services.report_submit(
                report=report,
                actor=request.user,
                edits=form.edits,
                confirm_over_plan=form.confirm_over_plan,
                register_number=request.POST.get("register_number", ""),
                comment=confirmed,
            )
        else:
            services.report_save_parts(report=report, actor=request.user, edits=form.edits)
            # An explicit save (not each autosave) asks the job for the draft's files as they now read.
            stored.request_current(report)
    except EditConflict as conflict:
        messages.warning(request, conflict.message)
        return _editor(request, report, form=form, conflicts=conflict.conflicts, status=409)
    except SubmissionInvalid as invalid:
        messages.error(request, invalid.message)
        return _editor(request, report, form=form, errors=invalid.errors, status=400)
    except prefill_check.PrefillNeedsConfirmation as unconfirmed:
        # Nothing saved: the page again with what was typed and the texts to look at, where the head is looking.
        return _editor(request, report, form=form, stale_texts=unconfirmed.texts, status=400)
    except Refused as error:
        # Pressed twice: the second waited for the first's lock and found the report submitted.
        if not (isinstance(error, InvalidTransition) and _submitted_just_now(request, report)):
            messages.error(request, error.message)
        return redirect(report)
    if form.submitting:
        messages.success(request, SUBMITTED)
        return redirect(report)
    messages.success(request, f"Đã lưu lúc {format_date(timezone.localtime(), 'H:i')}.")
    return redirect("reports:edit", pk=report.pk)


def _json_error(message, status, **extra):
    return JsonResponse({"error": message, **extra}, status=status)


def _json_when_the_database_fails(view):
    """A JSON endpoint answers JSON when the database fails under it (restarting, stopped, a dropped connection):
    503 with the reason, never the HTML error page, which the editor would take for a signed-out session."""

    @functools.wraps(view)
    def answer(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except (OperationalError, InterfaceError):
            logger.exception("Database unavailable during %s", request.path)
            return _json_error(DATABASE_UNAVAILABLE, 503)

    return answer


@_json_when_the_database_fails
def autosave(request, pk):
    """Save one part as the person types: JSON in and out, 409 with both versions on a conflict.

    A signed-in person always gets JSON back, errors included (503 when the database is unreachable): the
    editor (static/js/report_editor.js) takes a redirect or an HTML 401/403 for an ended session, a 5xx or no
    answer for a lost connection, and keeps the text in the browser either way.
    """
    if request.method != "POST":
        response = _json_error("Phương thức không được hỗ trợ.", 405)
        response["Allow"] = "POST"
        return response
    part_key = request.POST.get("part", "")

    def read(report, part):
        # Under the report's lock: what was posted for the one part, as the form reads it (levels only for a
        # criterion, the one kind of part that names one).
        if part is None:
            raise _Answer(_json_error("Không tìm thấy phần báo cáo.", 404))
        levels = assessment_levels() if isinstance(part, CriterionResult) else ()
        form = ReportPartsForm({part_key: part}, request.POST, levels=levels, only=part_key)
        if not form.is_valid():
            raise _Answer(JsonResponse({"errors": form.errors.get(part_key, {})}, status=400))
        return form.edits[part_key]

    try:
        answer = report_save_part(report_pk=pk, actor=request.user, key=part_key, read=read)
    except _Answer as refusal:
        return refusal.response
    except Http404:
        return _json_error(NOT_FOUND, 404)
    except EditConflict as conflict:
        detail = conflict.conflicts[part_key]
        return _json_error(
            conflict.message,
            409,
            conflict={
                "theirs": detail["theirs"],
                "yours": detail["yours"],
                "revision": detail["revision"],
                "by": detail["by"],
                "original": digest(detail["theirs"]),
            },
        )
    except Refused as error:
        return _json_error(error.message, 403)
    return JsonResponse(
        {
            "revision": answer["revision"],
            "original": digest(answer["values"]),
            "saved_at": format_date(timezone.localtime(), "H:i"),
        }
    )


class _Answer(Exception):
    """An answer decided while the part is read under the lock (no such part, input refused): nothing saved."""

    def __init__(self, response):
        super().__init__(response.status_code)
        self.response = response


@require_GET
def detail(request, pk):
    """The report read-only, with what the person may do next (edit, withdraw, review) and the return reason."""
    report = permissions.get_visible_report(request.user, pk)
    user = request.user
    context = _editor_context(request, report)
    context.update(
        {
            "can_edit": permissions.can_edit(user, report),
            "can_withdraw": permissions.can_withdraw(user, report),
            "can_review": permissions.can_review(user, report),
            "files": stored.panel(report),
            "last_return": report.transitions.filter(action=ReportTransition.Action.RETURN)
            .order_by("-at", "-pk")
            .first()
            if report.status == report.Status.RETURNED
            else None,
        }
    )
    return render(request, "reports/detail.html", context)


@require_POST
def withdraw(request, pk):
    """The head takes a submitted report back to edit it, until a reviewer has opened it."""
    report = permissions.get_visible_report(request.user, pk)
    if not permissions.acts_for_unit(request.user, report.unit):
        raise PermissionDenied("Chỉ trưởng hoặc phó trưởng đơn vị mới được rút lại báo cáo.")
    try:
        services.report_withdraw(report=report, actor=request.user)
    except Refused as error:
        if _repeat_of_a_move(error, report, ReportTransition.Action.WITHDRAW, request.user):
            messages.success(request, WITHDRAWN)
        else:
            messages.error(request, error.message)
    else:
        messages.success(request, WITHDRAWN)
    return redirect(report)


@require_GET
def history(request, pk):
    """Every state change of the report: who, when, what they said."""
    report = permissions.get_visible_report(request.user, pk)
    transitions = report.transitions.select_related("actor")
    return render(request, "reports/history.html", {"report": report, "transitions": transitions})


@require_POST
def evidence_upload(request, pk, result_pk):
    """Attach a file to one criterion, then back to that criterion's files: the editor (report_editor.js) shows
    the message there, focused and scrolled to, where the person pressed "Tải lên"."""
    report = _unit_report(request.user, pk)
    result = get_object_or_404(CriterionResult, pk=result_pk, report=report)
    back = f"{report.get_absolute_url()}edit/#evidence-{result.pk}"
    form = EvidenceForm(request.POST, request.FILES)
    if not form.is_valid():
        for error in form.errors.get("file", []):
            messages.error(request, error)
        return redirect(back)
    try:
        evidence = services.evidence_add(result=result, actor=request.user, upload=form.cleaned_data["file"])
    except ValidationError as error:
        messages.error(request, f"Không tải lên được “{form.cleaned_data['file'].name}”: {error.messages[0]}")
    except NotAllowed as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã tải lên “{evidence.original_name}”.")
    return redirect(back)


def _visible_evidence(user, pk):
    evidence = get_object_or_404(Evidence.objects.select_related("result"), pk=pk)
    permissions.get_visible_report(user, evidence.result.report_id)
    return evidence


@require_GET
def evidence_download(request, pk):
    evidence = _visible_evidence(request.user, pk)
    return FileResponse(
        evidence.file.open("rb"),
        as_attachment=True,
        filename=evidence.original_name,
        content_type=evidence.content_type,
    )


@require_POST
def evidence_delete(request, pk):
    evidence = get_object_or_404(Evidence.objects.select_related("result"), pk=pk)
    report_pk = evidence.result.report_id
    _unit_report(request.user, report_pk)  # 404 for whoever may not see the report, as for its download
    try:
        services.evidence_remove(evidence=evidence, actor=request.user)
    except NotAllowed as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã xóa “{evidence.original_name}”.")
    return redirect("reports:edit", pk=report_pk)


def _matrix_period(request):
    """The period chosen in ?period=, else the one whose due date is nearest today; 404 when there is none."""
    campaign = selectors.current_campaign()
    if campaign is None:
        raise Http404("Chưa có phong trào thi đua.")
    periods = list(ReportingPeriod.objects.owed(campaign).filter(start__lte=timezone.localdate()).order_by("-end"))
    code = request.GET.get("period")
    chosen = next((period for period in periods if period.code == code), None)
    if chosen is None:
        chosen = min(periods, key=lambda period: abs((period.unit_due_date - timezone.localdate()).days), default=None)
    if chosen is None:
        raise Http404("Chưa có kỳ báo cáo nào.")
    return chosen, periods


# The matrix's row links: reversed once per request, each row's link formatted from them (no reverse per row).
_PK_MARK = 987654321


def _link_pattern(name):
    return reverse(name, args=[_PK_MARK]).replace(str(_PK_MARK), "{}")


@require_GET
def matrix(request):
    """The office's status matrix of one period: counts over every unit at the top; the table filtered (status, late,
    unit name), sorted and paginated on the server — a page of MATRIX_PAGE_SIZE plain rows."""
    user = request.user
    if not permissions.can_see_matrix(user):
        raise Http404
    period, periods = _matrix_period(request)
    status = request.GET.get("status") or None
    if status not in selectors.STATUS_LABELS:
        status = None
    late_only = request.GET.get("late") == "1"
    search = request.GET.get("q", "").strip()[:100]
    sort = request.GET.get("sort")
    if sort not in selectors.MATRIX_SORTS:
        sort = "unit"
    every = selectors.matrix_rows(period)
    counts, late = selectors.matrix_counts(every)
    shown = sort_unit_rows(
        filter_unit_rows(every, status=status, late_only=late_only, search=search), sort, selectors.ACTION_RANK
    )
    # An unknown or out-of-range ?page= answers the nearest page (the first, or the last).
    page = Paginator(shown, selectors.MATRIX_PAGE_SIZE).get_page(request.GET.get("page"))
    # Office reviewers go straight to the review (permissions.can_review: any unit but their own); leadership opens
    # the report (its page offers the review where they may do it) — this keeps the check free of per-row queries.
    office = permissions.is_office(user)
    review, detail = _link_pattern("reports:review"), _link_pattern("reports:detail")
    rows = []
    for number, row in enumerate(page.object_list, start=page.start_index()):
        report_id, submitted_at = row["report_id"], row["submitted_at"]
        link = label = ""
        if report_id and row["status"] != "draft":
            if office and row["unit_id"] != user.unit_id:
                link, label = review.format(report_id), "Xem, rà soát"
            else:
                link, label = detail.format(report_id), "Xem"
        rows.append(
            (
                number,
                row["name"],
                row["status"],
                row["status_label"],
                row["is_late"],
                row["timeliness"],
                timezone.localtime(submitted_at).strftime("%d/%m/%Y %H:%M") if submitted_at else "",
                link,
                label,
            )
        )
    query = {"period": period.code, "status": status or "", "q": search, "sort": sort}
    if late_only:
        query["late"] = "1"
    return render(
        request,
        "reports/matrix.html",
        {
            "period": period,
            "periods": periods,
            "rows": rows,
            "page": page,
            "page_query": urlencode(query),
            "counts": [(key, selectors.STATUS_LABELS[key], counts[key]) for key in selectors.STATUS_ORDER],
            "late_count": late,
            "status": status,
            "late_only": late_only,
            "search": search,
            "sort": sort,
            "sorts": list(selectors.MATRIX_SORTS.items()),
            "shown": len(shown),
            "total": len(every),
        },
    )


def _xlsx(filename, content):
    response = HttpResponse(content, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _export_title(heading, period):
    """The title block of an office export: what it holds, the period with its due date, when it was taken."""
    return [
        heading,
        f"Kỳ báo cáo: {period.label} (hạn đơn vị nộp {period.unit_due_date:%d/%m/%Y})",
        f"Số liệu lúc {timezone.localtime():%H:%M} ngày {timezone.localdate():%d/%m/%Y}",
    ]


@require_GET
def matrix_xlsx(request):
    """The status matrix as xlsx: each unit's status, on time or late (as the page says), when it submitted."""
    if not permissions.can_see_matrix(request.user):
        raise Http404
    period, _ = _matrix_period(request)
    table = [
        (index, row["name"], row["status_label"], row["timeliness"], row["submitted_at"])
        for index, row in enumerate(selectors.matrix_rows(period), start=1)
    ]
    content = workbook_bytes(
        "Tình hình nộp báo cáo",
        ["STT", "Đơn vị", "Trạng thái", "Đúng hạn / muộn", "Nộp lúc"],
        table,
        widths=[6, 45, 20, 16, 18],
        title=_export_title("Tình hình nộp báo cáo của các phòng, đơn vị", period),
    )
    return _xlsx(f"tinh-hinh-nop-bao-cao-{period.code}.xlsx", content)


@require_GET
def indicators_xlsx(request):
    """The units' indicator figures as xlsx, a sheet per indicator with its quantities by their names."""
    if not permissions.can_see_matrix(request.user):
        raise Http404
    period, _ = _matrix_period(request)
    sheets = []
    for indicator, results in selectors.indicator_values(period):
        # A unit's draft is its own until submitted.
        submitted = [(result, value) for result, value in results if result.report.status in permissions.SUBMITTED_ONCE]
        sheets.append(
            Sheet(
                indicator.criterion.short_label,
                [
                    "STT",
                    "Đơn vị",
                    *[f"{quantity['label']} ({quantity['unit']})" for quantity in indicator.quantities],
                    indicator.name,
                    "Trạng thái báo cáo",
                    "Nộp lúc",
                    "Kết quả thực hiện",
                ],
                [
                    (
                        index,
                        result.report.unit_name,
                        *[_amount((result.quantities or {}).get(quantity["key"])) for quantity in indicator.quantities],
                        _indicator_figure(indicator, value),
                        result.report.get_status_display(),
                        result.report.submitted_at,
                        result.activities,
                    )
                    for index, (result, value) in enumerate(submitted, start=1)
                ],
                title=[
                    *_export_title(f"Chỉ số “{indicator.name}” của các phòng, đơn vị", period),
                    f"Tiêu chí: {indicator.criterion.text}",
                ],
                widths=[6, 40, *[22] * len(indicator.quantities), 16, 18, 17, 80],
            )
        )
    return _xlsx(f"chi-so-{period.code}.xlsx", sheets_bytes(sheets))


def _amount(raw):
    return Amount(raw) if raw not in (None, "") else None


def _indicator_figure(indicator, value):
    """A ratio as a rate (a percentage is kept as its fraction in the cell); a sum as an amount."""
    if value is None:
        return None
    if indicator.formula == indicator.Formula.SUM:
        return Amount(value)
    return Rate(value, indicator.result_unit)


def _trend_chart(indicator, points):
    return json.dumps(
        {
            "labels": [point["period"] for point in points],
            "values": [float(point["value"]) if point["value"] is not None else None for point in points],
            "target": float(indicator.target_value) if indicator.target_value is not None else None,
            "name": indicator.name,
            # Values above 100% drawn apart (trend_charts.js), as the table beside the chart flags them.
            "flagged": [bool(point.get("above_whole")) for point in points],
        }
    )


@require_GET
def review(request, pk):
    """The review page: the report beside the unit's previous one, indicator trends, comments, decision.

    Reading it changes nothing: the reviewer's first comment, return or acceptance opens the review,
    which ends the unit's right to withdraw the report.
    """
    report = _reviewable_report(request.user, pk)
    previous = services.previous_report(report.unit, report.period)
    previous_results = selectors.results_by_criterion(previous)
    context = _editor_context(request, report)
    trends = []
    for item in context["results"]:
        item["previous"] = previous_results.get(item["part"].criterion_id)
        for entry in item["indicators"]:
            points = selectors.indicator_trend(report, entry["indicator"])
            for point in points:
                point["above_whole"] = above_whole(entry["indicator"], point["value"])
            trends.append(
                {"indicator": entry["indicator"], "points": points, "chart": _trend_chart(entry["indicator"], points)}
            )
    context.update(
        {
            "previous": previous,
            "trends": trends,
            "return_form": ReturnForm(),
            "accept_form": AcceptForm(),
            "comment_form": CommentForm() if report.status == report.Status.SUBMITTED else None,
            "has_changes": report.submission_count > 1,
            # What the apps built on reports show the reviewer (reports.extensions), e.g. registered vs achieved.
            "panels": review_panels(report),
        }
    )
    return render(request, "reports/review.html", context)


def _review_action(request, pk, form_class, act, success, *, move=None, said=None):
    """Validate a review form and run its service; a redirect with the refusal, or None when it succeeded
    (or when it repeats the person's own `move` of moments ago with the same text in the field `said`, which
    is answered as that one was)."""
    report = _reviewable_report(request.user, pk)
    form = form_class(request.POST)
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        return redirect("reports:review", pk=report.pk)
    try:
        act(report, form.cleaned_data)
    except Refused as error:
        comment = (form.cleaned_data.get(said) or "").strip() if said else None
        if not (move and _repeat_of_a_move(error, report, move, request.user, comment)):
            messages.error(request, error.message)
            return redirect("reports:review", pk=report.pk)
    messages.success(request, success)
    return None


@require_POST
def return_report(request, pk):
    """Return a submitted report to the unit; a reason is required and becomes the unit's notification."""
    refused = _review_action(
        request,
        pk,
        ReturnForm,
        lambda report, data: services.report_return(report=report, actor=request.user, reason=data["reason"]),
        "Đã trả lại báo cáo để đơn vị bổ sung.",
        move=ReportTransition.Action.RETURN,
        said="reason",
    )
    return refused or redirect("reports:matrix")


@require_POST
def accept(request, pk):
    """Accept a submitted report, which locks it."""
    refused = _review_action(
        request,
        pk,
        AcceptForm,
        lambda report, data: services.report_accept(report=report, actor=request.user, comment=data["comment"]),
        "Đã tiếp nhận báo cáo.",
        move=ReportTransition.Action.ACCEPT,
        said="comment",
    )
    return refused or redirect("reports:matrix")


@require_POST
def comment(request, pk):
    """A reviewer's comment on one criterion (or on the whole report) of a submitted report."""

    def add(report, data):
        result = None
        if data.get("result"):
            result = get_object_or_404(CriterionResult, pk=data["result"], report=report)
        services.report_comment(report=report, actor=request.user, text=data["text"], result=result)

    refused = _review_action(request, pk, CommentForm, add, "Đã ghi nhận xét.")
    return refused or redirect("reports:review", pk=pk)


@require_GET
def changes(request, pk):
    """What changed between the last two submissions of the report, word by word."""
    report = permissions.get_visible_report(request.user, pk)
    older, newer = selectors.last_two_submissions(report)
    if older is None:
        messages.info(request, "Báo cáo mới được nộp một lần; chưa có phiên bản trước để so sánh.")
        return redirect(report)
    return render(
        request,
        "reports/changes.html",
        {
            "report": report,
            "older": older,
            "newer": newer,
            "changes": snapshot_changes(older.snapshot, newer.snapshot, quantity_labels=selectors.quantity_labels()),
            "can_review": permissions.can_review(request.user, report),
        },
    )
