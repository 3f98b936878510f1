"""The emulation year and the person's record in Chromium.

One unit's year: the head registers the unit's titles and targets, the office accepts the registration and compiles
the Department's; the unit's annual report shows the registered target beside its indicator; the office scores,
publishes and records the council's review, the Director confirms, and the unit sees its score and place. Then the
record: past records the office imports change what the award rules see on a nomination already sent.

The demo leaves the annual period's report of QLCN not started. The year, the scheme's rows and the filling of the
report's many parts are made through the services (their pages have their own tests); each step a person takes to
move the year on is taken in the browser.
"""

import datetime
import io
from decimal import Decimal

import pytest
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect

from awards.models import AwardForm, AwardRound, Discipline
from awards.services import rounds
from campaign.models import AssessmentLevel, Campaign, Indicator
from demo.data import demo_open_period
from emulation.models import Registration, SchemeItem, ScoringScheme
from emulation.services import scoring
from emulation.services import year as year_services
from reports import services as report_services
from tests.awards.conftest import classified, make_nomination
from tests.e2e.conftest import at_home
from tests.reports.conftest import complete
from units.models import Person, Unit, User

UNIT_CODE = "QLCN"
HEAD = "truongphong.qlcn"
OFFICE = "vanphong"
DIRECTOR = "giamdoc"
TITLE = "tap-the-lao-dong-tien-tien"
INDICATOR = "recurrent-spending-share"


@pytest.fixture(scope="module")
def year(demo, django_db_blocker):
    """The open annual period's year, its plan recorded and registration open, as the office leaves it."""
    with django_db_blocker.unblock():
        return _open_year()


def _open_year():
    period = demo_open_period()
    office = User.objects.get(username=OFFICE)
    today = timezone.localdate()
    emulation_year = year_services.year_create(campaign=Campaign.objects.get(), year=period.year, actor=office)
    year_services.year_record_plan(
        year=emulation_year,
        actor=office,
        plan_number="05/KH-SKHCN",
        plan_date=today - datetime.timedelta(days=5),
        plan_title=f"Phát động thi đua năm {period.year}",
        opens_on=today - datetime.timedelta(days=5),
        due_on=today + datetime.timedelta(days=10),
    )
    year_services.registration_open(year=emulation_year, actor=office)
    return emulation_year


def _scheme(year):
    """The office's campaign scheme: the unit's self-assessment of one criterion, its recurrent-spending share against
    its registered target, and the report's timeliness."""
    office = User.objects.get(username=OFFICE)
    indicator = Indicator.objects.get(code=INDICATOR)
    levels = {level.code: 10 for level in AssessmentLevel.objects.filter(means_not_applicable=False)}
    scheme = scoring.scheme_create(year=year, kind=ScoringScheme.Kind.CAMPAIGN, name="Bảng điểm", actor=office)
    rows = [
        (SchemeItem.Basis.SELF_ASSESSMENT, indicator.criterion, None, {"level_points": levels}),
        (SchemeItem.Basis.INDICATOR, indicator.criterion, indicator, {}),
        (SchemeItem.Basis.TIMELINESS, None, None, {"late_points": Decimal(5)}),
    ]
    items = [
        (
            None,
            {
                "label": f"Mục {number}",
                "basis": basis,
                "criterion": criterion,
                "indicator": found,
                "max_points": Decimal(10),
                "sort_order": number,
                **extra,
            },
            False,
        )
        for number, (basis, criterion, found, extra) in enumerate(rows, start=1)
    ]
    return scoring.scheme_save(
        scheme=scheme,
        actor=office,
        name=scheme.name,
        tie_break=["on_time", "unit_order"],
        items=items,
        adjustments=[],
    )


def _annual_report_submitted_and_accepted(period):
    unit = Unit.objects.get(code=UNIT_CODE)
    head = User.objects.get(username=HEAD)
    report = report_services.report_start(unit=unit, period=period, actor=head)
    complete(report, head, {level.code: level for level in AssessmentLevel.objects.all()})
    report_services.report_submit(report=report, actor=head)
    report_services.report_accept(report=report, actor=User.objects.get(username="truongphong.hcth"))


def test_a_unit_registers_reports_and_sees_its_score_and_place(person, demo, year):
    unit = Unit.objects.get(code=UNIT_CODE)
    indicator = Indicator.objects.get(code=INDICATOR)

    # The head registers: a collective title and a target for the recurrent-spending share.
    head = at_home(person(HEAD), demo)
    head.goto(f"{demo.url}/thi-dua/{year.year}/")
    head.get_by_test_id("registration-start").click()
    form = head.get_by_test_id("registration-form")
    form.locator(f"#collective-{TITLE}").check()
    form.locator(f"#target-{indicator.pk}").fill("70")
    head.once("dialog", lambda dialog: dialog.accept())
    head.get_by_test_id("registration-submit").click()
    expect(head.get_by_text("Đã gửi").first).to_be_visible()
    registration = Registration.objects.get(year=year, unit=unit)
    assert registration.status == Registration.Status.SUBMITTED

    # The office accepts it and compiles the Department's registration.
    office = at_home(person(OFFICE), demo)
    office.goto(f"{demo.url}/thi-dua/{year.year}/dang-ky/")
    office.get_by_test_id("registration-table").get_by_role("row").filter(has_text=unit.name).get_by_role(
        "link", name="Xem, xem xét"
    ).click()
    office.once("dialog", lambda dialog: dialog.accept())
    office.get_by_test_id("registration-accept").click()
    expect(office.get_by_text("Đã tiếp nhận").first).to_be_visible()
    office.goto(f"{demo.url}/thi-dua/{year.year}/")
    office.get_by_test_id("link-department-registration").click()
    office.get_by_label("Kính gửi").fill("Sở Nội vụ\nTrưởng Khối thi đua các cơ quan kinh tế - tổng hợp")
    office.get_by_test_id("compile").click()
    compiled = office.get_by_test_id("compiled-list")
    expect(compiled).to_contain_text(unit.name)
    expect(compiled).to_contain_text("Tập thể lao động tiên tiến")

    # The unit's annual report: the registered target beside the indicator.
    head.goto(f"{demo.url}/reports/")
    head.get_by_role("button", name="Lập báo cáo").first.click()
    expect(head.get_by_test_id("annotation").filter(has_text="Đăng ký: 70,00%").first).to_be_visible()
    _annual_report_submitted_and_accepted(demo_open_period())

    # The office computes, publishes and records the council's review; the Director confirms.
    scheme = _scheme(year)
    office.goto(f"{demo.url}/thi-dua/cham-diem/{scheme.pk}/")
    office.get_by_test_id("compute").click()
    expect(office.get_by_test_id("scores").get_by_text(unit.name)).to_be_visible()
    publish = office.get_by_test_id("publish")
    publish.locator("input[name=explain_until]").fill(timezone.localdate().strftime("%d/%m/%Y"))
    publish.get_by_role("button").click()
    review = office.get_by_test_id("review")
    review.locator("input[name=council_session_on]").fill(timezone.localdate().strftime("%d/%m/%Y"))
    review.locator("textarea[name=council_minutes]").fill("Hội đồng thống nhất điểm tạm tính đã công bố.")
    review.get_by_role("button").click()
    expect(office.get_by_test_id("scheme-status")).to_have_text("Hội đồng đã xem xét")
    director = at_home(person(DIRECTOR), demo)
    director.goto(f"{demo.url}/thi-dua/cham-diem/{scheme.pk}/")
    director.once("dialog", lambda dialog: dialog.accept())
    director.get_by_test_id("confirm").click()
    expect(director.get_by_test_id("scheme-status")).to_have_text("Lãnh đạo đã xác nhận")

    # The unit sees its own score and place, and no other unit's.
    head.goto(f"{demo.url}/thi-dua/{year.year}/xep-hang/?loai=campaign")
    rows = head.get_by_test_id("ranking-row")
    expect(rows).to_have_count(1)
    expect(rows).to_contain_text(unit.name)
    score = scheme.scores.get(unit=unit)
    expect(rows).to_contain_text(f"{score.total:.2f}".replace(".", ","))


# --- The person's record: past records imported by the office change what the award rules see ---------------------
# A sent nomination that met every rule is found failing "no discipline in the year" once the office imports the
# reprimand from the unit's old files — on the nomination's page, with the article, and in the list of nominations
# on their way that the rules now fail. (In this module for its demo: each module loads one.)

RECORD_UNIT = "QLKH"
RECORD_NOMINEE = "Bùi Văn Khánh"
RECORD_ARTICLE = "Luật Thi đua, khen thưởng 2022, Điều 24"
DISCIPLINE_HEADER = (
    "Mã cá nhân",
    "Họ và tên",
    "Đơn vị",
    "Hình thức kỷ luật",
    "Từ ngày (dd/mm/yyyy)",
    "Đến ngày (dd/mm/yyyy)",
    "Số quyết định",
    "Ngày quyết định (dd/mm/yyyy)",
)


@pytest.fixture
def nomination(demo):
    """An open round of this year offering Lao động tiên tiến; the unit's head sent Bùi Văn Khánh's, whose record
    holds this year's classification "Hoàn thành tốt nhiệm vụ"."""
    office = User.objects.get(username="vanphong")
    today = timezone.localdate()
    lao_dong = AwardForm.objects.get(code="lao-dong-tien-tien")
    award_round = rounds.round_create(
        actor=office,
        campaign=Campaign.objects.order_by("pk").first(),
        kind=AwardRound.Kind.ANNUAL,
        title=f"Xét khen thưởng năm {today.year} (hồ sơ)",
        year=today.year,
        deadline=today + datetime.timedelta(days=10),
        offers={lao_dong: None},
        periods=[],
    )
    rounds.round_open(award_round=award_round, actor=office)
    unit = Unit.objects.get(code=RECORD_UNIT)
    person = classified(Person.objects.get(unit=unit, full_name=RECORD_NOMINEE))
    return make_nomination(
        award_round, lao_dong, unit=unit, person=person, actor=User.objects.get(username="truongphong.qlkh")
    )


def _workbook(person):
    """The office's file: the "Kỷ luật" tab of the template, one reprimand in force during this year."""
    year = timezone.localdate().year
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Kỷ luật"
    sheet.append(DISCIPLINE_HEADER)
    sheet.append(
        [
            person.pk,
            person.full_name,
            person.unit.name,
            "Khiển trách",
            f"01/03/{year}",
            f"28/02/{year + 1}",
            "07/QĐ-SKHCN",
            f"25/02/{year}",
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rule(page, code):
    return page.get_by_test_id("rule-result").and_(page.locator(f"[data-rule='{code}']"))


def test_imported_discipline_makes_a_sent_nomination_fail_with_its_article(person, demo, nomination):
    office = at_home(person("vanphong"), demo)
    office.goto(f"{demo.url}/awards/nominations/{nomination.pk}/")
    expect(_rule(office, "khong-bi-ky-luat")).to_have_attribute("data-status", "passed")

    # The office previews the file (nothing written yet), then imports it.
    office.goto(f"{demo.url}/awards/ho-so/nhap/")
    office.get_by_test_id("import-upload").locator("input[type=file]").set_input_files(
        {
            "name": "ho-so-cu.xlsx",
            "mimeType": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            "buffer": _workbook(nomination.person),
        }
    )
    office.get_by_role("button", name="Xem trước").click()
    expect(office.get_by_test_id("import-preview")).to_be_visible()
    assert not Discipline.objects.filter(person=nomination.person).exists()
    office.get_by_test_id("import-apply").get_by_role("button", name="Nhập").click()
    expect(office.get_by_role("alert").first).to_be_visible()
    assert Discipline.objects.filter(person=nomination.person).count() == 1

    # The rule now fails on the nomination's page, with its article, and the nomination is listed for the office.
    office.goto(f"{demo.url}/awards/nominations/{nomination.pk}/")
    failed = _rule(office, "khong-bi-ky-luat")
    expect(failed).to_have_attribute("data-status", "failed")
    expect(failed).to_contain_text("Khiển trách")
    expect(failed.get_by_test_id("rule-article")).to_contain_text(RECORD_ARTICLE)
    office.goto(f"{demo.url}/awards/nominations/khong-dat-dieu-kien/")
    row = office.get_by_test_id("failing-row").filter(has_text=RECORD_NOMINEE)
    expect(row).to_contain_text(RECORD_ARTICLE)
