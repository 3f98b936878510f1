"""The phase review's consolidated report, year by year (reports.extensions.register_consolidated_section): the
accepted annual reports of each year of the phase — those made in the portal and those imported for the years before
it (reports/services/history.py) alike — with each indicator's Department value (Σ numerator ÷ Σ denominator), so
that the review covers the whole phase and not only its last year. The value is frozen in the snapshot at compile
time; a paragraph per year ends section II, the table goes to an annex.
"""

from collections import defaultdict

from django.db.models import Count

from campaign.models import Indicator, ReportingPeriod
from documents.model import Amount, Rate, Section, Table

from ..extensions import ConsolidatedPart, register_consolidated_section
from ..models import CriterionResult, UnitReport

SECTION_NAME = "phase_years"
SECTION_HEADING = "Kết quả từng năm của giai đoạn"


def register():
    register_consolidated_section(SECTION_NAME, phase_years, phase_years_part, order=5)


def phase_years(period):
    """The years of a phase review's phase, up to it: units with an accepted annual report (how many imported) and
    each active indicator's Department value; None for any other period, or when no year has a report. Four
    queries whatever the number of units and years."""
    if not period.is_phase_review:
        return None
    years = list(
        ReportingPeriod.objects.filter(
            phase_id=period.phase_id, kind=ReportingPeriod.Kind.ANNUAL, end__lte=period.end
        ).order_by("end")
    )
    accepted = UnitReport.objects.filter(period__in=years, status=UnitReport.Status.ACCEPTED)
    counts = {
        row["period_id"]: row
        for row in accepted.values("period_id").annotate(units=Count("pk"), imported=Count("history_import"))
    }
    if not counts:
        return None
    indicators = list(Indicator.objects.filter(is_active=True).order_by("code"))
    quantities = defaultdict(list)  # (period id, criterion id) → the units' quantities
    for row in CriterionResult.objects.filter(
        report__in=accepted, criterion_id__in={indicator.criterion_id for indicator in indicators}
    ).values("report__period_id", "criterion_id", "quantities", "assessment__means_not_applicable"):
        if not row["assessment__means_not_applicable"]:
            quantities[(row["report__period_id"], row["criterion_id"])].append(row["quantities"] or {})
    return {
        "period": period.label,
        "indicators": [
            {"code": indicator.code, "name": indicator.name, "unit": indicator.result_unit, "sum": _is_sum(indicator)}
            for indicator in indicators
        ],
        "years": [
            {
                "label": year.label,
                "units": counts.get(year.pk, {}).get("units", 0),
                "imported": counts.get(year.pk, {}).get("imported", 0),
                "values": [
                    _text(indicator.aggregate(quantities[(year.pk, indicator.criterion_id)]))
                    for indicator in indicators
                ],
            }
            for year in years
        ],
    }


def _is_sum(indicator):
    return indicator.formula == Indicator.Formula.SUM


def _text(value):
    return None if value is None else str(value)


def _cell(raw, indicator):
    if raw is None:
        return "—"
    return Amount(raw) if indicator["sum"] else Rate(raw, indicator["unit"])


def _sentence(year, indicators):
    if not year["units"]:
        return f"{year['label']}: chưa có báo cáo của phòng, đơn vị nào được tiếp nhận."
    text = f"{year['label']}: {year['units']} phòng, đơn vị có báo cáo được tiếp nhận"
    if year["imported"]:
        text += f" (trong đó {year['imported']} báo cáo nhập từ hồ sơ trước khi thu báo cáo trên Cổng)"
    figures = [
        f"{indicator['name'][:1].lower()}{indicator['name'][1:]} {_cell(raw, indicator)}"
        for indicator, raw in zip(indicators, year["values"], strict=True)
        if raw is not None
    ]
    return text + (f"; {'; '.join(figures)}." if figures else ".")


def phase_years_part(value, period):
    """The section from its frozen value (`period` is the snapshot's): a paragraph per year, the table of the years
    in an annex."""
    label = value["period"]
    indicators = value["indicators"]
    table = Table(
        ["Năm", "Số phòng, đơn vị có báo cáo", *(indicator["name"] for indicator in indicators)],
        [
            [
                year["label"],
                year["units"],
                *(_cell(raw, indicator) for indicator, raw in zip(indicators, year["values"], strict=True)),
            ]
            for year in value["years"]
        ],
        title=f"Kết quả từng năm của {label[:1].lower()}{label[1:]}",
        numeric_columns=tuple(range(1, len(indicators) + 2)),
        sheet_name="Kết quả từng năm",
    )
    return ConsolidatedPart(
        body=[Section(heading=SECTION_HEADING, paragraphs=[_sentence(year, indicators) for year in value["years"]])],
        annex_title=f"KẾT QUẢ TỪNG NĂM CỦA {label.upper()}",
        annex_tables=[table],
    )
