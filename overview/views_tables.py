"""The overview's tables and charts, built once from the selectors' figures: the page shows each table as HTML
(the chart beside it draws the same numbers) and the XLSX export writes the same cells (overview/xlsx.py).

A table is a `documents.model.Table`; a cell is text, a number, an `Amount`, a `Rate`, None ("—"), a `Link`
(its text in the spreadsheet) or `Names` (a few names on the page, all of them in the spreadsheet).
"""

import json
from dataclasses import dataclass, field
from decimal import Decimal

from django.urls import reverse

from campaign.models import Indicator, ReportingPeriod
from documents.model import Amount, Rate, Table

# Colours of the charts, in the portal's palette (static/css/overview.css uses the same for the grid's marks).
ON_TIME, LATE, MISSING, PENDING = "#2e7d32", "#e0a100", "#c62828", "#9e9e9e"
LEVEL_COLOURS = ("#2e7d32", "#1f5fa8", "#c62828", "#9e9e9e", "#6f42c1", "#795548")
NOT_CHOSEN = "#cfd8dc"
KIND_COLOURS = {
    ReportingPeriod.Kind.HALF_YEAR: "#1f5fa8",
    ReportingPeriod.Kind.ANNUAL: "#1f3b73",
    ReportingPeriod.Kind.PHASE_REVIEW: "#6f42c1",
}
NAMES_SHOWN = 5
CELL_LIMIT = 32_000  # characters of names in one spreadsheet cell (Excel holds 32.767)
UNASSESSED = "Chưa chọn"


@dataclass(frozen=True)
class Link:
    """A cell that opens a page; `css` a class of the cell's mark (the grid's levels)."""

    text: str
    url: str
    css: str = ""

    def __str__(self):
        return self.text


@dataclass(frozen=True)
class Names:
    """Unit names: the first few on the page ("… và 12 đơn vị khác"), every one in the spreadsheet."""

    names: tuple
    limit: int = NAMES_SHOWN

    def __str__(self):
        shown = "; ".join(self.names[: self.limit])
        rest = len(self.names) - self.limit
        return f"{shown} và {rest} đơn vị khác" if rest > 0 else shown

    @property
    def full(self):
        """Every name, within what a spreadsheet cell holds (32.767 characters): the rest counted."""
        shown = []
        length = 0
        for name in self.names:
            length += len(name) + 2
            if length > CELL_LIMIT:
                break
            shown.append(name)
        rest = len(self.names) - len(shown)
        return "; ".join(shown) + (f" và {rest} đơn vị khác" if rest else "")


@dataclass
class Chart:
    """A Chart.js chart the page draws from JSON (static/js/overview_charts.js); `table` names the table below it
    that holds its numbers."""

    kind: str
    labels: list
    datasets: list
    stacked: bool = False
    horizontal: bool = False
    unit: str = ""
    title: str = ""
    options: dict = field(default_factory=dict)

    def json(self):
        return json.dumps(
            {
                "type": self.kind,
                "labels": self.labels,
                "datasets": self.datasets,
                "stacked": self.stacked,
                "horizontal": self.horizontal,
                "unit": self.unit,
                "title": self.title,
            },
            ensure_ascii=False,
        )


SENTINEL = 987654321


def url_maker(name):
    """pk → the URL of `name` for that pk, reversed once (a grid of 1,000 units would reverse 12,000 times)."""
    pattern = reverse(name, args=[SENTINEL])
    return lambda pk: pattern.replace(str(SENTINEL), str(pk))


def short_level(label):
    """ "Hoàn thành tốt" → "HTT": the grid's mark of a level."""
    return "".join(word[0] for word in label.split()).upper()


def level_css(levels):
    """{level id: the CSS class of its mark}, by its place on the scale."""
    return {level.pk: f"overview-level-{index}" for index, level in enumerate(levels, start=1)}


def _number(value):
    return None if value is None else float(value)


def figure(indicator, value):
    """An indicator's value as the portal prints it: a rate ("98,50%") for a ratio, an amount for a sum."""
    if value is None:
        return None
    if indicator.formula == Indicator.Formula.SUM:
        return Amount(value)
    return Rate(value, indicator.result_unit)


def verdict(point):
    if point.value is None:
        return None
    if point.reference is None:
        if point.indicator.comparison == Indicator.Comparison.FIXED_TARGET:
            return "Theo dõi tiến độ"
        return None
    return "Đạt" if point.meets else "Chưa đạt"


def _quantity(indicator, key):
    return next((quantity for quantity in indicator.quantities if quantity["key"] == key), {"label": key, "unit": ""})


def amount(raw):
    return None if raw in (None, "") else Amount(raw)


# --- The overview's page --------------------------------------------------------------------------------------


def completeness_table(scope, figures):
    header = [
        "Kỳ báo cáo",
        "Hạn đơn vị nộp",
        "Số đơn vị phải báo cáo",
        "Nộp đúng hạn",
        "Nộp muộn",
        "Chưa nộp (quá hạn)",
        "Chưa nộp (chưa đến hạn)",
        "Tỷ lệ đã nộp",
        "Trong đó nhập từ tệp",
        "Đơn vị chưa nộp",
    ]
    rows = []
    for period in scope.periods:
        item = figures[period.pk]
        rows.append(
            [
                Link(period.label, "?" + scope.query(ky=period.code) + "#thieu"),
                period.unit_due_date,
                item.expected,
                item.on_time,
                item.late,
                item.missing,
                item.pending,
                Rate(item.submitted_rate) if item.submitted_rate is not None else None,
                item.imported,
                Names(tuple(unit.name for unit in item.missing_units)) if item.missing_units else None,
            ]
        )
    return Table(
        header,
        rows,
        title="Tình hình nộp báo cáo qua các kỳ",
        numeric_columns=(2, 3, 4, 5, 6, 7, 8),
        sheet_name="Nộp báo cáo qua các kỳ",
    )


def completeness_chart(scope, figures):
    labels = [period.label for period in scope.periods]

    def series(label, colour, attribute):
        values = [getattr(figures[period.pk], attribute) for period in scope.periods]
        return {"label": label, "data": values, "backgroundColor": colour}

    return Chart(
        "bar",
        labels,
        [
            series("Nộp đúng hạn", ON_TIME, "on_time"),
            series("Nộp muộn", LATE, "late"),
            series("Chưa nộp (quá hạn)", MISSING, "missing"),
            series("Chưa nộp (chưa đến hạn)", PENDING, "pending"),
        ],
        stacked=True,
        unit="đơn vị",
        title="Số đơn vị theo tình hình nộp báo cáo",
    )


def missing_table(scope, figure_of_period, unit_url):
    """The units that have not submitted the chosen period's report: overdue first, then not yet due."""
    period = scope.period
    rows = [
        [index, Link(unit.name, unit_url(unit)), "Quá hạn" if overdue else "Chưa đến hạn", period.unit_due_date]
        for index, (unit, overdue) in enumerate(
            [(unit, True) for unit in figure_of_period.missing_units]
            + [(unit, False) for unit in figure_of_period.pending_units],
            start=1,
        )
    ]
    return Table(
        ["STT", "Đơn vị", "Tình trạng", "Hạn nộp"],
        rows,
        title=f"Đơn vị chưa nộp báo cáo {period.label}",
        numeric_columns=(0,),
        sheet_name=f"Chưa nộp {period.code}",
    )


def _level_counts(counter, levels):
    return [counter.get(level.pk, 0) for level in levels] + [counter.get(None, 0)]


def assessment_table(scope, criteria, levels, spread):
    period = scope.period
    rows = []
    for criterion in criteria:
        counter = spread.get((criterion.pk, period.pk), {})
        rows.append([criterion.code, criterion.short_label, *_level_counts(counter, levels), sum(counter.values())])
    numeric = tuple(range(2, 2 + len(levels) + 2))
    return Table(
        ["Mã", "Tiêu chí", *[level.label for level in levels], UNASSESSED, "Số báo cáo đã tiếp nhận"],
        rows,
        title=f"Tự đánh giá của các đơn vị theo tiêu chí — {period.label}",
        numeric_columns=numeric,
        sheet_name=f"Tự đánh giá {period.code}",
    )


def assessment_chart(scope, criteria, levels, spread):
    period = scope.period
    datasets = []
    for index, level in enumerate(levels):
        datasets.append(
            {
                "label": level.label,
                "data": [spread.get((criterion.pk, period.pk), {}).get(level.pk, 0) for criterion in criteria],
                "backgroundColor": LEVEL_COLOURS[index % len(LEVEL_COLOURS)],
            }
        )
    datasets.append(
        {
            "label": UNASSESSED,
            "data": [spread.get((criterion.pk, period.pk), {}).get(None, 0) for criterion in criteria],
            "backgroundColor": NOT_CHOSEN,
        }
    )
    return Chart(
        "bar",
        [f"{criterion.code} {criterion.short_label}" for criterion in criteria],
        datasets,
        stacked=True,
        horizontal=True,
        unit="báo cáo",
        title=f"Tự đánh giá theo tiêu chí — {period.label}",
    )


def best_share(counter, best_level):
    """The share of results at the best level among those that assessed the criterion (not applicable aside)."""
    if best_level is None:
        return None
    assessed = sum(count for level_id, count in counter.items() if level_id is not None)
    if not assessed:
        return None
    return Rate((Decimal(counter.get(best_level.pk, 0)) * 100 / assessed).quantize(Decimal("0.01")))


def assessment_history_table(scope, criteria, levels, spread):
    best = next((level for level in levels if not level.means_not_applicable), None)
    rows = []
    for criterion in criteria:
        for period in scope.periods:
            counter = spread.get((criterion.pk, period.pk), {})
            share = best_share({k: v for k, v in counter.items() if k not in _not_applicable(levels)}, best)
            rows.append([criterion.code, criterion.short_label, period.label, *_level_counts(counter, levels), share])
    return Table(
        [
            "Mã",
            "Tiêu chí",
            "Kỳ báo cáo",
            *[level.label for level in levels],
            UNASSESSED,
            f"Tỷ lệ “{best.label}”" if best else "Tỷ lệ mức cao nhất",
        ],
        rows,
        title="Tự đánh giá của các đơn vị theo tiêu chí, qua các kỳ",
        numeric_columns=tuple(range(3, 3 + len(levels) + 2)),
        sheet_name="Tự đánh giá qua các kỳ",
    )


def _not_applicable(levels):
    return {level.pk for level in levels if level.means_not_applicable}


def scores_table(scope, criteria, scores):
    years = sorted({period.year for period in scope.periods if period.kind == ReportingPeriod.Kind.ANNUAL})
    rows = []
    for criterion in criteria:
        for year in years:
            spread = scores.get((criterion.pk, year))
            if spread is None:
                continue
            rows.append(
                [
                    criterion.code,
                    criterion.short_label,
                    str(year),
                    Amount(spread.max_points),
                    spread.count,
                    Amount(spread.minimum),
                    Amount(spread.median),
                    Amount(spread.mean),
                    Amount(spread.maximum),
                ]
            )
    return Table(
        ["Mã", "Tiêu chí", "Năm", "Điểm tối đa", "Số đơn vị", "Thấp nhất", "Trung vị", "Bình quân", "Cao nhất"],
        rows,
        title="Điểm Văn phòng chấm theo tiêu chí (bảng điểm Phong trào đã được lãnh đạo xác nhận)",
        numeric_columns=(2, 3, 4, 5, 6, 7, 8),
        sheet_name="Điểm đã xác nhận",
    )


def scores_chart(scope, criteria, scores):
    """The latest year in scope with confirmed scores: each criterion's lowest-to-highest bar and its mean."""
    years = sorted({year for (_, year) in scores if any(period.year == year for period in scope.periods)})
    if not years:
        return None
    year = years[-1]
    scored = [criterion for criterion in criteria if (criterion.pk, year) in scores]
    return Chart(
        "bar",
        [f"{criterion.code} {criterion.short_label}" for criterion in scored],
        [
            {
                "label": "Thấp nhất – cao nhất",
                "data": [
                    [_number(scores[(c.pk, year)].minimum), _number(scores[(c.pk, year)].maximum)] for c in scored
                ],
                "backgroundColor": "#9ec5fe",
            },
            {
                "label": "Bình quân",
                "type": "line",
                "data": [_number(scores[(c.pk, year)].mean) for c in scored],
                "borderColor": "#1f3b73",
                "backgroundColor": "#1f3b73",
                "showLine": False,
            },
        ],
        unit="điểm",
        title=f"Điểm đã xác nhận năm {year}",
    )


def indicator_table(scope, indicator, points, indicator_url):
    header = ["Kỳ báo cáo"]
    header += [f"Σ {quantity['label']} ({quantity['unit']})" for quantity in indicator.quantities]
    header += ["Giá trị của Sở", "Đối chiếu với", "Mức đối chiếu", "Đánh giá", "Số đơn vị có số liệu", "Từng đơn vị"]
    rows = []
    for period in scope.periods:
        point = points[(indicator.pk, period.pk)]
        rows.append(
            [
                period.label,
                *[amount(point.totals.get(quantity["key"])) for quantity in indicator.quantities],
                figure(indicator, point.value),
                point.reference_label or None,
                figure(indicator, point.reference),
                verdict(point),
                point.units_counted,
                Link("Xem", indicator_url(indicator, period)),
            ]
        )
    count = len(indicator.quantities)
    return Table(
        header,
        rows,
        title=f"{indicator.name} — giá trị của Sở qua các kỳ ({indicator.aggregation_note or 'Σ ÷ Σ'})",
        numeric_columns=(*range(1, count + 2), count + 3, count + 5),
        sheet_name=f"Chỉ số {indicator.code}",
    )


def indicator_chart(scope, indicator, points):
    labels = [period.label for period in scope.periods]
    datasets = []
    for kind, label in ReportingPeriod.Kind.choices:
        if not any(period.kind == kind for period in scope.periods):
            continue
        datasets.append(
            {
                "label": f"Giá trị của Sở ({label.lower()})",
                "data": [
                    _number(points[(indicator.pk, period.pk)].value) if period.kind == kind else None
                    for period in scope.periods
                ],
                "borderColor": KIND_COLOURS[kind],
                "backgroundColor": KIND_COLOURS[kind],
            }
        )
    references = [_number(points[(indicator.pk, period.pk)].reference) for period in scope.periods]
    if any(value is not None for value in references):
        datasets.append(
            {
                "label": "Mức đối chiếu",
                "data": references,
                "borderColor": "#b22222",
                "backgroundColor": "#b22222",
                "borderDash": [6, 4],
            }
        )
    return Chart("line", labels, datasets, unit=indicator.result_unit, title=indicator.name)


def comparison_table(scope, figures, levels, spread, criteria, indicators, points):
    """The chosen period beside the same period last year."""
    now, before = scope.period, scope.last_year
    current, previous = figures[now.pk], figures[before.pk]

    def difference(new, old):
        if new is None or old is None:
            return None
        if isinstance(new, Rate):
            return Rate(new.value - old.value, " điểm %" if new.unit == "%" else new.unit)
        if isinstance(new, Amount):
            return Amount(new.value - old.value)
        return new - old

    def row(label, old, new):
        return [label, old, new, difference(new, old)]

    def rate(value):
        return Rate(value) if value is not None else None

    rows = [
        row("Số đơn vị phải báo cáo", previous.expected, current.expected),
        row("Nộp đúng hạn", previous.on_time, current.on_time),
        row("Nộp muộn", previous.late, current.late),
        row("Chưa nộp (quá hạn)", previous.missing, current.missing),
        row("Tỷ lệ đã nộp", rate(previous.submitted_rate), rate(current.submitted_rate)),
    ]
    for level in levels:
        rows.append(
            row(
                f"Lượt tự đánh giá “{level.label}”",
                sum(spread.get((criterion.pk, before.pk), {}).get(level.pk, 0) for criterion in criteria),
                sum(spread.get((criterion.pk, now.pk), {}).get(level.pk, 0) for criterion in criteria),
            )
        )
    for indicator in indicators:
        rows.append(
            row(
                indicator.name,
                figure(indicator, points[(indicator.pk, before.pk)].value),
                figure(indicator, points[(indicator.pk, now.pk)].value),
            )
        )
    return Table(
        ["Nội dung", before.label, now.label, "Chênh lệch"],
        rows,
        title=f"{now.label} so với cùng kỳ năm trước ({before.label})",
        numeric_columns=(1, 2, 3),
        sheet_name="So với cùng kỳ năm trước",
    )


def comparison_chart(scope, figures):
    now, before = scope.period, scope.last_year
    labels = ["Nộp đúng hạn", "Nộp muộn", "Chưa nộp (quá hạn)"]

    def values(item):
        return [item.on_time, item.late, item.missing]

    return Chart(
        "bar",
        labels,
        [
            {"label": before.label, "data": values(figures[before.pk]), "backgroundColor": PENDING},
            {"label": now.label, "data": values(figures[now.pk]), "backgroundColor": "#1f3b73"},
        ],
        unit="đơn vị",
        title="So với cùng kỳ năm trước",
    )


# --- The grid and an indicator's units ------------------------------------------------------------------------------


def report_status(report):
    """ "Đã tiếp nhận · nộp muộn · nhập từ tệp", or "Chưa nộp"."""
    if report is None:
        return "Chưa nộp"
    parts = [report.get_status_display()]
    if report.is_late:
        parts.append("nộp muộn")
    if report.history_import_id:
        parts.append("nhập từ tệp")
    return " · ".join(parts)


def grid_table(period, rows, criteria, levels, unit_url, start=1):
    marks = {level.pk: short_level(level.label) for level in levels}
    css = level_css(levels)
    detail = url_maker("reports:detail")
    table_rows = []
    for index, row in enumerate(rows, start=start):
        cells = []
        for criterion in criteria:
            cell = row.cells.get(criterion.pk)
            if not row.accepted or cell is None:
                cells.append(None)
                continue
            level_id, code = cell
            text = marks.get(level_id, "?") if level_id is not None else UNASSESSED
            cells.append(Link(text, f"{detail(row.report.pk)}#{code}", css.get(level_id, "overview-level-none")))
        table_rows.append([index, Link(row.unit.name, unit_url(row.unit)), report_status(row.report), *cells])
    return Table(
        ["STT", "Đơn vị", "Báo cáo", *[criterion.code for criterion in criteria]],
        table_rows,
        title=f"Tự đánh giá của từng đơn vị theo tiêu chí — {period.label}",
        numeric_columns=(0,),
        layout="matrix",
        sheet_name=f"Đơn vị × tiêu chí {period.code}",
        legend=[(short_level(level.label), level.label) for level in levels]
        + [(criterion.code, criterion.short_label) for criterion in criteria],
    )


def indicator_units_table(indicator, point, rows, unit_url, report_url, start=1, total=True):
    header = ["STT", "Đơn vị"]
    header += [f"{quantity['label']} ({quantity['unit']})" for quantity in indicator.quantities]
    header += [indicator.name, "Đánh giá", "Báo cáo"]
    table_rows = []
    for index, row in enumerate(rows, start=start):
        judged = None if row.meets is None else ("Đạt" if row.meets else "Chưa đạt")
        table_rows.append(
            [
                index,
                Link(row.unit.name, unit_url(row.unit)),
                *[amount(row.quantities.get(quantity["key"])) for quantity in indicator.quantities],
                figure(indicator, row.value),
                judged,
                Link("Mở", report_url(row.report_id, indicator.criterion.code)),
            ]
        )
    if total:
        table_rows.append(
            [
                None,
                "Toàn Sở (Σ ÷ Σ)",
                *[amount(point.totals.get(quantity["key"])) for quantity in indicator.quantities],
                figure(indicator, point.value),
                verdict(point),
                None,
            ]
        )
    quantity_columns = tuple(range(2, 3 + len(indicator.quantities)))
    return Table(
        header,
        table_rows,
        title=f"{indicator.name} của từng đơn vị — {point.period.label}",
        numeric_columns=(0, *quantity_columns),
        sheet_name=f"{indicator.code} {point.period.code}",
    )
