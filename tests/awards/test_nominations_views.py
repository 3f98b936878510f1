"""Nomination pages: who sees what (404 for other units' nominations), who may act (403), refusals keep input,
uploads refused with Vietnamese messages, downloads for whoever may see the nomination, pinned query counts."""

# The shared fixtures are imported from test_nominations_fixtures; tests name them as parameters.
# ruff: noqa: F811

from urllib.parse import quote

import pytest
from django.urls import reverse

from awards.models import DossierFile, Nomination
from awards.services import nominations as services
from tests.awards.conftest import make_meeting, make_nomination, put_on_agenda
from tests.awards.test_nominations_fixtures import (  # noqa: F401
    draft,
    make_ready,
    messages_of,
    nominate,
    pdf,
    private_root,
    ready,
    sent,
    snapshot_of_database,
)
from tests.factories import PersonFactory, UserFactory
from tests.query_budget import PAGE, WAITING_OFFICE, WAITING_UNIT
from units.models import Person


def url(name, *args):
    return reverse(f"awards:{name}", args=args)


# --- the list ------------------------------------------------------------------------------------


def test_a_unit_member_sees_open_rounds_and_only_the_units_nominations(
    client, staff, draft, annual_round, forms, other_unit, other_person
):
    make_nomination(annual_round, forms["lao-dong-tien-tien"], unit=other_unit, person=other_person)
    client.force_login(staff)
    page = client.get(url("nomination_list")).content.decode()
    assert annual_round.title in page
    assert "Lập đề nghị" in page
    assert "Nguyễn Thị Đề Cử" in page
    assert "Huỳnh Văn Đơn Vị Khác" not in page
    assert "Đề nghị các đơn vị đã gửi" not in page


def test_the_office_sees_submitted_nominations_not_drafts_with_counts_and_filters(
    client, reviewer, draft, annual_round, forms, other_unit, other_person
):
    make_nomination(annual_round, forms["lao-dong-tien-tien"], unit=other_unit, person=other_person)
    make_nomination(annual_round, forms["tap-the-lao-dong-tien-tien"], unit=other_unit, status="returned")
    client.force_login(reviewer)
    page = client.get(url("nomination_list")).content.decode()
    assert "Huỳnh Văn Đơn Vị Khác" in page
    assert "Nguyễn Thị Đề Cử" not in page
    assert "Tổng số: <strong>2</strong>" in page
    assert "Trả lại để bổ sung: <strong>1</strong>" in page
    filtered = client.get(url("nomination_list"), {"status": "returned"}).content.decode()
    assert "Huỳnh Văn Đơn Vị Khác" not in filtered
    by_form = client.get(url("nomination_list"), {"form": forms["lao-dong-tien-tien"].pk}).content.decode()
    assert "Tổng số: <strong>1</strong>" in by_form


def test_leadership_sees_the_submitted_ones_without_actions(client, leader, sent):
    client.force_login(leader)
    assert "Nguyễn Thị Đề Cử" in client.get(url("nomination_list")).content.decode()
    detail = client.get(url("nomination_detail", sent.pk)).content.decode()
    assert "Trả lại đơn vị" not in detail
    assert "Gửi đề nghị" not in detail
    assert "Sửa hồ sơ" not in detail


def test_someone_with_no_part_in_awards_gets_404_on_the_list(client, administrator):
    client.force_login(administrator)
    assert client.get(url("nomination_list")).status_code == 404


def _fill(annual_round, forms, number):
    for _unit_index in range(number):
        unit_person = PersonFactory()
        make_nomination(annual_round, forms["lao-dong-tien-tien"], unit=unit_person.unit, person=unit_person)


# After what every signed-in page costs (tests/query_budget.py). The office reviewer sits in a unit too: the unit's
# part (its count — no rows here —, the open rounds and their forms), then the office's: the counts by status, the
# page of rows, the round, form and unit filters' options. A unit member: the unit's count and page, the open rounds
# and their forms. (tests/awards/test_lists_scale.py pins them at 5 and 60 rows, over several pages.)
OFFICE_LIST_QUERIES = PAGE + WAITING_OFFICE + 8
UNIT_LIST_QUERIES = PAGE + WAITING_UNIT + 4


@pytest.mark.parametrize("number", [2, 10])
def test_the_office_list_query_count_is_fixed(client, reviewer, annual_round, forms, number, django_assert_num_queries):
    _fill(annual_round, forms, number)
    client.force_login(reviewer)
    with django_assert_num_queries(OFFICE_LIST_QUERIES):
        response = client.get(url("nomination_list"))
    assert response.content.decode().count("Trần Thị Cá Nhân") == number


@pytest.mark.parametrize("number", [2, 10])
def test_the_unit_list_query_count_is_fixed(
    client, staff, own_unit, annual_round, forms, number, django_assert_num_queries
):
    for _index in range(number):
        make_nomination(
            annual_round,
            forms["lao-dong-tien-tien"],
            unit=own_unit,
            person=PersonFactory(unit=own_unit),
            status="draft",
        )
    client.force_login(staff)
    with django_assert_num_queries(UNIT_LIST_QUERIES):
        response = client.get(url("nomination_list"))
    assert response.content.decode().count("Trần Thị Cá Nhân") == number


# --- creating ------------------------------------------------------------------------------------


def test_staff_nominates_a_new_person_in_the_browser(client, staff, annual_round, forms, own_unit):
    client.force_login(staff)
    assert client.get(url("nomination_create", annual_round.pk)).status_code == 200
    response = client.post(
        url("nomination_create", annual_round.pk),
        {
            "form": forms["lao-dong-tien-tien"].pk,
            "nominee_kind": "individual",
            "new_person_name": "Đặng Thị Mới",
            "new_person_position": "Chuyên viên",
        },
    )
    nomination = Nomination.objects.get()
    assert response.status_code == 302
    assert response.url == url("nomination_edit", nomination.pk)
    assert Person.objects.get(full_name="Đặng Thị Mới").unit == own_unit


def test_an_individual_nomination_without_a_person_keeps_the_form(client, staff, annual_round, forms):
    client.force_login(staff)
    response = client.post(
        url("nomination_create", annual_round.pk),
        {"form": forms["lao-dong-tien-tien"].pk, "nominee_kind": "individual", "new_person_position": "Kế toán"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vui lòng chọn một cá nhân của đơn vị hoặc nhập họ và tên người mới." in page
    assert 'value="Kế toán"' in page
    assert not Nomination.objects.exists()


def test_a_duplicate_in_the_browser_gets_a_vietnamese_message(client, staff, draft, annual_round, forms, person):
    client.force_login(staff)
    response = client.post(
        url("nomination_create", annual_round.pk),
        {"form": forms["lao-dong-tien-tien"].pk, "nominee_kind": "individual", "person": person.pk},
    )
    assert response.status_code == 400
    assert any("đã có đề nghị" in message for message in messages_of(response))


def test_the_office_and_leadership_cannot_nominate(client, leader, annual_round):
    client.force_login(leader)
    assert client.get(url("nomination_create", annual_round.pk)).status_code == 403


def test_a_list_in_the_browser(client, staff, annual_round, forms):
    client.force_login(staff)
    response = client.post(
        url("nomination_batch_create", annual_round.pk),
        {"form": forms["lao-dong-tien-tien"].pk, "lines": "Lê Văn Một | Chuyên viên\nLê Văn Hai | Kế toán"},
    )
    assert response.status_code == 302
    assert Nomination.objects.values("batch").distinct().count() == 1
    assert Nomination.objects.count() == 2


def test_a_bad_list_keeps_the_lines(client, staff, annual_round, forms):
    client.force_login(staff)
    response = client.post(
        url("nomination_batch_create", annual_round.pk),
        {"form": forms["lao-dong-tien-tien"].pk, "lines": "Lê Văn Một\n| Kế toán"},
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Dòng 2: thiếu họ và tên." in page
    assert "Lê Văn Một" in page


# --- seeing a nomination ------------------------------------------------------------------------------


def test_another_units_nomination_is_404_even_once_submitted(client, other_staff, draft, sent):
    client.force_login(other_staff)
    for name in ("nomination_detail", "nomination_edit", "nomination_history"):
        assert client.get(url(name, sent.pk)).status_code == 404


def test_the_office_does_not_see_a_draft(client, reviewer, draft):
    client.force_login(reviewer)
    assert client.get(url("nomination_detail", draft.pk)).status_code == 404


def test_the_detail_shows_the_eligibility_panel_before_submission(client, staff, draft):
    client.force_login(staff)
    page = client.get(url("nomination_detail", draft.pk)).content.decode()
    assert "Điều kiện đề nghị" in page
    assert "Chưa tải lên thành phần hồ sơ bắt buộc: Báo cáo thành tích." in page
    assert "Sửa hồ sơ" in page
    assert "Gửi đề nghị" not in page  # staff do not submit


def test_a_council_member_reads_a_dossier_on_their_agenda_without_controls(
    client, sent, council, annual_round, reviewer, other_unit
):
    meeting = make_meeting(annual_round, council, created_by=reviewer)
    put_on_agenda(meeting, sent)
    member = council[3].user  # a council member from another unit
    assert member.unit == other_unit
    client.force_login(member)
    response = client.get(url("nomination_detail", sent.pk))
    assert response.status_code == 200
    page = response.content.decode()
    for control in ("Sửa hồ sơ", "Gửi đề nghị", "Rút đề nghị", "Trả lại đơn vị", "Xóa"):
        assert control not in page
    dossier_file = DossierFile.objects.filter(nomination=sent).first()
    assert client.get(url("dossier_download", dossier_file.pk)).status_code == 200


def test_a_council_member_does_not_see_a_dossier_off_their_agenda(client, sent, council):
    client.force_login(council[3].user)
    assert client.get(url("nomination_detail", sent.pk)).status_code == 404


def test_history_lists_each_move(client, head, sent, reviewer):
    services.nomination_return(nomination=sent, actor=reviewer, reason="Thiếu chữ ký.")
    client.force_login(head)
    page = client.get(url("nomination_history", sent.pk)).content.decode()
    for text in ("Lập đề nghị", "Gửi đề nghị", "Trả lại để bổ sung", "Thiếu chữ ký."):
        assert text in page


# --- editing ------------------------------------------------------------------------------------------


def test_staff_writes_the_summary_and_links_an_accepted_report(
    client, staff, head, reviewer, draft, open_period, own_unit, levels
):
    from tests.awards.test_nominations_fixtures import accepted_report

    report = accepted_report(open_period, own_unit, staff, head, reviewer, levels)
    client.force_login(staff)
    page = client.get(url("nomination_edit", draft.pk)).content.decode()
    assert f"Báo cáo {open_period.label}" in page
    response = client.post(
        url("nomination_edit", draft.pk),
        {"revision": "0", "achievements": "Hoàn thành 100% kế hoạch.", "evidence_reports": [report.pk]},
    )
    assert response.status_code == 302
    draft.refresh_from_db()
    assert draft.achievement["achievements"] == "Hoàn thành 100% kế hoạch."
    assert list(draft.evidence_reports.all()) == [report]


def test_a_stale_edit_is_refused_and_keeps_what_was_typed(client, staff, head, draft):
    services.nomination_save(
        nomination=draft,
        actor=head,
        achievement={"achievements": "Bản của trưởng phòng"},
        evidence_reports=[],
        revision=0,
    )
    client.force_login(staff)
    response = client.post(url("nomination_edit", draft.pk), {"revision": "0", "achievements": "Bản của cán bộ"})
    assert response.status_code == 409
    assert "Bản của cán bộ" in response.content.decode()
    draft.refresh_from_db()
    assert draft.achievement["achievements"] == "Bản của trưởng phòng"


def test_a_submitted_nomination_opens_read_only(client, head, sent):
    client.force_login(head)
    response = client.get(url("nomination_edit", sent.pk))
    assert response.status_code == 302
    assert response.url == sent.get_absolute_url()


def test_the_office_may_not_edit_a_nomination_it_sees(client, reviewer, sent):
    client.force_login(reviewer)
    assert client.get(url("nomination_edit", sent.pk)).status_code == 403
    assert client.post(url("dossier_upload", sent.pk), {"part": "bao-cao-thanh-tich", "file": pdf()}).status_code == 403


# --- uploads -----------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("thanh-tich.exe", b"MZ", "Chỉ chấp nhận tệp PDF, DOC, DOCX, XLS, XLSX, JPG, PNG."),
        ("thanh-tich.pdf", b"PK\x03\x04 zip", "Nội dung tệp không khớp với phần mở rộng .pdf."),
        ("thanh-tich.docx", b"%PDF-1.4", "Nội dung tệp không khớp với phần mở rộng .docx."),
    ],
)
def test_refused_uploads_say_why_in_vietnamese(client, staff, draft, name, content, message):
    client.force_login(staff)
    response = client.post(url("dossier_upload", draft.pk), {"part": "bao-cao-thanh-tich", "file": pdf(name, content)})
    assert response.status_code == 302
    assert messages_of(response) == [f"Không tải lên được “{name}”: {message}"]
    assert not DossierFile.objects.exists()


def test_an_upload_without_a_file_is_refused(client, staff, draft):
    client.force_login(staff)
    response = client.post(url("dossier_upload", draft.pk), {"part": "bao-cao-thanh-tich"})
    assert messages_of(response) == ["Vui lòng chọn tệp."]


def test_upload_download_and_delete_while_editable(client, staff, draft):
    client.force_login(staff)
    name = "Biên bản bình xét.pdf"
    response = client.post(url("dossier_upload", draft.pk), {"part": "bien-ban-binh-xet", "file": pdf(name)})
    assert messages_of(response) == [f"Đã tải lên “{name}”."]
    dossier_file = DossierFile.objects.get()
    download = client.get(url("dossier_download", dossier_file.pk))
    assert download.status_code == 200
    assert f"filename*=utf-8''{quote(name)}" in download["Content-Disposition"]
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    assert client.post(url("dossier_delete", dossier_file.pk)).status_code == 302
    assert not DossierFile.objects.exists()


def test_a_dossier_file_cannot_be_deleted_after_submission(client, head, sent):
    dossier_file = DossierFile.objects.filter(nomination=sent).first()
    client.force_login(head)
    response = client.post(url("dossier_delete", dossier_file.pk))
    assert messages_of(response) == ["Đề nghị đã gửi nên không sửa được nữa."]
    assert DossierFile.objects.filter(pk=dossier_file.pk).exists()


def test_another_unit_cannot_download_a_dossier_file(client, other_staff, sent):
    client.force_login(other_staff)
    assert client.get(url("dossier_download", DossierFile.objects.first().pk)).status_code == 404


# --- submitting, withdrawing, returning -------------------------------------------------------------------


def test_staff_posting_submit_gets_403_and_nothing_changes(client, staff, ready):
    before = snapshot_of_database()
    client.force_login(staff)
    assert client.post(url("nomination_submit", ready.pk)).status_code == 403
    assert snapshot_of_database() == before


def test_the_head_submits_in_the_browser(client, head, ready):
    client.force_login(head)
    assert client.get(url("nomination_submit", ready.pk)).status_code == 405
    response = client.post(url("nomination_submit", ready.pk))
    assert messages_of(response) == ["Đã gửi đề nghị. Văn phòng sẽ kiểm tra hồ sơ và phản hồi trên Cổng."]
    ready.refresh_from_db()
    assert ready.status == Nomination.Status.SUBMITTED


def test_an_ineligible_submit_lists_each_problem(client, head, draft):
    before = snapshot_of_database()
    client.force_login(head)
    response = client.post(url("nomination_submit", draft.pk))
    assert "Chưa tải lên thành phần hồ sơ bắt buộc: Báo cáo thành tích." in messages_of(response)
    assert snapshot_of_database() == before


def test_the_office_returns_with_a_reason_and_the_unit_sees_it(client, reviewer, head, sent):
    client.force_login(reviewer)
    response = client.post(url("nomination_return", sent.pk), {"reason": "Biên bản chưa có chữ ký."})
    assert response.status_code == 302
    client.force_login(head)
    page = client.get(url("nomination_detail", sent.pk)).content.decode()
    assert "Lý do trả lại" in page
    assert "Biên bản chưa có chữ ký." in page


def test_a_return_without_a_reason_shows_the_page_again_and_changes_nothing(client, reviewer, sent):
    before = snapshot_of_database()
    client.force_login(reviewer)
    response = client.post(url("nomination_return", sent.pk), {"reason": ""})
    assert response.status_code == 400
    assert "Vui lòng nêu lý do trả lại" in response.content.decode()
    assert snapshot_of_database() == before


@pytest.mark.parametrize(("persona", "status"), [("head", 403), ("leader", 403), ("other_staff", 404)])
def test_only_the_office_may_return(client, request, sent, persona, status):
    before = snapshot_of_database()
    client.force_login(request.getfixturevalue(persona))
    assert client.post(url("nomination_return", sent.pk), {"reason": "Thiếu."}).status_code == status
    assert snapshot_of_database() == before


def test_the_head_withdraws_in_the_browser_and_staff_cannot(client, head, staff, sent):
    client.force_login(staff)
    assert client.post(url("nomination_withdraw", sent.pk)).status_code == 403
    client.force_login(head)
    client.post(url("nomination_withdraw", sent.pk), {"reason": "Nhầm hình thức."})
    sent.refresh_from_db()
    assert sent.status == Nomination.Status.WITHDRAWN


def test_a_deputy_sees_the_submit_button(client, own_unit, ready):
    client.force_login(UserFactory(unit=own_unit, position="deputy"))
    assert "Gửi đề nghị" in client.get(url("nomination_detail", ready.pk)).content.decode()
