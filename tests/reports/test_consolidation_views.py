"""The consolidated report in the browser: compile, progress, edit, approval, issue, sending, documents.

Celery runs inline in the tests; the request enqueues the job on commit, so the POSTs that compile
run inside django_capture_on_commit_callbacks(execute=True).
"""

import datetime
from contextlib import nullcontext
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from docx import Document as WordDocument
from openpyxl import load_workbook

from campaign.models import AssessmentLevel, ReportingPeriod
from documents import stored
from documents.models import OutgoingDocument, RegisterCounter
from documents.register import CONFIRM_HINT, register_record_number
from reports import services
from reports.models import ConsolidatedReport, ConsolidatedTransition, UnitReport
from reports.services import consolidation
from reports.services.consolidation import consolidation_compile, consolidation_request
from tests import factories
from tests.conftest import renders_left_queued
from tests.factories import Capability, UnitFactory, UserFactory, department
from tests.pdf_text import pdf_text
from tests.plan_data import move_open_period
from tests.query_budget import PAGE, WAITING_OFFICE
from tests.reports.conftest import complete
from tests.shared_data import built_once
from workflow.errors import Refused

Status = ConsolidatedReport.Status
TODAY_DATE = timezone.localdate()
TODAY = TODAY_DATE.strftime("%d/%m/%Y")
# A small PDF a clerk's scanner could have made; validate_upload parses it (pypdf rebuilds the missing xref table).
SIGNED_PDF = b"%PDF-1.4\n% ban da ky\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture(scope="module")
def accepted_once(django_db_setup, django_db_blocker, tmp_path_factory):
    """The open period and the own unit's report for it, accepted by the office: built once for the module (its
    files left queued, as every test but the documents' ones leaves them); each test rolls back to it."""

    def build():
        with renders_left_queued():
            period = move_open_period()
            levels = {level.code: level for level in AssessmentLevel.objects.all()}
            staff, head, reviewer = (
                factories.staff_of_own_unit(),
                factories.head_of_own_unit(),
                factories.office_reviewer(),
            )
            report = services.report_start(unit=factories.own_unit(), period=period, actor=staff)
            complete(report, staff, levels)
            services.report_submit(report=report, actor=head)
            services.report_accept(report=report, actor=reviewer)
        return {"period": period.pk, "report": report.pk}

    with built_once(django_db_blocker, build, MEDIA_ROOT=tmp_path_factory.mktemp("consolidation-views")) as ids:
        yield ids


@pytest.fixture
def open_period(accepted_once, db):
    return ReportingPeriod.objects.get(pk=accepted_once["period"])


@pytest.fixture
def accepted(accepted_once, open_period, own_unit, staff, head, reviewer):
    """The own unit's report for the open period, accepted by the office."""
    return UnitReport.objects.get(pk=accepted_once["report"])


@pytest.fixture
def deputy(db):
    return UserFactory(
        username="phogiamdoc",
        full_name="Lê Thị Hồng Nhung",
        position_title="Phó Giám đốc",
        unit=department(),
        position="deputy",
        capabilities=[Capability.LEADERSHIP],
    )


def request_compile(client, period, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("reports:consolidated_request", args=[period.code]))
    return response


@pytest.fixture
def ready(request, accepted, open_period, reviewer, django_capture_on_commit_callbacks):
    # A test that goes on to send the report reads the files of what is approved or issued, made then: the draft's
    # files stay queued (the autouse _stored_files_left_queued does the same in every test that reads no file).
    draft_files = renders_left_queued() if "pending" in request.fixturenames else nullcontext()
    with draft_files, django_capture_on_commit_callbacks(execute=True):
        report = consolidation_request(period=open_period, actor=reviewer)
    report.refresh_from_db()
    assert report.status == Status.READY
    return report


@pytest.fixture
def pending(ready, reviewer):
    return consolidation.consolidation_send_for_approval(report=ready, actor=reviewer)


@pytest.fixture
def approved(pending, leader):
    return consolidation.consolidation_approve(report=pending, actor=leader)


def detail_url(report):
    return reverse("reports:consolidated_detail", args=[report.pk])


def action(name, report):
    return reverse(f"reports:consolidated_{name}", args=[report.pk])


def download(client, name, report):
    response = client.get(action(name, report))
    assert response.status_code == 200
    return b"".join(response.streaming_content)


def messages_of(response):
    return [str(message) for message in response.context["messages"]]


# --- Compile and progress --------------------------------------------------------------------------------


def test_office_compiles_a_period_and_lands_on_the_ready_report(
    client, reviewer, accepted, open_period, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    response = request_compile(client, open_period, django_capture_on_commit_callbacks)
    report = ConsolidatedReport.objects.get(period=open_period)
    assert response.status_code == 302
    assert response["Location"] == detail_url(report)
    assert report.status == Status.READY
    page = client.get(detail_url(report))
    assert "I. CÔNG TÁC CHỈ ĐẠO, TỔ CHỨC TRIỂN KHAI" in page.content.decode()
    assert "Trình lãnh đạo duyệt" in page.content.decode()


def test_a_double_click_on_compile_makes_one_report(client, reviewer, accepted, open_period):
    client.force_login(reviewer)
    client.post(reverse("reports:consolidated_request", args=[open_period.code]))
    client.post(reverse("reports:consolidated_request", args=[open_period.code]))
    assert ConsolidatedReport.objects.filter(period=open_period).count() == 1


def test_status_json_follows_the_job(client, reviewer, accepted, open_period):
    client.force_login(reviewer)
    client.post(reverse("reports:consolidated_request", args=[open_period.code]))  # enqueued on commit: never run
    report = ConsolidatedReport.objects.get(period=open_period)
    queued = client.get(action("status", report)).json()
    assert queued == {"status": "queued", "label": "Đang chờ tổng hợp", "finished": False, "attempts": 0, "error": ""}
    consolidation_compile(report_id=report.pk)
    assert client.get(action("status", report)).json()["status"] == "ready"
    assert client.get(action("status", report)).json()["finished"] is True


def test_queued_page_polls_the_status_endpoint(client, reviewer, accepted, open_period):
    client.force_login(reviewer)
    client.post(reverse("reports:consolidated_request", args=[open_period.code]))
    report = ConsolidatedReport.objects.get(period=open_period)
    page = client.get(detail_url(report)).content.decode()
    assert f'data-status-url="{action("status", report)}"' in page
    assert "js/job_progress.js" in page
    assert "<script>" not in page  # the Content-Security-Policy refuses inline scripts


def test_a_failed_compile_shows_the_reason_and_the_retry_compiles_again(
    client, reviewer, accepted, open_period, monkeypatch, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    with monkeypatch.context() as patched:
        patched.setattr("reports.services.consolidation.gather", lambda period: 1 / 0)
        request_compile(client, open_period, django_capture_on_commit_callbacks)
    failed = ConsolidatedReport.objects.get(period=open_period)
    assert failed.status == Status.FAILED
    page = client.get(detail_url(failed)).content.decode()
    assert "ZeroDivisionError" in page
    assert "Thử lại" in page
    response = request_compile(client, open_period, django_capture_on_commit_callbacks)
    retried = ConsolidatedReport.objects.exclude(status=Status.SUPERSEDED).get(period=open_period)
    assert response["Location"] == detail_url(retried)
    assert (retried.version, retried.status) == (2, Status.READY)


@pytest.mark.usefixtures("stored_rendering")  # reads the files the job stored
def test_office_sees_which_units_are_missing_and_leadership_does_not(
    client, reviewer, leader, accepted, open_period, django_capture_on_commit_callbacks
):
    UnitFactory(code="MUON", name="Phòng Nộp Muộn")
    client.force_login(reviewer)
    request_compile(client, open_period, django_capture_on_commit_callbacks)
    report = ConsolidatedReport.objects.get(period=open_period)
    office_page = client.get(detail_url(report)).content.decode()
    assert 'data-testid="office-only"' in office_page
    assert "Phòng Nộp Muộn" in office_page
    assert "Phòng Nộp Muộn" not in pdf_text(download(client, "pdf", report))
    client.force_login(leader)
    assert "Phòng Nộp Muộn" not in client.get(detail_url(report)).content.decode()


def test_a_recompile_carries_the_edits_forward_with_a_warning(
    client, reviewer, ready, open_period, django_capture_on_commit_callbacks
):
    client.force_login(reviewer)
    client.post(action("edit", ready), {"section-causes": "Nguyên nhân do văn phòng viết."})
    request_compile(client, open_period, django_capture_on_commit_callbacks)
    newer = ConsolidatedReport.objects.get(period=open_period, version=2)
    page = client.get(detail_url(newer)).content.decode()
    assert 'data-testid="carried-forward"' in page
    assert "Nguyên nhân do văn phòng viết." in page


def test_compile_is_refused_to_leadership_and_unknown_to_units(client, leader, staff, accepted, open_period):
    url = reverse("reports:consolidated_request", args=[open_period.code])
    client.force_login(leader)
    assert client.post(url).status_code == 403
    client.force_login(staff)
    assert client.post(url).status_code == 404
    assert not ConsolidatedReport.objects.exists()


# --- Editing, approval, return ---------------------------------------------------------------------------


def test_office_edits_a_section_and_the_version_is_in_the_history(client, reviewer, ready):
    client.force_login(reviewer)
    response = client.post(action("edit", ready), {"section-causes": "Do khối lượng công việc lớn."})
    assert response.status_code == 302
    ready.refresh_from_db()
    causes = next(item for item in ready.sections["items"] if item["key"] == "causes")
    assert causes["text"] == "Do khối lượng công việc lớn."
    edit = ConsolidatedTransition.objects.get(report=ready, action="edit")
    assert edit.actor == reviewer
    assert "Chỉnh sửa nội dung" in client.get(detail_url(ready)).content.decode()


def test_saving_leaves_the_sections_the_person_did_not_touch(client, reviewer, ready):
    """A section someone else changed since this page loaded is not overwritten by the stale copy."""
    from reports.consolidated_forms import text_digest

    items = {item["key"]: item["text"] for item in ready.sections["items"]}
    consolidation.consolidation_edit(report=ready, actor=reviewer, texts={"direction": "Bản của người khác."})
    client.force_login(reviewer)
    client.post(
        action("edit", ready),
        {
            "section-direction": items["direction"],
            "orig-direction": text_digest(items["direction"]),
            "section-causes": "Nguyên nhân mới.",
            "orig-causes": text_digest(items["causes"]),
        },
    )
    ready.refresh_from_db()
    texts = {item["key"]: item["text"] for item in ready.sections["items"]}
    assert texts["direction"] == "Bản của người khác."
    assert texts["causes"] == "Nguyên nhân mới."


def test_leadership_cannot_edit_the_sections(client, leader, ready):
    client.force_login(leader)
    before = ready.sections
    assert client.post(action("edit", ready), {"section-causes": "Sửa."}).status_code == 403
    ready.refresh_from_db()
    assert ready.sections == before


def test_office_sends_for_approval(client, reviewer, ready):
    client.force_login(reviewer)
    client.post(action("send", ready))
    ready.refresh_from_db()
    assert ready.status == Status.PENDING_APPROVAL


def test_sending_twice_answers_as_the_first_did_and_sends_once(client, reviewer, pending):
    # The same person's resend of moments ago (tests/workflow/test_repeated_post.py has the rest).
    client.force_login(reviewer)
    response = client.post(action("send", pending), follow=True)
    assert messages_of(response) == ["Đã trình lãnh đạo duyệt báo cáo tổng hợp."]
    assert pending.transitions.filter(action="send_for_approval").count() == 1


def test_sending_saves_the_sections_edited_but_not_saved_first(client, reviewer, ready):
    """The page's script sends unsaved edits along with "Trình lãnh đạo duyệt": they are saved, then sent."""
    from reports.consolidated_forms import text_digest

    causes = next(item["text"] for item in ready.sections["items"] if item["key"] == "causes")
    client.force_login(reviewer)
    response = client.post(
        action("send", ready),
        {"section-causes": "Nguyên nhân chưa kịp lưu.", "orig-causes": text_digest(causes)},
        follow=True,
    )
    assert "Đã lưu các mục vừa sửa và trình lãnh đạo duyệt báo cáo tổng hợp." in messages_of(response)
    ready.refresh_from_db()
    assert ready.status == Status.PENDING_APPROVAL
    assert next(item["text"] for item in ready.sections["items"] if item["key"] == "causes") == (
        "Nguyên nhân chưa kịp lưu."
    )
    assert list(ready.transitions.values_list("action", flat=True))[-2:] == ["edit", "send_for_approval"]


def test_sending_with_edits_to_a_report_already_sent_changes_nothing(client, reviewer, pending):
    from reports.consolidated_forms import text_digest

    before = pending.sections
    causes = next(item["text"] for item in before["items"] if item["key"] == "causes")
    client.force_login(reviewer)
    response = client.post(
        action("send", pending), {"section-causes": "Sửa muộn.", "orig-causes": text_digest(causes)}, follow=True
    )
    assert any("không ở trạng thái phù hợp" in message for message in messages_of(response))
    pending.refresh_from_db()
    assert pending.sections == before
    assert not pending.transitions.filter(action="edit").exists()


def test_the_send_form_carries_unsaved_sections_through_a_script(client, reviewer, ready):
    client.force_login(reviewer)
    page = client.get(detail_url(ready)).content.decode()
    assert 'id="consolidated-sections"' in page
    assert 'data-sends-sections="consolidated-sections"' in page
    assert "js/consolidated_sections.js" in page


def test_leadership_returns_with_a_comment_and_an_empty_comment_is_refused(client, leader, pending):
    client.force_login(leader)
    response = client.post(action("return", pending), {"comment": "  "}, follow=True)
    assert "Vui lòng ghi ý kiến khi trả lại báo cáo tổng hợp." in messages_of(response)
    pending.refresh_from_db()
    assert pending.status == Status.PENDING_APPROVAL
    client.post(action("return", pending), {"comment": "Bổ sung số liệu giải ngân."})
    pending.refresh_from_db()
    assert pending.status == Status.RETURNED
    assert "Bổ sung số liệu giải ngân." in client.get(detail_url(pending)).content.decode()


def test_returned_report_is_edited_and_sent_again(client, reviewer, leader, pending):
    consolidation.consolidation_return(report=pending, actor=leader, comment="Bổ sung.")
    client.force_login(reviewer)
    client.post(action("edit", pending), {"section-causes": "Đã bổ sung."})
    client.post(action("send", pending))
    pending.refresh_from_db()
    assert pending.status == Status.PENDING_APPROVAL
    assert pending.transitions.filter(action="send_for_approval").count() == 2


def test_office_cannot_approve(client, reviewer, pending):
    client.force_login(reviewer)
    assert client.post(action("approve", pending)).status_code == 403
    pending.refresh_from_db()
    assert pending.status == Status.PENDING_APPROVAL


@pytest.mark.usefixtures("stored_rendering")
def test_a_deputy_approves_and_signs_on_behalf_of_the_director(
    client, deputy, pending, django_capture_on_commit_callbacks
):
    client.force_login(deputy)
    with django_capture_on_commit_callbacks(execute=True):  # the approval's files, made by the job
        client.post(action("approve", pending))
    pending.refresh_from_db()
    assert pending.status == Status.APPROVED
    text = pdf_text(download(client, "pdf", pending))
    assert "KT. GIÁM ĐỐC" in text
    assert "PHÓ GIÁM ĐỐC" in text
    assert "Lê Thị Hồng Nhung" in text


# --- Issue and sending -----------------------------------------------------------------------------------


@pytest.mark.usefixtures("stored_rendering")
def test_issue_with_the_portal_register_gives_number_01(client, reviewer, approved, django_capture_on_commit_callbacks):
    client.force_login(reviewer)
    with django_capture_on_commit_callbacks(execute=True):  # the issued report's final files, made by the job
        client.post(action("issue_register", approved), {"issued_on": TODAY})
    approved.refresh_from_db()
    assert approved.status == Status.ISSUED
    assert approved.register_entry.number == 1
    text = pdf_text(download(client, "pdf", approved))
    assert "Số: 01/BC-SKHCN" in text
    assert "DỰ THẢO" not in text


def test_issue_with_the_clerks_number_keeps_the_signed_pdf_as_the_report(client, reviewer, approved):
    client.force_login(reviewer)
    upload = SimpleUploadedFile("Báo cáo đã ký.pdf", SIGNED_PDF, content_type="application/pdf")
    client.post(action("issue_clerk", approved), {"number": "7", "issued_on": TODAY, "signed_pdf": upload})
    approved.refresh_from_db()
    assert approved.status == Status.ISSUED
    assert (approved.register_entry.number, approved.register_entry.source) == (7, OutgoingDocument.Source.CLERK)
    assert download(client, "pdf", approved) == SIGNED_PDF


def test_a_clerks_number_already_in_the_register_is_refused(client, reviewer, approved):
    year = timezone.localdate().year
    OutgoingDocument.objects.create(
        year=year,
        issuer_code="SKHCN",
        type_code="BC",
        number=7,
        issued_on=timezone.localdate(),
        summary="Báo cáo khác",
        source=OutgoingDocument.Source.CLERK,
        recorded_by=reviewer,
    )
    client.force_login(reviewer)
    upload = SimpleUploadedFile("ban-ky.pdf", SIGNED_PDF, content_type="application/pdf")
    response = client.post(
        action("issue_clerk", approved), {"number": "7", "issued_on": TODAY, "signed_pdf": upload}, follow=True
    )
    assert f"Số 07/BC-SKHCN năm {year} đã có trong sổ đăng ký văn bản đi." in messages_of(response)
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED
    assert not approved.signed_pdf


def test_the_signed_copy_must_be_a_pdf(client, reviewer, approved):
    client.force_login(reviewer)
    upload = SimpleUploadedFile("ban-ky.pdf", b"PK\x03\x04 not a pdf", content_type="application/pdf")
    response = client.post(
        action("issue_clerk", approved), {"number": "7", "issued_on": TODAY, "signed_pdf": upload}, follow=True
    )
    assert "Nội dung tệp không khớp với phần mở rộng .pdf." in messages_of(response)
    approved.refresh_from_db()
    assert approved.status == Status.APPROVED


def test_an_issue_date_must_be_typed_as_dd_mm_yyyy(client, reviewer, approved):
    client.force_login(reviewer)
    response = client.post(action("issue_register", approved), {"issued_on": "2026-12-05"}, follow=True)
    assert any("dd/mm/yyyy" in message for message in messages_of(response))
    assert not OutgoingDocument.objects.exists()


# --- Dates that fit the record ------------------------------------------------------------------------------


def issue_state(report):
    """What a refused issue must leave as it was: the report, its history, the register and its counters."""
    return (
        ConsolidatedReport.objects.filter(pk=report.pk).values("status", "register_entry", "signed_pdf").get(),
        report.transitions.count(),
        list(OutgoingDocument.objects.values()),
        list(RegisterCounter.objects.values()),
    )


def days_ago(days):
    return timezone.localdate() - datetime.timedelta(days=days)


def test_an_issue_date_before_the_approval_is_refused_on_the_form_and_changes_nothing(client, reviewer, approved):
    before = issue_state(approved)
    earlier = days_ago(10).strftime("%d/%m/%Y")
    client.force_login(reviewer)
    response = client.post(action("issue_register", approved), {"issued_on": earlier})
    assert response.status_code == 400
    message = f"Ngày ban hành ({earlier}) trước ngày lãnh đạo duyệt báo cáo trên Cổng ({TODAY}). {CONFIRM_HINT}"
    assert response.context["issue_forms"]["register"].errors["issued_on"] == [message]
    page = response.content.decode()
    assert message in page
    assert f'value="{earlier}"' in page  # what was typed is kept
    assert issue_state(approved) == before


def test_a_confirmation_needs_its_reason(client, reviewer, approved):
    before = issue_state(approved)
    client.force_login(reviewer)
    response = client.post(
        action("issue_register", approved),
        {"issued_on": days_ago(10).strftime("%d/%m/%Y"), "confirm_dates": "on", "confirm_reason": "  "},
    )
    assert response.status_code == 400
    assert response.context["issue_forms"]["register"].errors["confirm_reason"] == [
        "Vui lòng ghi lý do khi xác nhận ngày, số như văn bản đã ký."
    ]
    assert issue_state(approved) == before


def test_the_office_confirms_a_paper_signed_before_the_approval_and_the_history_keeps_why(client, reviewer, approved):
    reason = "Giám đốc đã ký bản giấy trước khi duyệt trên Cổng."
    client.force_login(reviewer)
    response = client.post(
        action("issue_register", approved),
        {"issued_on": days_ago(10).strftime("%d/%m/%Y"), "confirm_dates": "on", "confirm_reason": reason},
    )
    assert response.status_code == 302
    approved.refresh_from_db()
    assert approved.status == Status.ISSUED
    assert approved.register_entry.issued_on == days_ago(10)
    assert not approved.register_entry.out_of_order  # the first number of its register: in order
    issue = approved.transitions.get(action="issue")
    assert issue.comment == f"{approved.register_entry}. Xác nhận ngày, số như văn bản đã ký: {reason}"
    assert reason in client.get(detail_url(approved)).content.decode()


def test_no_issue_date_after_today_even_past_the_form(reviewer, approved):
    before = issue_state(approved)
    tomorrow = timezone.localdate() + datetime.timedelta(days=1)
    with pytest.raises(Refused) as refusal:
        consolidation.consolidation_issue(report=approved, actor=reviewer, issued_on=tomorrow, confirmation="x")
    assert refusal.value.field == "issued_on"
    assert "không được sau ngày hôm nay" in refusal.value.message
    assert issue_state(approved) == before


def test_a_clerks_number_out_of_date_order_is_refused_with_every_date_problem_at_once(client, reviewer, approved):
    register_record_number(
        issuer_code="SKHCN", type_code="BC", number=1, issued_on=TODAY_DATE, summary="Báo cáo khác", actor=reviewer
    )
    before = issue_state(approved)
    earlier = days_ago(3).strftime("%d/%m/%Y")
    typed = {"number": "2", "issued_on": earlier}
    client.force_login(reviewer)
    upload = SimpleUploadedFile("ban-ky.pdf", SIGNED_PDF, content_type="application/pdf")
    response = client.post(action("issue_clerk", approved), {**typed, "signed_pdf": upload})
    assert response.status_code == 400
    [message] = response.context["issue_forms"]["clerk"].errors["issued_on"]
    assert message == (
        f"Ngày ban hành ({earlier}) trước ngày lãnh đạo duyệt báo cáo trên Cổng ({TODAY}). "
        f"Số 02/BC-SKHCN ngày {earlier} lùi ngày so với số liền trước trong sổ đăng ký văn bản đi: "
        f"01/BC-SKHCN ngày {TODAY}. {CONFIRM_HINT}"
    )
    page = response.content.decode()
    assert 'value="2"' in page
    assert f'value="{earlier}"' in page
    assert issue_state(approved) == before

    upload = SimpleUploadedFile("ban-ky.pdf", SIGNED_PDF, content_type="application/pdf")
    reason = "Văn thư cấp số trên sổ giấy trước khi Cổng ghi số 01."
    client.post(
        action("issue_clerk", approved),
        {**typed, "signed_pdf": upload, "confirm_dates": "on", "confirm_reason": reason},
    )
    approved.refresh_from_db()
    assert approved.status == Status.ISSUED
    entry = approved.register_entry
    assert (entry.number, entry.out_of_order, entry.out_of_order_reason) == (2, True, reason)
    assert reason in approved.transitions.get(action="issue").comment
    assert "Số lùi ngày" in client.get(detail_url(approved)).content.decode()


def test_office_marks_the_issued_report_sent(client, reviewer, approved):
    client.force_login(reviewer)
    client.post(action("issue_register", approved), {"issued_on": TODAY})
    client.post(action("mark_sent", approved), {"sent_on": TODAY, "channel": "Hệ thống quản lý văn bản"})
    approved.refresh_from_db()
    assert approved.sent_on == timezone.localdate()
    assert approved.sent_channel == "Hệ thống quản lý văn bản"
    assert approved.transitions.filter(action="send").count() == 1


@pytest.mark.usefixtures("stored_rendering")  # reads the files the job stored
def test_the_docx_and_xlsx_hold_the_report(client, reviewer, ready):
    client.force_login(reviewer)
    word = WordDocument(BytesIO(download(client, "docx", ready)))
    assert "I. CÔNG TÁC CHỈ ĐẠO, TỔ CHỨC TRIỂN KHAI" in [paragraph.text for paragraph in word.paragraphs]
    workbook = load_workbook(BytesIO(download(client, "xlsx", ready)))
    cells = [cell.value for sheet in workbook.worksheets for row in sheet.iter_rows() for cell in row]
    assert "Phòng Quản lý khoa học" in cells


def test_a_report_still_compiling_has_no_documents(client, reviewer, accepted, open_period):
    client.force_login(reviewer)
    client.post(reverse("reports:consolidated_request", args=[open_period.code]))
    report = ConsolidatedReport.objects.get(period=open_period)
    assert client.get(action("pdf", report)).status_code == 404


# --- The unit report's own documents ---------------------------------------------------------------------


@pytest.mark.usefixtures("stored_rendering")
def test_unit_staff_download_their_own_report_as_pdf_and_docx(
    client, staff, accepted, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):  # the render accepting queued, run after its commit
        stored.RENDER_JOB.enqueue_on_commit(stored.request_current(accepted).pk)
    client.force_login(staff)
    pdf = client.get(reverse("reports:unit_pdf", args=[accepted.pk]))
    assert pdf["Content-Type"] == "application/pdf"
    assert "PHÒNG QUẢN LÝ KHOA HỌC" in pdf_text(b"".join(pdf.streaming_content))
    docx = client.get(reverse("reports:unit_docx", args=[accepted.pk]))
    assert WordDocument(BytesIO(b"".join(docx.streaming_content))).paragraphs
    assert reverse("reports:unit_pdf", args=[accepted.pk]) in client.get(accepted.get_absolute_url()).content.decode()


def test_another_units_staff_cannot_download_the_report(client, other_staff, accepted):
    client.force_login(other_staff)
    assert client.get(reverse("reports:unit_pdf", args=[accepted.pk])).status_code == 404
    assert client.get(reverse("reports:unit_docx", args=[accepted.pk])).status_code == 404


# --- The list ------------------------------------------------------------------------------------------

# The session, the user and their unit, their groups, the menu's unread count, the session saved again
# (7, as on every page); +15: the waiting list behind the menu's counts (overview/waiting.py); then the campaign, the
# periods with their accepted counts, the live
# reports.
LIST_QUERIES = PAGE + WAITING_OFFICE + 3


def list_queries(client):
    with CaptureQueriesContext(connection) as context:
        response = client.get(reverse("reports:consolidated_list"))
    assert response.status_code == 200
    return len(context.captured_queries)


def test_list_queries_do_not_grow_with_the_reports(client, reviewer, ready, django_capture_on_commit_callbacks):
    client.force_login(reviewer)
    assert list_queries(client) == LIST_QUERIES
    for code in ("2025-H1", "2025-FY", "2026-H1"):
        with django_capture_on_commit_callbacks(execute=True):
            consolidation_request(period=ReportingPeriod.objects.get(code=code), actor=reviewer)
    assert ConsolidatedReport.objects.count() == 4
    assert list_queries(client) == LIST_QUERIES


def test_list_shows_the_compile_button_to_the_office_only(client, reviewer, leader, ready, open_period):
    client.force_login(reviewer)
    page = client.get(reverse("reports:consolidated_list")).content.decode()
    assert reverse("reports:consolidated_request", args=["2026-H1"]) in page
    assert "Dự thảo" in page
    client.force_login(leader)
    page = client.get(reverse("reports:consolidated_list")).content.decode()
    assert "Tổng hợp báo cáo" not in page
    assert detail_url(ready) in page
