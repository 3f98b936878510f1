"""The report's state machine through its services: who may move it, from which state, and what a repeat does."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from campaign.models import ReportingPeriod
from documents.models import OutgoingDocument
from documents.register import register_record_number
from reports import permissions, services
from reports.documents.unit_report import unit_report_document
from reports.errors import InvalidTransition, NotAllowed, ReportError, SubmissionInvalid
from reports.models import ReportSection, ReportTransition, ReviewComment, UnitReport
from reports.parts import digest
from reports.services.editing import values_of
from tests.factories import Capability, UnitFactory, UserFactory
from tests.reports.conftest import complete
from units.models import Unit

Status = UnitReport.Status
Action = ReportTransition.Action


def fresh(report):
    report.refresh_from_db()
    return report


def actions(report):
    return list(report.transitions.values_list("action", flat=True))


def result_for(report, code):
    return report.results.get(criterion_code=code)


def edit_section(report, key, text):
    section = report.sections.get(key=key)
    return {
        f"section-{key}": {
            "values": {"text": text},
            "revision": section.revision,
            "original": digest(values_of(section)),
        }
    }


@pytest.fixture
def previous(earlier_period, own_unit, staff, head, reviewer, levels):
    """The unit's accepted report on the earlier period, with text of its own to carry forward."""
    report = services.report_start(unit=own_unit, period=earlier_period, actor=staff)
    complete(report, staff, levels)
    services.report_save_parts(
        report=report, actor=staff, edits=edit_section(report, ReportSection.Key.HIGHLIGHTS, "Nổi bật năm 2025.")
    )
    services.report_submit(report=report, actor=head)
    services.report_accept(report=report, actor=reviewer)
    return fresh(report)


@pytest.fixture
def opened(submitted, reviewer):
    services.report_open_review(report=submitted, actor=reviewer)
    return fresh(submitted)


@pytest.fixture
def returned(opened, reviewer):
    services.report_return(report=opened, actor=reviewer, reason="Bổ sung số liệu giải ngân.")
    return fresh(opened)


@pytest.fixture
def accepted(submitted, reviewer):
    services.report_accept(report=submitted, actor=reviewer)
    return fresh(submitted)


# --- start -----------------------------------------------------------------------------------------


def test_start_prefills_activities_sections_and_assessment_from_previous_report(
    previous, open_period, own_unit, staff, levels
):
    report = services.report_start(unit=own_unit, period=open_period, actor=staff)
    earlier = previous.results.get(criterion_code="III.1.1.1")
    now = result_for(report, "III.1.1.1")
    assert report.prefilled_from == previous
    assert now.activities == earlier.activities
    assert now.assessment == levels["hoan-thanh-tot"]
    assert report.sections.get(key=ReportSection.Key.HIGHLIGHTS).text == "Nổi bật năm 2025."


def test_start_does_not_carry_quantities_of_the_previous_period(previous, invests, open_period, own_unit, staff):
    report = services.report_start(unit=own_unit, period=open_period, actor=staff)
    assert result_for(report, "III.1.2.3").quantities == {}


def test_start_creates_one_result_per_applicable_criterion(draft):
    codes = set(draft.results.values_list("criterion_code", flat=True))
    assert "III.1.1.5" not in codes  # No investment projects: no disbursement criterion.
    assert "III.1.2.5" not in codes  # The centre's criterion is not an ordinary unit's.
    assert len(codes) == draft.results.count() == 10


def test_start_includes_disbursement_criterion_for_unit_with_investments(invests, open_period, own_unit, staff):
    report = services.report_start(unit=own_unit, period=open_period, actor=staff)
    assert result_for(report, "III.1.1.5").criterion == invests


def test_start_includes_centre_criterion_for_the_centre(open_period):
    centre = UnitFactory(code="TTUD")
    centre_staff = UserFactory(unit=centre, position="staff")
    report = services.report_start(unit=centre, period=open_period, actor=centre_staff)
    assert report.results.filter(criterion_code="III.1.2.5").exists()


def test_start_twice_returns_the_same_report(draft, open_period, own_unit, head):
    again = services.report_start(unit=own_unit, period=open_period, actor=head)
    assert again == draft
    assert UnitReport.objects.count() == 1
    assert actions(draft) == [Action.CREATE]


def test_other_units_staff_cannot_start_a_report_for_the_unit(open_period, own_unit, other_staff):
    with pytest.raises(NotAllowed):
        services.report_start(unit=own_unit, period=open_period, actor=other_staff)
    assert not UnitReport.objects.exists()


def test_reviewer_cannot_start_a_report_for_a_unit(open_period, own_unit, reviewer):
    with pytest.raises(NotAllowed):
        services.report_start(unit=own_unit, period=open_period, actor=reviewer)
    assert not UnitReport.objects.exists()


def test_start_refuses_a_period_not_yet_begun(open_period, own_unit, staff):
    future = ReportingPeriod.objects.get(code="2030-FY")
    with pytest.raises(ReportError, match="chưa bắt đầu"):
        services.report_start(unit=own_unit, period=future, actor=staff)
    assert not UnitReport.objects.exists()


def test_start_refuses_a_history_period(open_period, own_unit, staff):
    history = ReportingPeriod.objects.get(code="2022-FY")  # Ends long before the portal start date.
    with pytest.raises(ReportError, match="trước ngày bắt đầu"):
        services.report_start(unit=own_unit, period=history, actor=staff)
    assert not UnitReport.objects.exists()


# --- submit ----------------------------------------------------------------------------------------


def test_head_submits_a_complete_draft(draft, staff, head, levels):
    complete(draft, staff, levels)
    transition = services.report_submit(report=draft, actor=head)
    report = fresh(draft)
    assert (report.status, report.submission_count, report.submitted_by, report.is_late) == (
        Status.SUBMITTED,
        1,
        head,
        False,
    )
    assert (transition.from_status, transition.to_status, transition.actor) == (Status.DRAFT, Status.SUBMITTED, head)


def test_deputy_submits(draft, staff, own_unit, levels):
    deputy = UserFactory(unit=own_unit, position="deputy")
    complete(draft, staff, levels)
    services.report_submit(report=draft, actor=deputy)
    assert fresh(draft).status == Status.SUBMITTED


def test_staff_cannot_submit(draft, staff, levels):
    complete(draft, staff, levels)
    with pytest.raises(NotAllowed):
        services.report_submit(report=draft, actor=staff)
    assert fresh(draft).status == Status.DRAFT
    assert actions(draft) == [Action.CREATE]


def test_other_units_staff_cannot_submit(draft, staff, other_staff, levels):
    complete(draft, staff, levels)
    with pytest.raises(NotAllowed):
        services.report_submit(report=draft, actor=other_staff)
    assert fresh(draft).status == Status.DRAFT


def test_double_submit_submits_once(submitted, head):
    with pytest.raises(InvalidTransition):
        services.report_submit(report=submitted, actor=head)
    assert fresh(submitted).submission_count == 1
    assert submitted.transitions.filter(action=Action.SUBMIT).count() == 1


def test_submit_after_due_date_is_accepted_and_marked_late(draft, open_period, staff, head, levels):
    open_period.unit_due_date = timezone.localdate() - datetime.timedelta(days=1)
    open_period.save()
    complete(draft, staff, levels)
    services.report_submit(report=draft, actor=head)
    report = fresh(draft)
    assert (report.status, report.is_late) == (Status.SUBMITTED, True)


def test_submit_on_the_due_date_is_on_time(draft, open_period, staff, head, levels):
    open_period.unit_due_date = timezone.localdate()
    open_period.save()
    complete(draft, staff, levels)
    services.report_submit(report=draft, actor=head)
    assert fresh(draft).is_late is False


def test_resubmission_after_due_date_keeps_on_time_mark(returned, open_period, head):
    open_period.unit_due_date = timezone.localdate() - datetime.timedelta(days=1)
    open_period.save()
    services.report_submit(report=returned, actor=head)
    assert fresh(returned).is_late is False


def test_a_phong_submits_without_a_number(submitted):
    assert fresh(submitted).register_entry is None
    assert not unit_report_document(fresh(submitted)).numbered


def test_a_unit_with_its_own_seal_numbers_its_report_in_its_own_register_once(draft, staff, head, reviewer, levels):
    draft.unit.kind = Unit.Kind.PUBLIC_SERVICE  # a Trung tâm
    draft.unit.save()
    complete(draft, staff, levels)
    services.report_submit(report=draft, actor=head)
    entry = fresh(draft).register_entry
    assert (entry.issuer_code, entry.type_code, entry.number, entry.issued_on) == (
        draft.unit.issuer_code,
        "BC",
        1,
        timezone.localdate(),
    )
    document = unit_report_document(fresh(draft))
    assert document.number_line == f"Số: 01/BC-{draft.unit.issuer_code}"
    assert document.signature.title == "GIÁM ĐỐC"
    # Returned and sent again, it keeps its number.
    services.report_open_review(report=fresh(draft), actor=reviewer)
    services.report_return(report=fresh(draft), actor=reviewer, reason="Bổ sung số liệu.")
    services.report_submit(report=fresh(draft), actor=head)
    assert fresh(draft).register_entry == entry
    assert OutgoingDocument.objects.filter(issuer_code=draft.unit.issuer_code).count() == 1


@pytest.fixture
def trung_tam_draft(draft, staff, levels):
    draft.unit.kind = Unit.Kind.PUBLIC_SERVICE
    draft.unit.save()
    complete(draft, staff, levels)
    return draft


def test_a_unit_with_its_own_seal_may_give_the_number_from_its_own_book(trung_tam_draft, head):
    services.report_submit(report=trung_tam_draft, actor=head, register_number=" 12 ")
    entry = fresh(trung_tam_draft).register_entry
    assert (entry.number, entry.source, entry.issuer_code) == (
        12,
        OutgoingDocument.Source.CLERK,
        trung_tam_draft.unit.issuer_code,
    )
    assert unit_report_document(fresh(trung_tam_draft)).number_line == f"Số: 12/BC-{trung_tam_draft.unit.issuer_code}"


@pytest.mark.parametrize(
    ("typed", "message"), [("12a", "Số văn bản phải là số nguyên dương"), ("0", "Số văn bản phải là số nguyên dương")]
)
def test_a_number_that_is_not_a_number_is_refused_and_nothing_changes(trung_tam_draft, head, typed, message):
    with pytest.raises(SubmissionInvalid) as refused:
        services.report_submit(report=trung_tam_draft, actor=head, register_number=typed)
    assert message in refused.value.errors["register"]["number"]
    assert fresh(trung_tam_draft).status == Status.DRAFT
    assert not OutgoingDocument.objects.exists()


def test_a_number_already_in_the_units_book_is_refused_on_the_editor_with_what_was_typed(client, trung_tam_draft, head):
    register_record_number(
        issuer_code=trung_tam_draft.unit.issuer_code,
        type_code="BC",
        number=12,
        issued_on=timezone.localdate(),
        summary="Báo cáo khác",
        actor=head,
    )
    client.force_login(head)
    posted = {"action": "submit", "register_number": "12"}
    response = client.post(reverse("reports:edit", args=[trung_tam_draft.pk]), posted)
    assert response.status_code == 400
    page = response.content.decode()
    assert "đã có trong sổ đăng ký văn bản đi" in page
    assert 'name="register_number" value="12"' in page
    assert fresh(trung_tam_draft).status == Status.DRAFT
    assert OutgoingDocument.objects.count() == 1


def test_a_deputy_signs_for_the_head_of_a_phong(draft, staff, own_unit, levels):
    deputy = UserFactory(unit=own_unit, position="deputy")
    complete(draft, staff, levels)
    services.report_submit(report=draft, actor=deputy)
    signature = unit_report_document(fresh(draft)).signature
    assert (signature.on_behalf_of, signature.title) == ("KT. TRƯỞNG PHÒNG", "PHÓ TRƯỞNG PHÒNG")


def test_resubmission_after_withdrawal_past_due_date_is_late(submitted, open_period, head):
    services.report_withdraw(report=submitted, actor=head)
    open_period.unit_due_date = timezone.localdate() - datetime.timedelta(days=1)
    open_period.save()
    services.report_submit(report=submitted, actor=head)
    assert fresh(submitted).is_late is True


# --- withdraw --------------------------------------------------------------------------------------


def test_head_withdraws_before_review_opens(submitted, head):
    services.report_withdraw(report=submitted, actor=head)
    assert fresh(submitted).status == Status.DRAFT
    assert actions(submitted)[-1] == Action.WITHDRAW


def test_withdraw_after_review_opened_is_refused(opened, head):
    with pytest.raises(InvalidTransition):
        services.report_withdraw(report=opened, actor=head)
    assert fresh(opened).status == Status.SUBMITTED
    assert Action.WITHDRAW not in actions(opened)


def test_staff_cannot_withdraw(submitted, staff):
    with pytest.raises(NotAllowed):
        services.report_withdraw(report=submitted, actor=staff)
    assert fresh(submitted).status == Status.SUBMITTED


def test_withdraw_of_a_draft_is_refused(draft, head):
    with pytest.raises(InvalidTransition):
        services.report_withdraw(report=draft, actor=head)
    assert actions(draft) == [Action.CREATE]


def test_withdraw_twice_withdraws_once(submitted, head):
    services.report_withdraw(report=submitted, actor=head)
    with pytest.raises(InvalidTransition):
        services.report_withdraw(report=submitted, actor=head)
    assert submitted.transitions.filter(action=Action.WITHDRAW).count() == 1


def test_open_review_by_the_units_own_people_does_not_count(submitted, head):
    assert services.report_open_review(report=submitted, actor=head) is None
    assert fresh(submitted).review_opened_at is None


def test_open_review_twice_records_it_once(submitted, reviewer):
    services.report_open_review(report=submitted, actor=reviewer)
    assert services.report_open_review(report=submitted, actor=reviewer) is None
    assert submitted.transitions.filter(action=Action.OPEN_REVIEW).count() == 1


# --- return ----------------------------------------------------------------------------------------


def test_reviewer_returns_with_reason(opened, reviewer):
    transition = services.report_return(report=opened, actor=reviewer, reason="Bổ sung số liệu.")
    assert fresh(opened).status == Status.RETURNED
    assert (transition.actor, transition.comment) == (reviewer, "Bổ sung số liệu.")


def test_return_without_reason_is_refused_and_changes_nothing(submitted, reviewer):
    with pytest.raises(ReportError, match="lý do"):
        services.report_return(report=submitted, actor=reviewer, reason="  ")
    assert fresh(submitted).status == Status.SUBMITTED
    assert actions(submitted) == [Action.CREATE, Action.SUBMIT]


def test_reviewer_of_the_same_unit_cannot_review_its_report(submitted, own_unit):
    colleague = UserFactory(unit=own_unit, position="staff", capabilities=[Capability.OFFICE_REVIEWER])
    with pytest.raises(NotAllowed):
        services.report_return(report=submitted, actor=colleague, reason="Tự rà soát.")
    with pytest.raises(NotAllowed):
        services.report_accept(report=submitted, actor=colleague)
    assert fresh(submitted).status == Status.SUBMITTED


def test_unit_head_cannot_review(submitted, head):
    with pytest.raises(NotAllowed):
        services.report_accept(report=submitted, actor=head)
    assert fresh(submitted).status == Status.SUBMITTED


def test_return_of_a_draft_is_refused(draft, reviewer):
    with pytest.raises(InvalidTransition):
        services.report_return(report=draft, actor=reviewer, reason="Chưa nộp.")
    assert fresh(draft).status == Status.DRAFT


def test_return_twice_returns_once(returned, reviewer):
    with pytest.raises(InvalidTransition):
        services.report_return(report=returned, actor=reviewer, reason="Lần nữa.")
    assert returned.transitions.filter(action=Action.RETURN).count() == 1


@pytest.fixture
def office_report(open_period, office_unit, reviewer, levels):
    office_head = UserFactory(unit=office_unit, position="head")
    report = services.report_start(unit=office_unit, period=open_period, actor=reviewer)
    complete(report, reviewer, levels)
    services.report_submit(report=report, actor=office_head)
    return fresh(report)


def test_office_reviewer_cannot_review_the_offices_own_report(office_report, reviewer):
    assert not permissions.can_review(reviewer, office_report)
    with pytest.raises(NotAllowed):
        services.report_accept(report=office_report, actor=reviewer)
    assert fresh(office_report).status == Status.SUBMITTED


def test_leadership_reviews_the_offices_own_report(office_report, leader):
    assert permissions.can_review(leader, office_report)
    services.report_accept(report=office_report, actor=leader)
    assert fresh(office_report).status == Status.ACCEPTED


def test_leadership_does_not_review_an_ordinary_units_report(submitted, leader):
    assert not permissions.can_review(leader, submitted)


def test_leadership_cannot_return_an_ordinary_units_report(submitted, leader):
    with pytest.raises(NotAllowed):
        services.report_return(report=submitted, actor=leader, reason="Không thuộc thẩm quyền.")
    assert fresh(submitted).status == Status.SUBMITTED


# --- resubmit and accept ---------------------------------------------------------------------------


def test_resubmit_after_return(returned, head):
    services.report_submit(report=returned, actor=head)
    report = fresh(returned)
    assert (report.status, report.submission_count, report.review_opened_at) == (Status.SUBMITTED, 2, None)
    assert report.transitions.last().from_status == Status.RETURNED


def test_reviewer_accepts(submitted, reviewer):
    services.report_accept(report=submitted, actor=reviewer, comment="Đạt yêu cầu.")
    report = fresh(submitted)
    assert (report.status, report.transitions.last().comment) == (Status.ACCEPTED, "Đạt yêu cầu.")
    assert report.accepted_at is not None


def test_accepted_report_cannot_be_edited(accepted, staff):
    with pytest.raises(NotAllowed, match="tiếp nhận"):
        services.report_save_parts(
            report=accepted, actor=staff, edits=edit_section(accepted, ReportSection.Key.HIGHLIGHTS, "Sửa sau.")
        )
    assert accepted.sections.get(key=ReportSection.Key.HIGHLIGHTS).revision == 1


@pytest.mark.parametrize(
    "move",
    [
        lambda report, p: services.report_submit(report=report, actor=p["head"]),
        lambda report, p: services.report_withdraw(report=report, actor=p["head"]),
        lambda report, p: services.report_return(report=report, actor=p["reviewer"], reason="Trả lại."),
        lambda report, p: services.report_accept(report=report, actor=p["reviewer"]),
    ],
    ids=["submit", "withdraw", "return", "accept-again"],
)
def test_accepted_report_refuses_every_move(accepted, head, reviewer, move):
    with pytest.raises(InvalidTransition):
        move(accepted, {"head": head, "reviewer": reviewer})
    assert fresh(accepted).status == Status.ACCEPTED
    # create, submit, open_review (the acceptance opened the review), accept
    assert accepted.transitions.count() == 4


# --- comments --------------------------------------------------------------------------------------


def test_reviewer_comments_on_a_criterion_of_a_submitted_report(submitted, reviewer):
    result = submitted.results.first()
    comment = services.report_comment(report=submitted, actor=reviewer, text="Thiếu minh chứng.", result=result)
    assert (comment.result, comment.submission_number) == (result, 1)


def test_unit_staff_cannot_comment(submitted, staff):
    with pytest.raises(NotAllowed):
        services.report_comment(report=submitted, actor=staff, text="Tự nhận xét.")
    assert not ReviewComment.objects.exists()


def test_comment_on_a_draft_is_refused(draft, reviewer):
    with pytest.raises(InvalidTransition):
        services.report_comment(report=draft, actor=reviewer, text="Sớm quá.")
    assert not ReviewComment.objects.exists()


def test_comment_on_an_accepted_report_is_refused(accepted, reviewer):
    with pytest.raises(InvalidTransition):
        services.report_comment(report=accepted, actor=reviewer, text="Muộn quá.")
    assert not ReviewComment.objects.exists()


def test_comment_on_another_reports_criterion_is_refused(submitted, reviewer, open_period, other_unit, other_staff):
    other = services.report_start(unit=other_unit, period=open_period, actor=other_staff)
    with pytest.raises(NotAllowed):
        services.report_comment(report=submitted, actor=reviewer, text="Nhầm.", result=other.results.first())
    assert not ReviewComment.objects.exists()


def test_empty_comment_is_refused(submitted, reviewer):
    with pytest.raises(ReportError):
        services.report_comment(report=submitted, actor=reviewer, text=" ")
    assert not ReviewComment.objects.exists()
