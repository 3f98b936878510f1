"""Leadership's approval of the council's recommendations, and the outcome documents in the browser.

Views are thin: awards.permissions answers who may see and do what (404 for what a person may not
see, 403 for an action that is not theirs), awards.forms.outcomes reads the input and
awards.services.outcomes does the work. A refusal changes nothing and shows the form again with
what was typed.
"""

from collections import Counter
from itertools import groupby

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Prefetch, Q
from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from documents import views as document_steps
from documents.forms import MarkSentForm
from portal.forms import error_messages
from units.selectors import leaders
from workflow.errors import Refused

from .. import ballot_rules, permissions
from ..forms.outcomes import BulkDecisionForm, HigherResultForm, RejectForm, RoundChoiceForm
from ..models import AgendaItem, AwardDocument, AwardRound, Nomination
from ..services import documents, outcomes
from . import lists

Status = Nomination.Status
DocStatus = AwardDocument.Status
Render = AwardDocument.RenderStatus
PDF = "application/pdf"
APPROVALS_PAGE_SIZE = 50  # leadership ticks a page at a time
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
ZIP = "application/zip"

ACTION_LABELS = {
    "request": "Lập dự thảo",
    "render": "Yêu cầu tạo lại văn bản",
    "rendered": "Đã tạo văn bản",
    "render_failed": "Tạo văn bản lỗi",
    "retry": "Thử tạo lại văn bản",
    "issue": "Vào số, ban hành",
    "send": "Đã gửi",
    "answer": "Ghi kết quả của cấp trên",
}
STATUS_BADGES = {
    DocStatus.DRAFT: "text-bg-light border",
    DocStatus.ISSUED: "text-bg-success",
    DocStatus.SENT: "text-bg-primary",
    DocStatus.ANSWERED: "text-bg-info",
}
RENDER_BADGES = {
    Render.QUEUED: "text-bg-secondary",
    Render.RENDERING: "text-bg-info",
    Render.READY: "text-bg-success",
    Render.FAILED: "text-bg-danger",
}


# The files of an award document, as its page lists them with their SHA-256.
FILE_LABELS = (
    ("pdf", "PDF"),
    ("docx", "DOCX"),
    ("bundle", "Hồ sơ kèm theo (ZIP)"),
    ("certificates", "Giấy chứng nhận"),
)


def _decider(user):
    """Leadership's pages: 404 for whoever does not see nominations across units, 403 for the office."""
    if not permissions.can_decide(user):
        if permissions.is_office(user):
            raise PermissionDenied("Chỉ lãnh đạo Sở quyết định đồng ý hay không đồng ý khen thưởng.")
        raise Http404


def _selected_round(request, rounds):
    raw = request.GET.get("round") or request.POST.get("round") or ""
    return next((award_round for award_round in rounds if str(award_round.pk) == raw), None)


def _recommended(award_round=None):
    queryset = (
        Nomination.objects.filter(status=Status.RECOMMENDED)
        .select_related("round", "form", "unit")
        .prefetch_related(
            Prefetch(
                "agenda_items",
                queryset=AgendaItem.objects.filter(outcome=AgendaItem.Outcome.PASSED).select_related("meeting"),
                to_attr="passed_items",
            )
        )
        .order_by("round__year", "round_id", "form__sort_order", "form_id", "unit__sort_order", "nominee_name", "pk")
    )
    if award_round is not None:
        queryset = queryset.filter(round=award_round)
    return queryset


def _approval_groups(nominations, sizes):
    """[(round, [(form, [nomination, …], its count in the whole list), …]), …] in list order."""
    groups = []
    for award_round, of_round in groupby(nominations, key=lambda nomination: nomination.round):
        forms = [
            (form, ones, sizes[award_round.pk, form.pk])
            for form, ones in ((form, list(ones)) for form, ones in groupby(of_round, key=lambda item: item.form))
        ]
        groups.append((award_round, forms))
    return groups


def tie_break_text(item, form):
    """What the minutes say of a tie the chair broke (ballot_rules.needs_casting_vote), beside the count; "" if none."""
    if item is None or item.chair_casting_vote is None:
        return ""
    if not ballot_rules.needs_casting_vote({"agree": item.agree, "disagree": item.disagree}, form):
        return ""
    side = "đồng ý" if item.chair_casting_vote else "không đồng ý"
    return f"Số phiếu ngang nhau ({item.agree}–{item.disagree}); Chủ tịch Hội đồng quyết định theo phía {side}."


@require_http_methods(["GET", "POST"])
def approvals(request):
    """Leadership's list of the council's recommendations, by round and form, to approve or reject in bulk."""
    _decider(request.user)
    rounds = list(AwardRound.objects.order_by("-year", "-created_at"))
    award_round = _selected_round(request, rounds)
    recommended = _recommended(award_round)
    # Every recommendation of the list (what may be ticked, the counts), one query; the rows shown a page at a time.
    every = list(recommended.prefetch_related(None).values_list("pk", "round_id", "form_id"))
    sizes = Counter((round_id, form_id) for _, round_id, form_id in every)
    # What may be ticked matters only to a POST: a choice field of every recommendation costs a GET for nothing.
    posted = request.method == "POST"
    form = BulkDecisionForm(request.POST if posted else None, choices=[pk for pk, _, _ in every] if posted else ())
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            approve = data["action"] == BulkDecisionForm.APPROVE
            try:
                decided = outcomes.nominations_decide(
                    ids=data["nominations"], actor=request.user, approve=approve, reason=data["reason"]
                )
            except Refused as error:
                messages.error(request, error.message)
            else:
                verb = "đồng ý" if approve else "không đồng ý"
                messages.success(request, f"Đã {verb} {len(decided)} đề nghị khen thưởng.")
                target = "awards:approvals"
                return redirect(f"{reverse(target)}?round={award_round.pk}" if award_round else reverse(target))
        else:
            for message in error_messages(form):
                messages.error(request, message)
    page = lists.page_of(recommended, APPROVALS_PAGE_SIZE, request.GET.get("page"), count=len(every))
    nominations = list(page.object_list)
    detail, reject = lists.link_pattern("awards:nomination_detail"), lists.link_pattern("awards:nomination_reject")
    kinds = dict(Nomination.NomineeKind.choices)
    for nomination in nominations:
        nomination.vote = nomination.passed_items[-1] if nomination.passed_items else None
        nomination.tie_break = tie_break_text(nomination.vote, nomination.form)
        nomination.detail_link, nomination.reject_link = detail.format(nomination.pk), reject.format(nomination.pk)
        nomination.kind_label = kinds.get(nomination.nominee_kind, "")
    round_query = f"round={award_round.pk}" if award_round else ""
    return render(
        request,
        "awards/outcomes/approvals.html",
        {
            "rounds": rounds,
            "award_round": award_round,
            "groups": _approval_groups(nominations, sizes),
            "count": len(every),
            "form": form,
            "selected": form.selected,
            "page": page,
            "query": round_query,
            "action_query": "&".join(part for part in (round_query, f"page={page.number}") if part),
        },
        status=400 if request.method == "POST" else 200,
    )


def _next_or_approvals(request):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect("awards:approvals")


def _nomination_to_decide(user, pk):
    nomination = permissions.get_visible_nomination(user, pk)
    if not permissions.can_decide(user):
        raise PermissionDenied("Chỉ lãnh đạo Sở quyết định đồng ý hay không đồng ý khen thưởng.")
    return nomination


@require_POST
def nomination_approve(request, pk):
    """Leadership approves one recommended nomination."""
    nomination = _nomination_to_decide(request.user, pk)
    try:
        outcomes.nomination_approve(nomination=nomination, actor=request.user)
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, f"Đã đồng ý khen thưởng {nomination.nominee_name} ({nomination.form}).")
    return _next_or_approvals(request)


@require_http_methods(["GET", "POST"])
def nomination_reject(request, pk):
    """Leadership rejects one recommended nomination, with a reason."""
    nomination = _nomination_to_decide(request.user, pk)
    form = RejectForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            outcomes.nomination_reject(nomination=nomination, actor=request.user, reason=form.cleaned_data["reason"])
        except Refused as error:
            messages.error(request, error.message)
        else:
            messages.success(request, f"Đã ghi ý kiến không đồng ý khen thưởng {nomination.nominee_name}.")
            return _next_or_approvals(request)
    return render(
        request,
        "awards/outcomes/reject.html",
        {"nomination": nomination, "form": form, "next": request.POST.get("next") or request.GET.get("next", "")},
        status=400 if request.method == "POST" else 200,
    )


# --- documents --------------------------------------------------------------------------------------------


def _documents_reader(user):
    if not permissions.can_see_documents(user):
        raise Http404


def _office_document(user, pk):
    """A document for one of the office's actions: 404 if the person may not see it, 403 if it is not theirs."""
    document = permissions.get_visible_document(user, pk)
    if not permissions.can_manage_rounds(user):
        raise PermissionDenied("Chỉ Phòng Hành chính - Tổng hợp thực hiện việc này.")
    return document


@require_GET
def document_list(request):
    """Decisions, proposals and minutes by round, with their status and the render job's."""
    _documents_reader(request.user)
    rounds = list(AwardRound.objects.order_by("-year", "-created_at"))
    award_round = _selected_round(request, rounds)
    queryset = AwardDocument.objects.select_related("round", "register_entry").order_by("-created_at", "-pk")
    if award_round is not None:
        queryset = queryset.filter(round=award_round)
    document_rows = list(queryset)
    for document in document_rows:
        document.badge = STATUS_BADGES.get(document.status, "")
        document.render_badge = RENDER_BADGES.get(document.render_status, "")
    return render(
        request,
        "awards/outcomes/document_list.html",
        {
            "documents": document_rows,
            "rounds": rounds,
            "award_round": award_round,
            "office": permissions.can_manage_rounds(request.user),
        },
    )


def _rounds_with_pending():
    """Rounds with their approved nominations not yet in a decision / a proposal, counted in one query."""
    approved = Q(nominations__status=Status.APPROVED)
    return AwardRound.objects.annotate(
        for_decision=Count(
            "nominations",
            filter=approved & Q(nominations__form__conferred_by_department=True, nominations__decision__isnull=True),
        ),
        for_proposal=Count(
            "nominations",
            filter=approved & Q(nominations__form__conferred_by_department=False, nominations__proposal__isnull=True),
        ),
    ).order_by("-year", "-created_at")


def _document_create(request, *, kind):
    _documents_reader(request.user)
    if not permissions.can_manage_rounds(request.user):
        raise PermissionDenied("Chỉ Phòng Hành chính - Tổng hợp lập dự thảo văn bản khen thưởng.")
    rounds = _rounds_with_pending()
    form = RoundChoiceForm(
        request.POST if request.method == "POST" else None,
        rounds=rounds,
        initial={"award_round": request.GET.get("round")},
    )
    if request.method == "POST" and form.is_valid():
        award_round = form.cleaned_data["award_round"]
        try:
            if kind == AwardDocument.Kind.DECISION:
                created = outcomes.decisions_create(award_round=award_round, actor=request.user)
            else:
                created = outcomes.proposal_create(award_round=award_round, actor=request.user)
        except Refused as error:
            messages.error(request, error.message)
        else:
            messages.success(request, _created_message(created))
            if len(created) == 1:
                return redirect(created[0])
            return redirect(f"{reverse('awards:document_list')}?round={award_round.pk}")
    return render(
        request,
        "awards/outcomes/document_create.html",
        {"form": form, "kind": kind, "rounds": rounds, "decision": kind == AwardDocument.Kind.DECISION},
        status=400 if request.method == "POST" else 200,
    )


def _created_message(created):
    """ "Đã lập 2 dự thảo quyết định khen thưởng: “Về việc …”; “Về việc …”. Văn bản đang được tạo." """
    noun = created[0].get_kind_display().lower()
    names = "; ".join(
        f"“{document.summary}”" + (f" gửi {document.recipient}" if document.recipient else "") for document in created
    )
    return f"Đã lập {len(created)} dự thảo {noun}: {names}. Văn bản đang được tạo."


@require_http_methods(["GET", "POST"])
def decision_create(request):
    """The office drafts the decisions for a round's approved nominations of forms the Department confers: the
    annual titles in one, the campaign's awards in another; to the draft when one was made, else to the list."""
    return _document_create(request, kind=AwardDocument.Kind.DECISION)


@require_http_methods(["GET", "POST"])
def proposal_create(request):
    """The office drafts one proposal per recipient for a round's approved nominations of forms conferred above."""
    return _document_create(request, kind=AwardDocument.Kind.PROPOSAL)


def _nominees(document):
    """The names in the document as frozen in its content, per form."""
    return [
        {
            "name": form["name"],
            "rows": [("Tập thể", row) for row in form.get("collectives", [])]
            + [("Cá nhân", row) for row in form.get("individuals", [])],
        }
        for form in document.content.get("forms", [])
    ]


def _basis_warnings(document):
    """What the draft's legal bases lacked when it was built (frozen in its content) and what they lack now."""
    if document.kind == AwardDocument.Kind.MINUTES:
        return {"frozen_warnings": [], "current_warnings": [], "cited_documents_link": ""}
    frozen_warnings = document.content.get("basis_warnings", [])
    current_warnings = outcomes.basis_warnings_now(document) if document.status == DocStatus.DRAFT else []
    return {
        "frozen_warnings": frozen_warnings,
        "current_warnings": current_warnings,
        "warnings_changed": current_warnings != frozen_warnings,
        "cited_documents_link": _link("campaign:cited_documents"),
    }


def _link(name):
    """The URL of another area's page, or "" while it does not exist."""
    try:
        return reverse(name)
    except NoReverseMatch:
        return ""


def _detail_context(request, document, *, issue_form=None, sent_form=None):
    user = request.user
    office = permissions.can_manage_rounds(user)
    transitions = list(document.transitions.select_related("actor"))
    for transition in transitions:
        transition.action_label = ACTION_LABELS.get(transition.action, transition.action)
    today = timezone.localdate()
    entry = document.register_entry
    return {
        "document": document,
        "badge": STATUS_BADGES.get(document.status, ""),
        "render_badge": RENDER_BADGES.get(document.render_status, ""),
        "file_digests": [
            (label, document.file_sha256[field]) for field, label in FILE_LABELS if document.file_sha256.get(field)
        ],
        "running": document.render_status in documents.LIVE_JOB,
        "ready": document.render_status == Render.READY,
        "failed": document.render_status == Render.FAILED,
        "office": office,
        "number": outcomes.number_text(entry) if entry else "",
        "nominees": _nominees(document),
        **_basis_warnings(document),
        "can_issue": office and document.status == DocStatus.DRAFT,
        "can_mark_sent": office and document.status == DocStatus.ISSUED,
        "can_record_answer": office
        and document.kind == AwardDocument.Kind.PROPOSAL
        and document.status == DocStatus.SENT,
        "issue_forms": document_steps.issue_forms(today=today, signers=_signers(), bound=issue_form),
        "sent_form": sent_form
        or MarkSentForm(auto_id="sent_%s", initial={"sent_on": today}, issued_on=entry.issued_on if entry else None),
        "transitions": transitions,
    }


@require_GET
def document_detail(request, pk):
    """The document: the render job's progress, the names it lists, its number, sending and history."""
    document = permissions.get_visible_document(request.user, pk)
    return render(request, "awards/outcomes/document_detail.html", _detail_context(request, document))


@require_GET
def document_status(request, pk):
    """The render job's state as JSON, polled by the detail page while the document is being rendered."""
    document = permissions.get_visible_document(request.user, pk)
    return JsonResponse(documents.RENDER_JOB.status_of(document), headers={"Cache-Control": "no-store"})


def _run(request, document, act, success):
    try:
        act()
    except Refused as error:
        messages.error(request, error.message)
    else:
        messages.success(request, success)
    return redirect(document)


@require_POST
def document_retry(request, pk):
    """ "Thử lại": render a failed document again."""
    document = _office_document(request.user, pk)
    return _run(
        request,
        document,
        lambda: outcomes.document_retry(document=document, actor=request.user),
        "Đã yêu cầu tạo lại văn bản.",
    )


def _signers():
    """Leadership: the Director and the Deputy Directors sign the Department's award documents."""
    return leaders().order_by("full_name")


def _show_again(request, document):
    """The document's page again with what was typed, after a refused issue or sending."""

    def show(**forms):
        document.refresh_from_db()
        context = _detail_context(request, document, **forms)
        return render(request, "awards/outcomes/document_detail.html", context, status=400)

    return show


@require_POST
def document_issue(request, pk):
    """Number and date (the portal's register, or the clerk's number with the signed PDF); then a new render."""
    document = _office_document(request.user, pk)
    return document_steps.issue(
        request,
        document,
        numbering=request.POST.get("numbering", ""),
        signers=_signers(),
        service=lambda **arguments: outcomes.document_issue(document=document, actor=request.user, **arguments),
        success="Đã vào số và ban hành văn bản; văn bản đang được tạo lại với số và ngày.",
        show_page=_show_again(request, document),
    )


@require_POST
def document_mark_sent(request, pk):
    """ "Đã gửi": the date and channel; a proposal's nominations are then forwarded upward."""
    document = _office_document(request.user, pk)
    return document_steps.mark_sent(
        request,
        document,
        issued_on=document.register_entry.issued_on if document.register_entry else None,
        service=lambda **sent: outcomes.document_mark_sent(document=document, actor=request.user, **sent),
        success="Đã ghi nhận gửi văn bản.",
        show_page=_show_again(request, document),
    )


@require_http_methods(["GET", "POST"])
def higher_result(request, pk):
    """The higher authority's answer to a sent proposal: its decision, and conferred or refused per nomination."""
    document = _office_document(request.user, pk)
    if document.kind != AwardDocument.Kind.PROPOSAL or document.status != DocStatus.SENT:
        messages.error(request, "Chỉ ghi kết quả được cho tờ trình đã gửi và chưa có kết quả.")
        return redirect(document)
    nominations = list(
        document.proposed_nominations.filter(status=Status.FORWARDED).select_related("form").order_by("pk")
    )
    form = HigherResultForm(request.POST if request.method == "POST" else None, nominations=nominations)
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                outcomes.higher_result_record(
                    document=document,
                    actor=request.user,
                    decision_number=data["decision_number"],
                    decision_date=data["decision_date"],
                    results=form.results,
                )
            except Refused as error:
                messages.error(request, error.message)
            else:
                messages.success(request, "Đã ghi kết quả khen thưởng của cấp trên.")
                return redirect(document)
        else:
            for message in error_messages(form):
                messages.error(request, message)
    return render(
        request,
        "awards/outcomes/higher_result.html",
        {"document": document, "form": form, "nominations": nominations},
        status=400 if request.method == "POST" else 200,
    )


def _file(document, field, filename, content_type):
    stored = getattr(document, field)
    if not stored:
        raise Http404("Văn bản chưa được tạo xong.")
    return FileResponse(stored.open("rb"), as_attachment=True, filename=filename, content_type=content_type)


@require_GET
def document_pdf(request, pk):
    """The PDF; once issued with the clerk's signed copy, that copy is the document and is what downloads."""
    document = permissions.get_visible_document(request.user, pk)
    name = documents.download_name(document, "pdf")
    if document.status != DocStatus.DRAFT and document.signed_pdf:
        return _file(document, "signed_pdf", name, PDF)
    if document.render_status != Render.READY:
        raise Http404("Văn bản chưa được tạo xong.")
    return _file(document, "pdf", name, PDF)


@require_GET
def document_docx(request, pk):
    """The DOCX (Times New Roman), the same content as the PDF, for editing in Word."""
    document = permissions.get_visible_document(request.user, pk)
    if document.render_status != Render.READY:
        raise Http404("Văn bản chưa được tạo xong.")
    return _file(document, "docx", documents.download_name(document, "docx"), DOCX)


@require_GET
def document_bundle(request, pk):
    """A proposal's dossiers as a zip: a folder per nomination, and the proposal itself."""
    document = permissions.get_visible_document(request.user, pk)
    if document.kind != AwardDocument.Kind.PROPOSAL or document.render_status != Render.READY:
        raise Http404("Hồ sơ kèm theo chưa được tạo xong.")
    return _file(document, "bundle", documents.download_name(document, "zip", "-ho-so"), ZIP)


@require_GET
def document_certificates(request, pk):
    """An issued decision's printable certificates, one A4 landscape page per recipient."""
    document = permissions.get_visible_document(request.user, pk)
    if document.kind != AwardDocument.Kind.DECISION or document.render_status != Render.READY:
        raise Http404("Giấy chứng nhận chưa được tạo xong.")
    return _file(document, "certificates", documents.download_name(document, "pdf", "-giay-chung-nhan"), PDF)


urlpatterns = [
    path("approvals/", approvals, name="approvals"),
    path("nominations/<int:pk>/approve/", nomination_approve, name="nomination_approve"),
    path("nominations/<int:pk>/reject/", nomination_reject, name="nomination_reject"),
    path("documents/", document_list, name="document_list"),
    path("documents/decision/new/", decision_create, name="decision_create"),
    path("documents/proposal/new/", proposal_create, name="proposal_create"),
    path("documents/<int:pk>/", document_detail, name="document_detail"),
    path("documents/<int:pk>/status/", document_status, name="document_status"),
    path("documents/<int:pk>/retry/", document_retry, name="document_retry"),
    path("documents/<int:pk>/issue/", document_issue, name="document_issue"),
    path("documents/<int:pk>/sent/", document_mark_sent, name="document_mark_sent"),
    path("documents/<int:pk>/higher-result/", higher_result, name="higher_result"),
    path("documents/<int:pk>.pdf", document_pdf, name="document_pdf"),
    path("documents/<int:pk>.docx", document_docx, name="document_docx"),
    path("documents/<int:pk>/bundle.zip", document_bundle, name="document_bundle"),
    path("documents/<int:pk>/certificates.pdf", document_certificates, name="document_certificates"),
]
