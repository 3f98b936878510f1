"""Where the apps built on reports plug into it, so that reports never imports them (DESIGN.md section 3).

A later app registers, from its AppConfig.ready():

- `register_snapshot_part(name, gather)`: a part of the consolidated report's snapshot, a name and a function of
  the period that returns plain JSON (e.g. awards: the paragraphs of section III, from the award register). The
  compile freezes each part in the snapshot under its name.
- `register_report_annotations(provide)`: short notes beside a unit report's criteria and indicators (emulation:
  "Đăng ký: 100,00%", the unit's registered target). `provide(report)` → {criterion_id: {"criterion": str,
  "indicators": {indicator_id: str}}} for that one report, in a fixed number of queries (one or two, never one per
  criterion); an empty string or a missing key adds nothing. The report's editor, its read-only page and the review
  page show them (`report_annotations`, called once per page by reports.views._editor_context).
- `register_review_panel(order, template, context)`: a panel of the review page. `context(report)` → a dict for
  `template` (given to it as `panel`), or None to show nothing for that report; panels render in `order`, then
  by template name (`review_panels`, called once by reports.views.review).
- `register_consolidated_section(name, gather, build, *, order=100)`: a section of the consolidated report.
  `gather(period)` → plain JSON or None, frozen by the compile in the snapshot's "added_sections" under `name`
  (`consolidated_sections`, called once by reports.services.compile.gather); `build(value, period)` — the frozen
  value and the snapshot's period ({"code", "label", "kind", "year"}) — → a `ConsolidatedPart` or None, read by
  reports.documents.consolidated when it builds the document, never from the database, so a report renders the
  same later. Parts come in `order`, then by name: each part's `body` goes at the end of the report's section II
  (the outline item whose source is "results"; at the end of the body if the office's outline has none), its
  heading numbered after that section's own numbered headings, and its annex after the report's own, labelled in
  sequence (Phụ lục III, IV, …) with a last sentence of the body naming it. A name no longer registered, or a
  snapshot compiled before the section existed, adds nothing.
"""

from dataclasses import dataclass, field

_SNAPSHOT_PARTS = {}
_ANNOTATIONS = []
_REVIEW_PANELS = {}
_CONSOLIDATED_SECTIONS = {}


def register_snapshot_part(name, gather):
    """`gather(period)` → JSON-ready value, kept in the consolidated report's snapshot under `name`."""
    _SNAPSHOT_PARTS[name] = gather


def snapshot_parts(period):
    """Every registered part of the snapshot, gathered for the period."""
    return {name: gather(period) for name, gather in _SNAPSHOT_PARTS.items()}


# --- The unit report's pages ---------------------------------------------------------------------------------


def register_report_annotations(provide):
    """`provide(report)` → {criterion_id: {"criterion": str, "indicators": {indicator_id: str}}}."""
    if provide not in _ANNOTATIONS:
        _ANNOTATIONS.append(provide)


def report_annotations(report):
    """Every provider's notes for the report: {criterion_id: {"criterion": [str], "indicators": {id: [str]}}}."""
    merged = {}
    for provide in _ANNOTATIONS:
        for criterion_id, notes in (provide(report) or {}).items():
            entry = merged.setdefault(criterion_id, {"criterion": [], "indicators": {}})
            if notes.get("criterion"):
                entry["criterion"].append(notes["criterion"])
            for indicator_id, note in (notes.get("indicators") or {}).items():
                if note:
                    entry["indicators"].setdefault(indicator_id, []).append(note)
    return merged


def register_review_panel(order, template, context):
    """A panel of the review page: `template` rendered with `panel` = `context(report)` unless that is None."""
    _REVIEW_PANELS[template] = (order, context)


def review_panels(report):
    """[{"template", "context"}] of the panels that have something to show for the report, in order."""
    panels = []
    for template, (_, context) in sorted(_REVIEW_PANELS.items(), key=lambda item: (item[1][0], item[0])):
        value = context(report)
        if value is not None:
            panels.append({"template": template, "context": value})
    return panels


# --- The consolidated report ---------------------------------------------------------------------------------


@dataclass
class ConsolidatedPart:
    """What a registered section adds to the consolidated report's document (documents.model objects).

    `body`: Sections placed at the end of section II; `annex_title` and `annex_tables`: one annex after the
    report's own (no annex without tables). A table's `sheet_name` is prefixed with the annex's short label
    ("PL III. …").
    """

    body: list = field(default_factory=list)
    annex_title: str = ""
    annex_tables: list = field(default_factory=list)


def register_consolidated_section(name, gather, build, *, order=100):
    """`gather(period)` → JSON or None, frozen in the snapshot; `build(value, period)` → ConsolidatedPart or None."""
    _CONSOLIDATED_SECTIONS[name] = (order, gather, build)


def _in_order():
    return sorted(_CONSOLIDATED_SECTIONS.items(), key=lambda item: (item[1][0], item[0]))


def consolidated_sections(period):
    """{name: value} of every registered section with something to say for the period (the compile's gather)."""
    gathered = {}
    for name, (_, gather, _) in _in_order():
        value = gather(period)
        if value is not None:
            gathered[name] = value
    return gathered


def consolidated_parts(frozen, period):
    """The ConsolidatedPart of every registered section whose value is in `frozen` (the snapshot's), in order."""
    parts = []
    for name, (_, _, build) in _in_order():
        if name not in frozen:
            continue
        part = build(frozen[name], period)
        if part is not None:
            parts.append(part)
    return parts
