"""The consolidation's gather step: accepted unit reports → one frozen snapshot and the first sections.

A fixed number of queries whatever the number of units; the Department's value of a ratio
indicator is Σ numerator ÷ Σ denominator over the units, never the mean of their ratios.

The report goes to UBND tỉnh, so it is a synthesis whose length does not grow with the number of
units: per criterion, the Department's figures, how many units reported and how they assessed
themselves, and at most QUOTED_UNITS short quotes; the same bound for the narrative sections. The
figures of every unit stay in the annexes (tables), the full texts in the units' own reports.
"""

from collections import Counter
from decimal import Decimal

from campaign.citations import cited, frozen
from campaign.models import CitedDocument, CriterionGroup, Indicator
from units.models import Unit

from ..documents.consolidated import rate_text, vnd_text
from ..documents.unit_report import lower_first
from ..extensions import snapshot_parts
from ..models import ConsolidatedOutline, CriterionResult, ReportSection, UnitReport

# Units quoted under a criterion or in a narrative section, at most, and a quote's length at most
# (about three lines of the body): the body of the report stays a few pages for 10 or 1,000 units.
QUOTED_UNITS = 5
QUOTE_CHARS = 250

DEFAULT_OUTLINE = [
    {"key": "direction", "heading": "I. CÔNG TÁC CHỈ ĐẠO, TỔ CHỨC TRIỂN KHAI", "source": "direction"},
    {"key": "results", "heading": "II. KẾT QUẢ THỰC HIỆN", "source": "results"},
    {"key": "awards", "heading": "III. CÔNG TÁC KHEN THƯỞNG", "source": "awards"},
    {"key": "strengths", "heading": "IV. ĐÁNH GIÁ CHUNG\n1. Ưu điểm", "source": "highlights"},
    {"key": "shortcomings", "heading": "2. Tồn tại, hạn chế", "source": "shortcomings"},
    {"key": "causes", "heading": "3. Nguyên nhân", "source": "text"},
    {"key": "next_steps", "heading": "V. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", "source": "next_steps"},
    {"key": "recommendations", "heading": "VI. ĐỀ XUẤT, KIẾN NGHỊ", "source": "recommendations"},
]
PHASE_OUTLINE = [
    *DEFAULT_OUTLINE[:2],
    {"key": "phase_results", "heading": "III. ĐÁNH GIÁ KẾT QUẢ CẢ GIAI ĐOẠN", "source": "phase_assessment"},
    {"key": "awards", "heading": "IV. CÔNG TÁC KHEN THƯỞNG", "source": "awards"},
    {"key": "strengths", "heading": "V. ĐÁNH GIÁ CHUNG\n1. Ưu điểm", "source": "highlights"},
    {"key": "shortcomings", "heading": "2. Tồn tại, hạn chế", "source": "shortcomings"},
    {"key": "causes", "heading": "3. Nguyên nhân", "source": "text"},
    {"key": "lessons", "heading": "4. Bài học kinh nghiệm", "source": "lessons"},
    {"key": "next_steps", "heading": "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN TỚI", "source": "next_steps"},
    {"key": "recommendations", "heading": "VII. ĐỀ XUẤT, KIẾN NGHỊ", "source": "recommendations"},
]
DEFAULT_RECIPIENTS = [
    "- UBND tỉnh (báo cáo);",
    "- Sở Nội vụ;",
    "- GĐ, các PGĐ Sở;",
    "- Lưu: VT, HCTH.",
]
SECTION_SOURCES = {
    "highlights": ReportSection.Key.HIGHLIGHTS,
    "shortcomings": ReportSection.Key.SHORTCOMINGS,
    "next_steps": ReportSection.Key.NEXT_STEPS,
    "recommendations": ReportSection.Key.RECOMMENDATIONS,
    "phase_assessment": ReportSection.Key.PHASE_ASSESSMENT,
    "lessons": ReportSection.Key.LESSONS,
}


def outline_for(period):
    custom = ConsolidatedOutline.objects.filter(period_kind=period.kind).first()
    if custom is not None:
        return custom.sections, custom.recipients or DEFAULT_RECIPIENTS
    return (PHASE_OUTLINE if period.is_phase_review else DEFAULT_OUTLINE), DEFAULT_RECIPIENTS


def _number(raw):
    try:
        return Decimal(str(raw))
    except (ArithmeticError, ValueError):
        return None


def quote(text, limit=QUOTE_CHARS):
    """A unit's text as one short paragraph: bullets and line breaks flattened, cut at a word with "…"."""
    flat = " ".join(line.strip().lstrip("-+•*").strip() for line in text.splitlines())
    flat = " ".join(flat.split())
    if len(flat) <= limit:
        return flat
    cut = flat[: limit - 1]
    space = cut.rfind(" ")
    if space > limit // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:.-–") + "…"


def _indicator_snapshot(indicator, entries, unit_names):
    """The indicator per unit and for the Department, and how many units meet a fixed target."""
    rows = []
    value_sets = []
    values_by_report = {}
    meeting = 0
    for entry in entries:
        if entry["assessment__means_not_applicable"]:
            continue
        values = entry["quantities"] or {}
        value_sets.append(values)
        value = indicator.compute(values)
        values_by_report[entry["report_id"]] = value
        if indicator.meets(value):
            meeting += 1
        rows.append(
            {
                "unit": unit_names[entry["report_id"]],
                "values": {key: values.get(key) for key in indicator.quantity_keys()},
                "value": None if value is None else str(value),
            }
        )
    totals = {}
    for key in indicator.quantity_keys():
        numbers = [_number(values.get(key)) for values in value_sets if values.get(key) not in (None, "")]
        totals[key] = str(sum((number for number in numbers if number is not None), Decimal(0)))
    department = indicator.aggregate(value_sets)
    has_target = indicator.comparison == Indicator.Comparison.FIXED_TARGET
    snapshot = {
        "code": indicator.code,
        "name": indicator.name,
        "criterion": indicator.criterion.code,
        "quantities": indicator.quantities,
        "formula": indicator.formula,
        "numerator_key": indicator.numerator_key,
        "denominator_key": indicator.denominator_key,
        "result_unit": indicator.result_unit,
        "target": None if indicator.target_value is None else str(indicator.target_value),
        "comparison": indicator.comparison,
        "direction": indicator.direction,
        "rows": rows,
        "units_counted": sum(1 for value in values_by_report.values() if value is not None),
        "units_meeting": meeting if has_target else None,
        "department": {
            "values": totals,
            "value": None if department is None else str(department),
            "meets": indicator.meets(department) if has_target else None,
        },
    }
    return snapshot, values_by_report


def _notable_first(entries, position, values, direction):
    """The order in which units are quoted: best self-assessment, then best indicator value, then unit order."""

    def rank(entry):
        level = entry["assessment__sort_order"]
        value = values.get(entry["report_id"])
        if value is None:
            better = (1, Decimal(0))
        else:
            better = (0, -value if direction == Indicator.Direction.HIGHER_IS_BETTER else value)
        return (level is None, level or 0, better, position[entry["report_id"]])

    return sorted(entries, key=rank)


def gather(period):
    """The snapshot of a period: accepted reports, criteria, indicators aggregated per unit and Department.

    Its size grows with the number of units only by short rows (a name, a few figures, a level per
    criterion); the units' texts are reduced here to the few quotes the report can hold.
    """
    campaign = period.campaign
    reports = list(
        UnitReport.objects.filter(period=period).select_related("unit").order_by("unit__sort_order", "unit__name")
    )
    accepted = [report for report in reports if report.status == UnitReport.Status.ACCEPTED]
    accepted_ids = [report.pk for report in accepted]
    position = {report.pk: index for index, report in enumerate(accepted)}
    units = list(Unit.objects.reporting(period.end).order_by("sort_order", "name"))
    by_unit = {report.unit_id: report for report in reports}
    office_only = {
        "missing": [unit.name for unit in units if unit.pk not in by_unit],
        "not_accepted": [
            f"{report.unit_name} ({report.get_status_display().lower()})"
            for report in reports
            if report.status != UnitReport.Status.ACCEPTED
        ],
        "late": [report.unit_name for report in reports if report.is_late],
    }
    results = CriterionResult.objects.filter(report_id__in=accepted_ids).values(
        "report_id",
        "criterion_id",
        "activities",
        "quantities",
        "assessment__label",
        "assessment__sort_order",
        "assessment__means_not_applicable",
    )
    unit_names = {report.pk: report.unit_name for report in accepted}
    entries_by_criterion = {}
    levels = {}
    for result in results:
        entries_by_criterion.setdefault(result["criterion_id"], []).append(result)
        if result["assessment__label"]:
            levels[result["assessment__label"]] = result["assessment__sort_order"]
    for entries in entries_by_criterion.values():
        entries.sort(key=lambda entry: position[entry["report_id"]])

    indicators = []
    ranking = {}  # criterion id → (the unit values of its first indicator, the indicator's direction)
    for indicator in Indicator.objects.filter(is_active=True).select_related("criterion__group").order_by("code"):
        entries = entries_by_criterion.get(indicator.criterion_id, [])
        snapshot, values = _indicator_snapshot(indicator, entries, unit_names)
        indicators.append(snapshot)
        ranking.setdefault(indicator.criterion_id, (values, indicator.direction))

    groups = list(CriterionGroup.objects.filter(campaign=campaign).prefetch_related("criteria").order_by("sort_order"))
    criteria = []
    marks = {report.pk: [] for report in accepted}
    for group in groups:
        for criterion in group.criteria.all():
            if not criterion.is_active:
                continue
            entries = entries_by_criterion.get(criterion.pk, [])
            reported = [entry for entry in entries if not entry["assessment__means_not_applicable"]]
            assessed = Counter(entry["assessment__label"] for entry in reported if entry["assessment__label"])
            values, direction = ranking.get(criterion.pk, ({}, Indicator.Direction.HIGHER_IS_BETTER))
            written = [entry for entry in reported if entry["activities"].strip()]
            quoted = _notable_first(written, position, values, direction)[:QUOTED_UNITS]
            quoted.sort(key=lambda entry: position[entry["report_id"]])
            criteria.append(
                {
                    "code": criterion.code,
                    "group": group.name,
                    "group_section": group.section,
                    "text": criterion.text,
                    "short_label": criterion.short_label,
                    "reported": len(reported),
                    "not_applicable": len(entries) - len(reported),
                    "assessments": [
                        {"label": label, "count": assessed[label]}
                        for label in sorted(assessed, key=lambda label: levels[label])
                    ],
                    "quotes": [
                        {
                            "unit": unit_names[entry["report_id"]],
                            "assessment": entry["assessment__label"] or "",
                            "text": quote(entry["activities"]),
                        }
                        for entry in quoted
                    ],
                }
            )
            levels_here = {entry["report_id"]: entry["assessment__label"] or "" for entry in entries}
            for report_id, row in marks.items():
                row.append(levels_here.get(report_id))

    narratives = {source: {"count": 0, "quotes": []} for source in SECTION_SOURCES}
    keys = {value: source for source, value in SECTION_SOURCES.items()}
    sections = ReportSection.objects.filter(report_id__in=accepted_ids).values("report_id", "key", "text")
    for section in sorted(sections, key=lambda section: position[section["report_id"]]):
        narrative = narratives[keys[section["key"]]]
        if section["text"].strip():
            narrative["count"] += 1
            if len(narrative["quotes"]) < QUOTED_UNITS:
                narrative["quotes"].append({"unit": unit_names[section["report_id"]], "text": quote(section["text"])})
    return {
        "period": {"code": period.code, "label": period.label, "kind": period.kind, "year": period.year},
        "campaign": {
            "name": campaign.name,
            "governing_body": campaign.governing_body,
            "issuing_body": campaign.issuing_body,
            "issuer_code": campaign.issuing_body_abbreviation,
            "place": campaign.place_name,
            "recipient": campaign.report_recipient,
        },
        # The plan and the province's plan as cited at compile time (campaign.citations).
        "plan": frozen(cited(campaign, CitedDocument.Role.PLAN)),
        "provincial_plan": frozen(cited(campaign, CitedDocument.Role.PROVINCIAL_PLAN)),
        "accepted_units": [report.unit_name for report in accepted],
        "unit_count": len(units),
        "criteria": criteria,
        "indicators": indicators,
        # Each unit's self-assessment per criterion (None: the criterion does not concern the unit): Phụ lục II.
        "assessment_matrix": {
            "criteria": [criterion["code"] for criterion in criteria],
            "levels": sorted(levels, key=lambda label: levels[label]),
            "rows": [{"unit": unit_names[report_id], "levels": row} for report_id, row in marks.items()],
        },
        "narratives": narratives,
        # What the apps built on reports add (reports.extensions): "awards", the paragraphs of section III.
        "awards": [],
        **snapshot_parts(period),
        "office_only": office_only,
    }


def _direction_text(snapshot):
    campaign = snapshot["campaign"]
    plan = snapshot.get("plan")
    implemented = (
        plan["citation"]
        if plan
        else f"Kế hoạch của Sở Khoa học và Công nghệ về tổ chức thực hiện Phong trào thi đua “{campaign['name']}”"
    )
    return (
        f"Thực hiện {implemented}, Sở đã quán triệt, triển khai đến các phòng, đơn vị thuộc Sở; "
        f"{len(snapshot['accepted_units'])}/{snapshot['unit_count']} phòng, đơn vị đã báo cáo kết quả thực hiện "
        f"{snapshot['period']['label'][:1].lower()}{snapshot['period']['label'][1:]}."
    )


def _count(number):
    return f"{number:,}".replace(",", ".")


def _criterion_figures(criterion):
    """ "9 phòng, đơn vị báo cáo kết quả thực hiện (1 đơn vị không áp dụng); tự đánh giá: 6 Hoàn thành tốt, 3 …"."""
    text = f"Có {_count(criterion['reported'])} phòng, đơn vị báo cáo kết quả thực hiện"
    if criterion["not_applicable"]:
        text += f" ({_count(criterion['not_applicable'])} đơn vị không áp dụng)"
    if criterion["assessments"]:
        levels = ", ".join(f"{_count(level['count'])} {level['label']}" for level in criterion["assessments"])
        text += f"; tự đánh giá: {levels}"
    return text + "."


def _indicator_figures(indicator):
    """The Department's value of an indicator by its rule, with the sums it comes from and the target."""
    department = indicator["department"]
    result_unit = indicator["result_unit"]
    if department["value"] is None:
        return f"Chỉ số “{indicator['name']}” của toàn Sở: chưa tính được (chưa có số liệu)."
    labels = {quantity["key"]: quantity for quantity in indicator["quantities"]}

    def total(key):
        quantity = labels[key]
        label = lower_first(quantity["label"])
        label = label if label.startswith("tổng ") else f"tổng {label}"
        return f"{label} {vnd_text(department['values'].get(key))} {quantity['unit']}"

    if indicator.get("formula") == "ratio":
        value = rate_text(department["value"], result_unit)
        basis = f" ({total(indicator['numerator_key'])} ÷ {total(indicator['denominator_key'])})"
    else:
        value = f"{vnd_text(department['value'])} {result_unit}".rstrip()
        basis = ""
    text = f"Chỉ số “{indicator['name']}” của toàn Sở đạt {value}{basis}"
    if indicator["target"] is not None and indicator["comparison"] == "target":
        verdict = {True: "đạt chỉ tiêu", False: "chưa đạt chỉ tiêu", None: ""}[department.get("meets")]
        text += f"; chỉ tiêu {rate_text(indicator['target'], result_unit)}"
        if verdict:
            text += f", {verdict}"
        if indicator.get("units_meeting") is not None:
            text += (
                f"; {_count(indicator['units_meeting'])}/{_count(indicator['units_counted'])} phòng, đơn vị "
                "đạt chỉ tiêu"
            )
    return text + "."


def _results_text(snapshot):
    """Section II: per criterion group and criterion, the Department's figures and a few unit quotes."""
    lines = []
    indicators = {}
    for indicator in snapshot["indicators"]:
        indicators.setdefault(indicator["criterion"], []).append(indicator)
    group_number = 0
    current_group = None
    for criterion in snapshot["criteria"]:
        if not criterion["reported"]:
            continue
        if criterion["group"] != current_group:
            current_group = criterion["group"]
            group_number += 1
            lines.append(f"{group_number}. {current_group}")
        lines.append(f"- Tiêu chí {criterion['code']}: {criterion['text']}")
        lines.append(_criterion_figures(criterion))
        lines.extend(_indicator_figures(indicator) for indicator in indicators.get(criterion["code"], []))
        if criterion["quotes"]:
            lines.append("Một số kết quả tiêu biểu:")
            lines.extend(f"+ {entry['unit']}: {entry['text']}" for entry in criterion["quotes"])
    if lines:
        lines.append(
            "Số liệu các chỉ số của từng phòng, đơn vị tại Phụ lục I; kết quả tự đánh giá theo tiêu chí "
            "của từng phòng, đơn vị tại Phụ lục II kèm theo Báo cáo này."
        )
    return "\n".join(lines)


def _narrative_text(narrative):
    lines = []
    if narrative["count"] > len(narrative["quotes"]):
        lines.append(f"Một số ý kiến tiêu biểu trong báo cáo của {_count(narrative['count'])} phòng, đơn vị:")
    lines.extend(f"- {entry['unit']}: {entry['text']}" for entry in narrative["quotes"])
    return "\n".join(lines)


def first_sections(snapshot, outline):
    """The sections the compile writes; the office edits them before sending for approval."""
    sections = []
    for item in outline:
        source = item.get("source", "text")
        if source == "direction":
            text = _direction_text(snapshot)
        elif source == "results":
            text = _results_text(snapshot)
        elif source == "awards":
            text = "\n".join(snapshot["awards"]) if snapshot["awards"] else ""
        elif source in SECTION_SOURCES:
            text = _narrative_text(snapshot["narratives"].get(source, {"count": 0, "quotes": []}))
        else:
            text = item.get("text", "")
        sections.append({"key": item["key"], "heading": item["heading"], "source": source, "text": text})
    return sections
