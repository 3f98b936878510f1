"""The Department's registration for the year (đăng ký thi đua của Sở): the office compiles, edits, sends and issues
it; leadership approves or returns it. Units' people and the administrator never see it (404).

Views are thin: the selectors find the year (404 for whoever may not see the page), emulation.permissions says
whose action it is (403 for the other side), the forms read the input and emulation.services.department does the
work. Bad input or a refusal shows the page again (400) with what was typed kept and nothing changed.
"""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_POST

from documents import stored
from documents import views as document_steps
from documents.forms import RegisterIssueForm
from portal.forms import error_messages
from workflow.errors import Refused

from .. import permissions
from ..forms.department import DepartmentRegistrationForm, ReturnForm
from ..models import DepartmentRegistration
from ..selectors import department as selectors
from ..services import department as services

Status = DepartmentRegistration.Status
TEMPLATE = "emulation/department/registration.html"
FORMATS = ("pdf", "docx", "xlsx")

ACTION_LABELS = {
    "compile": "Tổng hợp",
    "edit": "Sửa danh hiệu Sở đăng ký, nơi nhận",
    "send_for_approval": "Trình lãnh đạo duyệt",
    "approve": "Lãnh đạo duyệt",
    "return": "Lãnh đạo trả lại",
    "issue": "Vào số, ban hành",
}
STATUS_BADGES = {
    Status.DRAFT: "text-bg-light border",
    Status.PENDING_APPROVAL: "text-bg-primary",
    Status.RETURNED: "text-bg-warning",
    Status.APPROVED: "text-bg-success",
    Status.ISSUED: "text-bg-success",
}


def _office_action(user, year_number):
    year = selectors.get_department_year(user, year_number)
    if not permissions.can_manage_year(user):
        raise PermissionDenied("Chỉ Phòng Hành chính - Tổng hợp thực hiện việc này.")
    return year


def _leadership_action(user, year_number):
    year = selectors.get_department_year(user, year_number)
    if not permissions.can_approve_department_registration(user):
        raise PermissionDenied("Chỉ lãnh đạo Sở duyệt hoặc trả lại đăng ký thi đua của Sở.")
    return year


def _compiled(year):
    registration = selectors.department_registration_of(year)
    if registration is None:
        raise Http404("Đăng ký thi đua của Sở năm này chưa được tổng hợp.")
    return registration


def _initial(registration):
    if registration is not None:
        return {"own_titles": registration.own_titles, "recipients": registration.recipients}
    previous = DepartmentRegistration.objects.exclude(recipients="").order_by("-year__year").first()
    return {"own_titles": [], "recipients": previous.recipients if previous else services.DEFAULT_RECIPIENTS}


def _context(request, year, *, form=None, return_form=None, issue_form=None):
    user = request.user
    registration = selectors.department_registration_of(year)
    snapshot = registration.snapshot if registration else {}
    compiled_units = [unit["unit_code"] for unit in snapshot.get("units", [])]
    units = selectors.unit_states(year, compiled_units)
    office = permissions.can_manage_year(user)
    leadership = permissions.can_approve_department_registration(user)
    editable = registration is None or registration.status in services.EDITABLE
    transitions = selectors.history(registration)
    for transition in transitions:
        transition.action_label = ACTION_LABELS.get(transition.action, transition.action)
        transition.status_label = Status(transition.to_status).label if transition.to_status else ""
    people = [(unit, person) for unit in snapshot.get("units", []) for person in unit["people"]]
    return {
        "year": year,
        "registration": registration,
        "badge": STATUS_BADGES.get(registration.status, "") if registration else "",
        "snapshot": snapshot,
        "people": people,
        "commitments": [(unit, item) for unit in snapshot.get("units", []) for item in unit["commitments"]],
        "not_accepted": [row for row in units if not row["accepted"]],
        # Accepted since the last compile: the office compiles again to take them in.
        "accepted_later": [row for row in units if row["accepted"] and not row["compiled"]] if registration else [],
        "unit_count": len(units),
        "office": office,
        "leadership": leadership,
        "form": form or (DepartmentRegistrationForm(initial=_initial(registration)) if office and editable else None),
        "can_compile": office and editable,
        "can_send": office and registration is not None and registration.status in services.EDITABLE,
        "can_decide": leadership and registration is not None and registration.status == Status.PENDING_APPROVAL,
        "can_issue": office and registration is not None and registration.status == Status.APPROVED,
        "return_form": return_form or ReturnForm(auto_id="return_%s"),
        "issue_form": issue_form
        or RegisterIssueForm(auto_id="register_%s", initial={"issued_on": timezone.localdate()}),
        "last_return": next((t for t in reversed(transitions) if t.action == "return"), None)
        if registration is not None and registration.status == Status.RETURNED
        else None,
        "transitions": transitions,
        "files": stored.panel(registration) if registration else None,
        "formats": FORMATS,
    }


def _again(request, year, **forms):
    """The page again (400) with what was typed, after bad input or a refusal."""
    return render(request, TEMPLATE, _context(request, year, **forms), status=400)


def _refused(request, year, error, form=None, form_key="form"):
    messages.error(request, error.message)
    if form is not None and error.field in form.fields:
        form.add_error(error.field, error.message)
    return _again(request, year, **({form_key: form} if form is not None else {}))


def _done(request, year, message):
    messages.success(request, message)
    return redirect("emulation:department_registration", year=year.year)


@require_GET
def department_registration(request, year):
    """The compiled list, the office's choices, the actions of the state it is in, its files and its history."""
    emulation_year = selectors.get_department_year(request.user, year)
    return render(request, TEMPLATE, _context(request, emulation_year))


def _choices(request, emulation_year, act, success):
    form = DepartmentRegistrationForm(request.POST)
    if not form.is_valid():
        for message in error_messages(form):
            messages.error(request, message)
        return _again(request, emulation_year, form=form)
    try:
        act(form.cleaned_data)
    except Refused as error:
        return _refused(request, emulation_year, error, form)
    return _done(request, emulation_year, success)


@require_POST
def department_registration_compile(request, year):
    """ "Tổng hợp" (or "Tổng hợp lại"): the units' accepted registrations with the office's choices."""
    emulation_year = _office_action(request.user, year)
    return _choices(
        request,
        emulation_year,
        lambda data: services.department_registration_compile(
            year=emulation_year, actor=request.user, own_titles=data["own_titles"], recipients=data["recipients"]
        ),
        "Đã tổng hợp đăng ký thi đua của các phòng, đơn vị đã được tiếp nhận.",
    )


@require_POST
def department_registration_edit(request, year):
    """Save the Department's own titles and the addressees without gathering again."""
    emulation_year = _office_action(request.user, year)
    registration = _compiled(emulation_year)
    return _choices(
        request,
        emulation_year,
        lambda data: services.department_registration_edit(
            registration=registration,
            actor=request.user,
            own_titles=data["own_titles"],
            recipients=data["recipients"],
        ),
        "Đã lưu danh hiệu Sở đăng ký và nơi nhận.",
    )


@require_POST
def department_registration_send(request, year):
    """ "Trình lãnh đạo duyệt": the list is locked until leadership returns it."""
    emulation_year = _office_action(request.user, year)
    registration = _compiled(emulation_year)
    try:
        services.department_registration_send(registration=registration, actor=request.user)
    except Refused as error:
        return _refused(request, emulation_year, error)
    return _done(request, emulation_year, "Đã trình lãnh đạo duyệt đăng ký thi đua của Sở.")


@require_POST
def department_registration_approve(request, year):
    """The Director or a Deputy Director approves; the signature block names them."""
    emulation_year = _leadership_action(request.user, year)
    registration = _compiled(emulation_year)
    try:
        services.department_registration_approve(registration=registration, actor=request.user)
    except Refused as error:
        return _refused(request, emulation_year, error)
    return _done(
        request, emulation_year, "Đã duyệt đăng ký thi đua của Sở. Phòng Hành chính - Tổng hợp sẽ vào số, ban hành."
    )


@require_POST
def department_registration_return(request, year):
    """Leadership returns it to the office with a reason, which is required."""
    emulation_year = _leadership_action(request.user, year)
    registration = _compiled(emulation_year)
    form = ReturnForm(request.POST, auto_id="return_%s")
    if not form.is_valid():
        for message in error_messages(form):
            messages.error(request, message)
        return _again(request, emulation_year, return_form=form)
    try:
        services.department_registration_return(
            registration=registration, actor=request.user, reason=form.cleaned_data["reason"]
        )
    except Refused as error:
        return _refused(request, emulation_year, error, form, "return_form")
    return _done(request, emulation_year, "Đã trả lại đăng ký thi đua của Sở cho Phòng Hành chính - Tổng hợp.")


@require_POST
def department_registration_issue(request, year):
    """ "Lấy số tự động": the next number of the Department's công văn series for the year of the issue date."""
    emulation_year = _office_action(request.user, year)
    registration = _compiled(emulation_year)
    return document_steps.issue(
        request,
        reverse("emulation:department_registration", args=[emulation_year.year]),
        numbering="register",
        service=lambda **arguments: services.department_registration_issue(
            registration=registration, actor=request.user, **arguments
        ),
        success="Đã vào số và ban hành công văn đăng ký thi đua của Sở.",
        show_page=lambda issue_form: _again(request, emulation_year, issue_form=issue_form),
    )


@require_GET
def department_registration_file(request, year, extension):
    """The công văn and its list as stored (PDF, DOCX, XLSX); never rendered here."""
    emulation_year = selectors.get_department_year(request.user, year)
    if extension not in FORMATS:
        raise Http404("Không có định dạng tệp này.")
    return document_steps.stored_download(request, _compiled(emulation_year), extension)
