"""Nomination services: each move, each refusal; a refused call changes nothing."""

# The shared fixtures are imported from test_nominations_fixtures; tests name them as parameters.
# ruff: noqa: F811

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from awards.errors import AwardError, InvalidTransition, NotAllowed, NotEligible
from awards.models import DossierFile, Nomination, NominationTransition
from awards.services import eligibility
from awards.services import nominations as services
from notifications.models import Notification
from tests.awards.conftest import make_meeting, put_on_agenda
from tests.awards.test_nominations_fixtures import (  # noqa: F401
    draft,
    make_ready,
    nominate,
    pdf,
    private_root,
    ready,
    sent,
    snapshot_of_database,
)
from tests.factories import UserFactory
from units.models import Person

Status = Nomination.Status


# --- creating ---------------------------------------------------------------------------------


def test_staff_drafts_a_nomination_of_a_person_of_the_unit(draft, person, staff):
    assert draft.status == Status.DRAFT
    assert (draft.nominee_name, draft.nominee_position, draft.nominee_unit_name) == (
        "Nguyễn Thị Đề Cử",
        "Chuyên viên",
        "Phòng Quản lý khoa học",
    )
    assert draft.person == person
    assert draft.nominee_unit is None
    transition = draft.transitions.get()
    assert (transition.action, transition.from_status, transition.to_status, transition.actor) == (
        "create",
        "",
        "draft",
        staff,
    )


def test_a_person_created_on_the_spot_belongs_to_the_unit_and_may_be_linked_to_its_account(
    annual_round, forms, own_unit, staff, head
):
    nomination = nominate(
        annual_round,
        forms["lao-dong-tien-tien"],
        own_unit,
        staff,
        new_person_name="  Trần   Văn Mới ",
        new_person_position="Chuyên viên chính",
        new_person_user=head,
    )
    person = nomination.person
    assert (person.full_name, person.position_title, person.unit, person.user) == (
        "Trần Văn Mới",
        "Chuyên viên chính",
        own_unit,
        head,
    )


def test_the_unit_itself_is_nominated_for_a_collective_form(annual_round, forms, own_unit, staff):
    nomination = nominate(annual_round, forms["tap-the-lao-dong-tien-tien"], own_unit, staff)
    assert nomination.nominee_kind == "collective"
    assert nomination.nominee_unit == own_unit
    assert nomination.nominee_name == own_unit.name


def test_a_collective_nomination_for_an_individual_form_is_refused(annual_round, forms, own_unit, staff):
    with pytest.raises(NotEligible) as refused:
        nominate(annual_round, forms["lao-dong-tien-tien"], own_unit, staff)
    assert "chỉ xét cho cá nhân" in refused.value.message
    assert not Nomination.objects.exists()


def test_a_person_of_another_unit_cannot_be_nominated(annual_round, forms, own_unit, staff, other_person):
    with pytest.raises(AwardError, match="đang công tác tại đơn vị"):
        nominate(annual_round, forms["lao-dong-tien-tien"], own_unit, staff, other_person)
    assert not Nomination.objects.exists()


def test_another_units_member_cannot_draft_for_the_unit(annual_round, forms, own_unit, other_staff, person):
    with pytest.raises(NotAllowed):
        nominate(annual_round, forms["lao-dong-tien-tien"], own_unit, other_staff, person)
    assert not Nomination.objects.exists()


def test_a_form_not_on_offer_in_the_round_is_refused(annual_round, forms, own_unit, staff, person):
    with pytest.raises(AwardError, match="không được xét trong đợt"):
        nominate(annual_round, forms["bang-khen-chu-tich-ubnd-tinh"], own_unit, staff, person)


def test_a_new_person_of_a_refused_nomination_is_not_created(annual_round, forms, own_unit, staff, person, draft):
    people = Person.objects.count()
    with pytest.raises(AwardError):
        nominate(annual_round, forms["tap-the-lao-dong-tien-tien"], own_unit, staff, new_person_name="Ai Đó")
    assert Person.objects.count() == people


def test_a_second_open_nomination_of_the_same_person_is_refused(draft, annual_round, forms, own_unit, head, person):
    with pytest.raises(NotEligible, match="đã có đề nghị"):
        nominate(annual_round, forms["lao-dong-tien-tien"], own_unit, head, person)
    assert Nomination.objects.count() == 1


def test_the_database_refuses_a_duplicate_the_checks_missed(
    draft, annual_round, forms, own_unit, head, person, monkeypatch
):
    # As when two people press "Lập đề nghị" at once: both pass the check, the constraint stops one.
    monkeypatch.setattr(eligibility, "check", lambda nomination, only=None: [])
    with pytest.raises(AwardError, match="Nguyễn Thị Đề Cử đã có đề nghị"):
        nominate(annual_round, forms["lao-dong-tien-tien"], own_unit, head, person)
    assert Nomination.objects.count() == 1


def test_the_database_constraint_itself_refuses_a_duplicate_row(draft):
    duplicate = Nomination.objects.get(pk=draft.pk)
    duplicate.pk = None
    with pytest.raises(IntegrityError), transaction.atomic():
        duplicate.save()


def test_a_withdrawn_nomination_no_longer_blocks_a_new_one(draft, head, annual_round, forms, own_unit, person):
    services.nomination_withdraw(nomination=draft, actor=head)
    again = nominate(annual_round, forms["lao-dong-tien-tien"], own_unit, head, person)
    assert again.status == Status.DRAFT


# --- lists --------------------------------------------------------------------------------------


def test_a_list_makes_one_nomination_per_line_matching_known_people(annual_round, forms, own_unit, staff, person):
    rows = services.parse_lines("nguyễn thị đề cử | Chuyên viên\n\nTrần Văn Hai | Kế toán\nLê Thị Ba")
    created = services.nomination_batch_create(
        award_round=annual_round,
        form=forms["lao-dong-tien-tien"],
        unit=own_unit,
        actor=staff,
        rows=rows,
        achievement="Hoàn thành tốt nhiệm vụ.",
    )
    assert [nomination.nominee_name for nomination in created] == ["Nguyễn Thị Đề Cử", "Trần Văn Hai", "Lê Thị Ba"]
    assert created[0].person == person
    assert len({nomination.batch for nomination in created}) == 1
    assert created[0].batch is not None
    assert Person.objects.get(full_name="Trần Văn Hai").position_title == "Kế toán"
    assert all(nomination.achievement == {"achievements": "Hoàn thành tốt nhiệm vụ."} for nomination in created)


def test_a_list_with_one_duplicate_creates_nothing(draft, annual_round, forms, own_unit, staff):
    people = Person.objects.count()
    with pytest.raises(NotEligible, match="Nguyễn Thị Đề Cử đã có đề nghị"):
        services.nomination_batch_create(
            award_round=annual_round,
            form=forms["lao-dong-tien-tien"],
            unit=own_unit,
            actor=staff,
            rows=[("Người Mới", "Chuyên viên"), ("Nguyễn Thị Đề Cử", "")],
        )
    assert Nomination.objects.count() == 1
    assert Person.objects.count() == people


def test_a_list_naming_someone_twice_is_refused(annual_round, forms, own_unit, staff):
    with pytest.raises(AwardError, match="có hai lần"):
        services.nomination_batch_create(
            award_round=annual_round,
            form=forms["lao-dong-tien-tien"],
            unit=own_unit,
            actor=staff,
            rows=[("Lê Văn A", ""), ("lê văn a", "")],
        )


def test_a_line_without_a_name_is_refused():
    with pytest.raises(AwardError, match="Dòng 2"):
        services.parse_lines("Lê Văn A | Chuyên viên\n | Kế toán")


# --- editing and the dossier -----------------------------------------------------------------------


def test_saving_the_summary_bumps_the_revision_and_a_stale_save_is_refused(draft, staff, head):
    saved = services.nomination_save(
        nomination=draft, actor=staff, achievement={"achievements": "Thành tích A"}, evidence_reports=[], revision=0
    )
    assert saved.revision == 1
    assert saved.achievement["achievements"] == "Thành tích A"
    with pytest.raises(AwardError, match="vừa được người khác cập nhật"):
        services.nomination_save(
            nomination=draft, actor=head, achievement={"achievements": "Thành tích B"}, evidence_reports=[], revision=0
        )
    draft.refresh_from_db()
    assert draft.achievement["achievements"] == "Thành tích A"


def test_only_accepted_reports_of_the_unit_may_be_linked(draft, staff, open_period, own_unit):
    from reports import services as report_services

    report = report_services.report_start(unit=own_unit, period=open_period, actor=staff)
    with pytest.raises(AwardError, match="đã được tiếp nhận"):
        services.nomination_save(
            nomination=draft, actor=staff, achievement={}, evidence_reports=[report], revision=draft.revision
        )
    assert not draft.evidence_reports.exists()


def test_a_dossier_part_is_stored_with_its_original_name_and_digest(draft, staff):
    dossier_file = services.dossier_add(
        nomination=draft, actor=staff, part="bao-cao-thanh-tich", upload=pdf("Báo cáo thành tích năm.pdf")
    )
    assert dossier_file.original_name == "Báo cáo thành tích năm.pdf"
    assert dossier_file.file.name != dossier_file.original_name
    assert len(dossier_file.sha256) == 64


def test_a_file_the_validator_refuses_is_not_stored(draft, staff):
    with pytest.raises(ValidationError) as refused:
        services.dossier_add(
            nomination=draft, actor=staff, part="bao-cao-thanh-tich", upload=pdf("x.pdf", b"PK\x03\x04")
        )
    assert "không khớp với phần mở rộng .pdf" in refused.value.messages[0]
    assert not DossierFile.objects.exists()


def test_a_part_the_form_does_not_have_is_refused(draft, staff):
    with pytest.raises(AwardError, match="Thành phần hồ sơ không hợp lệ"):
        services.dossier_add(nomination=draft, actor=staff, part="khac", upload=pdf())


def test_the_dossier_is_immutable_once_submitted(sent, staff, head):
    dossier_file = DossierFile.objects.filter(nomination=sent).first()
    with pytest.raises(InvalidTransition):
        services.dossier_add(nomination=sent, actor=head, part="minh-chung-sang-kien", upload=pdf())
    with pytest.raises(InvalidTransition):
        services.dossier_remove(dossier_file=dossier_file, actor=head)
    with pytest.raises(InvalidTransition):
        services.nomination_save(
            nomination=sent, actor=head, achievement={}, evidence_reports=[], revision=sent.revision
        )
    assert DossierFile.objects.filter(pk=dossier_file.pk).exists()


# --- submitting -----------------------------------------------------------------------------------


def test_the_head_submits_with_a_snapshot_and_the_office_is_told(ready, head, reviewer, person):
    person.full_name = "Nguyễn Thị Đề Cử (đổi tên)"
    person.save()
    sent = services.nomination_submit(nomination=ready, actor=head)
    assert sent.status == Status.SUBMITTED
    assert sent.submitted_by == head
    assert sent.submitted_at
    assert sent.nominee_name == "Nguyễn Thị Đề Cử (đổi tên)"
    transition = sent.transitions.latest("pk")
    assert (transition.action, transition.from_status, transition.to_status) == ("submit", "draft", "submitted")
    assert transition.snapshot["nominee_name"] == "Nguyễn Thị Đề Cử (đổi tên)"
    assert transition.snapshot["achievement"]["achievements"] == "Hoàn thành xuất sắc nhiệm vụ năm."
    assert {item["part"] for item in transition.snapshot["dossier"]} == {"bao-cao-thanh-tich", "bien-ban-binh-xet"}
    notification = Notification.objects.get(recipient=reviewer)
    assert "gửi đề nghị “Lao động tiên tiến”" in notification.message
    # Renaming the person later does not rewrite the submitted nomination.
    person.full_name = "Tên Khác"
    person.save()
    sent.refresh_from_db()
    assert sent.nominee_name == "Nguyễn Thị Đề Cử (đổi tên)"


def test_staff_cannot_submit_and_nothing_changes(ready, staff):
    before = snapshot_of_database()
    with pytest.raises(NotAllowed, match="trưởng hoặc phó trưởng"):
        services.nomination_submit(nomination=ready, actor=staff)
    assert snapshot_of_database() == before


def test_an_incomplete_nomination_is_refused_with_each_problem(draft, head):
    before = snapshot_of_database()
    with pytest.raises(NotEligible) as refused:
        services.nomination_submit(nomination=draft, actor=head)
    assert "Chưa tải lên thành phần hồ sơ bắt buộc: Báo cáo thành tích." in refused.value.problems
    assert "Chưa nhập phần “II. Thành tích đạt được trong phong trào thi đua” của báo cáo thành tích." in (
        refused.value.problems
    )
    assert snapshot_of_database() == before


def test_a_second_submit_changes_nothing(sent, head):
    before = snapshot_of_database()
    with pytest.raises(InvalidTransition):
        services.nomination_submit(nomination=sent, actor=head)
    assert snapshot_of_database() == before


def test_a_deputy_may_submit(ready, own_unit):
    deputy = UserFactory(unit=own_unit, position="deputy")
    assert services.nomination_submit(nomination=ready, actor=deputy).status == Status.SUBMITTED


# --- withdrawing ---------------------------------------------------------------------------------


def test_the_head_withdraws_a_submitted_nomination_and_the_office_is_told(sent, head, reviewer):
    Notification.objects.all().delete()
    withdrawn = services.nomination_withdraw(nomination=sent, actor=head, reason="Nhầm người.")
    assert withdrawn.status == Status.WITHDRAWN
    assert withdrawn.transitions.latest("pk").comment == "Nhầm người."
    assert Notification.objects.filter(recipient=reviewer).exists()


def test_staff_cannot_withdraw(sent, staff):
    before = snapshot_of_database()
    with pytest.raises(NotAllowed):
        services.nomination_withdraw(nomination=sent, actor=staff)
    assert snapshot_of_database() == before


def test_a_nomination_on_an_agenda_cannot_be_withdrawn(sent, head, council, reviewer, annual_round):
    put_on_agenda(make_meeting(annual_round, council, created_by=reviewer), sent)
    before = snapshot_of_database()
    with pytest.raises(InvalidTransition, match="chưa đưa ra Hội đồng"):
        services.nomination_withdraw(nomination=sent, actor=head)
    assert snapshot_of_database() == before


# --- the office's completeness check -------------------------------------------------------------


def test_the_office_returns_with_a_reason_and_the_unit_is_told(sent, reviewer, head, staff):
    Notification.objects.all().delete()
    returned = services.nomination_return(nomination=sent, actor=reviewer, reason="Thiếu chữ ký trên biên bản.")
    assert returned.status == Status.RETURNED
    transition = returned.transitions.latest("pk")
    assert (transition.action, transition.comment, transition.actor) == (
        "return",
        "Thiếu chữ ký trên biên bản.",
        reviewer,
    )
    told = set(Notification.objects.values_list("recipient__username", flat=True))
    assert told == {head.username, staff.username}


def test_a_return_without_a_reason_is_refused(sent, reviewer):
    before = snapshot_of_database()
    with pytest.raises(AwardError, match="lý do trả lại"):
        services.nomination_return(nomination=sent, actor=reviewer, reason="  ")
    assert snapshot_of_database() == before


def test_only_the_office_returns(sent, head, leader):
    before = snapshot_of_database()
    for actor in (head, leader):
        with pytest.raises(NotAllowed):
            services.nomination_return(nomination=sent, actor=actor, reason="Thiếu.")
    assert snapshot_of_database() == before


def test_the_office_does_not_check_its_own_units_nomination(annual_round, forms, office_unit, reviewer):
    head = UserFactory(unit=office_unit, position="head")
    # The Director's Giấy khen: a collective title would need the unit's members' record (award rules).
    own = nominate(annual_round, forms["giay-khen-giam-doc-so"], office_unit, head)
    own = make_ready(own, head)
    services.nomination_submit(nomination=own, actor=head)
    with pytest.raises(NotAllowed):
        services.nomination_return(nomination=own, actor=reviewer, reason="Thiếu.")


def test_a_draft_cannot_be_returned(ready, reviewer):
    with pytest.raises(InvalidTransition):
        services.nomination_return(nomination=ready, actor=reviewer, reason="Thiếu.")


def test_a_returned_nomination_is_completed_and_submitted_again(sent, reviewer, staff, head):
    services.nomination_return(nomination=sent, actor=reviewer, reason="Bổ sung minh chứng sáng kiến.")
    services.dossier_add(nomination=sent, actor=staff, part="minh-chung-sang-kien", upload=pdf("sang-kien.pdf"))
    again = services.nomination_submit(nomination=sent, actor=head)
    assert again.status == Status.SUBMITTED
    actions = list(again.transitions.values_list("action", flat=True))
    assert actions == ["create", "submit", "return", "resubmit"]
    assert NominationTransition.objects.filter(nomination=again, action="resubmit").get().snapshot["dossier"]
