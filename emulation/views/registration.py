"""The year's start in the browser: the year page (plan, window, counts, the office's actions), the office's list of
the units' registrations, and a registration's page, editor and review.

Views are thin: objects through emulation.permissions, input through emulation.forms, writes through
emulation.services, reads through emulation.selectors.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from campaign.models import Campaign
from documents.model import Amount
from units.listing import filter_unit_rows, sort_unit_rows
from workflow.errors import Refused

from .. import permissions
from ..extensions import COLLECTIVE, INDIVIDUAL
from ..forms.registration import RegistrationForm, ReviewForm, YearCreateForm, YearPlanForm
from ..models import EmulationYear, Registration
from ..selectors import registration as selectors
from ..services import registration as services
from ..services import year as year_services
from . import listing
from .home import render_home

NOT_FOUND = "Không tìm thấy năm thi đua."
Status = Registration.Status


def visible_year(user, year):
    """The emulation year by its number, for whoever sees the emulation pages; 404 otherwise."""
    if not permissions.can_see_emulation(user):
        raise Http404(NOT_FOUND)
    return get_object_or_404(EmulationYear.objects.select_related("campaign"), year=year)


def _managed_year(user, year):
    """A year the user manages: 404 for whoever may not see it, 403 for leadership (it sees, the office acts)."""
    found = visible_year(user, year)
    if not permissions.can_manage_year(user):
        if permissions.can_see_department(user):
            raise PermissionDenied("Chỉ Văn phòng quản lý năm thi đua.")
        raise Http404(NOT_FOUND)
    return found


def _plan_form(year):
    return YearPlanForm(
        initial={
            "plan_number": year.plan_number,
            "plan_date": year.plan_date,
            "plan_title": year.plan_title,
            "registration_opens_on": year.registration_opens_on,
            "registration_due_on": year.registration_due_on,
        }
    )


def _year_page(request, year, *, plan_form=None, status=200):
    user = request.user
    context = {
        **selectors.year_page(year, user),
        "can_manage": permissions.can_manage_year(user),
        "can_see_department": permissions.can_see_department(user),
        "is_member": user.is_unit_member,
    }
    if context["can_manage"]:
        context["plan_form"] = plan_form or _plan_form(year)
    return render(request, "emulation/year.html", context, status=status)


@require_GET
def year_detail(request, year):
    """The year: the Department's plan, the registration window and its state, the counts, the office's actions."""
    return _year_page(request, visible_year(request.user, year))


@require_POST
def year_create(request):
    """The office opens a new emulation year (its plan is recorded next, on the year's page)."""
    user = request.user
    if not permissions.can_manage_year(user):
        if permissions.can_see_department(user):
            raise PermissionDenied("Chỉ Văn phòng tạo năm thi đua.")
        raise Http404(NOT_FOUND)
    form = YearCreateForm(request.POST)
    if form.is_valid():
        campaign = Campaign.objects.order_by("pk").first()
        try:
            created = year_services.year_create(campaign=campaign, year=form.cleaned_data["year"], actor=user)
        except Refused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, f"Đã tạo năm thi đua {created.year}. Vui lòng ghi Kế hoạch thi đua của năm.")
            return redirect("emulation:year", year=created.year)
    return render_home(request, create_form=form, status=400)


@require_POST
def year_plan(request, year):
    """The office records (or corrects) the Department's plan for the year and the registration window."""
    found = _managed_year(request.user, year)
    form = YearPlanForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            year_services.year_record_plan(
                year=found,
                actor=request.user,
                plan_number=data["plan_number"],
                plan_date=data["plan_date"],
                plan_title=data["plan_title"],
                plan_file=data["plan_file"],
                opens_on=data["registration_opens_on"],
                due_on=data["registration_due_on"],
            )
        except Refused as refusal:
            form.add_error(refusal.field if refusal.field in form.fields else None, refusal.message)
        else:
            messages.success(request, "Đã lưu Kế hoạch thi đua và thời gian đăng ký.")
            return redirect("emulation:year", year=found.year)
    messages.error(request, "Có thông tin chưa hợp lệ; vui lòng sửa các ô được đánh dấu. Chưa có gì được lưu.")
    return _year_page(request, found, plan_form=form, status=400)


@require_GET
def year_plan_file(request, year):
    """The plan's PDF, for whoever sees the year."""
    found = visible_year(request.user, year)
    if not found.plan_file:
        raise Http404("Chưa có tệp kế hoạch.")
    return FileResponse(
        found.plan_file.open("rb"),
        as_attachment=True,
        filename=f"ke-hoach-thi-dua-{found.year}.pdf",
        content_type="application/pdf",
    )


def _year_action(request, year, action, done):
    found = _managed_year(request.user, year)
    try:
        result = action(year=found, actor=request.user)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done(result) if callable(done) else done)
    return redirect("emulation:year", year=found.year)


@require_POST
def registration_open(request, year):
    """ "Mở đăng ký": refused until the plan's number and date and the window are recorded."""
    return _year_action(request, year, year_services.registration_open, "Đã mở đăng ký; các đơn vị đã được thông báo.")


@require_POST
def registration_close(request, year):
    """ "Đóng đăng ký": no registration is sent any more, late or not."""
    return _year_action(request, year, year_services.registration_close, "Đã đóng đăng ký.")


@require_POST
def registration_remind(request, year):
    """ "Nhắc đơn vị chưa đăng ký": each unit not yet registered is told, once a day at most."""

    def done(run):
        if not run.sent and not run.skipped:
            return "Mọi đơn vị đã gửi đăng ký; không cần nhắc."
        if not run.sent:
            return "Hôm nay các đơn vị chưa đăng ký đã được nhắc; không gửi lại."
        return f"Đã nhắc {len(run.sent)} đơn vị chưa đăng ký."

    return _year_action(request, year, services.registration_remind, done)


@require_GET
def registrations(request, year):
    """The office's and leadership's list of the year's registrations: counts by state over every reporting unit; the
    table filtered (state, sent late, unit name or code), sorted and paginated on the server, as plain rows."""
    user = request.user
    found = visible_year(user, year)
    if not permissions.can_see_department(user):
        own = selectors.registration_of(user.unit_id, found)
        if own is not None:
            return redirect("emulation:registration", pk=own.pk)
        return redirect("emulation:year", year=found.year)
    status = request.GET.get("status") or None
    every = selectors.list_rows(found)
    counts, late = selectors.list_counts(every)
    if status not in {key for key, _, _ in counts}:
        status = None
    late_only = request.GET.get("late") == "1"
    search = listing.search_text(request)
    sort = request.GET.get("sort")
    if sort not in selectors.LIST_SORTS:
        sort = "unit"
    shown = sort_unit_rows(
        filter_unit_rows(every, status=status, late_only=late_only, search=search), sort, selectors.ACTION_RANK
    )
    query = {"status": status, "late": "1" if late_only else "", "q": search, "sort": sort}
    context = listing.paged(request, shown, query)
    detail = listing.link_pattern("emulation:registration")
    rows = []
    for number, row in enumerate(context["page"].object_list, start=context["page"].start_index()):
        submitted_at = row["submitted_at"]
        link = link_label = ""
        # A draft stays the unit's own until it is sent; the rest open for the office and leadership.
        if row["registration_id"] and row["status"] != Status.DRAFT:
            link = detail.format(row["registration_id"])
            link_label = "Xem, xem xét" if row["status"] == Status.SUBMITTED else "Xem"
        rows.append(
            {
                **row,
                "number": number,
                "submitted": timezone.localtime(submitted_at).strftime("%d/%m/%Y %H:%M") if submitted_at else "",
                "link": link,
                "link_label": link_label,
            }
        )
    context.update(
        {
            "year": found,
            "rows": rows,
            "counts": counts,
            "late_count": late,
            "total": len(every),
            "status": status,
            "late_only": late_only,
            "search": search,
            "sort": sort,
            "sorts": list(selectors.LIST_SORTS.items()),
        }
    )
    return render(request, "emulation/registration/list.html", context)


@require_POST
def registration_start(request, year):
    """A member of a unit opens its registration for the year (created as a draft the first time)."""
    user = request.user
    found = visible_year(user, year)
    if not user.is_unit_member:
        raise PermissionDenied("Chỉ cán bộ của đơn vị mới lập đăng ký thi đua của đơn vị.")
    try:
        registration = services.registration_start(year=found, unit=user.unit, actor=user)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("emulation:year", year=found.year)
    return redirect("emulation:registration_edit", pk=registration.pk)


@require_GET
def registration_detail(request, pk):
    """A registration read-only: its titles, people, commitments, history; the review forms for its reviewer."""
    registration = permissions.get_visible_registration(request.user, pk)
    return _detail_page(request, registration)


def _detail_page(request, registration, *, review_form=None, status=200):
    user = request.user
    context = {
        "registration": registration,
        **selectors.registration_detail(registration),
        "can_edit": permissions.can_edit_registration(user, registration),
        "can_review": permissions.can_review_registration(user, registration),
        "review_form": review_form or ReviewForm(),
        "review_errors": getattr(review_form, "refusals", {}),
    }
    return render(request, "emulation/registration/detail.html", context, status=status)


def _unit_registration(user, pk):
    """A registration for its unit's editor: 404 for whoever may not see it, 403 for whoever sees it but is not of
    its unit."""
    registration = permissions.get_visible_registration(user, pk)
    if not permissions.is_member_of(user, registration.unit_id):
        raise PermissionDenied("Chỉ cán bộ của đơn vị mới sửa đăng ký thi đua của đơn vị.")
    return registration


def _target_text(value):
    return "" if value is None else str(Amount(value))


def _editor_context(registration, *, form=None, errors=None):
    """The editor's rows: the catalogue's annual titles, the unit's people, the criteria with their indicators —
    each with the value stored, or the one typed when the page comes back with errors."""
    stored = services.content_of(registration)
    if form is not None:
        posted = form.posted
        collective = set(posted["collective"])
        people_values = posted["people"]
        targets = posted["targets"]
        texts = posted["texts"]
        late_reason = posted["late_reason"]
    else:
        collective = set(stored.collective)
        people_values = dict(stored.individuals)
        targets = {pk: _target_text(value) for pk, value in stored.targets.items()}
        texts = dict(stored.texts)
        late_reason = registration.late_reason
    errors = errors or {}
    people = services.unit_people(registration.unit)
    criteria = services.applicable_criteria(registration.unit)
    shown = {"collective", "late_reason"}
    people_rows = []
    for person in people:
        shown.add(f"person-{person.pk}")
        people_rows.append(
            {"person": person, "value": people_values.get(person.pk, ""), "error": errors.get(f"person-{person.pk}")}
        )
    criterion_rows = []
    for criterion in criteria:
        indicators = []
        for indicator in criterion.indicators.all():
            if not indicator.is_active:
                continue
            shown.add(f"target-{indicator.pk}")
            indicators.append(
                {
                    "indicator": indicator,
                    "value": targets.get(indicator.pk, ""),
                    "error": errors.get(f"target-{indicator.pk}"),
                }
            )
        shown.add(f"text-{criterion.pk}")
        criterion_rows.append(
            {
                "criterion": criterion,
                "indicators": indicators,
                "text": texts.get(criterion.pk, ""),
                "error": errors.get(f"text-{criterion.pk}"),
            }
        )
    year = registration.year
    return {
        "registration": registration,
        "year": year,
        "collective_titles": [
            {"title": title, "checked": title.code in collective} for title in services.annual_titles(COLLECTIVE)
        ],
        "individual_titles": services.annual_titles(INDIVIDUAL),
        "people": people_rows,
        "criteria": criterion_rows,
        "late_reason": late_reason,
        "errors": errors,
        "other_errors": [message for name, message in errors.items() if name not in shown],
        "asks_late_reason": registration.is_late or year.is_late_on(timezone.localdate()),
        "window_refusal": services.window_refusal(year),
    }


def _editor(request, registration, *, status=200, **state):
    context = {
        **_editor_context(registration, **state),
        "can_submit": permissions.can_submit_registration(request.user, registration),
    }
    return render(request, "emulation/registration/edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def registration_edit(request, pk):
    """The unit's editor: save the draft ("Lưu nháp") or send it ("Gửi đăng ký", the head or a deputy only).

    Bad input or a refused submission shows the editor again (400) with everything typed and nothing saved.
    """
    user = request.user
    registration = _unit_registration(user, pk)
    if not permissions.can_edit_registration(user, registration):
        messages.info(request, "Đăng ký đã gửi; bạn đang xem bản chỉ đọc.")
        return redirect("emulation:registration", pk=registration.pk)
    if request.method != "POST":
        return _editor(request, registration)
    form = RegistrationForm(request.POST)
    if form.submitting and not permissions.acts_for_unit(user, registration.unit_id):
        raise PermissionDenied("Chỉ trưởng hoặc phó trưởng đơn vị mới được gửi đăng ký thi đua.")
    if not form.is_valid():
        messages.error(request, services.INVALID)
        return _editor(request, registration, form=form, errors=form.errors, status=400)
    try:
        if form.submitting:
            services.registration_submit(
                registration=registration, actor=user, content=form.content, late_reason=form.late_reason
            )
        else:
            services.registration_save(registration=registration, actor=user, content=form.content)
    except services.RegistrationInvalid as invalid:
        messages.error(request, invalid.message)
        return _editor(request, registration, form=form, errors=invalid.errors, status=400)
    except Refused as refusal:
        messages.error(request, refusal.message)
        return _editor(request, registration, form=form, status=400)
    if form.submitting:
        messages.success(request, "Đã gửi đăng ký thi đua. Văn phòng sẽ xem xét và phản hồi trên Cổng.")
        return redirect("emulation:registration", pk=registration.pk)
    messages.success(request, "Đã lưu nháp đăng ký thi đua.")
    return redirect("emulation:registration_edit", pk=registration.pk)


def _reviewable(user, pk):
    registration = permissions.get_visible_registration(user, pk)
    if not permissions.can_review_registration(user, registration):
        raise PermissionDenied("Bạn không được xem xét đăng ký này (không ai xem xét đăng ký của chính đơn vị mình).")
    return registration


@require_POST
def registration_return(request, pk):
    """The reviewer returns the registration to the unit with a reason (required)."""
    registration = _reviewable(request.user, pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        services.registration_return(
            registration=registration, actor=request.user, reason=form.cleaned_data.get("reason", "")
        )
    except Refused as refusal:
        form.refusals = {refusal.field or "reason": refusal.message}
        messages.error(request, refusal.message)
        return _detail_page(request, registration, review_form=form, status=400)
    messages.success(request, "Đã trả lại đăng ký để đơn vị bổ sung.")
    return redirect("emulation:registration", pk=registration.pk)


@require_POST
def registration_accept(request, pk):
    """The reviewer accepts the registration."""
    registration = _reviewable(request.user, pk)
    form = ReviewForm(request.POST)
    form.is_valid()
    try:
        services.registration_accept(
            registration=registration, actor=request.user, comment=form.cleaned_data.get("comment", "")
        )
    except Refused as refusal:
        messages.error(request, refusal.message)
        return redirect("emulation:registration", pk=registration.pk)
    messages.success(request, "Đã tiếp nhận đăng ký thi đua.")
    return redirect(reverse("emulation:registrations", args=[registration.year.year]))
