"""A unit's page in the overview as tables and charts (the page and its workbook): its reports across the periods,
its self-assessments per criterion, its indicators beside the Department's, its awards."""

from collections import Counter

from documents.model import Table

from .selectors import reaches
from .views_tables import (
    LEVEL_COLOURS,
    NOT_CHOSEN,
    UNASSESSED,
    Chart,
    Link,
    amount,
    figure,
    level_css,
    report_status,
    short_level,
    verdict,
)


def _section(anchor, heading, *, tables=(), chart=None, note="", empty=""):
    return {"anchor": anchor, "heading": heading, "tables": list(tables), "chart": chart, "note": note, "empty": empty}


def reports_table(history, report_url):
    rows = []
    for period in history.periods:
        report = history.reports.get(period.pk)
        opened = report is not None and report.pk in history.openable
        timeliness = None
        if report is not None and report.submitted_at:
            timeliness = "Muộn" if report.is_late else "Đúng hạn"
        rows.append(
            [
                period.label,
                period.unit_due_date,
                report_status(report),
                report.submitted_at if report is not None else None,
                timeliness,
                ("Nhập từ tệp" if report.history_import_id else "Lập trên cổng") if report is not None else None,
                Link("Mở báo cáo", report_url(report.pk, "").rstrip("#")) if opened else None,
            ]
        )
    return Table(
        ["Kỳ báo cáo", "Hạn nộp", "Trạng thái", "Nộp lúc", "Thời hạn", "Nguồn", "Báo cáo"],
        rows,
        title=f"Báo cáo của {history.unit.name} qua các kỳ",
        sheet_name="Báo cáo qua các kỳ",
    )


def assessment_grid(history, report_url):
    marks = {level.pk: short_level(level.label) for level in history.levels}
    css = level_css(history.levels)
    rows = []
    for criterion in history.criteria:
        cells = []
        for period in history.periods:
            found = history.results.get((period.pk, criterion.pk))
            report = history.reports.get(period.pk)
            if found is None or report is None:
                cells.append(None)
                continue
            level_id, code = found
            text = marks.get(level_id, "?") if level_id is not None else UNASSESSED
            url = report_url(report.pk, code) if report.pk in history.openable else ""
            cells.append(Link(text, url, css.get(level_id, "overview-level-none")))
        rows.append([criterion.code, criterion.short_label, *cells])
    return Table(
        ["Mã", "Tiêu chí", *[period.label for period in history.periods]],
        rows,
        title="Tự đánh giá theo tiêu chí qua các kỳ (báo cáo đã tiếp nhận)",
        layout="matrix",
        sheet_name="Tự đánh giá theo tiêu chí",
        legend=[(short_level(level.label), level.label) for level in history.levels],
    )


def _counts(history):
    counts = {period.pk: Counter() for period in history.periods}
    for (period_id, _), (level_id, _) in history.results.items():
        if period_id in counts:
            counts[period_id][level_id] += 1
    return counts


def assessment_counts_table(history):
    counts = _counts(history)
    rows = [
        [
            period.label,
            *[counts[period.pk].get(level.pk, 0) for level in history.levels],
            counts[period.pk].get(None, 0),
        ]
        for period in history.periods
    ]
    return Table(
        ["Kỳ báo cáo", *[level.label for level in history.levels], UNASSESSED],
        rows,
        title="Số tiêu chí theo mức tự đánh giá, qua các kỳ",
        numeric_columns=tuple(range(1, len(history.levels) + 2)),
        sheet_name="Số tiêu chí theo mức",
    )


def assessment_counts_chart(history):
    counts = _counts(history)
    datasets = [
        {
            "label": level.label,
            "data": [counts[period.pk].get(level.pk, 0) for period in history.periods],
            "backgroundColor": LEVEL_COLOURS[index % len(LEVEL_COLOURS)],
        }
        for index, level in enumerate(history.levels)
    ]
    datasets.append(
        {
            "label": UNASSESSED,
            "data": [counts[period.pk].get(None, 0) for period in history.periods],
            "backgroundColor": NOT_CHOSEN,
        }
    )
    return Chart(
        "bar",
        [period.label for period in history.periods],
        datasets,
        stacked=True,
        unit="tiêu chí",
        title="Số tiêu chí theo mức tự đánh giá",
    )


def indicator_table(history, indicator):
    rows = []
    for period in history.periods:
        quantities, value = history.own_values.get((indicator.pk, period.pk), ({}, None))
        point = history.points[(indicator.pk, period.pk)]
        meets = None
        reached = reaches(value, point.reference, indicator.direction)
        if reached is not None:
            meets = "Đạt" if reached else "Chưa đạt"
        rows.append(
            [
                period.label,
                *[amount(quantities.get(quantity["key"])) for quantity in indicator.quantities],
                figure(indicator, value),
                meets,
                figure(indicator, point.value),
                verdict(point),
                figure(indicator, point.reference),
            ]
        )
    return Table(
        [
            "Kỳ báo cáo",
            *[f"{quantity['label']} ({quantity['unit']})" for quantity in indicator.quantities],
            "Giá trị của đơn vị",
            "Đơn vị đạt",
            "Giá trị của Sở",
            "Sở đạt",
            "Mức đối chiếu",
        ],
        rows,
        title=f"{indicator.name}: đơn vị và toàn Sở qua các kỳ",
        numeric_columns=tuple(range(1, len(indicator.quantities) + 2)) + (len(indicator.quantities) + 3,),
        sheet_name=f"Chỉ số {indicator.code}",
    )


def indicator_chart(history, indicator):
    def values(getter):
        return [getter(period) for period in history.periods]

    def own(period):
        value = history.own_values.get((indicator.pk, period.pk), ({}, None))[1]
        return None if value is None else float(value)

    def department(period):
        value = history.points[(indicator.pk, period.pk)].value
        return None if value is None else float(value)

    return Chart(
        "line",
        [period.label for period in history.periods],
        [
            {"label": history.unit.name, "data": values(own), "borderColor": "#1f5fa8", "backgroundColor": "#1f5fa8"},
            {"label": "Toàn Sở", "data": values(department), "borderColor": "#6c757d", "backgroundColor": "#6c757d"},
        ],
        unit=indicator.result_unit,
        title=indicator.name,
    )


def awards_table(history):
    rows = [
        [
            str(record.year),
            record.form_name,
            record.get_recipient_kind_display(),
            record.recipient_name,
            record.decision_number,
            record.decision_date,
            record.conferring_authority or None,
            record.get_source_display(),
        ]
        for record in history.awards
    ]
    return Table(
        [
            "Năm",
            "Hình thức",
            "Đối tượng",
            "Tập thể, cá nhân",
            "Số quyết định",
            "Ngày quyết định",
            "Cấp quyết định",
            "Nguồn",
        ],
        rows,
        title=f"Khen thưởng của {history.unit.name} và cá nhân thuộc đơn vị (sổ khen thưởng)",
        sheet_name="Khen thưởng",
    )


def sections(history, report_url):
    found = [
        _section("bao-cao", "Báo cáo qua các kỳ", tables=[reports_table(history, report_url)]),
        _section(
            "tu-danh-gia",
            "Tự đánh giá theo tiêu chí",
            tables=[assessment_grid(history, report_url), assessment_counts_table(history)],
            chart=assessment_counts_chart(history),
            note="Mỗi ô mở phần tương ứng của báo cáo đơn vị. Báo cáo nhập từ tệp được tính như báo cáo lập trên cổng.",
        ),
    ]
    for indicator in history.indicators:
        found.append(
            _section(
                f"chi-so-{indicator.code}",
                f"Chỉ số: {indicator.name}",
                tables=[indicator_table(history, indicator)],
                chart=indicator_chart(history, indicator),
            )
        )
    table = awards_table(history)
    found.append(
        _section(
            "khen-thuong",
            "Khen thưởng",
            tables=[table] if table.rows else [],
            empty="Sổ khen thưởng chưa ghi khen thưởng nào của đơn vị trong các năm đã chọn.",
        )
    )
    return found
