"""The overview's pages (Tổng quan) for leadership and the office, and a unit's page, each with its XLSX export.

Views are thin: overview.permissions decides who may open a page (404 otherwise), overview.selectors reads the
figures in a fixed number of queries, overview.views_tables turns them into the tables and charts the page shows
and the workbook holds (overview.xlsx).
"""

import datetime

from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.views.decorators.http import require_GET

from campaign.models import Indicator

from . import permissions, selectors, waiting, xlsx
from . import views_tables as tables
from . import views_unit_tables as tables_unit
from .selectors_unit import unit_history

GRID_PAGE_SIZE = 100


def _check(user):
    if not permissions.can_see_overview(user):
        raise Http404


def unit_url(unit):
    return reverse("overview:unit", args=[unit.pk])


def _unit_url_of(scope):
    base = tables.url_maker("overview:unit")
    query = scope.query(ky=None)
    return lambda unit: f"{base(unit.pk)}?{query}" if query else base(unit.pk)


def _indicator_url_of(scope):
    def url(indicator, period):
        return f"{reverse('overview:indicator', args=[indicator.code])}?{scope.query(ky=period.code)}"

    return url


def _report_url():
    detail = tables.url_maker("reports:detail")
    return lambda report_id, code: f"{detail(report_id)}#{code}"


# --- How a cell shows on the page --------------------------------------------------------------------------------


def _text(value):
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "Có" if value else "Không"
    if isinstance(value, int):
        return f"{value:,}".replace(",", ".")
    if isinstance(value, datetime.datetime):
        return f"{timezone.localtime(value):%d/%m/%Y %H:%M}"
    if isinstance(value, datetime.date):
        return f"{value:%d/%m/%Y}"
    return str(value)


def _cell_html(value, numeric):
    """One <td>: the cell's text, its link and its mark's class; escaped."""
    classes = []
    if numeric:
        classes.append("text-end")
    css = getattr(value, "css", "")
    if css:
        classes.append(f"overview-mark {css}")
    text = escape(_text(value))
    url = getattr(value, "url", "")
    if url:
        text = f'<a href="{escape(url)}">{text}</a>'
    attribute = f' class="{escape(" ".join(classes))}"' if classes else ""
    return f"<td{attribute}>{text}</td>"


def shown(table):
    """A table as the page draws it (the same cells as its sheet in the XLSX): built here rather than in a template
    loop, which at a thousand units would spend most of the page's time on its cells."""
    numeric = set(table.numeric_columns)
    right = ' class="text-end"'
    header = "".join(
        f'<th scope="col"{right if index in numeric else ""}>{escape(label)}</th>'
        for index, label in enumerate(table.header)
    )
    body = "\n".join(
        "<tr>" + "".join(_cell_html(value, index in numeric) for index, value in enumerate(row)) + "</tr>"
        for row in table.rows
    )
    return {
        "title": table.title,
        "head": mark_safe(f"<tr>{header}</tr>"),  # noqa: S308 — every piece escaped above
        "body": mark_safe(body),  # noqa: S308 — every piece escaped above
        "matrix": table.layout == "matrix",
        "legend": table.legend,
        "size": len(table.rows),
    }


def _section(anchor, heading, *, tables_=(), chart=None, note="", empty=""):
    return {"anchor": anchor, "heading": heading, "tables": list(tables_), "chart": chart, "note": note, "empty": empty}


# --- The overview ---------------------------------------------------------------------------------------------------


def index_sections(scope):
    """The overview's sections, each with its chart and the tables of its numbers (the page and the workbook)."""
    if scope.period is None:
        return []
    units = selectors.reporting_units()
    periods = list(scope.periods)
    if scope.last_year is not None and scope.last_year not in periods:
        periods.append(scope.last_year)
    figures = selectors.completeness(periods, scope.today, units)
    criteria, levels = selectors.criteria_and_levels()
    versions = selectors.accepted_versions(scope.counterparts())
    spread = selectors.assessment_spread(periods, versions)
    years = {period.year for period in scope.periods}
    scores = selectors.confirmed_scores(years)
    indicators, points = selectors.indicator_series(scope, versions=versions)
    unit_link = _unit_url_of(scope)
    sections = [
        _section(
            "nop-bao-cao",
            "Tình hình nộp báo cáo qua các kỳ",
            tables_=[tables.completeness_table(scope, figures)],
            chart=tables.completeness_chart(scope, figures),
            note="Đúng hạn, muộn: báo cáo đã nộp (kể cả báo cáo nhập từ tệp của các kỳ trước); chưa nộp (quá hạn): "
            "đã qua hạn đơn vị nộp mà chưa nộp.",
        ),
        _section(
            "thieu",
            f"Đơn vị chưa nộp báo cáo {scope.period.label}",
            tables_=[tables.missing_table(scope, figures[scope.period.pk], unit_link)],
            empty="Mọi đơn vị đã nộp báo cáo kỳ này.",
        ),
    ]
    if scope.last_year is not None:
        sections.append(
            _section(
                "cung-ky",
                f"{scope.period.label} so với cùng kỳ năm trước",
                tables_=[tables.comparison_table(scope, figures, levels, spread, criteria, indicators, points)],
                chart=tables.comparison_chart(scope, figures),
            )
        )
    sections.append(
        _section(
            "tu-danh-gia",
            f"Tự đánh giá theo tiêu chí — {scope.period.label}",
            tables_=[tables.assessment_table(scope, criteria, levels, spread)],
            chart=tables.assessment_chart(scope, criteria, levels, spread),
            note="Tính trên các báo cáo đã được Văn phòng tiếp nhận, như báo cáo tổng hợp.",
        )
    )
    sections.append(
        _section(
            "tu-danh-gia-qua-cac-ky",
            "Tự đánh giá theo tiêu chí qua các kỳ",
            tables_=[tables.assessment_history_table(scope, criteria, levels, spread)],
        )
    )
    score_table = tables.scores_table(scope, criteria, scores)
    sections.append(
        _section(
            "diem",
            "Điểm Văn phòng chấm đã được lãnh đạo xác nhận",
            tables_=[score_table] if score_table.rows else [],
            chart=tables.scores_chart(scope, criteria, scores),
            empty="Chưa có bảng điểm Phong trào thi đua được lãnh đạo xác nhận trong các năm đã chọn.",
        )
    )
    indicator_link = _indicator_url_of(scope)
    for indicator in indicators:
        sections.append(
            _section(
                f"chi-so-{indicator.code}",
                f"Chỉ số: {indicator.name}",
                tables_=[tables.indicator_table(scope, indicator, points, indicator_link)],
                chart=tables.indicator_chart(scope, indicator, points),
                note=f"Tiêu chí {indicator.criterion.code}. Giá trị của Sở = Σ tử số ÷ Σ mẫu số của các đơn vị "
                "(không phải bình quân tỷ lệ các đơn vị).",
            )
        )
    return sections


def _page(request, template, scope, context):
    return render(request, template, {"scope": scope, "print_date": scope.today, **context})


@require_GET
def index(request):
    """Tổng quan: where the campaign stands across periods, criteria and indicators, filtered by phase, year, period."""
    _check(request.user)
    scope = selectors.read_scope(request.GET)
    sections = index_sections(scope)
    for section in sections:
        section["tables"] = [shown(table) for table in section["tables"]]
        section["chart"] = section["chart"].json() if section["chart"] else ""
    # What waits for the reader, above the figures: the request's one waiting list, which the menu's counts read too.
    strip = waiting.home_panel(request, limit=waiting.STRIP_LIMIT)
    return _page(
        request, "overview/index.html", scope, {"sections": sections, "xlsx": "overview:index_xlsx", "waiting": strip}
    )


@require_GET
def index_xlsx(request):
    """Every table of the overview, a sheet each."""
    _check(request.user)
    scope = selectors.read_scope(request.GET)
    found = [table for section in index_sections(scope) for table in section["tables"]]
    code = scope.period.code if scope.period else "trong"
    return xlsx.response(xlsx.workbook(found, scope, "Tổng quan phong trào thi đua"), f"tong-quan-{code}.xlsx")


# --- The unit × criterion grid ---------------------------------------------------------------------------------------


def _grid(scope):
    criteria, levels = selectors.criteria_and_levels()
    rows = selectors.grid(scope.period)
    return criteria, levels, rows


@require_GET
def grid(request):
    """Each unit's self-assessment per criterion for one period, each mark opening that part of the unit's report."""
    _check(request.user)
    scope = selectors.read_scope(request.GET)
    context = {"table": None, "xlsx": "overview:grid_xlsx"}
    if scope.period is not None:
        criteria, levels = selectors.criteria_and_levels()
        page = Paginator(selectors.grid_rows(scope.period), GRID_PAGE_SIZE).get_page(request.GET.get("trang"))
        selectors.grid_cells(scope.period, page.object_list)
        table = tables.grid_table(
            scope.period, page.object_list, criteria, levels, _unit_url_of(scope), start=page.start_index()
        )
        context.update(
            table=shown(table),
            page=page,
            criteria=criteria,
            levels=[(tables.short_level(level.label), level.label, css) for level, css in _level_classes(levels)],
        )
    return _page(request, "overview/grid.html", scope, context)


def _level_classes(levels):
    classes = tables.level_css(levels)
    return [(level, classes[level.pk]) for level in levels]


@require_GET
def grid_xlsx(request):
    _check(request.user)
    scope = selectors.read_scope(request.GET)
    if scope.period is None:
        raise Http404
    criteria, levels, rows = _grid(scope)
    table = tables.grid_table(scope.period, rows, criteria, levels, _unit_url_of(scope))
    return xlsx.response(
        xlsx.workbook([table], scope, "Tổng quan phong trào thi đua"), f"don-vi-tieu-chi-{scope.period.code}.xlsx"
    )


# --- An indicator's units ---------------------------------------------------------------------------------------------


def _indicator(scope, code):
    indicator = get_object_or_404(Indicator.objects.select_related("criterion__group"), code=code, is_active=True)
    _, points = selectors.indicator_series(scope, [indicator])
    entries = selectors.indicator_results([scope.period], [indicator])
    point = points[(indicator.pk, scope.period.pk)]
    units = {unit.pk: unit for unit in selectors.reporting_units()}
    rows = selectors.indicator_units(
        indicator, point, entries.get((indicator.criterion_id, scope.period.pk), []), units
    )
    return indicator, point, rows


@require_GET
def indicator(request, code):
    """The units' figures behind the Department's value of an indicator for one period."""
    _check(request.user)
    scope = selectors.read_scope(request.GET)
    if scope.period is None:
        raise Http404
    indicator, point, rows = _indicator(scope, code)
    page = Paginator(rows, GRID_PAGE_SIZE).get_page(request.GET.get("trang"))
    table = tables.indicator_units_table(
        indicator, point, page.object_list, _unit_url_of(scope), _report_url(), start=page.start_index(), total=False
    )
    return _page(
        request,
        "overview/indicator.html",
        scope,
        {
            "indicator": indicator,
            "point": point,
            "value": tables.figure(indicator, point.value),
            "reference": tables.figure(indicator, point.reference),
            "verdict": tables.verdict(point),
            "totals": [
                (quantity, tables.amount(point.totals.get(quantity["key"]))) for quantity in indicator.quantities
            ],
            "table": shown(table),
            "page": page,
            "xlsx": "overview:indicator_xlsx",
        },
    )


@require_GET
def indicator_xlsx(request, code):
    _check(request.user)
    scope = selectors.read_scope(request.GET)
    if scope.period is None:
        raise Http404
    indicator, point, rows = _indicator(scope, code)
    table = tables.indicator_units_table(indicator, point, rows, _unit_url_of(scope), _report_url())
    return xlsx.response(
        xlsx.workbook([table], scope, "Tổng quan phong trào thi đua"),
        f"chi-so-{indicator.code}-{scope.period.code}.xlsx",
    )


# --- A unit's page ----------------------------------------------------------------------------------------------------


def _unit(request, pk):
    unit = permissions.get_visible_unit(request.user, pk)
    scope = selectors.read_scope(request.GET)
    history = unit_history(unit, scope, request.user)
    return unit, scope, history


@require_GET
def unit(request, pk):
    """A unit's history across the periods in scope: reports, self-assessments, indicators, awards. Leadership and the
    office open every unit's page; a unit's members only their own."""
    unit, scope, history = _unit(request, pk)
    sections = tables_unit.sections(history, _report_url())
    for section in sections:
        section["tables"] = [shown(table) for table in section["tables"]]
        section["chart"] = section["chart"].json() if section["chart"] else ""
    return _page(
        request,
        "overview/unit.html",
        scope,
        {
            "unit": unit,
            "sections": sections,
            "xlsx": "overview:unit_xlsx",
            "xlsx_args": [unit.pk],
            "overview": permissions.can_see_overview(request.user),
        },
    )


@require_GET
def unit_xlsx(request, pk):
    unit, scope, history = _unit(request, pk)
    found = [table for section in tables_unit.sections(history, _report_url()) for table in section["tables"]]
    return xlsx.response(xlsx.workbook(found, scope, unit.name), f"don-vi-{unit.code}.xlsx")
