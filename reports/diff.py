"""What changed between two submitted versions of a report, word by word, per part."""

import difflib
import re
from dataclasses import dataclass

from .parts import display_quantity

_TOKEN = re.compile(r"\s+|[^\s]+")


@dataclass
class Segment:
    kind: str  # "same", "added" or "removed"
    text: str


@dataclass
class PartChange:
    title: str
    field: str
    segments: list


def word_diff(old, new):
    """[Segment] turning `old` into `new`, word by word; whitespace and line breaks are kept as typed."""
    old_tokens = _TOKEN.findall(old or "")
    new_tokens = _TOKEN.findall(new or "")
    blocks = []  # ("same", text) or ("change", removed, added)
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            blocks.append(("same", "".join(old_tokens[i1:i2])))
        else:
            blocks.append(("change", "".join(old_tokens[i1:i2]), "".join(new_tokens[j1:j2])))
    return _segments(_join_replacements(blocks))


def _join_replacements(blocks):
    # "Kết quả" → "Thành tích" matches the space between the words; show one replaced phrase, not two.
    joined = []
    for block in blocks:
        if (
            block[0] == "change"
            and len(joined) >= 2
            and joined[-1][0] == "same"
            and not joined[-1][1].strip()
            and joined[-2][0] == "change"
            and all(block[1:])
            and all(joined[-2][1:])
        ):
            space = joined.pop()[1]
            _, removed, added = joined.pop()
            block = ("change", removed + space + block[1], added + space + block[2])
        joined.append(block)
    return joined


def _segments(blocks):
    segments = []
    for block in blocks:
        if block[0] == "same":
            segments.append(Segment("same", block[1]))
            continue
        if block[1]:
            segments.append(Segment("removed", block[1]))
        if block[2]:
            segments.append(Segment("added", block[2]))
    return segments


def _fields_of_result(result, quantity_labels):
    quantities = "; ".join(
        f"{quantity_labels.get(key, key)}: {display_quantity(value)}"
        for key, value in sorted((result.get("quantities") or {}).items())
    )
    return {
        "Kết quả thực hiện": result.get("activities", ""),
        "Số liệu": quantities,
        "Tự đánh giá": result.get("assessment", ""),
        "Lý do không áp dụng": result.get("not_applicable_reason", ""),
        "Minh chứng": ", ".join(result.get("evidence", [])),
    }


def snapshot_changes(old, new, *, quantity_labels=None):
    """[PartChange] for every field that differs between two report snapshots.

    `quantity_labels` names the indicator quantities ({"planned": "Kế hoạch vốn …"}) for people to read.
    """
    quantity_labels = quantity_labels or {}
    changes = []
    old_results = {item["key"]: item for item in old.get("results", [])}
    for result in new.get("results", []):
        before = _fields_of_result(old_results.get(result["key"], {}), quantity_labels)
        after = _fields_of_result(result, quantity_labels)
        for field, text in after.items():
            if before.get(field, "") != text:
                title = f"Tiêu chí {result['code']}"
                changes.append(PartChange(title, field, word_diff(before.get(field, ""), text)))
    old_sections = {item["key"]: item for item in old.get("sections", [])}
    for section in new.get("sections", []):
        before = old_sections.get(section["key"], {}).get("text", "")
        if before != section["text"]:
            changes.append(PartChange(section["title"], "Nội dung", word_diff(before, section["text"])))
    return changes
