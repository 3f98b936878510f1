"""The office's page of the documents the portal's documents cite: the plan, the province's plan, the legal bases.

The office and leadership read it (404 for everyone else); only the office changes it (403 for leadership).
A change applies to documents made from then on: a document already drafted keeps what it was made with.
"""

import uuid

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_GET, require_POST

from portal.forms import error_messages

from . import permissions
from .citations import cite, gaps
from .forms import CitedDocumentForm
from .models import Campaign, CitedDocument

NEW_BASIS = {"kind": "Quyết định", "decision_basis": True, "sort_order": 100}
APPLIES_NEXT = "Thay đổi áp dụng cho các văn bản lập từ nay; văn bản đã lập giữ nguyên căn cứ khi lập."


def _campaign(user):
    if not permissions.can_see_cited_documents(user):
        raise Http404("Không tìm thấy trang.")
    campaign = Campaign.objects.prefetch_related("cited_documents").first()
    if campaign is None:
        raise Http404("Chưa nạp Kế hoạch.")
    return campaign


def _office_campaign(user):
    campaign = _campaign(user)
    if not permissions.can_edit_cited_documents(user):
        raise PermissionDenied("Chỉ Phòng Hành chính - Tổng hợp cập nhật văn bản căn cứ.")
    return campaign


def _page(request, campaign, *, bound=None, status=200):
    """The page, with `bound` (a form that failed) in place of its row's or the new row's form."""
    can_edit = permissions.can_edit_cited_documents(request.user)
    rows = []
    for document in campaign.cited_documents.all():
        form = None
        if can_edit:
            same = bound is not None and bound.instance.pk == document.pk
            form = bound if same else CitedDocumentForm(instance=document)
        rows.append({"document": document, "citation": cite(document), "gaps": gaps(document), "form": form})
    adding = bound if bound is not None and bound.instance.pk is None else CitedDocumentForm(initial=NEW_BASIS)
    context = {
        "rows": rows,
        "can_edit": can_edit,
        "add_form": adding if can_edit else None,
        "applies_next": APPLIES_NEXT,
        "incomplete": sum(1 for row in rows if row["gaps"]),
    }
    return render(request, "campaign/cited_documents.html", context, status=status)


def _back(document):
    return redirect(reverse("campaign:cited_documents") + f"#doc-{document.pk}")


@require_GET
def cited_documents(request):
    return _page(request, _campaign(request.user))


def _save(request, campaign, form, success):
    """Save a valid form and go back to its row; otherwise the page again with the refusal and what was typed."""
    if not form.is_valid():
        for message in error_messages(form):
            messages.error(request, message)
        return _page(request, campaign, bound=form, status=400)
    document = form.save()
    messages.success(request, f"{success(document)} {APPLIES_NEXT}")
    return _back(document)


@require_POST
def cited_document_edit(request, pk):
    campaign = _office_campaign(request.user)
    document = get_object_or_404(CitedDocument, pk=pk, campaign=campaign)
    form = CitedDocumentForm(request.POST, instance=document)
    return _save(request, campaign, form, lambda saved: f"Đã cập nhật: {saved.get_role_display()}.")


@require_POST
def cited_document_add(request):
    """Another basis of the award decisions (a role of its own: "Căn cứ khác")."""
    campaign = _office_campaign(request.user)
    document = CitedDocument(
        campaign=campaign, role=CitedDocument.Role.OTHER, plan_key=f"office-{uuid.uuid4().hex}", decision_basis=True
    )
    form = CitedDocumentForm(request.POST, instance=document)
    return _save(request, campaign, form, lambda saved: f"Đã thêm căn cứ: {cite(saved)}.")


@require_POST
def cited_document_delete(request, pk):
    campaign = _office_campaign(request.user)
    document = get_object_or_404(CitedDocument, pk=pk, campaign=campaign)
    if document.role != CitedDocument.Role.OTHER:
        messages.error(request, "Văn bản này giữ một vai trò của Kế hoạch: chỉ sửa được, không xóa được.")
        return _page(request, campaign, status=400)
    citation = cite(document)
    document.delete()
    messages.success(request, f"Đã xóa căn cứ: {citation}.")
    return redirect("campaign:cited_documents")
