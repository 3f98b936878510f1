"""The consolidation's gather step: accepted unit reports → one frozen snapshot and the first sections.

A fixed number of queries whatever the number of units; the Department's value of a ratio
indicator is Σ numerator ÷ Σ denominator over the units, never the mean of their ratios.

The report goes to UBND tỉnh as the Department's own synthesis, whose length does not grow with the
number of units: per criterion (named by its text), the Department's figures, how many units reported and
how they assessed themselves, units whose self-assessment their indicator contradicts, and at most
QUOTED_UNITS quotes of whole sentences; the results by the plan's content areas; what units wrote in
their overall sections grouped by theme; their proposals to the province and to central bodies (those to
the Department itself stay inside, in the Director's internal summary). Indicators are judged for the
period they cover: a half-year figure is progress against the annual target unless the plan sets a
half-year milestone. The figures of every unit stay in the annexes (tables), the full texts in the units'
own reports (reports.services.synthesis makes the sentences, themes and counts).
"""

from collections import Counter
from decimal import Decimal

from campaign.citations import cited, frozen
from campaign.models import AssessmentLevel, CitedDocument, ContentArea, CriterionGroup, Indicator, ReportingPeriod
from units.models import Unit
from units.selectors import office_code

from ..documents.consolidated import rate_text, vnd_text
from ..documents.unit_report import lower_first
from ..extensions import consolidated_sections, snapshot_parts
from ..models import Addressee, ConsolidatedOutline, CriterionResult, ReportSection, UnitReport
from .synthesis import group_by_theme, quote, same_point, split_causes, units_phrase

# 2: criteria by their text, content areas, themes, proposals by addressee, indicators judged for the period,
# and the body closed by "./." with a "Nơi nhận" that starts "- Như trên;" (reports.documents.consolidated).
SNAPSHOT_FORMAT = 2
# Units quoted under a criterion, at most: the body of the report stays a few pages for 10 or 1,000 units.
QUOTED_UNITS = 5

DEFAULT_OUTLINE = [
    {"key": "direction", "heading": "I. CÔNG TÁC CHỈ ĐẠO, TỔ CHỨC TRIỂN KHAI", "source": "direction"},
    {"key": "results", "heading": "II. KẾT QUẢ THỰC HIỆN", "source": "results"},
    {"key": "awards", "heading": "III. CÔNG TÁC KHEN THƯỞNG", "source": "awards"},
    {"key": "strengths", "heading": "IV. ĐÁNH GIÁ CHUNG\n1. Ưu điểm", "source": "highlights"},
    {"key": "shortcomings", "heading": "2. Tồn tại, hạn chế", "source": "shortcomings"},
    {"key": "causes", "heading": "3. Nguyên nhân", "source": "causes"},
    {"key": "next_steps", "heading": "V. PHƯƠNG HƯỚNG, NHIỆM VỤ KỲ TỚI", "source": "next_steps"},
    {"key": "recommendations", "heading": "VI. ĐỀ XUẤT, KIẾN NGHỊ", "source": "recommendations"},
]
PHASE_OUTLINE = [
    *DEFAULT_OUTLINE[:2],
    {"key": "phase_results", "heading": "III. ĐÁNH GIÁ KẾT QUẢ CẢ GIAI ĐOẠN", "source": "phase_assessment"},
    {"key": "awards", "heading": "IV. CÔNG TÁC KHEN THƯỞNG", "source": "awards"},
    {"key": "strengths", "heading": "V. ĐÁNH GIÁ CHUNG\n1. Ưu điểm", "source": "highlights"},
    {"key": "shortcomings", "heading": "2. Tồn tại, hạn chế", "source": "shortcomings"},
    {"key": "causes", "heading": "3. Nguyên nhân", "source": "causes"},
    {"key": "lessons", "heading": "4. Bài học kinh nghiệm", "source": "lessons"},
    {"key": "next_steps", "heading": "VI. PHƯƠNG HƯỚNG, NHIỆM VỤ GIAI ĐOẠN TỚI", "source": "next_steps"},
    {"key": "recommendations", "heading": "VII. ĐỀ XUẤT, KIẾN NGHỊ", "source": "recommendations"},
]
# "Như trên" is the addressee of "Kính gửi" (UBND tỉnh, through Sở Nội vụ).
DEFAULT_RECIPIENTS = [
    "- Như trên;",
    "- Giám đốc, các Phó Giám đốc Sở;",
    "- Lưu: VT, HCTH.",
]
SECTION_SOURCES = {
    "highlights": ReportSection.Key.HIGHLIGHTS,
    "shortcomings": ReportSection.Key.SHORTCOMINGS,
    "next_steps": ReportSection.Key.NEXT_STEPS,
    "phase_assessment": ReportSection.Key.PHASE_ASSESSMENT,
    "lessons": ReportSection.Key.LESSONS,
}
UPWARD_HEADINGS = {
    Addressee.PROVINCE: "Đối với Ủy ban nhân dân tỉnh, các sở, ngành của tỉnh",
    Addressee.CENTRAL: "Đối với các bộ, ngành Trung ương",
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


def _reaches(value, reference, direction):
    if value is None or reference is None:
        return None
    return value >= reference if direction == Indicator.Direction.HIGHER_IS_BETTER else value <= reference


def _judging(indicator, half_year):
    """What the period's figure is judged against: (reference, its label), or (None, "") for no judgement.

    A year or a phase is judged against the target; a half year against the plan's half-year milestone if it
    sets one, otherwise not at all (its figure is progress towards the annual target).
    """
    if indicator.comparison != Indicator.Comparison.FIXED_TARGET:
        return None, ""
    if not half_year:
        return indicator.target_value, "chỉ tiêu"
    if indicator.half_year_target is not None:
        return indicator.half_year_target, "mốc 6 tháng"
    return None, ""


def _indicator_snapshot(indicator, entries, unit_names, half_year):
    """The indicator per unit and for the Department, judged for the period, and how many units reach it."""
    rows = []
    value_sets = []
    values_by_report = {}
    reference, reference_label = _judging(indicator, half_year)
    reaching = 0
    for entry in entries:
        if entry["assessment__means_not_applicable"]:
            continue
        values = entry["quantities"] or {}
        value_sets.append(values)
        value = indicator.compute(values)
        values_by_report[entry["report_id"]] = value
        if _reaches(value, reference, indicator.direction):
            reaching += 1
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
    snapshot = {
        "code": indicator.code,
        "name": indicator.name,
        "criterion": indicator.criterion.code,  # the key that ties it to its criterion, never printed
        "criterion_label": indicator.criterion.short_label,
        "quantities": indicator.quantities,
        "formula": indicator.formula,
        "numerator_key": indicator.numerator_key,
        "denominator_key": indicator.denominator_key,
        "result_unit": indicator.result_unit,
        "target": None if indicator.target_value is None else str(indicator.target_value),
        "comparison": indicator.comparison,
        "direction": indicator.direction,
        "half_year": half_year,
        "reference": None if reference is None else str(reference),
        "reference_label": reference_label,
        "rows": rows,
        "units_counted": sum(1 for value in values_by_report.values() if value is not None),
        "units_meeting": reaching if reference is not None else None,
        "department": {
            "values": totals,
            "value": None if department is None else str(department),
            "meets": _reaches(department, reference, indicator.direction),
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


def _contradictions(entries, indicators, values_by_indicator, unit_names, best_level):
    """Units that assessed themselves at the best level while their indicator misses what it is judged against."""
    found = []
    for indicator in indicators:
        if indicator["reference"] is None:
            continue
        values = values_by_indicator[indicator["code"]]
        reference = Decimal(indicator["reference"])
        for entry in entries:
            value = values.get(entry["report_id"])
            if entry["assessment__label"] != best_level or value is None:
                continue
            if _reaches(value, reference, indicator["direction"]) is False:
                found.append(
                    {
                        "unit": unit_names[entry["report_id"]],
                        "level": best_level,
                        "indicator": indicator["name"],
                        "value": rate_text(value, indicator["result_unit"]),
                        "reference_label": indicator["reference_label"],
                        "reference": rate_text(indicator["reference"], indicator["result_unit"]),
                    }
                )
    return found


def _proposal_items(section):
    """A unit's proposals as items; a text written before items existed is one unclassified item."""
    if section["items"]:
        return [item for item in section["items"] if (item.get("text") or "").strip()]
    if section["text"].strip():
        return [{"id": "", "text": section["text"].strip(), "to": Addressee.UNCLASSIFIED}]
    return []


def _merge_point(points, text, unit):
    """Add a unit's proposal to `points`, joining one that says the same thing."""
    for point in points:
        if same_point(point["text"], text):
            if unit not in point["units"]:
                point["units"].append(unit)
            return
    points.append({"text": text, "units": [unit]})


def _proposals(sections, unit_names, position):
    """The units' proposals by addressee, the same point from several units once; unclassified ones apart."""
    grouped = {addressee: [] for addressee in Addressee.values}
    for section in sorted(sections, key=lambda section: position[section["report_id"]]):
        unit = unit_names[section["report_id"]]
        for item in _proposal_items(section):
            text = " ".join(item["text"].split())
            addressee = item.get("to") or Addressee.UNCLASSIFIED
            if addressee == Addressee.UNCLASSIFIED:
                grouped[addressee].append({"text": text, "units": [unit]})
            else:
                _merge_point(grouped[addressee], text, unit)
    return {
        "province": grouped[Addressee.PROVINCE],
        "central": grouped[Addressee.CENTRAL],
        "department": grouped[Addressee.DEPARTMENT],
        "unclassified": grouped[Addressee.UNCLASSIFIED],
    }


def gather(period):
    """The snapshot of a period: accepted reports, criteria, indicators aggregated per unit and Department.

    Its size grows with the number of units only by short rows (a name, a few figures, a level per
    criterion); the units' texts are reduced here to the few quotes, themes and proposals the report holds.
    """
    campaign = period.campaign
    half_year = period.kind == ReportingPeriod.Kind.HALF_YEAR
    reports = list(
        UnitReport.objects.filter(period=period).select_related("unit").order_by("unit__sort_order", "unit__name")
    )
    accepted = [report for report in reports if report.status == UnitReport.Status.ACCEPTED]
    accepted_ids = [report.pk for report in accepted]
    position = {report.pk: index for index, report in enumerate(accepted)}
    units = list(Unit.objects.reporting(period.end).order_by("sort_order", "name"))
    by_unit = {report.unit_id: report for report in reports}
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
    best_level = (
        AssessmentLevel.objects.filter(is_active=True, means_not_applicable=False)
        .order_by("sort_order")
        .values_list("label", flat=True)
        .first()
    )

    indicators = []
    by_criterion = {}  # criterion id → its indicators' snapshots
    values_by_indicator = {}
    ranking = {}  # criterion id → (the unit values of its first indicator, the indicator's direction)
    for indicator in Indicator.objects.filter(is_active=True).select_related("criterion__group").order_by("code"):
        entries = entries_by_criterion.get(indicator.criterion_id, [])
        snapshot, values = _indicator_snapshot(indicator, entries, unit_names, half_year)
        indicators.append(snapshot)
        by_criterion.setdefault(indicator.criterion_id, []).append(snapshot)
        values_by_indicator[indicator.code] = values
        ranking.setdefault(indicator.criterion_id, (values, indicator.direction))

    groups = list(CriterionGroup.objects.filter(campaign=campaign).prefetch_related("criteria").order_by("sort_order"))
    criteria = []
    criterion_by_pk = {}
    marks = {report.pk: [] for report in accepted}
    for group in groups:
        for criterion in group.criteria.all():
            if not criterion.is_active:
                continue
            entries = entries_by_criterion.get(criterion.pk, [])
            reported = [entry for entry in entries if not entry["assessment__means_not_applicable"]]
            assessed = Counter(entry["assessment__label"] for entry in reported if entry["assessment__label"])
            values, direction = ranking.get(criterion.pk, ({}, Indicator.Direction.HIGHER_IS_BETTER))
            written = [entry for entry in reported if quote(entry["activities"])]
            quoted = _notable_first(written, position, values, direction)[:QUOTED_UNITS]
            quoted.sort(key=lambda entry: position[entry["report_id"]])
            snapshot = {
                "code": criterion.code,  # the key of the indicators and the annex, never printed
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
                "contradictions": _contradictions(
                    reported, by_criterion.get(criterion.pk, []), values_by_indicator, unit_names, best_level
                ),
                "quotes": [
                    {
                        "unit": unit_names[entry["report_id"]],
                        "assessment": entry["assessment__label"] or "",
                        "text": quote(entry["activities"]),
                    }
                    for entry in quoted
                ],
            }
            criteria.append(snapshot)
            criterion_by_pk[criterion.pk] = (snapshot, reported)
            levels_here = {entry["report_id"]: entry["assessment__label"] or "" for entry in entries}
            for report_id, row in marks.items():
                row.append(levels_here.get(report_id))

    content_areas = []
    for area in ContentArea.objects.filter(campaign=campaign).prefetch_related("criteria").order_by("sort_order"):
        linked = [criterion_by_pk[criterion.pk] for criterion in area.criteria.all() if criterion.pk in criterion_by_pk]
        linked.sort(key=lambda pair: criteria.index(pair[0]))
        assessed = Counter(
            entry["assessment__label"] for _, entries in linked for entry in entries if entry["assessment__label"]
        )
        content_areas.append(
            {
                "section": area.section,
                "group": area.group_title,
                "text": area.text,
                "criteria": [snapshot["short_label"] for snapshot, _ in linked],
                "units": len({entry["report_id"] for _, entries in linked for entry in entries}),
                "assessments": [
                    {"label": label, "count": assessed[label]}
                    for label in sorted(assessed, key=lambda label: levels[label])
                ],
            }
        )

    themes = list(campaign.themes.order_by("sort_order").values("label", "keywords"))
    texts = {source: [] for source in SECTION_SOURCES}
    keys = {value: source for source, value in SECTION_SOURCES.items()}
    sections = list(
        ReportSection.objects.filter(report_id__in=accepted_ids).values("report_id", "key", "text", "items")
    )
    for section in sorted(sections, key=lambda section: position[section["report_id"]]):
        source = keys.get(section["key"])
        if source is not None and section["text"].strip():
            texts[source].append((unit_names[section["report_id"]], section["text"]))
    texts["shortcomings"], texts["causes"] = split_causes(texts["shortcomings"])
    narratives = {
        source: {"count": len(written), "themes": group_by_theme(written, themes)} for source, written in texts.items()
    }
    proposals = _proposals(
        [section for section in sections if section["key"] == ReportSection.Key.RECOMMENDATIONS], unit_names, position
    )
    plan = frozen(cited(campaign, CitedDocument.Role.PLAN))
    provincial_plan = frozen(cited(campaign, CitedDocument.Role.PROVINCIAL_PLAN))
    office_only = {
        "missing": [unit.name for unit in units if unit.pk not in by_unit],
        "not_accepted": [
            f"{report.unit_name} ({report.get_status_display().lower()})"
            for report in reports
            if report.status != UnitReport.Status.ACCEPTED
        ],
        "late": [report.unit_name for report in reports if report.is_late],
        "plan_warnings": [
            document["warning"] for document in (plan, provincial_plan) if document and document["warning"]
        ],
        "contradictions": [
            {"criterion": criterion["text"], **found} for criterion in criteria for found in criterion["contradictions"]
        ],
        "unclassified": proposals["unclassified"],
    }
    return {
        "format": SNAPSHOT_FORMAT,
        "period": {"code": period.code, "label": period.label, "kind": period.kind, "year": period.year},
        "campaign": {
            "name": campaign.name,
            "governing_body": campaign.governing_body,
            "issuing_body": campaign.issuing_body,
            "issuer_code": campaign.issuing_body_abbreviation,
            "place": campaign.place_name,
            "recipient": campaign.report_recipient,
            "coordinating_unit": campaign.coordinating_unit_name,
            "office_code": office_code(),
        },
        # The plan and the province's plan as cited at compile time (campaign.citations).
        "plan": plan,
        "provincial_plan": provincial_plan,
        "accepted_units": [report.unit_name for report in accepted],
        "unit_count": len(units),
        "best_level": best_level,
        "criteria": criteria,
        "indicators": indicators,
        "content_areas": content_areas,
        # Each unit's self-assessment per criterion (None: the criterion does not concern the unit): Phụ lục II.
        "assessment_matrix": {
            "criteria": [criterion["short_label"] for criterion in criteria],
            "levels": sorted(levels, key=lambda label: levels[label]),
            "rows": [{"unit": unit_names[report_id], "levels": row} for report_id, row in marks.items()],
        },
        "narratives": narratives,
        "proposals": proposals,
        # What the apps built on reports add (reports.extensions): "awards", the paragraphs of section III.
        "awards": [],
        **snapshot_parts(period),
        # The sections the apps built on reports add (reports.extensions.register_consolidated_section), by name.
        "added_sections": consolidated_sections(period),
        "office_only": office_only,
    }


# ---------------------------------------------------------------------------------------------
# The first sections, written from the snapshot; the office edits every one before sending
# ---------------------------------------------------------------------------------------------


def _direction_text(snapshot):
    campaign = snapshot["campaign"]
    implemented = [
        document["citation"] for document in (snapshot.get("provincial_plan"), snapshot.get("plan")) if document
    ]
    if not implemented:
        implemented = [f"Kế hoạch tổ chức thực hiện Phong trào thi đua “{campaign['name']}”"]
    return "\n".join(
        [
            f"Thực hiện {' và '.join(implemented)}, Sở Khoa học và Công nghệ đã quán triệt, triển khai đến các "
            "phòng, đơn vị thuộc Sở.",
            f"Có {len(snapshot['accepted_units'])}/{units_phrase(snapshot['unit_count'])} đã báo cáo kết quả thực hiện "
            f"{lower_first(snapshot['period']['label'])} về Sở (qua {campaign['coordinating_unit']}).",
        ]
    )


def _assessment_phrase(assessments, noun="phòng, đơn vị"):
    """ "2 phòng, đơn vị tự đánh giá hoàn thành tốt, 1 phòng, đơn vị tự đánh giá hoàn thành"."""
    return ", ".join(f"{level['count']} {noun} tự đánh giá {lower_first(level['label'])}" for level in assessments)


def _criterion_figures(criterion):
    text = f"Có {units_phrase(criterion['reported'])} báo cáo kết quả thực hiện"
    if criterion["not_applicable"]:
        text += f" ({units_phrase(criterion['not_applicable'])} không thuộc đối tượng áp dụng)"
    if criterion["assessments"]:
        text += f"; trong đó {_assessment_phrase(criterion['assessments'])}"
    return text + "."


def _indicator_figures(indicator):
    """The Department's value of an indicator by its rule, with the sums it comes from, judged for the period."""
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

    value = Decimal(department["value"])
    if indicator.get("formula") == "ratio":
        value_text = rate_text(value, result_unit)
        basis = f" ({total(indicator['numerator_key'])} ÷ {total(indicator['denominator_key'])})"
    else:
        value_text = f"{vnd_text(value)} {result_unit}".rstrip()
        basis = ""
    target = indicator["target"]
    progress_only = indicator.get("half_year") and indicator.get("reference") is None and target is not None
    if progress_only and result_unit == "%" and Decimal(target) == 100:
        value_text += " kế hoạch năm"
    elif progress_only and Decimal(target) > 0:
        value_text += f", bằng {rate_text(value * 100 / Decimal(target), '%')} chỉ tiêu cả năm"
    text = f"Chỉ số “{indicator['name']}” của toàn Sở đạt {value_text}{basis}"
    if progress_only:
        text += (
            f"; chỉ tiêu cả năm {rate_text(target, result_unit)}, việc đánh giá đạt hay chưa đạt chỉ tiêu thực hiện "
            "khi kết thúc năm"
        )
    elif indicator.get("reference") is not None:
        reference_label = indicator["reference_label"]
        verdict = {True: f"đạt {reference_label}", False: f"chưa đạt {reference_label}", None: ""}[department["meets"]]
        text += f"; {reference_label} {rate_text(indicator['reference'], result_unit)}"
        if verdict:
            text += f", {verdict}"
        if indicator.get("half_year") and target is not None:
            text += f" (chỉ tiêu cả năm {rate_text(target, result_unit)})"
        if indicator.get("units_meeting") is not None:
            text += f"; {indicator['units_meeting']}/{units_phrase(indicator['units_counted'])} đạt {reference_label}"
    return text + "."


def _contradiction_text(criterion):
    """A neutral sentence naming units whose self-assessment their indicator contradicts; the office keeps or
    deletes it."""
    found = criterion["contradictions"]
    if not found:
        return ""
    first = found[0]
    named = "; ".join(f"{entry['unit']} ({entry['value']})" for entry in found[:QUOTED_UNITS])
    if len(found) > QUOTED_UNITS:
        # The body does not grow with the number of units: the office has the whole list on its page.
        named += f" và {units_phrase(len(found) - QUOTED_UNITS)} khác"
    return (
        f"Có {units_phrase(len(found))} tự đánh giá {lower_first(first['level'])} đối với tiêu chí này trong khi "
        f"chỉ số “{first['indicator']}” của đơn vị chưa đạt {first['reference_label']} "
        f"({first['reference']}): {named}."
    )


def _content_area_lines(snapshot, number):
    """The results by the plan's content areas (section II of the plan), through the criteria linked to each."""
    areas = [area for area in snapshot.get("content_areas", []) if area["criteria"]]
    if not areas:
        return []
    lines = [f"{number}. Kết quả theo các nội dung thi đua của Kế hoạch"]
    group = None
    for area in areas:
        if area["group"] != group:
            group = area["group"]
            lines.append(f"- {group}:")
        criteria = ", ".join(f"“{label}”" for label in area["criteria"])
        line = f"+ {area['text'].rstrip('. ')} (thể hiện qua tiêu chí {criteria})"
        if area["units"]:
            line += f": {units_phrase(area['units'])} có báo cáo kết quả"
            if area["assessments"]:
                line += f", với {_assessment_phrase(area['assessments'], noun='lượt')}"
        else:
            line += ": chưa có phòng, đơn vị báo cáo kết quả"
        lines.append(line + ".")
    return lines


def _results_text(snapshot):
    """Section II: per criterion group and criterion, the Department's figures, a few quotes; the content areas."""
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
        lines.append(f"- Tiêu chí “{criterion['text']}”:")
        lines.append(_criterion_figures(criterion))
        lines.extend(_indicator_figures(indicator) for indicator in indicators.get(criterion["code"], []))
        contradiction = _contradiction_text(criterion)
        if contradiction:
            lines.append(contradiction)
        quotes = [entry for entry in criterion["quotes"] if entry["text"]]
        if quotes:
            lines.append("Một số kết quả tiêu biểu:")
            lines.extend(f"+ {entry['unit']}: {entry['text']}" for entry in quotes)
    lines.extend(_content_area_lines(snapshot, group_number + 1))
    if lines:
        lines.append(
            "Số liệu các chỉ số của từng phòng, đơn vị tại Phụ lục I; kết quả tự đánh giá theo tiêu chí "
            "của từng phòng, đơn vị tại Phụ lục II kèm theo Báo cáo này."
        )
    return "\n".join(lines)


def _example(example):
    return f"“{example['text'].rstrip('.')}” ({example['unit']})"


def _narrative_text(narrative):
    """What units wrote, grouped by theme: how many units raised each, with at most two short examples."""
    if not narrative.get("count"):
        return ""
    lines = [f"Tổng hợp từ báo cáo của {units_phrase(narrative['count'])}:"]
    for theme in narrative["themes"]:
        line = f"- {theme['label']} ({units_phrase(theme['units'])} nêu)"
        if theme["examples"]:
            line += ", ví dụ: " + "; ".join(_example(example) for example in theme["examples"])
        lines.append(line + ".")
    return "\n".join(lines)


def _list_lines(points):
    """Items of a list, each ending ";" and the last "."."""
    lines = []
    for index, point in enumerate(points):
        text = point["text"].rstrip(" .;:")
        if len(point["units"]) > 1:
            text += f" ({units_phrase(len(point['units']))} đề xuất)"
        lines.append(f"- {text}{'.' if index == len(points) - 1 else ';'}")
    return lines


def _recommendations_text(snapshot):
    """Section VI: only what is asked of the province and of central bodies, grouped, each point once."""
    proposals = snapshot.get("proposals", {})
    lines = []
    for number, (key, heading) in enumerate(
        ((key, heading) for key, heading in UPWARD_HEADINGS.items() if proposals.get(key)), start=1
    ):
        lines.append(f"{number}. {heading}")
        lines.extend(_list_lines(proposals[key]))
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
        elif source == "recommendations":
            text = _recommendations_text(snapshot)
        elif source in SECTION_SOURCES or source == "causes":
            text = _narrative_text(snapshot["narratives"].get(source, {}))
        else:
            text = item.get("text", "")
        sections.append({"key": item["key"], "heading": item["heading"], "source": source, "text": text})
    return sections
