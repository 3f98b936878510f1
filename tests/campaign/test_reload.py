"""Reloading the plan: idempotent, keeps administrators' edits, applies the file's changes to untouched rows."""

import datetime

import pytest
from django.core.management import CommandError, call_command

from awards.models import AwardForm, AwardPrerequisite
from campaign.models import (
    AssessmentLevel,
    Campaign,
    ContentArea,
    Criterion,
    CriterionApplicability,
    CriterionGroup,
    Indicator,
    Phase,
    ReportingPeriod,
)
from campaign.plan_loader import DEFAULT_PLAN_PATH, PlanFileError, load_plan
from units.models import Unit

LOADED_MODELS = [
    Unit,
    Campaign,
    Phase,
    ContentArea,
    CriterionGroup,
    Criterion,
    CriterionApplicability,
    Indicator,
    AssessmentLevel,
    ReportingPeriod,
    AwardForm,
    AwardPrerequisite,
]


def dump():
    return {model._meta.label: list(model.objects.order_by("pk").values()) for model in LOADED_MODELS}


def modified_plan(tmp_path, *replacements):
    text = DEFAULT_PLAN_PATH.read_text(encoding="utf-8")
    for old, new in replacements:
        assert old in text, old
        text = text.replace(old, new)
    path = tmp_path / "plan.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_second_load_changes_nothing(plan):
    before = dump()

    result = load_plan()

    assert dump() == before
    assert (result.created, result.updated, result.kept) == (0, 0, 0)
    assert result.unchanged == plan.created
    assert "không có gì thay đổi" in result.summary


def test_second_load_through_the_command_reports_nothing_created(plan, capsys):
    call_command("load_plan")

    output = capsys.readouterr().out
    assert "Tổng cộng: 0 tạo mới, 0 cập nhật" in output


def test_reload_uses_a_bounded_number_of_queries(plan, django_assert_max_num_queries):
    with django_assert_max_num_queries(20):
        load_plan()


def test_administrator_edit_of_a_criterion_label_survives_reload(plan):
    criterion = Criterion.objects.get(plan_key="criterion-III.1.1.2")
    criterion.short_label = "Chuyển đổi số, chính quyền số"
    criterion.save()

    result = load_plan()

    criterion.refresh_from_db()
    assert criterion.short_label == "Chuyển đổi số, chính quyền số"
    assert result[Criterion].kept == 1
    assert result[Criterion].updated == 0


def test_administrator_edit_of_a_period_due_date_survives_reload(plan):
    period = ReportingPeriod.objects.get(code="2026-H1")
    period.unit_due_date = datetime.date(2026, 6, 22)
    period.save()

    result = load_plan()

    period.refresh_from_db()
    assert period.unit_due_date == datetime.date(2026, 6, 22)
    assert result[ReportingPeriod].kept == 1


def test_file_change_to_an_untouched_row_is_applied_on_reload(plan, tmp_path):
    path = modified_plan(
        tmp_path,
        ('short_label = "Chuyển đổi số"', 'short_label = "Chuyển đổi số, chính quyền số"'),
        ('unit_due_date = "06-20"', 'unit_due_date = "06-22"'),
    )

    result = load_plan(path=path)

    assert Criterion.objects.get(plan_key="criterion-III.1.1.2").short_label == "Chuyển đổi số, chính quyền số"
    assert set(ReportingPeriod.objects.filter(kind="half_year").values_list("unit_due_date__day", flat=True)) == {22}
    assert result[Criterion].updated == 1
    assert result[ReportingPeriod].updated == 9
    assert (result.created, result.kept) == (0, 0)
    again = load_plan(path=path)
    assert (again.created, again.updated, again.kept) == (0, 0, 0)


def test_file_change_does_not_override_an_administrator_edit(plan, tmp_path):
    period = ReportingPeriod.objects.get(code="2026-H1")
    period.unit_due_date = datetime.date(2026, 6, 19)
    period.save()
    path = modified_plan(tmp_path, ('unit_due_date = "06-20"', 'unit_due_date = "06-22"'))

    result = load_plan(path=path)

    period.refresh_from_db()
    assert period.unit_due_date == datetime.date(2026, 6, 19)
    assert ReportingPeriod.objects.get(code="2027-H1").unit_due_date == datetime.date(2027, 6, 22)
    assert (result[ReportingPeriod].updated, result[ReportingPeriod].kept) == (8, 1)
    assert "giữ nguyên bản đã sửa" in result.summary


def test_deactivating_a_criterion_is_not_an_edit_of_the_plan_text(plan, tmp_path):
    criterion = Criterion.objects.get(plan_key="criterion-III.1.2.3")
    criterion.is_active = False
    criterion.save()
    path = modified_plan(tmp_path, ('short_label = "Tỷ trọng chi thường xuyên"', 'short_label = "Tỷ trọng chi TX"'))

    load_plan(path=path)

    criterion.refresh_from_db()
    assert (criterion.short_label, criterion.is_active) == ("Tỷ trọng chi TX", False)


def test_new_row_in_the_file_is_created_on_reload(plan, tmp_path):
    path = modified_plan(
        tmp_path,
        (
            '[[award_forms]]\nplan_key = "award-lao-dong-tien-tien"',
            '[[assessment_levels]]\nplan_key = "level-xuat-sac"\ncode = "xuat-sac"\nlabel = "Xuất sắc"\n'
            'sort_order = 0\n\n[[award_forms]]\nplan_key = "award-lao-dong-tien-tien"',
        ),
    )

    result = load_plan(path=path)

    assert AssessmentLevel.objects.order_by("sort_order").first().label == "Xuất sắc"
    assert (result.created, result.updated) == (1, 0)


def test_edited_unit_and_applicability_rule_are_left_alone(plan):
    Unit.objects.filter(code="HCTH").update(name="Văn phòng Sở")
    CriterionApplicability.objects.update(note="Đã rà soát")

    result = load_plan()

    assert Unit.objects.get(code="HCTH").name == "Văn phòng Sở"
    assert CriterionApplicability.objects.get().note == "Đã rà soát"
    assert (result[Unit].kept, result[CriterionApplicability].kept) == (1, 1)


def test_bad_reference_is_refused_in_vietnamese_and_nothing_is_written(no_plan, tmp_path):
    path = modified_plan(tmp_path, ('criterion = "criterion-III.1.2.3"', 'criterion = "criterion-III.9.9"'))

    with pytest.raises(PlanFileError, match="không tìm thấy “criterion-III.9.9”"):
        load_plan(path=path)
    with pytest.raises(CommandError):
        call_command("load_plan", path=str(path))

    assert not Campaign.objects.exists()
    assert not Unit.objects.exists()


def test_invalid_choice_is_refused(db, tmp_path):
    path = modified_plan(tmp_path, ('review_kind = "final"', 'review_kind = "tong-ket"'))

    with pytest.raises(PlanFileError, match="phase-2"):
        load_plan(path=path)


def test_row_an_administrator_added_with_the_same_code_is_adopted_not_duplicated(plan, tmp_path):
    AssessmentLevel.objects.create(plan_key="admin-1", code="xuat-sac", label="Hoàn thành xuất sắc", sort_order=0)
    path = modified_plan(
        tmp_path,
        (
            '[[award_forms]]\nplan_key = "award-lao-dong-tien-tien"',
            '[[assessment_levels]]\nplan_key = "level-xuat-sac"\ncode = "xuat-sac"\nlabel = "Xuất sắc"\n'
            'sort_order = 0\n\n[[award_forms]]\nplan_key = "award-lao-dong-tien-tien"',
        ),
    )

    result = load_plan(path=path)

    assert AssessmentLevel.objects.get(code="xuat-sac").label == "Hoàn thành xuất sắc"
    assert (result[AssessmentLevel].created, result[AssessmentLevel].kept) == (0, 1)


def test_a_loaded_field_added_later_reaches_the_rows_nobody_edited(plan):
    """A migration that adds a loaded field calls adopt_new_fields: unedited rows then take the file's value."""
    from campaign.plan_loader import LOADED_FIELDS, _row_snapshot, adopt_new_fields, canonical_digest

    fields = LOADED_FIELDS[Indicator]
    older = tuple(name for name in fields if name != "half_year_target")
    untouched, edited = Indicator.objects.order_by("code")
    for row in (untouched, edited):  # digests as an older loader wrote them, before half_year_target existed
        row.plan_digest = canonical_digest(_row_snapshot(row, older))
        row.save()
    edited_digest = edited.plan_digest
    Indicator.objects.filter(pk=edited.pk).update(name="Chỉ số do quản trị viên sửa")
    adopt_new_fields(Indicator, old_fields=older, new_fields=fields)
    untouched.refresh_from_db()
    edited.refresh_from_db()
    assert untouched.plan_digest == canonical_digest(_row_snapshot(untouched, fields))
    assert edited.plan_digest == edited_digest  # an edit stays an edit
    result = load_plan()
    assert result.counts_for(Indicator).kept == 1
    assert Indicator.objects.get(pk=edited.pk).name == "Chỉ số do quản trị viên sửa"
