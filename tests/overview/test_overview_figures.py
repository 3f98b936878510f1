"""Every figure of the overview against values worked out by hand (the dataset: test_overview_dataset.py),
time frozen at 01/7/2026, an imported history period (2023-H1) among them.

Hand work, for reference:
- 2026-H1: expected HCTH, TTUD, PQLKH, PKT, PMOI (PCU dissolved) = 5; on time PQLKH, PKT = 2; late TTUD = 1;
  missing HCTH (draft), PMOI (none) = 2; submitted 3/5 = 60,00%.
- 2025-H1: expected 4 (no PCU, no PMOI); on time PQLKH, HCTH (submitted, not accepted) = 2; late PKT = 1;
  missing TTUD (draft) = 1; 3/4 = 75,00%.
- 2023-H1: expected 5 (PCU still exists); imported PQLKH, PKT on time = 2; missing HCTH, TTUD, PCU = 3; 40,00%.
- Disbursement 2026-H1 = (600.000.000 + 2.400.000.000) ÷ (1.000.000.000 + 3.000.000.000) = 75,00% (PKT's "không
  áp dụng" skipped); a half year without a milestone: not judged. 2025-H1 = 1.900.000.000 ÷ 3.000.000.000 =
  63,33%. 2023-H1 = 800.000.000 ÷ 1.000.000.000 = 80,00% (PKT not applicable).
- Recurrent share 2026-H1 = (250 + 300 + 150) ÷ (1000 + 1000 + 500) = 28,00%, against 2025-H1's
  (300 + 200) ÷ (1000 + 800) = 27,78%, lower is better: not met. 2023-H1 = 800 ÷ 2500 = 32,00%.
- Confirmed campaign scores 2025: III.1.1.1 (max 10) PQLKH 10, PKT 6 (office, not 3), TTUD 8 → min 6, median 8,
  mean 8,00, max 10; III.1.2.3 (max 5) 5, 4, 3 (office, not 2) → 3, 4, 4,00, 5.
"""

import pytest
from django.core.cache import cache
from django.test import Client

from overview import selectors
from overview import views_tables as tables
from overview.selectors_unit import unit_history
from overview.views import index_sections
from tests.overview.test_overview_dataset import DISBURSEMENT, PLAIN, RECURRENT, TODAY, build, frozen_time
from tests.shared_data import built_once

pytestmark = pytest.mark.django_db


@pytest.fixture(scope="module")
def data(django_db_setup, django_db_blocker):
    with frozen_time(), built_once(django_db_blocker, build) as built:
        yield built


@pytest.fixture(autouse=True)
def _frozen():
    cache.clear()  # the overview keeps its sums per period in the cache: none from another module
    with frozen_time():
        yield


def texts(table):
    """The cells as the page prints them (overview.views.shown)."""
    # Imported here: the page's own rendering of a cell.
    from overview.views import _text

    return [[_text(value) for value in row] for row in table.rows]


def scope_of(**params):
    return selectors.read_scope(params)


# --- The filters -----------------------------------------------------------------------------------------------


def test_default_scope_is_this_years_phase_and_its_latest_period_past_due(data):
    scope = scope_of()
    assert scope.today == TODAY
    assert scope.phase.number == 2
    assert [period.code for period in scope.periods] == ["2026-H1", "2026-FY", "2026-2030"]
    assert scope.years == [2026, 2030]
    assert scope.period.code == "2026-H1"
    assert scope.last_year.code == "2025-H1"


def test_filters_by_phase_year_and_period_and_says_when_a_value_names_nothing(data):
    scope = scope_of(giai_doan="1", nam="2025")
    assert [period.code for period in scope.periods] == ["2025-H1", "2022-2025", "2025-FY"]
    assert scope.period.code == "2025-FY"
    scope = scope_of(giai_doan="1", nam="2023", ky="2023-H1")
    assert scope.period.code == "2023-H1"
    assert scope.last_year.code == "2022-H1"
    scope = scope_of(giai_doan="9", nam="1999", ky="2099-H1")
    assert scope.phase is None
    assert scope.notices == [
        "Không có giai đoạn “9”; đang hiển thị tất cả giai đoạn.",
        "Không có kỳ báo cáo nào của năm “1999” trong giai đoạn đã chọn; đang hiển thị mọi năm.",
        "Kỳ “2099-H1” không thuộc giai đoạn, năm đã chọn hoặc chưa bắt đầu; đang hiển thị kỳ gần nhất.",
    ]
    assert len(scope.periods) == 12  # 2022-H1 … 2026-FY and both phase reviews, begun by 01/7/2026
    assert scope.period.code == "2026-H1"


# --- Completeness and timeliness ----------------------------------------------------------------------------------


def test_completeness_over_phase_two(data):
    scope = scope_of()
    table = tables.completeness_table(scope, selectors.completeness(scope.periods, TODAY))
    assert texts(table) == [
        [
            "6 tháng đầu năm 2026",
            "20/06/2026",
            "5",
            "2",
            "1",
            "2",
            "0",
            "60,00%",
            "0",
            "Phòng Hành chính - Tổng hợp; Phòng Mới",
        ],
        ["Năm 2026", "20/12/2026", "5", "0", "0", "0", "5", "0,00%", "0", "—"],
        ["Tổng kết giai đoạn 2026 - 2030", "15/10/2030", "5", "0", "0", "0", "5", "0,00%", "0", "—"],
    ]


def test_completeness_counts_imported_history_like_portal_reports(data):
    scope = scope_of(giai_doan="1", nam="2023")
    figures = selectors.completeness(scope.periods, TODAY)
    assert texts(tables.completeness_table(scope, figures)) == [
        [
            "6 tháng đầu năm 2023",
            "20/06/2023",
            "5",
            "2",
            "0",
            "3",
            "0",
            "40,00%",
            "2",
            "Phòng Hành chính - Tổng hợp; Trung tâm Ứng dụng và Dịch vụ khoa học công nghệ; Phòng Cũ",
        ],
        [
            "Năm 2023",
            "20/12/2023",
            "5",
            "0",
            "0",
            "5",
            "0",
            "0,00%",
            "0",
            "Phòng Hành chính - Tổng hợp; Trung tâm Ứng dụng và Dịch vụ khoa học công nghệ; Phòng Quản lý khoa học; "
            "Phòng Kế hoạch - Tài chính; Phòng Cũ",
        ],
    ]


def test_completeness_of_2025_h1_counts_a_submitted_report_not_yet_accepted(data):
    scope = scope_of(giai_doan="1", nam="2025")
    figure = selectors.completeness(scope.periods, TODAY)[data["periods"]["2025-H1"].pk]
    assert (figure.expected, figure.on_time, figure.late, figure.missing, figure.pending) == (4, 2, 1, 1, 0)
    assert [unit.code for unit in figure.missing_units] == ["TTUD"]


def test_missing_units_of_the_chosen_period_are_named(data):
    scope = scope_of()
    figures = selectors.completeness(scope.periods, TODAY)
    table = tables.missing_table(scope, figures[scope.period.pk], lambda unit: f"/u/{unit.code}/")
    assert texts(table) == [
        ["1", "Phòng Hành chính - Tổng hợp", "Quá hạn", "20/06/2026"],
        ["2", "Phòng Mới", "Quá hạn", "20/06/2026"],
    ]
    assert table.rows[0][1].url == "/u/HCTH/"


def test_names_show_five_on_the_page_and_all_in_the_spreadsheet():
    names = tables.Names(tuple(f"Phòng {index}" for index in range(1, 8)))
    assert str(names) == "Phòng 1; Phòng 2; Phòng 3; Phòng 4; Phòng 5 và 2 đơn vị khác"
    assert names.full.endswith("Phòng 6; Phòng 7")


# --- Self-assessments and confirmed scores ------------------------------------------------------------------------


def _rows_of(table, *codes):
    return [row for row in texts(table) if row[0] in codes]


def test_self_assessment_spread_of_the_chosen_period(data):
    scope = scope_of()
    criteria, levels = selectors.criteria_and_levels()
    assert [level.label for level in levels] == ["Hoàn thành tốt", "Hoàn thành", "Chưa hoàn thành", "Không áp dụng"]
    table = tables.assessment_table(scope, criteria, levels, selectors.assessment_spread(scope.periods))
    # Code, label, HTT, HT, CHT, KAD, not chosen, accepted reports with the criterion.
    rows = {row[0]: row[2:] for row in texts(table)}
    assert rows[PLAIN] == ["2", "1", "0", "0", "0", "3"]
    assert rows[DISBURSEMENT] == ["0", "2", "0", "1", "0", "3"]
    assert rows[RECURRENT] == ["1", "1", "0", "0", "1", "3"]
    assert rows["III.1.1.2"] == ["0", "0", "0", "0", "0", "0"]


def test_self_assessment_across_periods_counts_only_accepted_reports(data):
    scope = scope_of(giai_doan="1", nam="2025")
    criteria, levels = selectors.criteria_and_levels()
    table = tables.assessment_history_table(scope, criteria, levels, selectors.assessment_spread(scope.periods))
    rows = [row[2:] for row in texts(table) if row[0] == PLAIN]
    # HCTH's submitted 2025-H1 report (Hoàn thành tốt) is not accepted: not counted. Share: 1 of 2 assessed.
    assert rows == [
        ["6 tháng đầu năm 2025", "1", "0", "1", "0", "0", "50,00%"],
        ["Sơ kết giai đoạn 2022 - 2025", "0", "0", "0", "0", "0", "—"],
        ["Năm 2025", "0", "0", "0", "0", "0", "—"],
    ]
    scope = scope_of(giai_doan="1", nam="2023")
    table = tables.assessment_history_table(scope, criteria, levels, selectors.assessment_spread(scope.periods))
    # The share leaves "không áp dụng" out: PQLKH Hoàn thành, PKT not applicable → 0 of 1.
    assert [row[2:] for row in texts(table) if row[0] == DISBURSEMENT][0] == [
        "6 tháng đầu năm 2023",
        "0",
        "1",
        "0",
        "1",
        "0",
        "0,00%",
    ]


def test_confirmed_scores_spread_per_criterion(data):
    scope = scope_of(giai_doan="1", nam="2025")
    criteria, _ = selectors.criteria_and_levels()
    scores = selectors.confirmed_scores(scope.years)
    table = tables.scores_table(scope, criteria, scores)
    assert [row[0:1] + row[2:] for row in texts(table)] == [
        [PLAIN, "2025", "10", "3", "6", "8", "8", "10"],
        [RECURRENT, "2025", "5", "3", "3", "4", "4", "5"],
    ]
    chart = tables.scores_chart(scope, criteria, scores)
    assert chart.datasets[0]["data"] == [[6.0, 10.0], [3.0, 5.0]]
    assert chart.datasets[1]["data"] == [8.0, 4.0]
    # 2026's scheme is not confirmed: nothing for the phase of 2026.
    assert tables.scores_table(scope_of(), criteria, selectors.confirmed_scores([2026])).rows == []


# --- Indicators ---------------------------------------------------------------------------------------------------


def _indicator(indicators, code):
    return next(indicator for indicator in indicators if indicator.code == code)


def test_indicator_department_values_across_periods_against_their_reference(data):
    scope = scope_of()
    indicators, points = selectors.indicator_series(scope)
    disbursement = _indicator(indicators, "disbursement-rate")
    table = tables.indicator_table(scope, disbursement, points, lambda indicator, period: f"/i/{period.code}/")
    assert [row[:-1] for row in texts(table)] == [
        ["6 tháng đầu năm 2026", "4.000.000.000", "3.000.000.000", "75,00%", "—", "—", "Theo dõi tiến độ", "2"],
        ["Năm 2026", "—", "—", "—", "chỉ tiêu", "100,00%", "—", "0"],
        ["Tổng kết giai đoạn 2026 - 2030", "—", "—", "—", "chỉ tiêu", "100,00%", "—", "0"],
    ]
    share = _indicator(indicators, "recurrent-spending-share")
    table = tables.indicator_table(scope, share, points, lambda indicator, period: "")
    assert texts(table)[0][:-1] == [
        "6 tháng đầu năm 2026",
        "700",
        "2.500",
        "28,00%",
        "cùng kỳ năm trước",
        "27,78%",
        "Chưa đạt",
        "3",
    ]


def test_indicator_values_of_phase_one_include_the_imported_history(data):
    scope = scope_of(giai_doan="1")
    indicators, points = selectors.indicator_series(scope)
    period = data["periods"]
    values = {
        (indicator.code, code): points[(indicator.pk, period[code].pk)].value
        for indicator in indicators
        for code in ("2023-H1", "2025-H1")
    }
    assert {key: str(value) for key, value in values.items()} == {
        ("disbursement-rate", "2023-H1"): "80.00",
        ("disbursement-rate", "2025-H1"): "63.33",
        ("recurrent-spending-share", "2023-H1"): "32.00",
        ("recurrent-spending-share", "2025-H1"): "27.78",
    }


def test_indicator_units_behind_the_department_value(data):
    scope = scope_of()
    indicators, points = selectors.indicator_series(scope)
    entries = selectors.indicator_results([scope.period], indicators)
    disbursement = _indicator(indicators, "disbursement-rate")
    point = points[(disbursement.pk, scope.period.pk)]
    units = {unit.pk: unit for unit in selectors.reporting_units()}
    rows = selectors.indicator_units(disbursement, point, entries[(disbursement.criterion_id, scope.period.pk)], units)
    table = tables.indicator_units_table(
        disbursement, point, rows, lambda unit: "", lambda report, code: f"/r/{report}/#{code}"
    )
    assert [row[:-1] for row in texts(table)] == [
        ["1", "Trung tâm Ứng dụng và Dịch vụ khoa học công nghệ", "3.000.000.000", "2.400.000.000", "80,00%", "—"],
        ["2", "Phòng Quản lý khoa học", "1.000.000.000", "600.000.000", "60,00%", "—"],
        ["—", "Toàn Sở (Σ ÷ Σ)", "4.000.000.000", "3.000.000.000", "75,00%", "Theo dõi tiến độ"],
    ]
    assert table.rows[0][-1].url == f"/r/{data['ttud_2026'].pk}/#{DISBURSEMENT}"


def test_indicator_chart_draws_the_table_numbers(data):
    scope = scope_of()
    indicators, points = selectors.indicator_series(scope)
    share = _indicator(indicators, "recurrent-spending-share")
    chart = tables.indicator_chart(scope, share, points)
    assert chart.labels == ["6 tháng đầu năm 2026", "Năm 2026", "Tổng kết giai đoạn 2026 - 2030"]
    assert [dataset["data"] for dataset in chart.datasets] == [
        [28.0, None, None],
        [None, None, None],
        [None, None, None],
        [27.78, None, None],
    ]


# --- The same period last year ------------------------------------------------------------------------------------


def test_the_chosen_period_beside_the_same_period_last_year(data):
    scope = scope_of()
    sections = {section["anchor"]: section for section in index_sections(scope)}
    table = sections["cung-ky"]["tables"][0]
    assert table.header == ["Nội dung", "6 tháng đầu năm 2025", "6 tháng đầu năm 2026", "Chênh lệch"]
    assert texts(table) == [
        ["Số đơn vị phải báo cáo", "4", "5", "1"],
        ["Nộp đúng hạn", "2", "2", "0"],
        ["Nộp muộn", "1", "1", "0"],
        ["Chưa nộp (quá hạn)", "1", "2", "1"],
        ["Tỷ lệ đã nộp", "75,00%", "60,00%", "-15,00 điểm %"],
        ["Lượt tự đánh giá “Hoàn thành tốt”", "3", "3", "0"],
        ["Lượt tự đánh giá “Hoàn thành”", "2", "4", "2"],
        ["Lượt tự đánh giá “Chưa hoàn thành”", "1", "0", "-1"],
        ["Lượt tự đánh giá “Không áp dụng”", "0", "1", "1"],
        ["Tỷ lệ giải ngân kế hoạch vốn đầu tư công được giao", "63,33%", "75,00%", "11,67 điểm %"],
        ["Tỷ trọng chi thường xuyên trong tổng chi ngân sách nhà nước", "27,78%", "28,00%", "0,22 điểm %"],
    ]
    assert sections["cung-ky"]["chart"].datasets[1]["data"] == [2, 1, 2]


# --- The grid and the unit's page ---------------------------------------------------------------------------------


def test_grid_of_one_period_links_each_mark_to_that_part_of_the_report(data):
    scope = scope_of()
    criteria, levels = selectors.criteria_and_levels()
    rows = selectors.grid(scope.period)
    table = tables.grid_table(scope.period, rows, criteria, levels, lambda unit: "")
    index = {criterion.code: 3 + position for position, criterion in enumerate(criteria)}
    printed = texts(table)
    assert [row[1:3] for row in printed] == [
        ["Phòng Hành chính - Tổng hợp", "Đang soạn"],
        ["Trung tâm Ứng dụng và Dịch vụ khoa học công nghệ", "Đã tiếp nhận · nộp muộn"],
        ["Phòng Quản lý khoa học", "Đã tiếp nhận"],
        ["Phòng Kế hoạch - Tài chính", "Đã tiếp nhận"],
        ["Phòng Mới", "Chưa nộp"],
    ]
    assert [printed[row][index[code]] for row in range(5) for code in (PLAIN, DISBURSEMENT, RECURRENT)] == [
        "—",
        "—",
        "—",
        "HT",
        "HT",
        "Chưa chọn",
        "HTT",
        "HT",
        "HTT",
        "HTT",
        "KÁD",
        "HT",
        "—",
        "—",
        "—",
    ]
    cell = table.rows[2][index[DISBURSEMENT]]
    assert cell.url == f"/reports/{data['pqlkh_2026'].pk}/#{DISBURSEMENT}"
    assert cell.css == "overview-level-2"


def test_grid_marks_imported_history_reports(data):
    period = data["periods"]["2023-H1"]
    criteria, levels = selectors.criteria_and_levels()
    table = tables.grid_table(period, selectors.grid(period), criteria, levels, lambda unit: "")
    assert [row[2] for row in texts(table)] == [
        "Chưa nộp",
        "Chưa nộp",
        "Đã tiếp nhận · nhập từ tệp",
        "Đã tiếp nhận · nhập từ tệp",
        "Chưa nộp",
    ]


def _unit_sections(data, unit_code, user, **params):
    # Imported here: the unit page's tables.
    from overview import views_unit_tables

    scope = scope_of(**params)
    history = unit_history(data["units"][unit_code], scope, user)
    return {
        section["anchor"]: section
        for section in views_unit_tables.sections(history, lambda report, code: f"/r/{report}/#{code}")
    }


def test_unit_page_history_of_phase_one_with_the_imported_report(data):
    sections = _unit_sections(data, "PQLKH", data["leader"], giai_doan="1", nam="2023")
    assert texts(sections["bao-cao"]["tables"][0]) == [
        [
            "6 tháng đầu năm 2023",
            "20/06/2023",
            "Đã tiếp nhận · nhập từ tệp",
            "20/06/2023 09:00",
            "Đúng hạn",
            "Nhập từ tệp",
            "Mở báo cáo",
        ],
        ["Năm 2023", "20/12/2023", "Chưa nộp", "—", "—", "—", "—"],
    ]
    grid, counts = sections["tu-danh-gia"]["tables"]
    assert [row for row in texts(grid) if row[0] in (PLAIN, DISBURSEMENT, RECURRENT)] == [
        [PLAIN, data["criteria"]["plain"].short_label, "HTT", "—"],
        [DISBURSEMENT, data["criteria"]["disbursement"].short_label, "HT", "—"],
        [RECURRENT, data["criteria"]["recurrent"].short_label, "HTT", "—"],
    ]
    assert texts(counts) == [["6 tháng đầu năm 2023", "2", "1", "0", "0", "0"], ["Năm 2023", "0", "0", "0", "0", "0"]]
    disbursement = texts(sections["chi-so-disbursement-rate"]["tables"][0])
    assert disbursement[0] == [
        "6 tháng đầu năm 2023",
        "1.000.000.000",
        "800.000.000",
        "80,00%",
        "—",
        "80,00%",
        "Theo dõi tiến độ",
        "—",
    ]
    assert texts(sections["khen-thuong"]["tables"][0]) == [
        [
            "2023",
            "Tập thể lao động tiên tiến",
            "Tập thể",
            "Phòng Quản lý khoa học",
            "45/QĐ-SKHCN",
            "28/12/2023",
            "Giám đốc Sở",
            "Nhập từ quyết định cũ",
        ],
    ]


def test_unit_page_of_phase_two_against_the_department(data):
    sections = _unit_sections(data, "PQLKH", data["head"])
    share = texts(sections["chi-so-recurrent-spending-share"]["tables"][0])
    # PQLKH 25,00% ≤ the Department's 27,78% of 2025-H1: met; the Department's 28,00%: not.
    assert share[0] == ["6 tháng đầu năm 2026", "250", "1.000", "25,00%", "Đạt", "28,00%", "Chưa đạt", "27,78%"]
    awards = texts(sections["khen-thuong"]["tables"][0])
    assert awards == [
        [
            "2026",
            "Giấy khen của Giám đốc Sở",
            "Cá nhân",
            "Lê Văn Cán Bộ",
            "12/QĐ-SKHCN",
            "04/05/2026",
            "Giám đốc Sở",
            "Quyết định của Sở",
        ],
    ]


def test_unit_page_links_only_reports_the_reader_may_open(data):
    # TTUD's 2025-H1 draft is its own: leadership sees its status, no link.
    sections = _unit_sections(data, "TTUD", data["leader"], giai_doan="1", nam="2025")
    rows = texts(sections["bao-cao"]["tables"][0])
    assert rows[0][2] == "Đang soạn"
    assert rows[0][-1] == "—"


# --- The pages and their workbooks --------------------------------------------------------------------------------


def _signed_in(user):
    client = Client()
    client.force_login(user)
    return client


def test_overview_page_shows_charts_with_their_tables_and_prints_landscape(data):
    response = _signed_in(data["leader"]).get("/tong-quan/")
    assert response.status_code == 200
    page = response.content.decode()
    # Completeness, last year, assessments and the two indicators (no confirmed scores in 2026: no chart).
    assert page.count('class="overview-chart"') == 5
    assert "css/overview.css" in page
    assert "vendor/chartjs/chart.umd.min.js" in page
    assert "Phòng Hành chính - Tổng hợp; Phòng Mới" in page
    assert "60,00%" in page
    assert "28,00%" in page


def test_print_stylesheet_is_a4_landscape_and_hides_the_menus():
    with open("static/css/overview.css", encoding="utf-8") as stylesheet:
        css = stylesheet.read()
    assert "size: A4 landscape" in css
    print_block = css.split("@media print", 1)[1]
    assert ".overview-filters" in print_block
    assert ".overview-tabs" in print_block
    with open("static/css/portal.css", encoding="utf-8") as stylesheet:
        assert ".portal-navbar" in stylesheet.read().split("@media print", 1)[1]


def _workbook(response):
    # Imported here: only these tests read workbooks back.
    from io import BytesIO

    from openpyxl import load_workbook

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    return load_workbook(BytesIO(response.content))


def _values(sheet):
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def test_overview_workbook_holds_every_table_with_the_same_numbers(data):
    book = _workbook(_signed_in(data["reviewer"]).get("/tong-quan/xlsx/"))
    assert book.sheetnames == [
        "Nộp báo cáo qua các kỳ",
        "Chưa nộp 2026-H1",
        "So với cùng kỳ năm trước",
        "Tự đánh giá 2026-H1",
        "Tự đánh giá qua các kỳ",
        "Chỉ số disbursement-rate",
        "Chỉ số recurrent-spending-share",
    ]
    rows = _values(book["Nộp báo cáo qua các kỳ"])
    first = next(row for row in rows if row[0] == "6 tháng đầu năm 2026")
    assert first[2:9] == (5, 2, 1, 2, 0, 0.6, 0)
    assert first[9] == "Phòng Hành chính - Tổng hợp; Phòng Mới"
    share = next(row for row in _values(book["Chỉ số recurrent-spending-share"]) if row[0] == "6 tháng đầu năm 2026")
    assert share[1:4] == (700, 2500, 0.28)


def test_grid_page_and_workbook(data):
    client = _signed_in(data["leader"])
    page = client.get("/tong-quan/don-vi-tieu-chi/").content.decode()
    assert f'href="/reports/{data["pqlkh_2026"].pk}/#{DISBURSEMENT}"' in page
    book = _workbook(client.get("/tong-quan/don-vi-tieu-chi/xlsx/"))
    assert book.sheetnames == ["Đơn vị × tiêu chí 2026-H1", "Chú giải"]
    row = next(row for row in _values(book["Đơn vị × tiêu chí 2026-H1"]) if row[1] == "Phòng Quản lý khoa học")
    assert row[2] == "Đã tiếp nhận"
    assert "HTT" in row


def test_indicator_page_and_workbook(data):
    client = _signed_in(data["leader"])
    page = client.get("/tong-quan/chi-so/disbursement-rate/").content.decode()
    assert "75,00%" in page
    assert "4.000.000.000" in page
    book = _workbook(client.get("/tong-quan/chi-so/disbursement-rate/xlsx/"))
    rows = _values(book.worksheets[0])
    assert rows[-1][1:5] == ("Toàn Sở (Σ ÷ Σ)", 4000000000, 3000000000, 0.75)


def test_unit_page_and_workbook_for_the_units_own_head(data):
    client = _signed_in(data["head"])
    unit = data["units"]["PQLKH"]
    page = client.get(f"/tong-quan/don-vi/{unit.pk}/?giai_doan=1&nam=2023").content.decode()
    assert "nhập từ tệp" in page
    assert "45/QĐ-SKHCN" in page
    assert f'href="/reports/{data["imported_pqlkh"].pk}/#{PLAIN}"' in page
    book = _workbook(client.get(f"/tong-quan/don-vi/{unit.pk}/xlsx/?giai_doan=1&nam=2023"))
    assert "Khen thưởng" in book.sheetnames


def test_a_units_members_find_their_units_page_on_the_home_page(data):
    unit = data["units"]["PQLKH"]
    page = _signed_in(data["staff"]).get("/").content.decode()
    assert f'href="/tong-quan/don-vi/{unit.pk}/"' in page
    assert 'data-card="overview-unit"' not in _signed_in(data["leader"]).get("/").content.decode()


def test_names_in_a_spreadsheet_cell_stay_within_excels_limit():
    names = tables.Names(tuple(f"Phòng chuyên môn thử nghiệm số {index:04d}" for index in range(1000)))
    assert len(names.full) <= 32_767
    assert names.full.endswith(" đơn vị khác")
