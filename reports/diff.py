"""What changed between two submitted versions of a report, word by word, per part."""

import difflib
import re
from dataclasses import dataclass

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
    old_tokens = _TOKEN.findall(old or "")
    new_tokens = _TOKEN.findall(new or "")
    segments = []
    matcher = difflib.SequenceMatcher(a=old_tokens, b=new_tokens, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        if tag == "equal":
            segments.append(Segment("same", "".join(old_tokens[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("removed", "".join(old_tokens[i1:i2])))
        if j2 > j1:
            segments.append(Segment("added", "".join(new_tokens[j1:j2])))
    return segments


def _fields_of_result(result):
    quantities = "; ".join(f"{key}: {value}" for key, value in sorted((result.get("quantities") or {}).items()))
    return {
        "Kết quả thực hiện": result.get("activities", ""),
        "Số liệu": quantities,
        "Tự đánh giá": result.get("assessment", ""),
        "Lý do không áp dụng": result.get("not_applicable_reason", ""),
        "Minh chứng": ", ".join(result.get("evidence", [])),
    }


def snapshot_changes(old, new):
    """[PartChange] for every field that differs between two report snapshots."""
    changes = []
    old_results = {item["key"]: item for item in old.get("results", [])}
    for result in new.get("results", []):
        before = _fields_of_result(old_results.get(result["key"], {}))
        after = _fields_of_result(result)
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
