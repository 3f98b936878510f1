"""The office brings a past period's unit reports in from a spreadsheet: the period's template, the preview of every
row and its problems, then "Nhập" (all reports or none); the source files kept and downloadable.

Views are thin: reports.permissions answers who may import (the office; 403 for leadership, who see the office's
pages but do not import; 404 for everyone else), reports.services.history reads, checks and writes.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from documents import imports
from workflow.errors import Refused

from . import permissions
from .history_forms import HistoryApplyForm, HistoryUploadForm
from .models import HistoryImport
from .selectors import current_campaign
from .services import history

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _office(user):
    if permissions.can_import_history(user):
        return
    if permissions.can_see_matrix(user):
        raise PermissionDenied(history.OFFICE_ONLY)
    raise Http404("Không tìm thấy trang.")


def _periods():
    campaign = current_campaign()
    return history.history_periods(campaign) if campaign is not None else []


def _page(request, periods, *, form=None, preview=None, apply_form=None, status=200):
    return render(
        request,
        "reports/history_import.html",
        {
            "form": form or HistoryUploadForm(periods=periods),
            "periods": history.period_rows(periods),
            "preview": preview,
            "apply_form": apply_form,
            "imports": history.recent_imports(),
        },
        status=status,
    )


@require_http_methods(["GET", "POST"])
def history_import(request):
    """The office uploads a past period's reports: every row is read and checked, problems listed; nothing written."""
    _office(request.user)
    periods = _periods()
    if request.method != "POST":
        return _page(request, periods)
    form = HistoryUploadForm(request.POST, request.FILES, periods=periods)
    if not form.is_valid():
        return _page(request, periods, form=form, status=400)
    period, upload = form.cleaned_data["period"], form.cleaned_data["file"]
    spec = history.history_spec(period)
    try:
        preview = history.history_preview(period=period, upload=upload, actor=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return _page(request, periods, form=form, status=400)
    if not preview.ok:
        imports.discard(request.session, spec)
        return _page(request, periods, form=form, preview=preview, status=400)
    token = imports.keep(request.session, spec, upload)
    apply_form = HistoryApplyForm(initial={"period": period.code, "token": token})
    return _page(request, periods, form=form, preview=preview, apply_form=apply_form)


@require_POST
def history_apply(request):
    """ "Nhập": the previewed file is read again and every report written, or none is."""
    _office(request.user)
    periods = _periods()
    form = HistoryApplyForm(request.POST)
    codes = {period.code: period for period in periods}
    if not form.is_valid() or form.cleaned_data["period"] not in codes:
        messages.error(request, "Không còn tệp đã xem trước; vui lòng tải tệp lên lại.")
        return redirect("reports:history_import")
    period = codes[form.cleaned_data["period"]]
    try:
        done = history.history_import(
            period=period, session=request.session, token=form.cleaned_data["token"], actor=request.user
        )
    except imports.ImportInvalid as refusal:
        messages.error(request, refusal.message)
        return _page(request, periods, preview=refusal.preview, status=400)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("reports:history_import")
    messages.success(
        request,
        f"Đã nhập {len(done.units)} báo cáo {period.label} ({', '.join(done.units)}), ở trạng thái đã tiếp nhận; "
        f"tệp gốc “{done.history_import.original_name}” được lưu.",
    )
    return redirect("reports:history_import")


@require_GET
def history_template(request, period_code):
    """The period's XLSX template: its reporting units and the criteria and indicators that concern them."""
    _office(request.user)
    period = next((period for period in _periods() if period.code == period_code), None)
    if period is None:
        raise Http404("Không có kỳ báo cáo này trong các kỳ trước.")
    response = HttpResponse(history.history_template_bytes(period), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="mau-nhap-bao-cao-{period.code}.xlsx"'
    return response


@require_GET
def history_source(request, pk):
    """The source file of an import, as it was uploaded."""
    _office(request.user)
    batch = get_object_or_404(HistoryImport, pk=pk)
    return FileResponse(batch.source.open("rb"), as_attachment=True, filename=batch.original_name, content_type=XLSX)
