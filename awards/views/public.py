"""The public pages (namespace "public", under /cong-khai/): no sign-in, read-only but for the comment form.

Nominees under public notice (name, position, unit, form — nothing more), the conferred awards by year
with their decision numbers, exports of both for the Department's website, and a comment form that
reaches the office. Every view is rate-limited per client address (awards.ratelimit) and reads only
through the public selectors, which hand plain dicts to the templates.

Deploying beyond the intranet: the pages need nothing but this prefix and the static files, so a
reverse proxy on the internet-facing side may forward only /cong-khai/ and /static/ to the portal
and answer 404 for every other path (sign-in, /admin/, /awards/, /reports/ stay on the intranet).
The proxy must append the client's address to X-Forwarded-For and DJANGO_TRUSTED_PROXY_COUNT must
count it, or every visitor shares the proxy's address and its rate limit. The limits are
PUBLIC_RATE_LIMIT_PAGES (per minute) and PUBLIC_RATE_LIMIT_COMMENTS (per hour), counted in Redis
when REDIS_URL is set so that every web process shares them.
"""

import csv
import datetime
import io

from django.contrib import messages
from django.contrib.auth.decorators import login_not_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import path
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods

from documents.xlsx import FORMULA_TRIGGERS, workbook_bytes
from workflow.errors import Refused

from .. import selectors
from ..forms.public import HONEYPOT_FIELD, PublicCommentForm
from ..models import Nomination
from ..ratelimit import rate_limited
from ..services import register as register_service
from . import lists

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
NOTICE_HEADER = ("STT", "Đợt xét", "Họ và tên / Tên tập thể", "Chức vụ", "Đơn vị", "Hình thức, danh hiệu")
AWARDS_HEADER = (
    "STT",
    "Năm",
    "Hình thức, danh hiệu",
    "Đối tượng",
    "Họ và tên / Tên tập thể",
    "Chức vụ",
    "Đơn vị",
    "Số quyết định",
    "Ngày quyết định",
    "Cấp quyết định",
)
KINDS = dict(Nomination.NomineeKind.choices)
# The public lists show a page of rows (?trang=); their downloads hold every row.
PAGE_SIZE = 100


def public_view(view):
    """Open to anyone (no sign-in) and rate-limited per client address."""
    return login_not_required(rate_limited(view))


def _csv_cell(value):
    if isinstance(value, datetime.date):
        value = value.strftime("%d/%m/%Y")
    text = "" if value is None else str(value)
    # A spreadsheet opening the CSV must read text as text, never as a formula.
    return "'" + text if text.startswith(FORMULA_TRIGGERS) else text


def _download(request, header, rows, stem, *, sheet_name, title):
    """xlsx by default (`title` above the table); ?dinh_dang=csv gives CSV in UTF-8 with a BOM (what Excel
    needs to read Vietnamese)."""
    if request.GET.get("dinh_dang") == "csv":
        buffer = io.StringIO()
        buffer.write("\ufeff")
        writer = csv.writer(buffer)
        writer.writerow(header)
        writer.writerows([_csv_cell(value) for value in row] for row in rows)
        response = HttpResponse(buffer.getvalue().encode("utf-8"), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="{stem}.csv"'
        return response
    response = HttpResponse(workbook_bytes(sheet_name, header, rows, title=title), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{stem}.xlsx"'
    return response


def _chosen_year(request, years):
    """The year asked for if the register has it, else the latest year."""
    try:
        year = int(request.GET.get("nam", ""))
    except ValueError:
        year = None
    if year in years:
        return year
    return years[0] if years else None


@public_view
@require_GET
def index(request):
    """The landing page of the public pages: what is published and where."""
    return render(request, "awards/public/index.html")


@public_view
@require_GET
def notice(request):
    """Nominees under public notice today: name, position, unit and form, by round; a page of PAGE_SIZE (?trang=),
    the download holds them all."""
    page = lists.page_of(selectors.notice_rows(), PAGE_SIZE, request.GET.get("trang"))
    comment = lists.link_pattern("public:comment")
    rounds = selectors.notice_groups(page.object_list)
    number = page.start_index()
    for group in rounds:
        for nominee in group["nominees"]:
            nominee["number"], nominee["comment"] = number, comment.format(nominee["pk"])
            number += 1
    return render(
        request,
        "awards/public/notice.html",
        {"rounds": rounds, "today": timezone.localdate(), "page": page, "query": lists.query_without(request, "trang")},
    )


@public_view
@require_http_methods(["GET", "POST"])
def comment(request, pk):
    """A comment on a nominee under notice, sent to the office; 404 once the notice is over."""
    nominee = selectors.nominee_under_notice(pk)
    if nominee is None:
        raise Http404("Không tìm thấy người được đề nghị đang công khai.")
    if request.method == "POST":
        form = PublicCommentForm(request.POST)
        if form.is_bot:
            # Answer as if sent, so the bot learns nothing; nothing is saved.
            messages.success(request, "Cảm ơn bạn đã góp ý. Ý kiến đã được gửi đến Phòng Hành chính - Tổng hợp.")
            return redirect("public:notice")
        if form.is_valid():
            try:
                register_service.public_comment_add(
                    nomination_id=nominee["pk"],
                    sender_name=form.cleaned_data["sender_name"],
                    sender_contact=form.cleaned_data["sender_contact"],
                    message=form.cleaned_data["message"],
                )
            except Refused as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "Cảm ơn bạn đã góp ý. Ý kiến đã được gửi đến Phòng Hành chính - Tổng hợp.")
                return redirect("public:notice")
    else:
        form = PublicCommentForm()
    return render(
        request, "awards/public/comment.html", {"nominee": nominee, "form": form, "honeypot": form[HONEYPOT_FIELD]}
    )


@public_view
@require_GET
def awards(request):
    """The awards conferred in a year, with their decisions, a page of PAGE_SIZE (?trang=), the download holds them
    all; a selector of the years on record."""
    years = selectors.public_award_years()
    year = _chosen_year(request, years)
    page = lists.page_of(
        selectors.public_award_rows(year) if year is not None else [], PAGE_SIZE, request.GET.get("trang")
    )
    records = list(page.object_list)
    for number, record in enumerate(records, start=page.start_index()):
        record["kind"], record["number"] = KINDS.get(record["recipient_kind"], ""), number
    return render(
        request,
        "awards/public/awards.html",
        {"years": years, "year": year, "records": records, "page": page, "query": f"nam={year}" if year else ""},
    )


@public_view
@require_GET
def export_notice(request):
    """The list under notice, for the Department's website (xlsx, or CSV with ?dinh_dang=csv)."""
    rows = []
    for group in selectors.nominations_under_notice():
        for nominee in group["nominees"]:
            rows.append(
                (len(rows) + 1, group["title"], nominee["name"], nominee["position"], nominee["unit"], nominee["form"])
            )
    today = timezone.localdate()
    return _download(
        request,
        NOTICE_HEADER,
        rows,
        f"danh-sach-cong-khai-{today:%Y%m%d}",
        sheet_name="Danh sách công khai",
        title=["Danh sách cá nhân, tập thể được đề nghị khen thưởng đang công khai", f"Ngày {today:%d/%m/%Y}"],
    )


@public_view
@require_GET
def export_awards(request):
    """The awards of a year (?nam=2025, the latest by default), for the Department's website."""
    years = selectors.public_award_years()
    year = _chosen_year(request, years)
    records = selectors.public_awards(year) if year is not None else []
    rows = [
        (
            index,
            year,
            record["form_name"],
            KINDS.get(record["recipient_kind"], ""),
            record["recipient_name"],
            record["position"],
            record["unit_name"],
            record["decision_number"],
            record["decision_date"],
            record["conferring_authority"],
        )
        for index, record in enumerate(records, start=1)
    ]
    return _download(
        request,
        AWARDS_HEADER,
        rows,
        f"khen-thuong-nam-{year or 'chua-co'}",
        sheet_name=f"Khen thưởng năm {year}" if year else "Khen thưởng",
        title=[
            f"Danh sách khen thưởng năm {year}" if year else "Danh sách khen thưởng",
            f"Ngày {timezone.localdate():%d/%m/%Y}",
        ],
    )


urlpatterns = [
    path("", index, name="index"),
    path("cong-khai-de-nghi/", notice, name="notice"),
    path("cong-khai-de-nghi/<int:pk>/gop-y/", comment, name="comment"),
    path("khen-thuong/", awards, name="awards"),
    path("cong-khai-de-nghi/tai-ve/", export_notice, name="export_notice"),
    path("khen-thuong/tai-ve/", export_awards, name="export_awards"),
]
