"""The consolidated report in the browser: the office compiles, edits and issues it; leadership approves it.

Views are thin: reports.permissions answers who may see and do what (404 for what a person may not
see, 403 for an action that is not theirs), reports.consolidated_forms reads the input and
reports.services.consolidation does the work. Also the unit report's own PDF and DOCX.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from campaign.models import ReportingPeriod
from documents import stored
from documents import views as document_steps
from documents.forms import MarkSentForm
from portal.forms import error_messages
from workflow.errors import InvalidTransition, Refused

from . import permissions, selectors
from .consolidated_forms import ReturnForm, SectionsForm
from .documents.stored import consolidated_filename
from .models import Addressee, ConsolidatedReport, UnitReport
from .services import consolidation
from .services.proposals import proposal_classify, unclassified_proposals

Status = ConsolidatedReport.Status
PDF = "application/pdf"

ACTION_LABELS = {
    "request": "Yêu cầu tổng hợp",
    "compile": "Tổng hợp xong",
    "fail": "Tổng hợp lỗi",
    "supersede": "Thay bằng bản tổng hợp mới",
    "edit": "Chỉnh sửa nội dung",
    "send_for_approval": "Trình lãnh đạo duyệt",
    "approve": "Lãnh đạo duyệt",
    "return": "Lãnh đạo trả lại",
    "issue": "Vào số, ban hành",
    "send": "Đã gửi",
}
STATUS_BADGES = {
    Status.QUEUED: "text-bg-secondary",
    Status.COMPILING: "text-bg-info",
    Status.READY: "text-bg-light border",
    Status.PENDING_APPROVAL: "text-bg-primary",
    Status.RETURNED: "text-bg-warning",
    Status.APPROVED: "text-bg-success",
    Status.ISSUED: "text-bg-success",
    Status.FAILED: "text-bg-danger",
    Status.SUPERSEDED: "text-bg-secondary",
}
# While the office may still recompile, it classifies the proposals the next compile puts in section VI.
CLASSIFYING = (Status.READY, Status.RETURNED, Status.FAILED)


def _office_action(user, pk):
    """The report for one of the office's actions: 404 if the person may not see it, 403 if it is not theirs."""
    report = permissions.get_visible_consolidated(user, pk)
    if not permissions.can_compile(user):
        raise PermissionDenied("Chỉ Phòng Hành chính - Tổng hợp thực hiện việc này.")
    return report


def _leadership_action(user, pk):
    report = permissions.get_visible_consolidated(user, pk)
    if not permissions.can_approve(user):
        raise PermissionDenied("Chỉ lãnh đạo Sở duyệt hoặc trả lại báo cáo tổng hợp.")
    return report


def _owed_periods():
    """The periods reported on through the portal (not history) that have begun, newest first."""
    campaign = selectors.current_campaign()
    if campaign is None:
        return ReportingPeriod.objects.none()
    return ReportingPeriod.objects.owed(campaign).filter(start__lte=timezone.localdate()).order_by("-end", "-start")


def _run(request, report, act, success, *, move=None, same=lambda: True):
    """Run a service; its refusal becomes the person's message and changes nothing. A refused `move` that
    repeats the person's own of moments ago (a double click, a form sent again: `same()` says it carried
    nothing the first did not) is answered as that one was."""
    try:
        act()
    except Refused as error:
        repeated = (
            move is not None
            and isinstance(error, InvalidTransition)
            and ConsolidatedReport.WORKFLOW.already_done(report, move, actor=request.user)
            and same()
        )
        if not repeated:
            messages.error(request, error.message)
            return redirect("reports:consolidated_detail", pk=report.pk)
    messages.success(request, success)
    return redirect("reports:consolidated_detail", pk=report.pk)


def _refuse(request, report, form):
    for message in error_messages(form):
        messages.error(request, message)
    return redirect("reports:consolidated_detail", pk=report.pk)


@require_GET
def consolidated_list(request):
    """The periods the Department reports on, each with its live consolidated report and the compile button."""
    if not permissions.can_see_consolidated(request.user):
        raise Http404
    periods = list(
        _owed_periods().annotate(
            accepted=Count("unit_reports", filter=Q(unit_reports__status=UnitReport.Status.ACCEPTED))
        )
    )
    live = {
        report.period_id: report
        for report in ConsolidatedReport.objects.exclude(status=Status.SUPERSEDED)
        .filter(period__in=[period.pk for period in periods])
        .select_related("register_entry")
    }
    rows = []
    for period in periods:
        report = live.get(period.pk)
        rows.append(
            {
                "period": period,
                "report": report,
                "badge": STATUS_BADGES.get(report.status) if report else "",
                "can_compile": report is None or report.status in consolidation.RECOMPILABLE,
            }
        )
    return render(
        request,
        "reports/consolidated_list.html",
        {"rows": rows, "can_compile": permissions.can_compile(request.user)},
    )


@require_POST
def consolidated_request(request, period_code):
    """ "Tổng hợp báo cáo" (or "Thử lại" after a failure): write the row, enqueue the job, show its progress."""
    if not permissions.can_see_consolidated(request.user):
        raise Http404
    period = get_object_or_404(_owed_periods(), code=period_code)
    if not permissions.can_compile(request.user):
        raise PermissionDenied("Chỉ Phòng Hành chính - Tổng hợp được tổng hợp báo cáo.")
    try:
        report = consolidation.consolidation_request(period=period, actor=request.user)
    except Refused as error:
        messages.error(request, error.message)
        current = consolidation.live_report(period)
        return redirect(current) if current else redirect("reports:consolidated_list")
    return redirect(report)


def _detail_context(request, report, *, issue_form=None, sent_form=None):
    user = request.user
    office = permissions.can_compile(user)
    leadership = permissions.can_approve(user)
    editable = report.status in consolidation.EDITABLE
    transitions = list(report.transitions.select_related("actor"))
    for transition in transitions:
        transition.action_label = ACTION_LABELS.get(transition.action, transition.action)
        transition.status_label = Status(transition.to_status).label if transition.to_status else ""
    today = timezone.localdate()
    issued_on = report.register_entry.issued_on if report.register_entry else None
    return {
        "report": report,
        "period": report.period,
        "badge": STATUS_BADGES.get(report.status, ""),
        "running": report.status in consolidation.LIVE_JOB,
        # The job's state as the page polls it, with the retry the office is told about ("Đang thử lại (lần 2/3)").
        "job": consolidation.COMPILE_JOB.status_of(report) if report.status in consolidation.LIVE_JOB else None,
        "has_content": report.has_content,
        "files": stored.panel(report) if report.has_content else None,
        "office": office,
        "leadership": leadership,
        "office_only": report.snapshot.get("office_only") if office else None,
        # The units' proposals still without an addressee, as they stand now (the office classifies them).
        "unclassified": unclassified_proposals(report.period) if office and report.status in CLASSIFYING else [],
        "addressees": [(value, label) for value, label in Addressee.choices if value],
        "internal_points": len(report.snapshot.get("proposals", {}).get("department", [])),
        "warning": report.error if report.status == Status.READY else "",
        "sections_form": SectionsForm(report.sections.get("items", [])) if office and editable else None,
        "items": [
            {"headings": item["heading"].split("\n"), "text": item["text"]} for item in report.sections.get("items", [])
        ],
        "can_send": office and editable,
        "can_recompile": office and report.status in consolidation.RECOMPILABLE,
        "can_decide": leadership and report.status == Status.PENDING_APPROVAL,
        "can_issue": office and report.status == Status.APPROVED,
        "can_mark_sent": office and report.status == Status.ISSUED and report.sent_on is None,
        # Several forms share field names on one page: their ids differ by prefix.
        "return_form": ReturnForm(auto_id="return_%s"),
        "issue_forms": document_steps.issue_forms(today=today, bound=issue_form),
        "sent_form": sent_form or MarkSentForm(auto_id="sent_%s", initial={"sent_on": today}, issued_on=issued_on),
        "last_return": next((t for t in reversed(transitions) if t.action == "return"), None)
        if report.status == Status.RETURNED
        else None,
        "live": consolidation.live_report(report.period) if report.status == Status.SUPERSEDED else None,
        "transitions": transitions,
    }


@require_GET
def consolidated_detail(request, pk):
    """The report: its progress while it compiles, then its sections, approval, issue and history."""
    report = permissions.get_visible_consolidated(request.user, pk)
    return render(request, "reports/consolidated_detail.html", _detail_context(request, report))


@require_GET
def consolidated_status(request, pk):
    """The job's state as JSON, polled by the detail page every 2 seconds while the report compiles."""
    report = permissions.get_visible_consolidated(request.user, pk)
    return JsonResponse(consolidation.COMPILE_JOB.status_of(report), headers={"Cache-Control": "no-store"})


@require_POST
def consolidated_edit(request, pk):
    """Save the office's edits of the sections; each save is a version in the history."""
    report = _office_action(request.user, pk)
    form = SectionsForm(report.sections.get("items", []), request.POST)
    if not form.is_valid():
        return _refuse(request, report, form)
    texts = form.texts
    if not texts:
        messages.info(request, "Nội dung không thay đổi; chưa có gì được lưu.")
        return redirect(report)
    return _run(
        request,
        report,
        lambda: consolidation.consolidation_edit(report=report, actor=request.user, texts=texts),
        "Đã lưu nội dung báo cáo tổng hợp.",
    )


@require_POST
def consolidated_classify(request, pk):
    """Give one unit proposal its addressee; section VI shows it from the next compile ("Tổng hợp lại")."""
    report = _office_action(request.user, pk)
    try:
        section_id = int(request.POST.get("section", ""))
        index = int(request.POST.get("index", ""))
    except ValueError:
        messages.error(request, "Không tìm thấy đề xuất, kiến nghị cần phân loại; vui lòng tải lại trang.")
        return redirect(report)
    return _run(
        request,
        report,
        lambda: proposal_classify(
            section_id=section_id,
            index=index,
            text_digest=request.POST.get("digest", ""),
            to=request.POST.get("to", ""),
            actor=request.user,
        ),
        "Đã phân loại đề xuất, kiến nghị. Bấm “Tổng hợp lại” để cập nhật mục Đề xuất, kiến nghị của báo cáo.",
    )


@require_GET
def consolidated_internal(request, pk):
    """The units' proposals to the Department itself, grouped: a page for the Director, never sent upward."""
    report = permissions.get_visible_consolidated(request.user, pk)
    if not report.has_content:
        raise Http404("Báo cáo tổng hợp chưa có nội dung.")
    proposals = report.snapshot.get("proposals", {})
    return render(
        request,
        "reports/consolidated_internal.html",
        {
            "report": report,
            "period": report.period,
            "points": proposals.get("department", []),
            "unclassified": proposals.get("unclassified", []),
            "units": len(report.snapshot.get("accepted_units", [])),
        },
    )


@require_POST
def consolidated_send(request, pk):
    """ "Trình lãnh đạo duyệt", saving first the sections edited on the page but not saved (sent along by
    static/js/consolidated_sections.js; the sections' digests keep untouched sections out)."""
    report = _office_action(request.user, pk)
    form = SectionsForm(report.sections.get("items", []), request.POST)
    if not form.is_valid():
        return _refuse(request, report, form)
    texts = form.texts
    return _run(
        request,
        report,
        lambda: consolidation.consolidation_send_for_approval(report=report, actor=request.user, texts=texts),
        "Đã lưu các mục vừa sửa và trình lãnh đạo duyệt báo cáo tổng hợp."
        if texts
        else "Đã trình lãnh đạo duyệt báo cáo tổng hợp.",
        move="send_for_approval",
        same=lambda: _texts_stand(report, texts),
    )


def _texts_stand(report, texts):
    """Whether the report's sections, as committed now, read as `texts` say: a resent "Trình lãnh đạo duyệt" whose
    edits the first one saved, not edits made after it was sent, which are refused with the sending."""
    items = ConsolidatedReport.objects.values_list("sections", flat=True).get(pk=report.pk).get("items", [])
    stored = {item["key"]: item["text"] for item in items}
    return all(stored.get(key) == text.replace("\r\n", "\n") for key, text in texts.items())


@require_POST
def consolidated_approve(request, pk):
    """The Director or a Deputy Director approves; the signature block names them."""
    report = _leadership_action(request.user, pk)
    return _run(
        request,
        report,
        lambda: consolidation.consolidation_approve(report=report, actor=request.user),
        "Đã duyệt báo cáo tổng hợp. Phòng Hành chính - Tổng hợp sẽ vào số và ban hành.",
        move="approve",
    )


@require_POST
def consolidated_return(request, pk):
    """Leadership returns the report to the office with a comment, which is required."""
    report = _leadership_action(request.user, pk)
    form = ReturnForm(request.POST)
    if not form.is_valid():
        return _refuse(request, report, form)
    return _run(
        request,
        report,
        lambda: consolidation.consolidation_return(
            report=report, actor=request.user, comment=form.cleaned_data["comment"]
        ),
        "Đã trả lại báo cáo tổng hợp cho Phòng Hành chính - Tổng hợp.",
    )


def _show_again(request, report):
    """The detail page again with what was typed, after a refused issue or sending."""

    def show(**forms):
        report.refresh_from_db()
        return render(
            request, "reports/consolidated_detail.html", _detail_context(request, report, **forms), status=400
        )

    return show


def _issue(request, pk, numbering):
    report = _office_action(request.user, pk)
    return document_steps.issue(
        request,
        report,
        numbering=numbering,
        service=lambda **arguments: consolidation.consolidation_issue(report=report, actor=request.user, **arguments),
        success="Đã vào số và ban hành báo cáo tổng hợp."
        if numbering == "register"
        else "Đã ghi số văn thư cấp và lưu bản đã ký.",
        show_page=_show_again(request, report),
    )


@require_POST
def consolidated_issue_register(request, pk):
    """ "Lấy số tự động": the next number of the portal's register for the year of the issue date."""
    return _issue(request, pk, "register")


@require_POST
def consolidated_issue_clerk(request, pk):
    """ "Ghi số văn thư cấp": the clerk's number and date, and the signed PDF, which becomes the authoritative copy."""
    return _issue(request, pk, "clerk")


@require_POST
def consolidated_mark_sent(request, pk):
    """ "Đã gửi": the date and the channel the issued report went to UBND tỉnh (qua Sở Nội vụ)."""
    report = _office_action(request.user, pk)
    return document_steps.mark_sent(
        request,
        report,
        issued_on=report.register_entry.issued_on if report.register_entry else None,
        service=lambda **sent: consolidation.consolidation_mark_sent(report=report, actor=request.user, **sent),
        success="Đã ghi nhận gửi báo cáo.",
        show_page=_show_again(request, report),
    )


@require_GET
def consolidated_pdf(request, pk):
    """The PDF as stored; once issued with the clerk's signed copy, that copy is the report and is what downloads."""
    report = permissions.get_compiled_consolidated(request.user, pk)
    if report.status == Status.ISSUED and report.signed_pdf:
        return FileResponse(
            report.signed_pdf.open("rb"),
            as_attachment=True,
            filename=consolidated_filename(report, "pdf"),
            content_type=PDF,
        )
    return document_steps.stored_download(request, report, "pdf")


@require_GET
def consolidated_docx(request, pk):
    """The DOCX (Times New Roman) as stored, the same content as the PDF, for editing in Word."""
    return document_steps.stored_download(request, permissions.get_compiled_consolidated(request.user, pk), "docx")


@require_GET
def consolidated_xlsx(request, pk):
    """The document's tables as stored (indicators per unit and for the Department, self-assessments)."""
    return document_steps.stored_download(request, permissions.get_compiled_consolidated(request.user, pk), "xlsx")


@require_GET
def unit_pdf(request, pk):
    """A unit report's PDF in the Nghị định 30 layout as stored, for whoever may see the report."""
    return document_steps.stored_download(request, permissions.get_visible_report(request.user, pk), "pdf")


@require_GET
def unit_docx(request, pk):
    """A unit report's DOCX (Times New Roman) as stored, to edit in Word, for whoever may see the report."""
    return document_steps.stored_download(request, permissions.get_visible_report(request.user, pk), "docx")
