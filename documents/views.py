"""The issue and "sent" steps of any document, for the views of the apps that own the documents.

Each app's view checks who may act (its permissions module), then hands over its service and a way to
show its page again: the form is read and checked, the service called, and a refusal shown with what
was typed kept (the page again, status 400) — on the field it names (`Refused.field`), e.g. a date out of
the record's order on "Ngày ban hành".
"""

from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.views.decorators.http import require_GET, require_POST

from portal.forms import error_messages
from workflow.errors import Refused

from . import permissions, selectors, stored
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


REGISTER_PAGE_SIZE = 100


@require_GET
def register_list(request):
    """The register of outgoing documents (sổ đăng ký văn bản đi) of one year, numbers dated back marked: counts over
    the whole year; the table filtered (register, source of the number, dated back, number or summary) and
    paginated on the server (issue 17, item 3)."""
    if not permissions.can_see_register(request.user):
        raise Http404("Không tìm thấy trang.")
    years = selectors.register_years()
    typed = request.GET.get("nam", "")
    year = int(typed) if typed.isdigit() and int(typed) in years else (years[0] if years else timezone.localdate().year)
    every = selectors.register_entries(year)
    registers, sources, dated_back = selectors.register_counts(every)
    register = request.GET.get("so", "")
    if register not in {key for key, _, _ in registers}:
        register = ""
    source = request.GET.get("nguon", "")
    if source not in selectors.SOURCE_LABELS:
        source = ""
    dated_back_only = request.GET.get("lui") == "1"
    search = request.GET.get("q", "").strip()[:100]
    shown = selectors.register_filter(
        every, register=register, source=source, dated_back_only=dated_back_only, search=search
    )
    # An unknown or out-of-range ?page= answers the nearest page (the first, or the last).
    page = Paginator(shown, REGISTER_PAGE_SIZE).get_page(request.GET.get("page"))
    query = {"nam": year, "so": register, "nguon": source, "lui": "1" if dated_back_only else "", "q": search}
    return render(
        request,
        "documents/register_list.html",
        {
            "years": years,
            "year": year,
            "entries": [selectors.entry_of(row) for row in page.object_list],
            "page": page,
            "page_numbers": list(page.paginator.get_elided_page_range(page.number, on_each_side=2, on_ends=1)),
            "page_query": urlencode({key: value for key, value in query.items() if value not in ("", None)}),
            "shown": len(shown),
            "total": len(every),
            "registers": registers,
            "sources": [(key, label, sources.get(key, 0)) for key, label in selectors.SOURCE_LABELS.items()],
            "dated_back_count": dated_back,
            "register": register,
            "source": source,
            "dated_back_only": dated_back_only,
            "search": search,
        },
    )


# --- stored files (documents/stored.py) ------------------------------------------------------------------


def stored_download(request, owner, extension):
    """The stored file of `owner`; never rendered here. Before its first rendering, a page that says so, with
    the job's progress or the button that asks for it."""
    response = stored.response(owner, extension)
    if response is not None:
        return response
    files = stored.panel(owner)
    context = {"owner": owner, "extension": extension.upper(), "files": files}
    # Nothing refused: the page says the file is being made (202) or offers to make it.
    return render(request, "documents/stored_missing.html", context, status=202 if files["live"] else 200)


def _stored_owner(request, kind, pk):
    renderable = stored.SLUGS.get(kind)
    if renderable is None:
        raise Http404("Không có loại văn bản này.")
    return renderable.visible(request.user, pk)


@require_GET
def stored_status(request, kind, pk):
    """The render job's state as JSON, polled by the page while the files are made (static/js/job_progress.js)."""
    owner = _stored_owner(request, kind, pk)
    row = stored.stored_files(owner)
    state = stored.RENDER_JOB.status_of(row) if row is not None else {"status": "missing", "finished": True}
    return JsonResponse(state, headers={"Cache-Control": "no-store"})


@require_POST
def stored_request(request, kind, pk):
    """Ask the job for files that show the document as it is now (whoever may read it may ask)."""
    owner = _stored_owner(request, kind, pk)
    row = stored.request_current(owner)
    if row.final:
        messages.info(request, "Văn bản đã ban hành: các tệp đã lưu không thay đổi.")
    else:
        messages.success(request, "Đã yêu cầu tạo tệp theo nội dung hiện tại; trang tự cập nhật khi xong.")
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = owner.get_absolute_url()
    return redirect(target)
