"""The outcome documents' pages: who sees and does what, issue and sending through the forms, downloads."""

# Fixtures imported from the support modules are redefined as test parameters: that is how pytest uses them.
# ruff: noqa: F811

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from awards.models import AwardDocument, Nomination
from awards.services import outcomes
from documents.models import OutgoingDocument
from tests.awards.render_once import _each_document_rendered_once  # noqa: F401 — fixture
from tests.awards.test_outcomes_support import approved, pdf_text, private_files  # noqa: F401 — fixtures
from tests.query_budget import PAGE, WAITING_OFFICE

pytestmark = pytest.mark.django_db
TODAY = timezone.localdate


@pytest.fixture
def decision(
    annual_round, forms, own_unit, person, leader, reviewer, private_files, django_capture_on_commit_callbacks
):
    approved(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person, leader=leader)
    with django_capture_on_commit_callbacks(execute=True):
        (document,) = outcomes.decisions_create(award_round=annual_round, actor=reviewer)
    document.refresh_from_db()
    return document


def url(name, document):
    return reverse(f"awards:{name}", args=[document.pk])


def body(response):
    return b"".join(response.streaming_content)


@pytest.mark.parametrize(
    ("persona", "expected"),
    [("reviewer", 200), ("leader", 200), ("head", 404), ("staff", 404), ("council_member", 404), ("other_staff", 404)],
)
def test_who_sees_the_document_pages(client, request, decision, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    for name in ("document_detail", "document_status", "document_pdf", "document_docx"):
        assert client.get(url(name, decision)).status_code == expected, name
    assert client.get(reverse("awards:document_list")).status_code == expected


def test_anonymous_is_sent_to_sign_in(client, decision):
    response = client.get(url("document_detail", decision))
    assert response.status_code == 302
    assert "/accounts/login/" in response.headers["Location"]


def test_leadership_reads_but_may_not_issue(client, decision, leader):
    client.force_login(leader)
    response = client.post(
        url("document_issue", decision),
        {"signer": leader.pk, "issued_on": TODAY().strftime("%d/%m/%Y"), "numbering": "register"},
    )
    assert response.status_code == 403
    assert not OutgoingDocument.objects.exists()


def test_office_creates_a_decision_through_the_page(
    client, annual_round, forms, own_unit, person, leader, reviewer, private_files, django_capture_on_commit_callbacks
):
    approved(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person, leader=leader)
    client.force_login(reviewer)
    assert client.get(reverse("awards:decision_create")).status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("awards:decision_create"), {"award_round": annual_round.pk})
    document = AwardDocument.objects.get()
    assert response.headers["Location"] == document.get_absolute_url()
    assert document.render_status == AwardDocument.RenderStatus.READY  # eager Celery in tests
    page = client.get(response.headers["Location"]).content.decode()
    assert (
        f"Đã lập 1 dự thảo quyết định khen thưởng: “Về việc công nhận danh hiệu thi đua năm {annual_round.year}”"
        in (page)
    )
    response = client.post(reverse("awards:decision_create"), {"award_round": annual_round.pk})
    assert response.status_code == 400
    assert "không còn đề nghị" in response.content.decode()
    assert AwardDocument.objects.count() == 1


def test_titles_and_the_campaigns_awards_make_two_drafts_through_the_page(
    client, annual_round, forms, own_unit, other_unit, person, leader, reviewer, private_files
):
    approved(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person, leader=leader)
    approved(annual_round, forms["giay-khen-giam-doc-so"], unit=other_unit, leader=leader)
    client.force_login(reviewer)
    response = client.post(reverse("awards:decision_create"), {"award_round": annual_round.pk}, follow=True)
    assert response.redirect_chain[-1][0] == f"{reverse('awards:document_list')}?round={annual_round.pk}"
    page = response.content.decode()
    assert "Đã lập 2 dự thảo quyết định khen thưởng:" in page
    assert f"“Về việc công nhận danh hiệu thi đua năm {annual_round.year}”" in page
    assert "“Về việc khen thưởng tập thể, cá nhân có thành tích xuất sắc trong Phong trào thi đua" in page
    assert AwardDocument.objects.filter(kind=AwardDocument.Kind.DECISION).count() == 2


def test_issue_with_the_portals_number_through_the_page(
    client, decision, reviewer, leader, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("document_issue", decision),
            {"signer": leader.pk, "issued_on": TODAY().strftime("%d/%m/%Y"), "numbering": "register"},
        )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == AwardDocument.Status.ISSUED
    assert "Số: 01/QĐ-SKHCN" in pdf_text(body(client.get(url("document_pdf", decision))))
    assert client.get(url("document_certificates", decision)).status_code == 200
    assert Nomination.objects.get(decision=decision).status == Nomination.Status.CONFERRED


def test_clerk_issue_without_signed_pdf_keeps_the_typed_values(client, decision, reviewer, leader):
    client.force_login(reviewer)
    response = client.post(
        url("document_issue", decision),
        {"signer": leader.pk, "issued_on": "05/06/2025", "numbering": "clerk", "number": "12"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vui lòng chọn tệp PDF bản đã ký." in page
    assert 'value="12"' in page
    assert 'value="05/06/2025"' in page
    decision.refresh_from_db()
    assert decision.status == AwardDocument.Status.DRAFT
    assert not OutgoingDocument.objects.exists()


def test_clerk_issue_with_signed_pdf_serves_the_signed_copy(client, decision, reviewer, leader):
    client.force_login(reviewer)
    signed = SimpleUploadedFile(
        "da-ky.pdf",
        b"%PDF-1.4\n%signed copy\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\nstartxref\n0\n%%EOF\n",
        content_type="application/pdf",
    )
    response = client.post(
        url("document_issue", decision),
        {"signer": leader.pk, "issued_on": "25/06/2025", "numbering": "clerk", "number": "12", "signed_pdf": signed},
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert (decision.register_entry.number, decision.register_entry.issued_on.isoformat()) == (12, "2025-06-25")
    assert (
        body(client.get(url("document_pdf", decision)))
        == b"%PDF-1.4\n%signed copy\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"
    )


def test_a_macro_pretending_to_be_pdf_is_refused(client, decision, reviewer, leader):
    client.force_login(reviewer)
    fake = SimpleUploadedFile("da-ky.pdf", b"PK\x03\x04 not a pdf", content_type="application/pdf")
    response = client.post(
        url("document_issue", decision),
        {"signer": leader.pk, "issued_on": "25/06/2025", "numbering": "clerk", "number": "3", "signed_pdf": fake},
    )
    assert response.status_code == 400
    assert not OutgoingDocument.objects.exists()


def test_mark_sent_through_the_page(client, decision, reviewer, leader, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        outcomes.document_issue(document=decision, actor=reviewer, signer=leader, issued_on=TODAY())
    client.force_login(reviewer)
    response = client.post(
        url("document_mark_sent", decision), {"sent_on": TODAY().strftime("%d/%m/%Y"), "channel": ""}
    )
    assert response.status_code == 400
    response = client.post(
        url("document_mark_sent", decision), {"sent_on": TODAY().strftime("%d/%m/%Y"), "channel": "Thư điện tử công vụ"}
    )
    assert response.status_code == 302
    decision.refresh_from_db()
    assert decision.status == AwardDocument.Status.SENT


def test_status_json_and_retry(client, decision, reviewer, django_capture_on_commit_callbacks):
    AwardDocument.objects.filter(pk=decision.pk).update(render_status="failed", error="ValueError: x")
    client.force_login(reviewer)
    state = client.get(url("document_status", decision)).json()
    assert state == {
        "status": "failed",
        "label": "Tạo văn bản lỗi",
        "finished": True,
        "attempts": 1,
        "error": "ValueError: x",
    }
    page = client.get(url("document_detail", decision)).content.decode()
    assert "ValueError: x" in page
    assert "Thử lại" in page
    assert client.get(url("document_retry", decision)).status_code == 405
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url("document_retry", decision)).status_code == 302
    decision.refresh_from_db()
    assert decision.render_status == AwardDocument.RenderStatus.READY


def test_queued_document_shows_progress_and_no_downloads(client, decision, reviewer):
    AwardDocument.objects.filter(pk=decision.pk).update(render_status="queued")
    client.force_login(reviewer)
    page = client.get(url("document_detail", decision)).content.decode()
    assert "data-job-progress" in page
    assert "js/job_progress.js" in page
    assert client.get(url("document_pdf", decision)).status_code == 404


@pytest.mark.parametrize("size", [2, 10])
def test_document_list_query_count_does_not_grow(client, annual_round, reviewer, size, django_assert_num_queries):
    for index in range(size):
        AwardDocument.objects.create(
            kind="decision", round=annual_round, summary=f"Về việc {index}", created_by=reviewer, render_status="ready"
        )
    client.force_login(reviewer)
    # +15: the waiting list behind the menu's counts (overview/waiting.py).
    with django_assert_num_queries(PAGE + 2 + WAITING_OFFICE):
        response = client.get(reverse("awards:document_list"))
    assert response.content.decode().count("Về việc ") == size
