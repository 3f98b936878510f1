"""Word-by-word differences between two submitted versions of a report."""

from reports.diff import Segment, snapshot_changes, word_diff


def rendered(segments):
    marks = {"same": "{}", "added": "[+{}]", "removed": "[-{}]"}
    return "".join(marks[segment.kind].format(segment.text) for segment in segments)


def test_the_same_text_is_one_unchanged_segment():
    assert word_diff("Giải ngân 90%.", "Giải ngân 90%.") == [Segment("same", "Giải ngân 90%.")]


def test_an_added_word_is_marked_added():
    assert rendered(word_diff("Hoàn thành kế hoạch.", "Hoàn thành vượt kế hoạch.")) == "Hoàn thành [+vượt ]kế hoạch."


def test_a_removed_word_is_marked_removed():
    assert rendered(word_diff("Đã giải ngân chậm 80%.", "Đã giải ngân 80%.")) == "Đã giải ngân [-chậm ]80%."


def test_a_replaced_phrase_shows_as_one_removal_and_one_addition():
    assert rendered(word_diff("Kết quả nổi bật.", "Thành tích nổi bật.")) == "[-Kết quả][+Thành tích] nổi bật."


def test_line_breaks_and_list_dashes_are_kept():
    old = "- Ý thứ nhất.\n- Ý thứ hai."
    new = "- Ý thứ nhất.\n- Ý thứ ba.\n- Ý thứ tư."
    segments = word_diff(old, new)
    assert "".join(s.text for s in segments if s.kind != "added") == old
    assert "".join(s.text for s in segments if s.kind != "removed") == new


def test_from_nothing_everything_is_added():
    assert word_diff("", "Nội dung mới.") == [Segment("added", "Nội dung mới.")]


def snapshot(activities="Đã làm.", quantities=None, evidence=(), highlights="Nổi bật."):
    return {
        "results": [
            {
                "key": "criterion-1",
                "code": "III.1.1.5",
                "activities": activities,
                "quantities": quantities or {"planned": "1000", "disbursed": "900"},
                "assessment": "Hoàn thành tốt",
                "not_applicable_reason": "",
                "evidence": list(evidence),
            }
        ],
        "sections": [{"key": "section-highlights", "title": "Kết quả nổi bật", "text": highlights}],
    }


def test_two_equal_snapshots_have_no_changes():
    assert snapshot_changes(snapshot(), snapshot()) == []


def test_changes_name_the_criterion_and_the_field():
    changes = snapshot_changes(
        snapshot(),
        snapshot(activities="Đã làm xong.", quantities={"planned": "1000", "disbursed": "950"}),
        quantity_labels={"planned": "Kế hoạch vốn", "disbursed": "Vốn đã giải ngân"},
    )
    assert [(change.title, change.field) for change in changes] == [
        ("Tiêu chí III.1.1.5", "Kết quả thực hiện"),
        ("Tiêu chí III.1.1.5", "Số liệu"),
    ]
    assert rendered(changes[1].segments) == "Vốn đã giải ngân: [-900;][+950;] Kế hoạch vốn: 1.000"


def test_new_evidence_and_section_text_are_changes():
    changes = snapshot_changes(snapshot(), snapshot(evidence=["Biên bản.pdf"], highlights="Nổi bật hơn."))
    assert [(change.title, change.field) for change in changes] == [
        ("Tiêu chí III.1.1.5", "Minh chứng"),
        ("Kết quả nổi bật", "Nội dung"),
    ]
    assert rendered(changes[0].segments) == "[+Biên bản.pdf]"
