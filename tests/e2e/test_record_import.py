"""Past records brought in by the office change what the award rules see: a sent nomination that met every rule is
found failing "no discipline in the year" once the office imports the reprimand from the unit's old files — on the
nomination's page, with the article, and in the list of nominations on their way that the rules now fail."""

import datetime
import io

import pytest
from django.utils import timezone
from openpyxl import Workbook
from playwright.sync_api import expect

from awards.models import AwardForm, AwardRound, Discipline
from awards.services import rounds
from campaign.models import Campaign
from tests.awards.conftest import classified, make_nomination
from tests.e2e.conftest import at_home
from units.models import Person, Unit, User

UNIT_CODE = "QLKH"
NOMINEE = "Bùi Văn Khánh"
ARTICLE = "Luật Thi đua, khen thưởng 2022, Điều 24"
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
    unit = Unit.objects.get(code=UNIT_CODE)
    person = classified(Person.objects.get(unit=unit, full_name=NOMINEE))
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
    expect(failed.get_by_test_id("rule-article")).to_contain_text(ARTICLE)
    office.goto(f"{demo.url}/awards/nominations/khong-dat-dieu-kien/")
    row = office.get_by_test_id("failing-row").filter(has_text=NOMINEE)
    expect(row).to_contain_text(ARTICLE)
