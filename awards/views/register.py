"""The award register in the browser: the list (search, filters, xlsx export), the office's import from
xlsx with its template, and the office's reading of the public's comments.

Views are thin: awards.permissions answers who may see and do what (404 for what a person may not
see, 403 for an action on a visible page that is not theirs); awards.services.register does the work.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from workflow.errors import Refused

from .. import permissions, selectors
from ..forms.register import CommentFilterForm, RegisterFilterForm, RegisterImportForm
from ..models import AwardForm, Nomination, PublicComment
from ..services import register as register_service
from ..services.register import RegisterFileInvalid
from . import lists

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
PER_PAGE = 50


def paginate(request, items, per_page=None):
    """The requested page (the last one if the number is too high) and the query string without `page`."""
    page = Paginator(items, per_page or PER_PAGE).get_page(request.GET.get("page"))
    params = request.GET.copy()
    params.pop("page", None)
    return page, params.urlencode()


def xlsx_response(content, filename):
    response = HttpResponse(content, content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _register_reader(user):
    if not permissions.can_see_register(user):
        raise Http404("Không tìm thấy trang.")


def _register_office(user):
    """404 for whoever may not read the register, 403 for a reader who is not the office."""
    _register_reader(user)
    if not permissions.can_import_register(user):
        raise PermissionDenied("Chỉ Phòng Hành chính - Tổng hợp nhập sổ theo dõi khen thưởng.")


def _filtered(request):
    form = RegisterFilterForm(request.GET or None, years=selectors.register_years(request.user))
    filters = form.filters() if request.GET else {"query": "", "year": None, "form": None, "kind": ""}
    return form, selectors.register_records(request.user, **filters)


def _filter_selects(request, form):
    """The year, form and kind filters as plain selects (lists.select_field), the request's values chosen."""
    chosen = {name: request.GET.get(name, "") for name in ("year", "form", "kind")}
    forms = [
        (pk, f"{name} {award_class}".strip())
        for pk, name, award_class in AwardForm.objects.order_by("sort_order", "name").values_list(
            "pk", "name", "award_class"
        )
    ]
    errors = form.errors if request.GET else {}
    fields = form.fields
    return [
        lists.select_field(
            "year",
            fields["year"].label,
            fields["year"].choices[1:],
            chosen["year"],
            empty_label="Tất cả các năm",
            errors=errors.get("year", ()),
        ),
        lists.select_field(
            "form",
            fields["form"].label,
            forms,
            chosen["form"],
            empty_label="Tất cả hình thức",
            errors=errors.get("form", ()),
        ),
        lists.select_field(
            "kind",
            fields["kind"].label,
            fields["kind"].choices[1:],
            chosen["kind"],
            empty_label="Tất cả đối tượng",
            errors=errors.get("kind", ()),
        ),
    ]


@require_GET
def register_list(request):
    """Sổ theo dõi khen thưởng: every conferred title and award the person may read, searchable and filtered."""
    _register_reader(request.user)
    form, records = _filtered(request)
    page, query_string = paginate(request, records)
    kinds = dict(Nomination.NomineeKind.choices)
    for record in page.object_list:
        record.kind_label = kinds.get(record.recipient_kind, "")
    return render(
        request,
        "awards/register/list.html",
        {
            "form": form,
            "selects": _filter_selects(request, form),
            "page": page,
            "query_string": query_string,
            "can_import": permissions.can_import_register(request.user),
            "whole_register": permissions.is_office(request.user) or permissions.is_leader(request.user),
        },
    )


@require_GET
def register_export(request):
    """The (filtered) register as xlsx, in the import template's columns."""
    _register_reader(request.user)
    form, records = _filtered(request)
    year = form.filters()["year"] if request.GET else None
    content = register_service.register_export_bytes(records, year=year)
    return xlsx_response(content, f"so-theo-doi-khen-thuong-{timezone.localdate():%Y%m%d}.xlsx")


@require_GET
def register_template(request):
    """The empty xlsx template of an import, with its instructions and the catalogue of forms."""
    _register_office(request.user)
    return xlsx_response(register_service.register_template_bytes(), "mau-nhap-so-khen-thuong.xlsx")


@require_http_methods(["GET", "POST"])
def register_import(request):
    """The office imports past decisions from xlsx: every row valid or nothing imported."""
    _register_office(request.user)
    problems, total = [], 0
    if request.method == "POST":
        form = RegisterImportForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                result = register_service.register_import(upload=form.cleaned_data["file"], actor=request.user)
            except RegisterFileInvalid as error:
                messages.error(request, error.message)
                problems, total = error.problems, error.total
            except Refused as error:
                messages.error(request, error.message)
            else:
                done = result.register_import
                messages.success(
                    request,
                    f"Đã nhập {done.rows_created} khen thưởng; bỏ qua {done.rows_skipped} dòng đã có trong sổ. "
                    f"Đã liên kết {result.persons_linked} cá nhân (tạo mới {result.persons_created} cá nhân).",
                )
                return redirect("awards:register_import")
    else:
        form = RegisterImportForm()
    return render(
        request,
        "awards/register/import.html",
        {
            "form": form,
            "problems": problems,
            "more_problems": max(total - len(problems), 0),
            "imports": selectors.recent_imports(),
            "header": register_service.TEMPLATE_HEADER,
            "max_rows": register_service.MAX_ROWS_LABEL,
        },
    )


def _comments_office(user):
    if not permissions.can_handle_public_comments(user):
        raise Http404("Không tìm thấy trang.")


@require_GET
def public_comments(request):
    """The public's comments on nominees under notice, unhandled first; the office marks them handled."""
    _comments_office(request.user)
    form = CommentFilterForm(request.GET or None)
    page, query_string = paginate(request, selectors.public_comments(handled=form.handled()))
    handle = lists.link_pattern("awards:public_comment_handle")
    for comment in page.object_list:
        comment.handle_link = handle.format(comment.pk)
    return render(request, "awards/register/comments.html", {"form": form, "page": page, "query_string": query_string})


@require_POST
def public_comment_handle(request, pk):
    """Mark one comment handled."""
    _comments_office(request.user)
    comment = get_object_or_404(PublicComment, pk=pk)
    try:
        register_service.public_comment_handle(comment=comment, actor=request.user)
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã đánh dấu đã xử lý ý kiến của {comment.sender_name}.")
    return redirect("awards:public_comments")


urlpatterns = [
    path("so-khen-thuong/", register_list, name="register_list"),
    path("so-khen-thuong/xuat-excel/", register_export, name="register_export"),
    path("so-khen-thuong/nhap/", register_import, name="register_import"),
    path("so-khen-thuong/mau-nhap.xlsx", register_template, name="register_template"),
    path("gop-y-cong-khai/", public_comments, name="public_comments"),
    path("gop-y-cong-khai/<int:pk>/da-xu-ly/", public_comment_handle, name="public_comment_handle"),
]
