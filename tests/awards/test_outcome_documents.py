"""Decisions and proposals: what they gather, how they read (PDF and DOCX), issue, sending and the higher answer."""

# Fixtures imported from the support modules are redefined as test parameters: that is how pytest uses them.
# ruff: noqa: F811
import hashlib
import zipfile
from io import BytesIO

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.errors import AwardError, InvalidTransition, NotAllowed
from awards.models import AwardDocument, AwardRecord, AwardRule, Nomination
from awards.services import outcomes
from documents.models import OutgoingDocument
from documents.register import register_next_number
from notifications.models import Notification
from tests.awards.render_once import _each_document_rendered_once, award_renders_left_queued  # noqa: F401 — fixture
from tests.awards.test_outcomes_support import (  # noqa: F401 — fixtures
    add_dossier_file,
    approved,
    deputy,
    docx_text,
    held_meeting,
    pdf_text,
    private_files,
    read,
)
from workflow.errors import Refused

Status = Nomination.Status
pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _award_rules_off(plan):
    """These tests are about the documents; the award rules checked again when a document is drafted have their own
    tests (tests/awards/test_rules_override.py), so the nominees here need no record."""
    AwardRule.objects.update(is_active=False)


@pytest.fixture
def outcomes_ready(
    annual_round, forms, own_unit, other_unit, person, other_person, leader, held_meeting, private_files
):
    """Approved nominations: two of forms the Department confers, one conferred above (UBND tỉnh)."""
    return {
        "ldtt": approved(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person, leader=leader),
        "giay_khen": approved(annual_round, forms["giay-khen-giam-doc-so"], unit=other_unit, leader=leader),
        "upward": approved(
            annual_round, forms["tap-the-lao-dong-xuat-sac"], unit=own_unit, leader=leader, meeting=held_meeting
        ),
        "upward_person": approved(
            annual_round,
            forms["chien-si-thi-dua-cap-tinh"],
            unit=other_unit,
            person=other_person,
            leader=leader,
            meeting=held_meeting,
        ),
    }


@pytest.fixture
def decisions(outcomes_ready, annual_round, reviewer, django_capture_on_commit_callbacks):
    """The two drafts: the annual titles' decision (Lao động tiên tiến), then the campaign's (Giấy khen)."""
    with django_capture_on_commit_callbacks(execute=True):
        created = outcomes.decisions_create(award_round=annual_round, actor=reviewer)
    for document in created:
        document.refresh_from_db()
    return created


@pytest.fixture
def decision(decisions):
    """The annual titles' decision."""
    return decisions[0]


@pytest.fixture
def campaign_decision(decisions):
    return decisions[1]


def issue(document, reviewer, signer, django_capture_on_commit_callbacks, **kwargs):
    with django_capture_on_commit_callbacks(execute=True):
        outcomes.document_issue(
            document=document,
            actor=reviewer,
            signer=signer,
            issued_on=kwargs.pop("issued_on", timezone.localdate()),
            **kwargs,
        )
    document.refresh_from_db()
    return document


def test_decisions_gather_the_departments_approved_nominations_titles_apart(decisions, outcomes_ready):
    assert [document.kind for document in decisions] == [AwardDocument.Kind.DECISION] * 2
    assert {document.render_status for document in decisions} == {AwardDocument.RenderStatus.READY}
    assert [set(document.decided_nominations.values_list("pk", flat=True)) for document in decisions] == [
        {outcomes_ready["ldtt"].pk},
        {outcomes_ready["giay_khen"].pk},
    ]
    assert decisions[0].summary.startswith("Về việc công nhận danh hiệu thi đua")
    assert decisions[1].summary.startswith("Về việc khen thưởng")


def test_a_second_decision_finds_nothing_left(decisions, annual_round, reviewer):
    with pytest.raises(AwardError, match="không còn đề nghị"):
        outcomes.decisions_create(award_round=annual_round, actor=reviewer)
    assert AwardDocument.objects.filter(kind="decision").count() == 2


def test_only_the_office_drafts_a_decision(outcomes_ready, annual_round, leader, head):
    for actor in (leader, head):
        with pytest.raises(NotAllowed):
            outcomes.decisions_create(award_round=annual_round, actor=actor)
    assert not AwardDocument.objects.exists()


def test_draft_decision_pdf_reads_as_a_decision_with_its_annex(decisions, person, other_unit):
    titles, campaign = (pdf_text(read(document.pdf)) for document in decisions)
    for text in (titles, campaign):
        assert "QUYẾT ĐỊNH" in text
        assert "DỰ THẢO" in text
        assert "GIÁM ĐỐC SỞ KHOA HỌC VÀ CÔNG NGHỆ" in text
        assert "Căn cứ Luật Thi đua, khen thưởng ngày 15 tháng 6 năm 2022;" in text
        assert "Căn cứ Nghị định số 152/2025/NĐ-CP ngày 14 tháng 6 năm 2025 của Chính phủ" in text
        assert "- Lưu: VT, HCTH." in text
        assert "DANH SÁCH" in text
        assert "Kèm theo Quyết định số …/QĐ-SKHCN" in text
    assert "Điều 1. Công nhận danh hiệu “Lao động tiên tiến” năm" in titles
    assert "cho 01 cá nhân có tên trong danh sách kèm theo Quyết định này." in titles
    assert person.full_name in titles
    assert "Điều 1. Tặng Giấy khen của Giám đốc Sở Khoa học và Công nghệ cho 01 tập thể đã có thành tích" in campaign
    assert other_unit.name in campaign


def test_issued_decision_has_its_number_confers_and_writes_the_register(
    decision, outcomes_ready, reviewer, leader, head, django_capture_on_commit_callbacks
):
    issue(decision, reviewer, leader, django_capture_on_commit_callbacks)
    assert decision.status == AwardDocument.Status.ISSUED
    assert decision.render_status == AwardDocument.RenderStatus.READY
    text = pdf_text(read(decision.pdf))
    assert "Số: 01/QĐ-SKHCN" in text
    assert "DỰ THẢO" not in text
    assert "Nguyễn Văn Giám Đốc" in text
    assert f"Kèm theo Quyết định số 01/QĐ-SKHCN ngày {timezone.localdate():%d/%m/%Y}" in text
    outcomes_ready["ldtt"].refresh_from_db()
    assert outcomes_ready["ldtt"].status == Status.CONFERRED
    outcomes_ready["giay_khen"].refresh_from_db()
    assert outcomes_ready["giay_khen"].status == Status.APPROVED  # in the campaign's decision, still a draft
    record = AwardRecord.objects.get(nomination=outcomes_ready["ldtt"])
    assert record.decision_number == "01/QĐ-SKHCN"
    assert record.source == AwardRecord.Source.DEPARTMENT
    assert record.year == decision.round.year
    assert record.recipient_name == outcomes_ready["ldtt"].nominee_name
    assert Notification.objects.filter(recipient=head, message__contains="01/QĐ-SKHCN").exists()
    assert outcomes_ready["upward"].__class__.objects.get(pk=outcomes_ready["upward"].pk).status == Status.APPROVED


def test_an_issued_decisions_page_shows_the_sha256_of_each_stored_file(
    client, decision, reviewer, leader, django_capture_on_commit_callbacks
):
    issue(decision, reviewer, leader, django_capture_on_commit_callbacks)
    digests = {field: hashlib.sha256(read(getattr(decision, field))).hexdigest() for field in ("pdf", "docx")}
    assert {field: decision.file_sha256[field] for field in digests} == digests
    client.force_login(reviewer)
    page = client.get(reverse("awards:document_detail", args=[decision.pk])).content.decode()
    for digest in digests.values():
        assert digest in page


def test_issued_decision_docx_opens_with_the_same_names(
    decision, reviewer, leader, person, django_capture_on_commit_callbacks
):
    issue(decision, reviewer, leader, django_capture_on_commit_callbacks)
    text = docx_text(read(decision.docx))
    assert "QUYẾT ĐỊNH" in text
    assert "Số: 01/QĐ-SKHCN" in text
    assert person.full_name in text


def test_certificates_one_page_per_recipient(
    decision, campaign_decision, reviewer, leader, person, other_unit, annual_round, django_capture_on_commit_callbacks
):
    from pypdf import PdfReader

    assert not decision.certificates  # a draft has none
    issue(decision, reviewer, leader, django_capture_on_commit_callbacks)
    issue(campaign_decision, reviewer, leader, django_capture_on_commit_callbacks)
    titles, campaign = read(decision.certificates), read(campaign_decision.certificates)
    text = pdf_text(titles)
    assert "GIẤY CHỨNG NHẬN" in text
    assert person.full_name in text
    assert f"Đạt danh hiệu “Lao động tiên tiến” năm {annual_round.year}" in text
    assert "Phong trào" not in text  # an annual title is no achievement of the campaign
    assert "Theo Quyết định số 01/QĐ-SKHCN" in text
    text = pdf_text(campaign)
    assert "GIẤY KHEN" in text
    assert other_unit.name in text
    assert "Theo Quyết định số 02/QĐ-SKHCN" in text
    for content in (titles, campaign):
        pages = PdfReader(BytesIO(content)).pages
        assert len(pages) == 1
        assert pages[0].mediabox.width > pages[0].mediabox.height  # landscape


def test_a_deputy_signs_on_behalf_of_the_director(decision, reviewer, deputy, django_capture_on_commit_callbacks):
    issue(decision, reviewer, deputy, django_capture_on_commit_callbacks)
    assert decision.signer_is_deputy
    text = pdf_text(read(decision.pdf))
    assert "KT. GIÁM ĐỐC" in text
    assert "PHÓ GIÁM ĐỐC" in text
    assert "Trần Văn Phó" in text


@pytest.fixture
def unrendered():
    """A test about the register reads no file: the documents' renders stay queued."""
    with award_renders_left_queued():
        yield


def test_register_is_shared_and_sequential_per_year_and_type(
    unrendered, outcomes_ready, annual_round, forms, own_unit, reviewer, leader, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = outcomes.decisions_create(award_round=annual_round, actor=reviewer)
    for document in first:
        issue(document, reviewer, leader, django_capture_on_commit_callbacks)
    report = register_next_number(issuer_code="SKHCN", type_code="BC", summary="Báo cáo", actor=reviewer)
    assert report.number == 1  # another type: its own sequence
    approved(annual_round, forms["tap-the-lao-dong-tien-tien"], unit=own_unit, leader=leader)
    with django_capture_on_commit_callbacks(execute=True):
        (second,) = outcomes.decisions_create(award_round=annual_round, actor=reviewer)
    issue(second, reviewer, leader, django_capture_on_commit_callbacks)
    assert second.register_entry.number == 3
    assert list(
        OutgoingDocument.objects.filter(type_code="QĐ").order_by("number").values_list("number", flat=True)
    ) == [1, 2, 3]


def test_clerks_number_taken_twice_is_refused_and_nothing_changes(
    decision, outcomes_ready, reviewer, leader, django_capture_on_commit_callbacks
):
    register_next_number(issuer_code="SKHCN", type_code="QĐ", summary="Khác", actor=reviewer)
    signed = _signed_pdf()
    with pytest.raises(Refused, match="đã có trong sổ"):
        outcomes.document_issue(
            document=decision,
            actor=reviewer,
            signer=leader,
            issued_on=timezone.localdate(),
            number=1,
            signed_pdf=signed,
        )
    decision.refresh_from_db()
    assert decision.status == AwardDocument.Status.DRAFT
    outcomes_ready["ldtt"].refresh_from_db()
    assert outcomes_ready["ldtt"].status == Status.APPROVED
    assert not AwardRecord.objects.exists()


def test_clerks_number_with_signed_pdf(decision, reviewer, leader, django_capture_on_commit_callbacks):
    issue(decision, reviewer, leader, django_capture_on_commit_callbacks, number=7, signed_pdf=_signed_pdf())
    assert decision.register_entry.number == 7
    assert decision.register_entry.source == OutgoingDocument.Source.CLERK
    assert read(decision.signed_pdf).startswith(b"%PDF")
    assert "Số: 07/QĐ-SKHCN" in pdf_text(read(decision.pdf))


def test_issue_refusals(decision, reviewer, leader, head, django_capture_on_commit_callbacks):
    with pytest.raises(NotAllowed):
        outcomes.document_issue(document=decision, actor=leader, signer=leader, issued_on=timezone.localdate())
    with pytest.raises(AwardError, match="lãnh đạo"):
        outcomes.document_issue(document=decision, actor=reviewer, signer=head, issued_on=timezone.localdate())
    issue(decision, reviewer, leader, django_capture_on_commit_callbacks)
    with pytest.raises(InvalidTransition):
        outcomes.document_issue(document=decision, actor=reviewer, signer=leader, issued_on=timezone.localdate())
    assert OutgoingDocument.objects.count() == 1


def _signed_pdf():
    from django.core.files.uploadedfile import SimpleUploadedFile

    return SimpleUploadedFile(
        "ban-da-ky.pdf",
        b"%PDF-1.4\n%signed\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\nstartxref\n0\n%%EOF\n",
        content_type="application/pdf",
    )


# --- proposals ------------------------------------------------------------------------------------------


@pytest.fixture
def proposal(outcomes_ready, annual_round, reviewer, django_capture_on_commit_callbacks):
    add_dossier_file(outcomes_ready["upward"], "Báo cáo thành tích.pdf")
    add_dossier_file(outcomes_ready["upward"], "Biên bản bình xét.pdf", part="bien-ban-binh-xet")
    add_dossier_file(outcomes_ready["upward_person"], "Báo cáo thành tích.pdf")
    with django_capture_on_commit_callbacks(execute=True):
        created = outcomes.proposal_create(award_round=annual_round, actor=reviewer)
    assert len(created) == 1  # both forms go to UBND tỉnh (qua Sở Nội vụ)
    document = created[0]
    document.refresh_from_db()
    return document


def test_proposal_reads_as_a_toTrinh_to_its_recipient(proposal, own_unit, other_person):
    # The Chairman confers these titles: the proposal is addressed to him, through the Department of Home Affairs.
    assert proposal.recipient == "Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)"
    text = pdf_text(read(proposal.pdf))
    assert "TỜ TRÌNH" in text
    assert "Kính gửi: Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)." in text
    assert "Về việc đề nghị tặng danh hiệu thi đua năm" in text  # annual titles: no campaign named
    assert "Kèm theo Tờ trình số …/TTr-SKHCN" in text
    assert own_unit.name in text
    assert other_person.full_name in text
    assert "5/5" in text  # agree votes over all council members


def test_proposal_bundle_holds_the_dossiers_and_the_proposal(proposal, outcomes_ready):
    with zipfile.ZipFile(BytesIO(read(proposal.bundle))) as archive:
        names = archive.namelist()
        pdfs = [name for name in names if "/" not in name]
        assert len(pdfs) == 1
        assert archive.read(pdfs[0]).startswith(b"%PDF")
        folders = {name.split("/")[0] for name in names if "/" in name}
        assert len(folders) == 2
        upward_folder = next(folder for folder in folders if outcomes_ready["upward"].nominee_name in folder)
        assert f"{upward_folder}/Báo cáo thành tích.pdf" in names
        assert f"{upward_folder}/Biên bản bình xét.pdf" in names
        assert (
            archive.read(f"{upward_folder}/Báo cáo thành tích.pdf")
            == b"%PDF-1.4\n%test\n1 0 obj <</Type /Catalog>> endobj\ntrailer <</Root 1 0 R>>\nstartxref\n0\n%%EOF\n"
        )


def test_proposals_are_one_per_recipient(
    outcomes_ready, annual_round, forms, own_unit, reviewer, leader, private_files
):
    from awards.models import RoundForm

    RoundForm.objects.create(round=annual_round, form=forms["bang-khen-bo-nganh-trung-uong"])
    approved(annual_round, forms["bang-khen-bo-nganh-trung-uong"], unit=own_unit, leader=leader)
    created = outcomes.proposal_create(award_round=annual_round, actor=reviewer)
    assert sorted(document.recipient for document in created) == [
        "Bộ Khoa học và Công nghệ",
        "Chủ tịch Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)",
    ]


def test_sending_a_proposal_forwards_and_the_answer_confers_or_refuses(
    proposal, outcomes_ready, reviewer, leader, head, django_capture_on_commit_callbacks
):
    issue(proposal, reviewer, leader, django_capture_on_commit_callbacks)
    assert "Số: 01/TTr-SKHCN" in pdf_text(read(proposal.pdf))
    outcomes.document_mark_sent(
        document=proposal, actor=reviewer, sent_on=timezone.localdate(), channel="Hệ thống văn bản"
    )
    upward, upward_person = outcomes_ready["upward"], outcomes_ready["upward_person"]
    for nomination in (upward, upward_person):
        nomination.refresh_from_db()
        assert nomination.status == Status.FORWARDED
    assert Notification.objects.filter(recipient=head, message__contains="đã trình").exists()

    with pytest.raises(AwardError, match="từng đề nghị"):
        outcomes.higher_result_record(
            document=proposal,
            actor=reviewer,
            decision_number="1234/QĐ-UBND",
            decision_date=timezone.localdate(),
            results={upward.pk: "conferred"},
        )
    upward.refresh_from_db()
    assert upward.status == Status.FORWARDED

    outcomes.higher_result_record(
        document=proposal,
        actor=reviewer,
        decision_number="1234/QĐ-UBND",
        decision_date=timezone.localdate(),
        results={upward.pk: "conferred", upward_person.pk: "refused"},
    )
    proposal.refresh_from_db()
    assert proposal.status == AwardDocument.Status.ANSWERED
    upward.refresh_from_db()
    upward_person.refresh_from_db()
    assert (upward.status, upward_person.status) == (Status.CONFERRED, Status.REFUSED_ABOVE)
    record = AwardRecord.objects.get(nomination=upward)
    assert (record.source, record.decision_number) == (AwardRecord.Source.HIGHER, "1234/QĐ-UBND")
    assert record.conferring_authority == upward.form.conferring_authority
    assert not AwardRecord.objects.filter(nomination=upward_person).exists()


def test_answer_before_sending_is_refused(proposal, reviewer):
    with pytest.raises(InvalidTransition):
        outcomes.higher_result_record(
            document=proposal,
            actor=reviewer,
            decision_number="1/QĐ-UBND",
            decision_date=timezone.localdate(),
            results={},
        )


def test_mark_sent_needs_an_issued_document_and_a_channel(
    decision, reviewer, leader, django_capture_on_commit_callbacks
):
    with pytest.raises(InvalidTransition):
        outcomes.document_mark_sent(document=decision, actor=reviewer, sent_on=timezone.localdate(), channel="Thư")
    issue(decision, reviewer, leader, django_capture_on_commit_callbacks)
    with pytest.raises(AwardError, match="hình thức gửi"):
        outcomes.document_mark_sent(document=decision, actor=reviewer, sent_on=timezone.localdate(), channel=" ")
    decision.refresh_from_db()
    assert decision.status == AwardDocument.Status.ISSUED
