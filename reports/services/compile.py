"""The consolidation's gather step: accepted unit reports → one frozen snapshot and the first sections.

A fixed number of queries whatever the number of units; the Department's value of a ratio
indicator is Σ numerator ÷ Σ denominator over the units, never the mean of their ratios.
"""

from decimal import Decimal

from campaign.models import CriterionGroup, Indicator
from units.models import Unit

from ..models import CriterionResult, ReportSection, UnitReport

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
    from ..models import ConsolidatedOutline

    custom = ConsolidatedOutline.objects.filter(period_kind=period.kind).first()
    if custom is not None:
        return custom.sections, custom.recipients or DEFAULT_RECIPIENTS
    return (PHASE_OUTLINE if period.is_phase_review else DEFAULT_OUTLINE), DEFAULT_RECIPIENTS


def _number(raw):
    try:
        return Decimal(str(raw))
    except (ArithmeticError, ValueError):
        return None


def gather(period):
    """The snapshot of a period: accepted reports, criteria, indicators aggregated per unit and Department."""
    campaign = period.campaign
    reports = list(
        UnitReport.objects.filter(period=period).select_related("unit").order_by("unit__sort_order", "unit__name")
    )
    accepted = [report for report in reports if report.status == UnitReport.Status.ACCEPTED]
    accepted_ids = [report.pk for report in accepted]
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
    results = list(
        CriterionResult.objects.filter(report_id__in=accepted_ids)
        .select_related("assessment")
        .order_by("criterion__group__sort_order", "criterion__number", "report__unit__sort_order")
        .values(
            "report_id",
            "criterion_id",
            "activities",
            "quantities",
            "not_applicable_reason",
            "assessment__label",
            "assessment__means_not_applicable",
        )
    )
    unit_names = {report.pk: report.unit_name for report in accepted}
    groups = list(CriterionGroup.objects.filter(campaign=campaign).prefetch_related("criteria").order_by("sort_order"))
    entries_by_criterion = {}
    for result in results:
        entries_by_criterion.setdefault(result["criterion_id"], []).append(result)
    criteria = []
    for group in groups:
        for criterion in group.criteria.all():
            if not criterion.is_active:
                continue
            entries = entries_by_criterion.get(criterion.pk, [])
            criteria.append(
                {
                    "code": criterion.code,
                    "group": group.name,
                    "group_section": group.section,
                    "text": criterion.text,
                    "short_label": criterion.short_label,
                    "entries": [
                        {
                            "unit": unit_names[entry["report_id"]],
                            "activities": entry["activities"],
                            "assessment": entry["assessment__label"] or "",
                            "not_applicable": bool(entry["assessment__means_not_applicable"]),
                            "reason": entry["not_applicable_reason"],
                        }
                        for entry in entries
                    ],
                }
            )
    indicators = []
    for indicator in Indicator.objects.filter(is_active=True).select_related("criterion").order_by("code"):
        rows = []
        value_sets = []
        for entry in entries_by_criterion.get(indicator.criterion_id, []):
            if entry["assessment__means_not_applicable"]:
                continue
            values = entry["quantities"] or {}
            value_sets.append(values)
            value = indicator.compute(values)
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
        indicators.append(
            {
                "code": indicator.code,
                "name": indicator.name,
                "criterion": indicator.criterion.code,
                "quantities": indicator.quantities,
                "result_unit": indicator.result_unit,
                "target": None if indicator.target_value is None else str(indicator.target_value),
                "comparison": indicator.comparison,
                "direction": indicator.direction,
                "rows": rows,
                "department": {"values": totals, "value": None if department is None else str(department)},
            }
        )
    narratives = {source: [] for source in SECTION_SOURCES}
    keys = {value: source for source, value in SECTION_SOURCES.items()}
    for section in ReportSection.objects.filter(report_id__in=accepted_ids).order_by("report__unit__sort_order"):
        if section.text.strip():
            narratives[keys[section.key]].append({"unit": unit_names[section.report_id], "text": section.text})
    return {
        "period": {"code": period.code, "label": period.label, "kind": period.kind, "year": period.year},
        "campaign": {
            "name": campaign.name,
            "governing_body": campaign.governing_body,
            "issuing_body": campaign.issuing_body,
            "issuer_code": campaign.issuing_body_abbreviation,
            "place": campaign.place_name,
            "recipient": campaign.report_recipient,
            "plan_reference": campaign.plan_reference,
            "plan_date": campaign.plan_date.isoformat() if campaign.plan_date else None,
        },
        "accepted_units": [report.unit_name for report in accepted],
        "unit_count": len(units),
        "criteria": criteria,
        "indicators": indicators,
        "narratives": narratives,
        "awards": [],
        "office_only": office_only,
    }


def _direction_text(snapshot):
    campaign = snapshot["campaign"]
    plan = campaign["plan_reference"] or "/KH-SKHCN"
    return (
        f"Thực hiện Kế hoạch số {plan} của Sở Khoa học và Công nghệ về tổ chức thực hiện Phong trào thi đua "
        f"“{campaign['name']}”, Sở đã quán triệt, triển khai đến các phòng, đơn vị thuộc Sở; "
        f"{len(snapshot['accepted_units'])}/{snapshot['unit_count']} phòng, đơn vị đã báo cáo kết quả thực hiện "
        f"{snapshot['period']['label'][:1].lower()}{snapshot['period']['label'][1:]}."
    )


def _results_text(snapshot):
    lines = []
    current_group = None
    for criterion in snapshot["criteria"]:
        if criterion["group"] != current_group:
            current_group = criterion["group"]
            lines.append(f"{current_group}:")
        done = [entry for entry in criterion["entries"] if not entry["not_applicable"] and entry["activities"].strip()]
        if not done:
            continue
        lines.append(f"- {criterion['text']}")
        for entry in done:
            summary = " ".join(entry["activities"].split())
            lines.append(f"+ {entry['unit']}: {summary}")
    return "\n".join(lines)


def _narrative_text(entries):
    return "\n".join(f"- {entry['unit']}: {' '.join(entry['text'].split())}" for entry in entries)


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
            text = _narrative_text(snapshot["narratives"].get(source, []))
        else:
            text = item.get("text", "")
        sections.append({"key": item["key"], "heading": item["heading"], "source": source, "text": text})
    return sections
