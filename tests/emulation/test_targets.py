"""The units' registered commitments as their reports' targets (issue 13, item 2): "Đăng ký: …" on the report form
and the report's page, registered vs achieved on the review page and in the consolidated report (its body, its
annex, its XLSX) — for each unit and for the Department; nothing at all without a registration.

The world is built once for the module: 2026-FY open; the own unit registered (accepted) a disbursement rate of
95% and a text commitment, its draft report says 90 of 100 disbursed (90%: not met); the other unit registered 100%
and its accepted report says 300 of 300 (met); a third unit's registration is only submitted (80%).
"""

from decimal import Decimal
from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from campaign.models import AssessmentLevel, Campaign, Criterion, CriterionApplicability, Indicator, ReportingPeriod
from documents.render import render_xlsx
from emulation.models import Commitment, Registration
from emulation.reports_plugins import consolidated_part
from emulation.selectors import targets
from reports import services
from reports.documents.consolidated import consolidated_document
from reports.models import ConsolidatedReport, UnitReport
from reports.services.consolidation import consolidation_request
from tests import factories
from tests.emulation.conftest import open_year
from tests.factories import UnitFactory, UserFactory
from tests.plan_data import move_open_period
from tests.reports.conftest import complete
from tests.shared_data import built_once

pytestmark = pytest.mark.django_db

DISBURSEMENT = "disbursement-rate"
PROMISE = "Ban hành 5 văn bản hướng dẫn về chuyển đổi số trong năm."


def _register(year, unit, actor, status, commitments):
    registration = Registration.objects.create(
        year=year,
        unit=unit,
        unit_name=unit.name,
        status=status,
        submitted_at=None if status == Registration.Status.DRAFT else timezone.now(),
        created_by=actor,
    )
    for criterion, indicator, target, text in commitments:
        Commitment.objects.create(
            registration=registration, criterion=criterion, indicator=indicator, target=target, text=text
        )
    return registration


def build():
    plan = Campaign.objects.get()
    period = move_open_period(plan)
    levels = {level.code: level for level in AssessmentLevel.objects.all()}
    own, other = factories.own_unit(), factories.other_unit()
    third = UnitFactory(code="PTHU", name="Phòng Thứ ba")
    staff, head, reviewer = factories.staff_of_own_unit(), factories.head_of_own_unit(), factories.office_reviewer()
    other_staff = factories.staff_of_other_unit()
    other_head = UserFactory(username="truongkhac", unit=other, position="head")
    third_staff = UserFactory(username="canbothu", unit=third, position="staff")
    indicator = Indicator.objects.get(code=DISBURSEMENT)
    disbursement = indicator.criterion
    for unit in (own, other, third):
        CriterionApplicability.objects.create(criterion=disbursement, unit=unit, applies=True)
    promised = Criterion.objects.filter(applies_to_all_units=True, is_active=True, indicators__isnull=True).first()
    year = open_year(plan, reviewer, year=period.year)
    accepted = Registration.Status.ACCEPTED
    _register(
        year, own, head, accepted, [(disbursement, indicator, Decimal("95"), ""), (promised, None, None, PROMISE)]
    )
    _register(year, other, other_head, accepted, [(disbursement, indicator, Decimal("100"), "")])
    _register(year, third, third_staff, Registration.Status.SUBMITTED, [(disbursement, indicator, Decimal("80"), "")])

    own_report = services.report_start(unit=own, period=period, actor=staff)
    complete(own_report, staff, levels, planned="100", disbursed="90")
    other_report = services.report_start(unit=other, period=period, actor=other_staff)
    complete(other_report, other_staff, levels, planned="300", disbursed="300")
    services.report_submit(report=other_report, actor=other_head)
    services.report_accept(report=other_report, actor=reviewer)
    third_report = services.report_start(unit=third, period=period, actor=third_staff)
    return {
        "period": period,
        "indicator": indicator,
        "promised": promised,
        "own_report": own_report,
        "third_report": third_report,
        "staff": staff,
        "head": head,
        "reviewer": reviewer,
        "third_staff": third_staff,
        "year": year,
    }


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    with built_once(django_db_blocker, build, MEDIA_ROOT=tmp_path_factory.mktemp("targets")) as built:
        yield built


def page(client, user, url):
    client.force_login(user)
    response = client.get(url)
    assert response.status_code == 200
    return " ".join(response.content.decode().split())


def no_registrations():
    Commitment.objects.all().delete()
    Registration.objects.all().delete()


# --- The report form and the report's page -------------------------------------------------------------------


def test_the_report_form_shows_the_registered_target_beside_the_indicator_and_the_commitment(world, client):
    html = page(client, world["staff"], reverse("reports:edit", args=[world["own_report"].pk]))
    assert '<div class="small text-primary" data-testid="annotation">Đăng ký: 95,00%</div>' in html
    assert f"Đăng ký: {PROMISE}" in html
    # Beside the indicator: after its value and the plan's target, inside the indicator's block.
    indicator_block = html.split('data-testid="indicator-value"')[1].split("report-indicator")[0]
    assert "Đăng ký: 95,00%" in indicator_block


def test_a_submitted_registration_shows_as_waiting_for_the_office(world, client):
    html = page(client, world["third_staff"], reverse("reports:edit", args=[world["third_report"].pk]))
    assert "Đăng ký (chờ tiếp nhận): 80,00%" in html
    assert "Đăng ký: 80,00%" not in html


def test_the_report_s_page_shows_the_registered_targets_too(world, client):
    html = page(client, world["staff"], world["own_report"].get_absolute_url())
    assert "Đăng ký: 95,00%" in html
    assert f"Đăng ký: {PROMISE}" in html


def test_without_a_registration_the_form_shows_nothing_and_works(world, client):
    no_registrations()
    html = page(client, world["staff"], reverse("reports:edit", args=[world["own_report"].pk]))
    assert "Đăng ký" not in html
    assert 'data-testid="indicator-value"' in html


def as_the_pages_load_it(report):
    return UnitReport.objects.select_related("unit", "period").get(pk=report.pk)


def test_the_notes_take_one_query_whatever_the_commitments(world, django_assert_num_queries):
    report = as_the_pages_load_it(world["own_report"])
    with django_assert_num_queries(1):
        notes = targets.report_annotations(report)
    assert notes[world["indicator"].criterion_id]["indicators"] == {world["indicator"].pk: "Đăng ký: 95,00%"}
    assert notes[world["promised"].pk]["criterion"] == f"Đăng ký: {PROMISE}"


def test_the_editor_costs_the_same_with_or_without_a_registration(world, client):
    # The hook's one query runs whether or not the unit registered: the editor gains exactly one query.
    url = reverse("reports:edit", args=[world["own_report"].pk])
    client.force_login(world["staff"])
    client.get(url)

    def count():
        with CaptureQueriesContext(connection) as context:
            assert client.get(url).status_code == 200
        return len(context.captured_queries)

    registered = count()
    no_registrations()
    assert count() == registered


# --- The review page -----------------------------------------------------------------------------------------


def test_the_review_page_shows_registered_vs_achieved_and_whether_it_is_met(world, client):
    report = world["own_report"]
    services.report_submit(report=report, actor=world["head"])
    html = page(client, world["reviewer"], reverse("reports:review", args=[report.pk]))
    panel = html.split('data-testid="registered-targets"')[1].split("</section>")[0]
    assert "Kết quả so với đăng ký thi đua năm 2026" in panel
    row = panel.split('data-testid="registered-indicators"')[1].split("</tr>")[1]
    assert "Tỷ lệ giải ngân kế hoạch vốn đầu tư công được giao" in row
    assert '<td class="text-end">95,00%</td><td class="text-end">90,00%</td>' in row
    assert "Chưa đạt" in row
    commitments = panel.split('data-testid="registered-commitments"')[1]
    assert PROMISE in commitments
    assert "Hoàn thành tốt" in commitments  # the unit's self-assessment of that criterion


def test_the_review_panel_says_met_when_the_unit_reaches_its_target(world):
    report = world["own_report"]
    Commitment.objects.filter(registration__unit=report.unit, indicator__isnull=False).update(target=Decimal("90"))
    panel = targets.review_panel(report)
    assert [(row["target"], row["value"], row["met"], row["verdict"]) for row in panel["indicators"]] == [
        ("90,00%", "90,00%", True, "Đạt")
    ]


def test_the_review_panel_runs_one_query(world, django_assert_num_queries):
    report = as_the_pages_load_it(world["own_report"])
    with django_assert_num_queries(1):
        panel = targets.review_panel(report)
    assert panel["indicators"][0]["verdict"] == "Chưa đạt"


def test_without_an_accepted_registration_the_review_page_has_no_panel(world, client):
    report = world["own_report"]
    services.report_submit(report=report, actor=world["head"])
    Registration.objects.filter(unit=report.unit).update(status=Registration.Status.SUBMITTED)
    html = page(client, world["reviewer"], reverse("reports:review", args=[report.pk]))
    assert 'data-testid="registered-targets"' not in html
    assert targets.review_panel(report) is None


# --- The consolidated report ---------------------------------------------------------------------------------


def compiled(world, capture):
    report = world["own_report"]
    services.report_submit(report=report, actor=world["head"])
    services.report_accept(report=report, actor=world["reviewer"])
    with capture(execute=True):
        consolidated = consolidation_request(period=world["period"], actor=world["reviewer"])
    return ConsolidatedReport.objects.get(pk=consolidated.pk)


def all_text(section):
    return [section.heading, *section.paragraphs, *(line for sub in section.subsections for line in all_text(sub))]


def test_the_consolidated_report_says_registered_vs_achieved_per_unit_and_for_the_department(
    world, django_capture_on_commit_callbacks
):
    report = compiled(world, django_capture_on_commit_callbacks)
    frozen = report.snapshot["added_sections"]["registered_targets"]
    assert frozen["units"] == ["Phòng Quản lý khoa học", "Phòng Kế hoạch - Tài chính"]  # the accepted ones only
    document = consolidated_document(report)

    results = next(section for section in document.sections if section.heading.startswith("II."))
    added = results.subsections[-1]
    assert added.heading.endswith(". Kết quả thực hiện so với đăng ký thi đua")
    text = " ".join(all_text(added))
    # Σ(95 × 100 + 100 × 300) ÷ 400 = 98,75%; Σ 390 ÷ Σ 400 = 97,50%: not met; one of the two units met its own.
    assert (
        "Chỉ số “Tỷ lệ giải ngân kế hoạch vốn đầu tư công được giao”: chỉ tiêu đăng ký của toàn Sở 98,75%, "
        "thực hiện 97,50%, chưa đạt chỉ tiêu đăng ký; 1/2 phòng, đơn vị đăng ký chỉ tiêu đạt chỉ tiêu của mình."
    ) in text
    assert "theo quyền số là mẫu số của từng đơn vị (kế hoạch vốn đầu tư công được giao)" in text
    assert "Chi tiết tại Phụ lục III kèm theo Báo cáo này" in text

    annex = document.annexes[-1]
    assert (annex.label, annex.title) == (
        "Phụ lục III",
        "KẾT QUẢ THỰC HIỆN SO VỚI ĐĂNG KÝ THI ĐUA NĂM 2026 CỦA CÁC PHÒNG, ĐƠN VỊ",
    )
    table = annex.tables[0]
    assert [[str(value) for value in row] for row in table.rows] == [
        ["1", "Phòng Quản lý khoa học", "95,00%", "90,00%", "Chưa đạt"],
        ["2", "Phòng Kế hoạch - Tài chính", "100,00%", "100,00%", "Đạt"],
        ["", "Toàn Sở", "98,75%", "97,50%", "Chưa đạt"],
    ]
    promises = annex.tables[1]
    assert promises.rows == [[1, "Phòng Quản lý khoa học", world["promised"].short_label, PROMISE, "Hoàn thành tốt"]]


def test_the_consolidated_xlsx_holds_the_targets_as_numbers(world, django_capture_on_commit_callbacks):
    report = compiled(world, django_capture_on_commit_callbacks)
    workbook = load_workbook(BytesIO(render_xlsx(consolidated_document(report))))
    name = next(name for name in workbook.sheetnames if name.startswith("PL III. Đăng ký"))
    sheet = workbook[name]
    rows = [list(row) for row in sheet.iter_rows()]
    department = next(row for row in rows if row[1].value == "Toàn Sở")
    assert department[2].value == pytest.approx(0.9875)
    assert department[2].number_format == "0.00%"
    assert department[3].value == pytest.approx(0.975)
    assert department[4].value == "Chưa đạt"


def test_without_a_registration_the_consolidated_report_adds_nothing(world, django_capture_on_commit_callbacks):
    no_registrations()
    report = compiled(world, django_capture_on_commit_callbacks)
    assert report.snapshot["added_sections"] == {}
    document = consolidated_document(report)
    assert [annex.label for annex in document.annexes] == ["Phụ lục I", "Phụ lục II"]
    assert not any("đăng ký thi đua" in line for section in document.sections for line in all_text(section))


def test_the_section_is_gathered_in_two_queries_whatever_the_units(world, django_assert_num_queries):
    period = world["period"]
    with django_assert_num_queries(2):
        targets.registered_targets(period)
    indicator = world["indicator"]
    for _ in range(6):
        unit = UnitFactory()
        head = UserFactory(unit=unit, position="head")
        _register(world["year"], unit, head, Registration.Status.ACCEPTED, [(indicator.criterion, indicator, 50, "")])
    with django_assert_num_queries(2):
        value = targets.registered_targets(period)
    assert len(value["indicators"][0]["rows"]) == 8


def test_a_phase_review_shows_nothing(world, django_assert_num_queries):
    phase = ReportingPeriod.objects.filter(kind=ReportingPeriod.Kind.PHASE_REVIEW).first()
    with django_assert_num_queries(0):
        assert targets.registered_targets(phase) is None


def test_a_half_year_figure_is_progress_towards_the_year_s_target_never_judged():
    value = {
        "year": 2026,
        "half_year": True,
        "units": ["Phòng A"],
        "texts": [],
        "indicators": [
            {
                "code": DISBURSEMENT,
                "name": "Tỷ lệ giải ngân",
                "criterion_label": "Giải ngân vốn đầu tư công",
                "formula": "ratio",
                "result_unit": "%",
                "direction": "higher",
                "denominator": "Kế hoạch vốn được giao",
                "rows": [{"unit": "Phòng A", "target": "90", "value": "45", "met": None, "progress": "50.00"}],
                "department": {
                    "target": "90",
                    "value": "45",
                    "met": None,
                    "progress": "50.00",
                    "registered": 1,
                    "counted": 1,
                    "meeting": 0,
                },
            }
        ],
    }
    part = consolidated_part(value, {"code": "2026-H1", "label": "6 tháng đầu năm 2026", "kind": "half_year"})
    text = " ".join(part.body[0].paragraphs)
    assert (
        "chỉ tiêu đăng ký cả năm của toàn Sở 90,00%; 6 tháng đầu năm thực hiện 45,00%, bằng 50,00% chỉ tiêu đăng ký "
        "cả năm; việc đánh giá đạt hay chưa đạt chỉ tiêu đăng ký thực hiện khi kết thúc năm."
    ) in text
    assert "chưa đạt" not in text.replace("đạt hay chưa đạt", "")
    assert part.annex_tables[0].header[-1] == "So với chỉ tiêu đăng ký cả năm"
    assert str(part.annex_tables[0].rows[0][4]) == "50,00%"
    assert targets.judge("higher", Decimal(90), Decimal(45), True) == (None, Decimal("50.00"))
    # The review panel's words for the same figure.
    assert targets.verdict(None, Decimal("50.00"), True, True) == "Bằng 50,00% chỉ tiêu đăng ký cả năm"
    assert targets.verdict(None, None, True, True) == "Đánh giá khi kết thúc năm"
    assert targets.judge("higher", Decimal(90), Decimal(45), False) == (False, None)
    assert targets.judge("lower", Decimal(30), Decimal(25), False) == (True, None)
