"""The issue and "sent" steps of any document, for the views of the apps that own the documents.

Each app's view checks who may act (its permissions module), then hands over its service and a way to
show its page again: the form is read and checked, the service called, and a refusal shown with what
was typed kept (the page again, status 400) — on the field it names (`Refused.field`), e.g. a date out of
the record's order on "Ngày ban hành".
"""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_GET

from portal.forms import error_messages
from workflow.errors import Refused

from . import permissions, selectors
from .forms import ISSUE_FORMS, REGISTER, MarkSentForm


def issue_forms(*, today, signers=None, bound=None):
    """The two issue forms of a document's page ({"register": …, "clerk": …}); `bound` replaces one of them."""
    forms = {
        numbering: form_class(auto_id=f"{numbering}_%s", initial={"issued_on": today}, signers=signers)
        for numbering, form_class in ISSUE_FORMS.items()
    }
    if bound is not None:
        forms[bound.numbering] = bound
    return forms


def issue(request, target, *, numbering, service, success, show_page, signers=None):
    """Issue `target` with the portal's register or the clerk's number: service(**arguments) does it."""
    form_class = ISSUE_FORMS.get(numbering, ISSUE_FORMS[REGISTER])
    form = form_class(request.POST, request.FILES, auto_id=f"{form_class.numbering}_%s", signers=signers)
    return _step(
        request,
        form,
        lambda data: service(**form.service_arguments),
        target=target,
        success=success,
        show_page=lambda: show_page(issue_form=form),
    )


def mark_sent(request, target, *, issued_on, service, success, show_page):
    """Record the date and the channel `target` went out by: service(sent_on=…, channel=…) does it."""
    form = MarkSentForm(request.POST, issued_on=issued_on, auto_id="sent_%s")
    return _step(
        request,
        form,
        lambda data: service(sent_on=data["sent_on"], channel=data["channel"]),
        target=target,
        success=success,
        show_page=lambda: show_page(sent_form=form),
    )


def _step(request, form, call, *, target, success, show_page):
    """Run the step on valid input and go back to `target`; otherwise the page again, with what was typed."""
    if form.is_valid():
        try:
            call(form.cleaned_data)
        except Refused as error:
            messages.error(request, error.message)
            if error.field in form.fields:
                form.add_error(error.field, error.message)
        else:
            messages.success(request, success)
            return redirect(target)
    else:
        for message in error_messages(form):
            messages.error(request, message)
    return show_page()


@require_GET
def register_list(request):
    """The register of outgoing documents (sổ đăng ký văn bản đi) of one year, numbers dated back marked."""
    if not permissions.can_see_register(request.user):
        raise Http404("Không tìm thấy trang.")
    years = selectors.register_years()
    typed = request.GET.get("nam", "")
    year = int(typed) if typed.isdigit() and int(typed) in years else (years[0] if years else timezone.localdate().year)
    return render(
        request,
        "documents/register_list.html",
        {"years": years, "year": year, "entries": selectors.register_entries(year)},
    )
