"""The content of a report as it stands, frozen into each transition for history and diffs."""

from ..parts import criterion_part_key, section_part_key, section_text


def report_snapshot(report):
    results = report.results.select_related("assessment").prefetch_related("evidence").order_by("sort_order")
    return {
        "unit": report.unit_name,
        "period": report.period.code,
        "status": report.status,
        "results": [
            {
                "key": criterion_part_key(result),
                "code": result.criterion_code,
                "criterion": result.criterion_text,
                "activities": result.activities,
                "quantities": result.quantities,
                "assessment": result.assessment.label if result.assessment else "",
                "not_applicable_reason": result.not_applicable_reason,
                "evidence": [evidence.original_name for evidence in result.evidence.all()],
            }
            for result in results
        ],
        "sections": [
            {"key": section_part_key(section), "title": section.get_key_display(), "text": section_text(section)}
            for section in report.sections.order_by("pk")
        ],
    }
