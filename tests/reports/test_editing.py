"""Saving a draft's parts: conflicts per criterion and section, never a silent overwrite, never a needless write."""

import pytest

from reports import services
from reports.errors import EditConflict, NotAllowed
from reports.parts import digest, parse_quantity
from reports.services.editing import part_objects, values_of


def loaded(report, key):
    """What an editor's page holds for one part: its values, revision and digest."""
    part = part_objects(report)[key]
    values = values_of(part)
    return {"values": values, "revision": part.revision, "original": digest(values)}


def changed(page, **values):
    return {**page, "values": {**page["values"], **values}}


def criterion_key(report, code):
    return f"criterion-{report.results.get(criterion_code=code).criterion_id}"


def stored(report, key):
    return part_objects(report)[key]


def test_two_people_editing_different_criteria_both_save(draft, staff, head):
    first, second = criterion_key(draft, "III.1.1.1"), criterion_key(draft, "III.1.1.2")
    staff_page = {first: loaded(draft, first), second: loaded(draft, second)}
    head_page = {first: loaded(draft, first), second: loaded(draft, second)}
    staff_page[first] = changed(staff_page[first], activities="Cán bộ viết tiêu chí 1.")
    head_page[second] = changed(head_page[second], activities="Trưởng phòng viết tiêu chí 2.")
    services.report_save_parts(report=draft, actor=staff, edits=staff_page)
    services.report_save_parts(report=draft, actor=head, edits=head_page)
    assert stored(draft, first).activities == "Cán bộ viết tiêu chí 1."
    assert stored(draft, second).activities == "Trưởng phòng viết tiêu chí 2."


def test_two_people_editing_a_section_and_a_criterion_both_save(draft, staff, head):
    key = criterion_key(draft, "III.1.1.1")
    staff_page = {key: loaded(draft, key), "section-highlights": loaded(draft, "section-highlights")}
    head_page = {key: loaded(draft, key), "section-highlights": loaded(draft, "section-highlights")}
    services.report_save_parts(
        report=draft, actor=staff, edits={**staff_page, key: changed(staff_page[key], activities="Của cán bộ.")}
    )
    head_page["section-highlights"] = changed(head_page["section-highlights"], text="Của trưởng phòng.")
    services.report_save_parts(report=draft, actor=head, edits=head_page)
    assert stored(draft, key).activities == "Của cán bộ."
    assert stored(draft, "section-highlights").text == "Của trưởng phòng."


def test_second_editor_of_the_same_criterion_gets_both_versions(draft, staff, head):
    key = criterion_key(draft, "III.1.1.3")
    staff_page, head_page = loaded(draft, key), loaded(draft, key)
    services.report_save_parts(
        report=draft, actor=staff, edits={key: changed(staff_page, activities="Bản của cán bộ.")}
    )
    with pytest.raises(EditConflict) as caught:
        services.report_save_parts(
            report=draft, actor=head, edits={key: changed(head_page, activities="Bản của trưởng phòng.")}
        )
    conflict = caught.value.conflicts[key]
    assert conflict["theirs"]["activities"] == "Bản của cán bộ."
    assert conflict["yours"]["activities"] == "Bản của trưởng phòng."
    assert (conflict["revision"], conflict["by"]) == (1, str(staff))
    assert stored(draft, key).activities == "Bản của cán bộ."


def test_conflict_on_one_part_still_saves_the_others(draft, staff, head):
    contested, free = criterion_key(draft, "III.1.1.3"), "section-next_steps"
    head_page = {contested: loaded(draft, contested), free: loaded(draft, free)}
    services.report_save_parts(
        report=draft, actor=staff, edits={contested: changed(loaded(draft, contested), activities="Của cán bộ.")}
    )
    head_page = {
        contested: changed(head_page[contested], activities="Của trưởng phòng."),
        free: changed(head_page[free], text="Phương hướng năm tới."),
    }
    with pytest.raises(EditConflict) as caught:
        services.report_save_parts(report=draft, actor=head, edits=head_page)
    assert set(caught.value.conflicts) == {contested}
    assert caught.value.saved == {free: 1}
    assert stored(draft, free).text == "Phương hướng năm tới."


def test_same_text_from_a_stale_page_is_no_conflict(draft, staff, head):
    key = "section-highlights"
    staff_page, head_page = loaded(draft, key), loaded(draft, key)
    services.report_save_parts(report=draft, actor=staff, edits={key: changed(staff_page, text="Cùng một nội dung.")})
    saved = services.report_save_parts(
        report=draft, actor=head, edits={key: changed(head_page, text="Cùng một nội dung.")}
    )
    assert saved == {key: 1}
    assert stored(draft, key).updated_by == staff


def test_untouched_stale_part_is_not_written(draft, staff, head):
    key = "section-shortcomings"
    staff_page = {key: loaded(draft, key), "section-highlights": loaded(draft, "section-highlights")}
    services.report_save_parts(
        report=draft, actor=head, edits={key: changed(loaded(draft, key), text="Trưởng phòng vừa viết.")}
    )
    staff_page["section-highlights"] = changed(staff_page["section-highlights"], text="Cán bộ viết mục khác.")
    saved = services.report_save_parts(report=draft, actor=staff, edits=staff_page)
    assert saved == {"section-highlights": 1}
    section = stored(draft, key)
    assert (section.text, section.revision, section.updated_by) == ("Trưởng phòng vừa viết.", 1, head)


def test_saving_identical_content_twice_bumps_revision_once(draft, staff):
    key = criterion_key(draft, "III.1.2.1")
    page = changed(loaded(draft, key), activities="- Việc một.\n- Việc hai.")
    services.report_save_parts(report=draft, actor=staff, edits={key: page})
    saved = services.report_save_parts(report=draft, actor=staff, edits={key: page})  # A double-clicked "Lưu".
    assert saved == {key: 1}
    assert stored(draft, key).revision == 1


def test_saving_after_a_save_continues_from_the_new_revision(draft, staff):
    key = "section-next_steps"
    services.report_save_parts(report=draft, actor=staff, edits={key: changed(loaded(draft, key), text="Lần một.")})
    services.report_save_parts(report=draft, actor=staff, edits={key: changed(loaded(draft, key), text="Lần hai.")})
    section = stored(draft, key)
    assert (section.text, section.revision) == ("Lần hai.", 2)


def test_unknown_part_is_ignored(draft, staff):
    page = {"values": {"text": "Không có mục này."}, "revision": 0, "original": None}
    assert services.report_save_parts(report=draft, actor=staff, edits={"section-khong-co": page}) == {}


def test_unknown_field_is_not_written(draft, staff):
    key = "section-highlights"
    page = changed(loaded(draft, key), text="Nội dung.", revision=7)
    services.report_save_parts(report=draft, actor=staff, edits={key: page})
    section = stored(draft, key)
    assert (section.text, section.revision) == ("Nội dung.", 1)


def test_other_units_staff_cannot_save(draft, other_staff):
    key = "section-highlights"
    with pytest.raises(NotAllowed):
        services.report_save_parts(
            report=draft, actor=other_staff, edits={key: changed(loaded(draft, key), text="Xen vào.")}
        )
    assert stored(draft, key).revision == 0


def test_reviewer_cannot_save_a_submitted_report(submitted, reviewer):
    key = "section-highlights"
    with pytest.raises(NotAllowed):
        services.report_save_parts(
            report=submitted, actor=reviewer, edits={key: changed(loaded(submitted, key), text="Sửa hộ.")}
        )
    assert stored(submitted, key).text == "Nội dung mục Kết quả nổi bật."


def test_unit_cannot_edit_a_submitted_report(submitted, staff):
    key = "section-highlights"
    with pytest.raises(NotAllowed, match="đã nộp"):
        services.report_save_parts(
            report=submitted, actor=staff, edits={key: changed(loaded(submitted, key), text="Sửa sau khi nộp.")}
        )
    assert stored(submitted, key).revision == 1


@pytest.mark.parametrize(
    ("typed", "number"),
    [
        ("1.250.000.000", "1250000000"),
        ("1.250,5", "1250.5"),
        ("1 250 000", "1250000"),
        ("1.250", "1250"),
        ("0,75", "0.75"),
        ("  900  ", "900"),
        ("", None),
    ],
)
def test_quantities_parse_vietnamese_number_formats(typed, number):
    assert parse_quantity(typed) == number


@pytest.mark.parametrize("typed", ["abc", "1,2,3", "NaN", "Infinity", "12đ"])
def test_quantity_that_is_not_a_number_is_refused_in_vietnamese(typed):
    with pytest.raises(ValueError, match="Vui lòng nhập một số"):
        parse_quantity(typed)
