"""The import of a past period's unit reports: the period's template, the preview listing every problem by sheet, row
and column before anything is written, all reports or none, accepted history reports with their source file kept,
and those reports counted by the trend and the consolidated report like reports made in the portal."""

import datetime
import hashlib
from decimal import Decimal
from io import BytesIO

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import Workbook

from campaign.models import Indicator, ReportingPeriod
from documents import imports
from reports import selectors
from reports import services as report_services
from reports.documents.phase_years import phase_years_part
from reports.errors import ReportError
from reports.models import HistoryImport, ReportSection, ReportTransition, UnitReport
from reports.services import history
from reports.services.compile import gather
from tests.reports.conftest import complete
from tests.spreadsheets import assert_no_figure_is_text, assert_sheet_names_are_meaningful, header, open_workbook

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
OWN = "Phòng Quản lý khoa học"
OTHER = "Phòng Kế hoạch - Tài chính"


@pytest.fixture
def storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


@pytest.fixture
def year_2023(plan):
    return ReportingPeriod.objects.get(code="2023-FY")


def workbook(period, sheets, name="bao-cao-2023.xlsx"):
    """An upload holding `sheets` ({tab name: rows}) under the period's template header."""
    specs = {sheet.name: sheet for sheet in history.history_spec(period).sheets}
    book = Workbook()
    book.remove(book.active)
    for title, rows in sheets.items():
        sheet = book.create_sheet(title)
        sheet.append(list(specs[title].header))
        for row in rows:
            sheet.append(list(row))
    buffer = BytesIO()
    book.save(buffer)
    return SimpleUploadedFile(name, buffer.getvalue(), content_type=XLSX)


def good_file(period, *, own_disbursed="9.350.000.000", other_disbursed=4_000_000_000):
    return workbook(
        period,
        {
            history.CRITERIA: [
                (OWN, "III.1.1.2", "", "Hoàn thành tốt", "Số hóa 95% hồ sơ", ""),
                (OWN, "III.1.1.5", "", "Hoàn thành", "Giải ngân đúng tiến độ", ""),
                (OTHER, "iii.1.1.2", "", "hoan thanh", "Triển khai phần mềm", ""),
                (OTHER, "III.1.1.5", "", "Hoàn thành tốt", "", ""),
                (OTHER, "III.1.1.3", "", "", "", ""),  # a template row left empty: skipped
            ],
            history.INDICATORS: [
                (OWN, "disbursement-rate", "", own_disbursed, "10.000.000.000"),
                (OTHER, "disbursement-rate", "", other_disbursed, 5_000_000_000),
            ],
            history.TEXTS: [
                (
                    OWN,
                    "Hoàn thành kế hoạch năm.",
                    "Còn chậm giải ngân.",
                    "Đẩy nhanh giải ngân.",
                    "Bố trí vốn; Tăng biên chế",
                ),
            ],
        },
    )


# --- The template ------------------------------------------------------------------------------------------------


def test_the_template_lists_the_period_units_and_the_criteria_that_concern_them(client, year_2023, reviewer, own_unit):
    client.force_login(reviewer)

    response = client.get(reverse("reports:history_template", args=["2023-FY"]))

    assert response.status_code == 200
    assert 'filename="mau-nhap-bao-cao-2023-FY.xlsx"' in response["Content-Disposition"]
    book = open_workbook(response.content)
    assert_sheet_names_are_meaningful(book, ["Tiêu chí", "Chỉ số", "Nhận xét chung", "Hướng dẫn", "Danh mục"])
    assert_no_figure_is_text(book)
    criteria = book["Tiêu chí"]
    assert header(criteria) == [column.header for column in history.CRITERION_COLUMNS]
    rows = [row[:3] for row in criteria.iter_rows(min_row=4, values_only=True)]
    assert (OWN, "III.1.1.2", "Chuyển đổi số") in rows
    # The disbursement criterion concerns only the units with investment projects; the centre's only the centre.
    assert not any(row[0] == OWN and row[1] in ("III.1.1.5", "III.1.2.5") for row in rows)
    assert header(book["Nhận xét chung"]) == [
        "Đơn vị",
        "Kết quả nổi bật",
        "Tồn tại, hạn chế và nguyên nhân",
        "Phương hướng, nhiệm vụ kỳ tới",
        "Đề xuất, kiến nghị (mỗi ý cách nhau bởi dấu ;)",
    ]


def test_the_phase_review_template_adds_the_phase_sections(plan):
    phase = ReportingPeriod.objects.get(code="2022-2025")

    texts = history.history_spec(phase).sheets[2]

    assert texts.header[-2:] == ("Đánh giá cả giai đoạn", "Bài học kinh nghiệm")


# --- The preview and all or nothing ------------------------------------------------------------------------------


def test_the_preview_lists_every_problem_by_sheet_row_and_column(year_2023, reviewer, own_unit, other_unit, staff):
    office = UnitReport.objects.create(
        unit=other_unit, period=year_2023, unit_name=other_unit.name, created_by=staff
    )  # a report already held for the period
    upload = workbook(
        year_2023,
        {
            history.CRITERIA: [
                ("Phòng Không Có", "III.1.1.2", "", "Hoàn thành tốt", "", ""),
                (OWN, "IX.9", "", "Hoàn thành tốt", "", ""),
                (OWN, "III.1.1.2", "", "Xuất sắc", "", ""),
                (OTHER, "III.1.1.2", "", "Hoàn thành", "", ""),
            ],
            history.INDICATORS: [
                (OWN, "disbursement-rate", "", "chín tỷ", "10.000.000.000"),
                (OWN, "disbursement-rate", "", "-5", "10.000.000.000"),
            ],
        },
    )

    preview = history.history_preview(period=year_2023, upload=upload, actor=reviewer)

    assert [(p.sheet, p.line, p.column) for p in preview.problems] == [
        ("Tiêu chí", 2, "Đơn vị"),
        ("Tiêu chí", 3, "Mã tiêu chí"),
        ("Tiêu chí", 4, "Mức tự đánh giá"),
        ("Tiêu chí", 5, "Đơn vị"),
        ("Chỉ số", 2, "Tử số (hoặc giá trị)"),
        ("Chỉ số", 3, "Tử số (hoặc giá trị)"),
    ]
    messages = [p.message for p in preview.problems]
    assert messages[0] == "không có đơn vị “Phòng Không Có” báo cáo trong Năm 2023"
    assert messages[1].startswith("không có tiêu chí “IX.9”")
    assert messages[2].startswith("mức tự đánh giá “Xuất sắc” không có trong thang (Hoàn thành tốt, Hoàn thành")
    assert messages[3] == f"{OTHER} đã có báo cáo Năm 2023; không nhập đè báo cáo đã có"
    assert messages[4] == "“chín tỷ” không phải một số (ví dụ 1.250.000.000)"
    assert messages[5] == "số liệu không được âm"
    assert UnitReport.objects.filter(period=year_2023).get() == office
    assert not HistoryImport.objects.exists()


def test_a_bad_row_refuses_the_whole_file_and_nothing_is_written(storage, year_2023, reviewer, own_unit, other_unit):
    upload = good_file(year_2023, other_disbursed="bốn tỷ")

    with pytest.raises(imports.ImportInvalid) as refused:
        history.history_import_upload(period=year_2023, upload=upload, actor=reviewer)

    assert refused.value.message.startswith("Tệp chưa nhập được: có 1 lỗi.")
    assert str(refused.value.preview.problems[0]) == (
        "Trang “Chỉ số”, dòng 3, cột “Tử số (hoặc giá trị)”: “bốn tỷ” không phải một số (ví dụ 1.250.000.000)"
    )
    assert not UnitReport.objects.filter(period=year_2023).exists()
    assert not HistoryImport.objects.exists()
    assert list(storage.rglob("*.xlsx")) == []


def test_a_period_the_portal_collects_is_not_imported(plan, reviewer, own_unit):
    year_2025 = ReportingPeriod.objects.get(code="2025-FY")

    with pytest.raises(ReportError, match="kết thúc sau ngày bắt đầu thu báo cáo trên Cổng \\(01/01/2025\\)"):
        history.history_import_upload(period=year_2025, upload=good_file(year_2025), actor=reviewer)

    assert not UnitReport.objects.filter(period=year_2025).exists()


def test_only_the_office_imports(year_2023, head, leader, own_unit, other_unit):
    for person in (head, leader):
        with pytest.raises(ReportError, match="Chỉ Phòng Hành chính - Tổng hợp"):
            history.history_import_upload(period=year_2023, upload=good_file(year_2023), actor=person)
    assert not UnitReport.objects.filter(period=year_2023).exists()


# --- Success -----------------------------------------------------------------------------------------------------


def test_a_good_file_creates_accepted_history_reports_with_the_source_kept(
    storage, year_2023, reviewer, own_unit, other_unit, levels
):
    upload = good_file(year_2023)
    content = upload.read()
    upload.seek(0)

    done = history.history_import_upload(period=year_2023, upload=upload, actor=reviewer)

    batch = done.history_import
    assert done.units == [OTHER, OWN] or done.units == [OWN, OTHER]
    assert (batch.period, batch.rows_created, batch.original_name) == (year_2023, 2, "bao-cao-2023.xlsx")
    assert batch.sha256 == hashlib.sha256(content).hexdigest()
    with batch.source.open("rb") as kept:
        assert kept.read() == content
    own = UnitReport.objects.get(unit=own_unit, period=year_2023)
    assert (own.status, own.history_import, own.is_imported_history) == (UnitReport.Status.ACCEPTED, batch, True)
    # Received on time, on its due date (20/12/2023), as far as the file tells.
    assert (timezone.localdate(own.submitted_at), own.is_late) == (datetime.date(2023, 12, 20), False)
    results = {result.criterion_code: result for result in own.results.select_related("assessment")}
    assert set(results) == {"III.1.1.2", "III.1.1.5"}
    assert results["III.1.1.2"].assessment == levels["hoan-thanh-tot"]
    assert results["III.1.1.2"].activities == "Số hóa 95% hồ sơ"
    assert results["III.1.1.5"].quantities == {"disbursed": "9350000000", "planned": "10000000000"}
    sections = {section.key: section for section in own.sections.all()}
    assert sections[ReportSection.Key.HIGHLIGHTS].text == "Hoàn thành kế hoạch năm."
    assert sections[ReportSection.Key.RECOMMENDATIONS].items == [
        {"text": "Bố trí vốn", "to": ""},
        {"text": "Tăng biên chế", "to": ""},
    ]
    other = UnitReport.objects.get(unit=other_unit, period=year_2023)
    assert other.results.get(criterion_code="III.1.1.5").quantities == {
        "disbursed": "4000000000",
        "planned": "5000000000",
    }
    assert not other.results.filter(criterion_code="III.1.1.3").exists()  # its empty row was skipped
    transition = own.transitions.get()
    assert (transition.action, transition.to_status) == (ReportTransition.Action.ACCEPT, UnitReport.Status.ACCEPTED)
    assert transition.snapshot["results"][1]["quantities"] == {"disbursed": "9350000000", "planned": "10000000000"}


def test_a_unit_imported_once_is_refused_the_second_time(storage, year_2023, reviewer, own_unit, other_unit):
    history.history_import_upload(period=year_2023, upload=good_file(year_2023), actor=reviewer)

    preview = history.history_preview(period=year_2023, upload=good_file(year_2023), actor=reviewer)

    assert {(p.sheet, p.column) for p in preview.problems} == {
        ("Tiêu chí", "Đơn vị"),
        ("Chỉ số", "Đơn vị"),
        ("Nhận xét chung", "Đơn vị"),
    }
    assert HistoryImport.objects.count() == 1


# --- Counted like the portal's reports ---------------------------------------------------------------------------


def test_imported_reports_count_in_the_trend(
    storage, open_period, year_2023, reviewer, own_unit, other_unit, staff, invests
):
    history.history_import_upload(period=year_2023, upload=good_file(year_2023), actor=reviewer)
    current = report_services.report_start(unit=own_unit, period=open_period, actor=staff)
    indicator = Indicator.objects.get(code="disbursement-rate")

    points = selectors.indicator_trend(current, indicator)

    # 9.350.000.000 ÷ 10.000.000.000 = 93,50% in 2023, then this year's draft, its quantities not entered yet.
    assert points == [{"period": "Năm 2023", "value": Decimal("93.50")}, {"period": open_period.label, "value": None}]


def test_imported_reports_count_in_the_phase_review_consolidated_report(storage, plan, reviewer, own_unit, other_unit):
    # A campaign whose portal opened after its first phase: the 2022–2025 review is history, imported like any other.
    plan.portal_start_date = datetime.date(2026, 1, 1)
    plan.save(update_fields=["portal_start_date"])
    phase = ReportingPeriod.objects.get(code="2022-2025")

    history.history_import_upload(
        period=phase,
        upload=good_file(phase, own_disbursed=9_000_000_000, other_disbursed="4.500.000.000"),
        actor=reviewer,
    )
    snapshot = gather(phase)

    assert sorted(snapshot["accepted_units"]) == sorted([OWN, OTHER])
    disbursement = next(item for item in snapshot["indicators"] if item["code"] == "disbursement-rate")
    # Σ disbursed ÷ Σ planned: (9.000.000.000 + 4.500.000.000) ÷ (10.000.000.000 + 5.000.000.000) = 90,00%.
    assert disbursement["department"]["values"] == {"planned": "15000000000", "disbursed": "13500000000"}
    assert disbursement["department"]["value"] == "90.00"
    transformation = next(item for item in snapshot["criteria"] if item["code"] == "III.1.1.2")
    assert transformation["assessments"] == [
        {"label": "Hoàn thành tốt", "count": 1},
        {"label": "Hoàn thành", "count": 1},
    ]


# --- The pages ---------------------------------------------------------------------------------------------------


def test_the_office_previews_then_imports_and_downloads_the_source(
    client, storage, year_2023, reviewer, own_unit, other_unit
):
    client.force_login(reviewer)

    response = client.post(reverse("reports:history_import"), {"period": "2023-FY", "file": good_file(year_2023)})

    assert response.status_code == 200
    assert not UnitReport.objects.filter(period=year_2023).exists()  # the preview writes nothing
    token = response.context["apply_form"].initial["token"]
    response = client.post(reverse("reports:history_apply"), {"period": "2023-FY", "token": token})
    assert response.status_code == 302
    assert UnitReport.objects.filter(period=year_2023, status=UnitReport.Status.ACCEPTED).count() == 2
    batch = HistoryImport.objects.get()
    download = client.get(reverse("reports:history_source", args=[batch.pk]))
    assert download.status_code == 200
    assert b"".join(download.streaming_content)[:2] == b"PK"


def test_a_file_with_problems_is_shown_with_them_and_cannot_be_imported(
    client, storage, year_2023, reviewer, own_unit, other_unit
):
    client.force_login(reviewer)

    response = client.post(
        reverse("reports:history_import"), {"period": "2023-FY", "file": good_file(year_2023, other_disbursed="x")}
    )

    assert response.status_code == 400
    assert response.context["apply_form"] is None
    assert "“x” không phải một số" in response.content.decode()
    assert "2023-FY" in response.content.decode()  # the period chosen is kept


def test_the_page_reads_in_the_same_number_of_queries_whatever_the_imports(
    client, storage, year_2023, reviewer, own_unit, other_unit
):
    client.force_login(reviewer)

    def queries():
        with CaptureQueriesContext(connection) as captured:
            assert client.get(reverse("reports:history_import")).status_code == 200
        return len(captured)

    before = queries()
    history.history_import_upload(period=year_2023, upload=good_file(year_2023), actor=reviewer)
    year_2023_h1 = ReportingPeriod.objects.get(code="2023-H1")
    history.history_import_upload(period=year_2023_h1, upload=good_file(year_2023_h1), actor=reviewer)

    assert queries() == before


def test_the_phase_review_report_gives_each_year_of_the_phase_imported_or_reported_in_the_portal(
    storage, plan, reviewer, own_unit, other_unit, staff, head, levels, invests
):
    year_2023 = ReportingPeriod.objects.get(code="2023-FY")
    history.history_import_upload(period=year_2023, upload=good_file(year_2023), actor=reviewer)
    year_2025 = ReportingPeriod.objects.get(code="2025-FY")
    started = report_services.report_start(unit=own_unit, period=year_2025, actor=staff)
    made_in_the_portal = complete(started, staff, levels)
    report_services.report_submit(report=made_in_the_portal, actor=head)
    report_services.report_accept(report=made_in_the_portal, actor=reviewer)
    phase = ReportingPeriod.objects.get(code="2022-2025")

    snapshot = gather(phase)

    value = snapshot["added_sections"]["phase_years"]
    # 2023 (imported): (9.350.000.000 + 4.000.000.000) ÷ (10.000.000.000 + 5.000.000.000) = 89,00%;
    # 2025 (the portal's): 900 ÷ 1.000 = 90,00%, recurrent spending 100 ÷ 100 = 100,00%.
    assert [(year["label"], year["units"], year["imported"], year["values"]) for year in value["years"]] == [
        ("Năm 2022", 0, 0, [None, None]),
        ("Năm 2023", 2, 2, ["89.00", None]),
        ("Năm 2024", 0, 0, [None, None]),
        ("Năm 2025", 1, 0, ["90.00", "100.00"]),
    ]
    part = phase_years_part(value, snapshot["period"])
    assert part.annex_title == "KẾT QUẢ TỪNG NĂM CỦA SƠ KẾT GIAI ĐOẠN 2022 - 2025"
    assert part.body[0].paragraphs[1] == (
        "Năm 2023: 2 phòng, đơn vị có báo cáo được tiếp nhận (trong đó 2 báo cáo nhập từ hồ sơ trước khi thu báo cáo "
        "trên Cổng); tỷ lệ giải ngân kế hoạch vốn đầu tư công được giao 89,00%."
    )
    assert gather(ReportingPeriod.objects.get(code="2025-FY"))["added_sections"].get("phase_years") is None
