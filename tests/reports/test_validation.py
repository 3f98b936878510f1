"""What stops a report being submitted: every error in Vietnamese, keyed by part and field, and nothing saved."""

import datetime

import pytest
from django.utils import timezone

from campaign.models import ReportingPeriod
from reports import services
from reports.errors import SubmissionInvalid
from reports.models import ReportSection, UnitReport
from reports.parts import CRITERION_FIELDS, SECTION_FIELDS, digest
from reports.services.editing import part_objects, values_of
from tests.reports.conftest import complete


def change(report, key, **values):
    """An edit of one part as the editor would post it: loaded values with some fields changed."""
    part = part_objects(report)[key]
    loaded = values_of(part)
    return {key: {"values": {**loaded, **values}, "revision": part.revision, "original": digest(loaded)}}


def key_of(report, code):
    return f"criterion-{report.results.get(criterion_code=code).criterion_id}"


def refused(report, actor, **kwargs):
    with pytest.raises(SubmissionInvalid) as caught:
        services.report_submit(report=report, actor=actor, **kwargs)
    report.refresh_from_db()
    assert report.status == UnitReport.Status.DRAFT
    assert report.submission_count == 0
    return caught.value.errors


@pytest.fixture
def investing_draft(invests, open_period, own_unit, staff):
    return services.report_start(unit=own_unit, period=open_period, actor=staff)


def test_missing_assessment_is_refused(draft, staff, head, levels):
    complete(draft, staff, levels)
    key = key_of(draft, "III.1.1.2")
    services.report_save_parts(report=draft, actor=staff, edits=change(draft, key, assessment=None))
    errors = refused(draft, head)
    assert errors == {key: {"assessment": "Vui lòng chọn mức tự đánh giá."}}


def test_missing_activities_is_refused(draft, staff, head, levels):
    complete(draft, staff, levels)
    key = key_of(draft, "III.1.2.1")
    services.report_save_parts(report=draft, actor=staff, edits=change(draft, key, activities="  \n"))
    assert set(refused(draft, head)[key]) == {"activities"}


def test_not_applicable_without_reason_is_refused(draft, staff, head, levels):
    complete(draft, staff, levels)
    key = key_of(draft, "III.1.1.4")
    services.report_save_parts(
        report=draft, actor=staff, edits=change(draft, key, assessment=levels["khong-ap-dung"].pk, activities="")
    )
    assert set(refused(draft, head)[key]) == {"not_applicable_reason"}


def test_not_applicable_with_reason_needs_neither_activities_nor_quantities(investing_draft, staff, head, levels):
    complete(investing_draft, staff, levels)
    edits = change(
        investing_draft,
        key_of(investing_draft, "III.1.1.5"),
        assessment=levels["khong-ap-dung"].pk,
        activities="",
        quantities={},
        not_applicable_reason="Năm nay đơn vị không được giao vốn đầu tư công.",
    )
    services.report_submit(report=investing_draft, actor=head, edits=edits)
    investing_draft.refresh_from_db()
    assert investing_draft.status == UnitReport.Status.SUBMITTED


def test_missing_quantity_is_refused(investing_draft, staff, head, levels):
    complete(investing_draft, staff, levels)
    key = key_of(investing_draft, "III.1.1.5")
    services.report_save_parts(
        report=investing_draft, actor=staff, edits=change(investing_draft, key, quantities={"planned": "1000"})
    )
    assert set(refused(investing_draft, head)[key]) == {"q-disbursed"}


def test_negative_quantity_is_refused(investing_draft, staff, head, levels):
    complete(investing_draft, staff, levels, planned="-5", disbursed="0")
    key = key_of(investing_draft, "III.1.1.5")
    assert refused(investing_draft, head)[key] == {"q-planned": "Số liệu không được âm."}


def test_disbursed_above_planned_is_refused_without_confirmation(investing_draft, staff, head, levels):
    complete(investing_draft, staff, levels, planned="1000", disbursed="1200")
    key = key_of(investing_draft, "III.1.1.5")
    assert set(refused(investing_draft, head)[key]) == {"q-disbursed"}


def test_disbursed_above_planned_is_accepted_with_confirmation(investing_draft, staff, head, levels):
    complete(investing_draft, staff, levels, planned="1000", disbursed="1200")
    services.report_submit(report=investing_draft, actor=head, confirm_over_plan=True)
    investing_draft.refresh_from_db()
    assert investing_draft.status == UnitReport.Status.SUBMITTED


def test_disbursed_equal_to_planned_needs_no_confirmation(investing_draft, staff, head, levels):
    complete(investing_draft, staff, levels, planned="1000", disbursed="1000")
    services.report_submit(report=investing_draft, actor=head)
    investing_draft.refresh_from_db()
    assert investing_draft.status == UnitReport.Status.SUBMITTED


def test_stored_quantity_that_is_not_a_number_is_refused(investing_draft, staff, head, levels):
    complete(investing_draft, staff, levels)
    key = key_of(investing_draft, "III.1.1.5")
    services.report_save_parts(
        report=investing_draft,
        actor=staff,
        edits=change(investing_draft, key, quantities={"planned": "một tỷ", "disbursed": "900"}),
    )
    assert set(refused(investing_draft, head)[key]) == {"q-planned"}


@pytest.fixture
def phase_period(open_period):
    """The 2022–2025 phase review, moved so that it is running today."""
    today = timezone.localdate()
    period = ReportingPeriod.objects.get(code="2022-2025")
    period.start = today - datetime.timedelta(days=200)
    period.unit_due_date = today + datetime.timedelta(days=10)
    period.end = today + datetime.timedelta(days=20)
    period.data_cutoff = today + datetime.timedelta(days=5)
    period.department_due_date = today + datetime.timedelta(days=15)
    period.save()
    return period


def test_phase_review_requires_phase_assessment_and_lessons(phase_period, own_unit, staff, head, levels):
    report = services.report_start(unit=own_unit, period=phase_period, actor=staff)
    complete(report, staff, levels)
    edits = {
        **change(report, "section-phase_assessment", text=""),
        **change(report, "section-lessons", text=""),
    }
    services.report_save_parts(report=report, actor=staff, edits=edits)
    assert refused(report, head) == {
        "section-phase_assessment": {"text": "Vui lòng nhập nội dung mục này."},
        "section-lessons": {"text": "Vui lòng nhập nội dung mục này."},
    }


def test_ordinary_period_has_no_phase_sections(draft):
    keys = set(draft.sections.values_list("key", flat=True))
    assert not keys & {ReportSection.Key.PHASE_ASSESSMENT, ReportSection.Key.LESSONS}


def test_recommendations_are_optional(draft, staff, head, levels):
    complete(draft, staff, levels)
    services.report_submit(report=draft, actor=head, edits=change(draft, "section-recommendations", items=[]))
    draft.refresh_from_db()
    assert draft.status == UnitReport.Status.SUBMITTED


def test_each_proposal_says_whom_it_asks_before_the_report_is_submitted(draft, staff, head, levels):
    complete(draft, staff, levels)
    before = draft.sections.get(key="recommendations").items
    items = [
        {"text": "Đề nghị Sở bổ sung máy tính cho phòng.", "to": "department"},
        {"text": "Đề nghị UBND tỉnh bố trí vốn cho dự án.", "to": ""},
    ]
    errors = refused(draft, head, edits=change(draft, "section-recommendations", items=items))
    assert errors == {
        "section-recommendations": {
            "items": "Vui lòng chọn nơi nhận cho từng đề xuất, kiến nghị: Sở, UBND tỉnh và các sở, ngành của tỉnh, "
            "hay các bộ, ngành Trung ương."
        }
    }
    draft.refresh_from_db()
    assert draft.status == UnitReport.Status.DRAFT
    assert draft.sections.get(key="recommendations").items == before  # the refused submit saved nothing
    items[1]["to"] = "province"
    services.report_submit(report=draft, actor=head, edits=change(draft, "section-recommendations", items=items))
    draft.refresh_from_db()
    assert draft.status == UnitReport.Status.SUBMITTED
    assert draft.sections.get(key="recommendations").items == items


def test_every_error_is_keyed_by_part_and_field(investing_draft, head):
    errors = refused(investing_draft, head)  # Nothing filled in: every part has something missing.
    parts = part_objects(investing_draft)
    quantity_fields = {"q-planned", "q-disbursed", "q-recurrent", "q-total"}
    assert set(errors) <= set(parts)
    for key, fields in errors.items():
        allowed = SECTION_FIELDS if key.startswith("section-") else CRITERION_FIELDS + tuple(quantity_fields)
        assert fields, key
        assert set(fields) <= set(allowed), key
        assert all(isinstance(message, str) and message for message in fields.values())


def test_refused_submit_saves_none_of_its_edits(draft, staff, head, levels):
    complete(draft, staff, levels)
    section = draft.sections.get(key=ReportSection.Key.HIGHLIGHTS)
    edits = {
        **change(draft, "section-highlights", text="Nội dung mới gửi kèm khi nộp."),
        **change(draft, key_of(draft, "III.1.1.1"), assessment=None),
    }
    refused(draft, head, edits=edits)
    section.refresh_from_db()
    assert (section.text, section.revision) == ("Nội dung mục Kết quả nổi bật.", 1)
