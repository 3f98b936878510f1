"""The consolidated report's outline per kind of period: the office adapts it to what Sở Nội vụ asks for.

Leadership reads the outlines; only the office changes them (403 for leadership, 404 for everyone
else, as on the consolidated report's pages). A change applies from the next compile on.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_GET, require_http_methods

from campaign.models import ReportingPeriod

from . import permissions
from .outline_forms import SOURCE_LABELS, OutlineEditor
from .services import outline as outline_service

APPLIES_NEXT = "Đề cương mới áp dụng từ lần tổng hợp tiếp theo; các báo cáo đã tổng hợp giữ nguyên các mục."


def _office_kind(user, kind):
    """The kind of period for one of the office's changes: 404 if the person may not see it, 403 if not theirs."""
    if not permissions.can_see_consolidated(user) or kind not in ReportingPeriod.Kind.values:
        raise Http404("Không tìm thấy đề cương báo cáo tổng hợp.")
    if not permissions.can_compile(user):
        raise PermissionDenied("Chỉ Phòng Hành chính - Tổng hợp sửa đề cương báo cáo tổng hợp.")
    return kind


@require_GET
def consolidated_outline_list(request):
    """Each kind of period with the outline its next compile uses, the office's own or the default."""
    if not permissions.can_see_consolidated(request.user):
        raise Http404
    rows = outline_service.outlines_by_kind()
    for row in rows:
        row["items"] = [
            {"headings": item["heading"].split("\n"), "source": SOURCE_LABELS.get(item.get("source", "text"), "")}
            for item in row["sections"]
        ]
    return render(
        request,
        "reports/consolidated_outline_list.html",
        {"rows": rows, "can_edit": permissions.can_compile(request.user), "applies_next": APPLIES_NEXT},
    )


@require_http_methods(["GET", "POST"])
def consolidated_outline_edit(request, kind):
    """The outline of one kind of period: edit its sections and "Nơi nhận", or restore the default."""
    kind = _office_kind(request.user, kind)
    current = outline_service.outline_of(kind)
    title = current["title"]
    if request.method == "POST" and request.POST.get("action") == "reset":
        outline_service.outline_reset(period_kind=kind, actor=request.user)
        messages.success(request, f"Đã khôi phục đề cương mặc định của {title}. {APPLIES_NEXT}")
        return redirect("reports:consolidated_outline_list")
    editor = OutlineEditor(
        kind,
        sections=current["sections"],
        recipients=current["recipients"],
        data=request.POST if request.method == "POST" else None,
    )
    status = 200
    if request.method == "POST":
        if editor.is_valid():
            try:
                outline_service.outline_save(
                    period_kind=kind, sections=editor.sections, recipients=editor.recipients, actor=request.user
                )
            except ValidationError as error:
                editor.errors = error.messages
            else:
                messages.success(request, f"Đã lưu đề cương {title}. {APPLIES_NEXT}")
                return redirect("reports:consolidated_outline_list")
        status = 400
    return render(
        request,
        "reports/consolidated_outline_edit.html",
        {"kind": kind, "title": title, "current": current, "editor": editor, "applies_next": APPLIES_NEXT},
        status=status,
    )
