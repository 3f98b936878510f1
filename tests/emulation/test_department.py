"""The Department's registration for the year: the compile from the units' accepted registrations only, the
lifecycle with its history and its number in the công văn series, refusals that change nothing, the page."""

import datetime
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from documents.models import OutgoingDocument
from emulation.models import DepartmentRegistration, DepartmentRegistrationTransition, Registration
from emulation.services import department as services
from notifications.models import Notification
from tests import factories
from tests.emulation.department_data import (
    INDIVIDUAL,
    RECIPIENTS,
    UNIT_COLLECTIVE,
    build_units_and_registrations,
    emulation_year,
    registration,
)
from tests.query_budget import PAGE as BUDGET
from tests.query_budget import WAITING_OFFICE
from tests.shared_data import built_once
from workflow.errors import InvalidTransition, NotAllowed, Refused

OWN_TITLE = "co-thi-dua-ubnd-tinh"
PAGE = "/thi-dua/{year}/dang-ky-cua-so/"


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker):
    with built_once(django_db_blocker, build_units_and_registrations) as built:
        yield built


@pytest.fixture
def office(world, db):
    return world["personas"]["reviewer"]


@pytest.fixture
def director(world, db):
    return world["personas"]["leader"]


def compile_(world, **changes):
    arguments = {"own_titles": [OWN_TITLE], "recipients": RECIPIENTS, **changes}
    return services.department_registration_compile(
        year=world["year"], actor=world["personas"]["reviewer"], **arguments
    )


def rows():
    return (
        list(DepartmentRegistration.objects.values()),
        list(DepartmentRegistrationTransition.objects.values()),
        list(OutgoingDocument.objects.values()),
    )


def test_the_compile_takes_the_accepted_registrations_only(world, office):
    registration_ = compile_(world)
    snapshot = registration_.snapshot
    units = {unit["unit"]: unit for unit in snapshot["units"]}
    assert set(units) == {"Phòng Quản lý khoa học", "Phòng Hành chính - Tổng hợp"}  # not the submitted one
    own = units["Phòng Quản lý khoa học"]
    assert own["titles"] == ["Tập thể lao động xuất sắc"]
    assert [(person["name"], person["position"], person["title"]) for person in own["people"]] == [
        ("Lê Văn Bình", "Phó Trưởng phòng", "Chiến sĩ thi đua cơ sở"),
        ("Lê Văn Bình", "Phó Trưởng phòng", "Lao động tiên tiến"),
        ("Nguyễn Thị An", "Chuyên viên", "Lao động tiên tiến"),
    ]
    (target,) = [commitment for commitment in own["commitments"] if commitment["indicator"]]
    (text,) = [commitment for commitment in own["commitments"] if not commitment["indicator"]]
    assert (target["indicator"], target["target"], target["text"]) == (world["indicator"].name, "95.5", "")
    assert (text["indicator"], text["target"], text["text"]) == (
        "",
        None,
        "Hoàn thành 100% nhiệm vụ được giao đúng hạn.",
    )
    assert snapshot["own_titles"] == [{"code": OWN_TITLE, "name": "Cờ thi đua của Ủy ban nhân dân tỉnh"}]
    assert snapshot["campaign"]["office_code"] == "VP"
    assert registration_.recipients == RECIPIENTS
    (record,) = registration_.transitions.all()
    assert (record.action, record.from_status, record.to_status, record.actor) == ("compile", "", "draft", office)


def test_a_unit_accepted_later_enters_only_with_the_next_compile(world, office):
    first = compile_(world)
    Registration.objects.filter(unit=world["units"]["other"]).update(status=Registration.Status.ACCEPTED)
    first.refresh_from_db()
    assert len(first.snapshot["units"]) == 2  # frozen
    again = compile_(world)
    assert again.pk == first.pk
    assert len(again.snapshot["units"]) == 3
    assert [t.action for t in again.transitions.all()] == ["compile", "compile"]


def test_the_lifecycle_send_return_send_approve_issue(world, office, director):
    registration_ = compile_(world)
    registration_ = services.department_registration_send(registration=registration_, actor=office)
    assert Notification.objects.filter(recipient=director, url=PAGE.format(year=world["year"].year)).exists()
    registration_ = services.department_registration_return(
        registration=registration_, actor=director, reason="Bổ sung danh hiệu của Sở."
    )
    assert Notification.objects.filter(recipient=office, message__contains="Bổ sung danh hiệu của Sở.").exists()
    registration_ = services.department_registration_edit(
        registration=registration_,
        actor=office,
        own_titles=[OWN_TITLE, "tap-the-lao-dong-xuat-sac"],
        recipients=RECIPIENTS,
    )
    registration_ = services.department_registration_send(registration=registration_, actor=office)
    registration_ = services.department_registration_approve(registration=registration_, actor=director)
    assert (registration_.status, registration_.approved_by) == ("approved", director)
    registration_ = services.department_registration_issue(
        registration=registration_, actor=office, issued_on=timezone.localdate()
    )
    assert registration_.status == "issued"
    entry = registration_.register_entry
    assert (entry.type_code, entry.issuer_code, entry.summary) == (
        "",
        "SKHCN-VP",
        f"V/v đăng ký thi đua năm {world['year'].year}",
    )
    assert str(entry) == f"Số 01/SKHCN-VP ngày {timezone.localdate():%d/%m/%Y}"
    moves = [(t.action, t.from_status, t.to_status, t.comment) for t in registration_.transitions.all()]
    assert moves == [
        ("compile", "", "draft", "Tổng hợp đăng ký đã tiếp nhận của 2 phòng, đơn vị."),
        ("send_for_approval", "draft", "pending", ""),
        ("return", "pending", "returned", "Bổ sung danh hiệu của Sở."),
        ("edit", "returned", "returned", "Sửa danh hiệu tập thể Sở đăng ký, nơi nhận."),
        ("send_for_approval", "returned", "pending", ""),
        ("approve", "pending", "approved", ""),
        ("issue", "approved", "issued", str(entry)),
    ]
    assert [title["code"] for title in registration_.snapshot["own_titles"]] == [
        "tap-the-lao-dong-xuat-sac",
        OWN_TITLE,
    ]  # the catalogue's order


def test_an_issued_registration_is_never_compiled_again(world, office, director):
    registration_ = compile_(world)
    services.department_registration_send(registration=registration_, actor=office)
    services.department_registration_approve(registration=registration_, actor=director)
    services.department_registration_issue(registration=registration_, actor=office, issued_on=timezone.localdate())
    before = rows()
    with pytest.raises(InvalidTransition):
        compile_(world)
    with pytest.raises(InvalidTransition):
        services.department_registration_issue(registration=registration_, actor=office, issued_on=timezone.localdate())
    assert rows() == before


def test_a_date_before_the_approval_needs_the_offices_confirmation(world, office, director):
    registration_ = compile_(world)
    services.department_registration_send(registration=registration_, actor=office)
    services.department_registration_approve(registration=registration_, actor=director)
    earlier = timezone.localdate() - datetime.timedelta(days=3)
    before = rows()
    with pytest.raises(Refused, match="trước ngày lãnh đạo duyệt") as refused:
        services.department_registration_issue(registration=registration_, actor=office, issued_on=earlier)
    assert refused.value.field == "issued_on"
    assert rows() == before
    issued = services.department_registration_issue(
        registration=registration_, actor=office, issued_on=earlier, confirmation="Giấy ký ngày này."
    )
    assert issued.transitions.last().comment.endswith("Xác nhận ngày, số như văn bản đã ký: Giấy ký ngày này.")


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"own_titles": ["lao-dong-tien-tien"]}, "own_titles"),  # an individual title
        ({"own_titles": ["khong-co"]}, "own_titles"),
        ({"recipients": "  \n "}, "recipients"),
        ({"recipients": "Sở Nội vụ\nTrưởng Khối thi đua"}, "recipients"),  # the block not named
    ],
)
def test_bad_choices_are_refused_on_their_field_and_change_nothing(world, office, changes, field):
    before = rows()
    with pytest.raises(Refused) as refused:
        compile_(world, **changes)
    assert refused.value.field == field
    assert rows() == before


def test_only_the_office_compiles_and_only_leadership_approves_or_returns(world, office, director):
    with pytest.raises(NotAllowed):
        services.department_registration_compile(
            year=world["year"], actor=director, own_titles=[], recipients=RECIPIENTS
        )
    registration_ = compile_(world)
    services.department_registration_send(registration=registration_, actor=office)
    before = rows()
    with pytest.raises(NotAllowed):
        services.department_registration_approve(registration=registration_, actor=office)
    with pytest.raises(Refused, match="lý do"):
        services.department_registration_return(registration=registration_, actor=director, reason=" ")
    with pytest.raises(InvalidTransition):
        services.department_registration_send(registration=registration_, actor=office)
    assert rows() == before


def test_nothing_to_compile_before_any_unit_is_accepted(world, office):
    Registration.objects.filter(year=world["year"]).update(status=Registration.Status.SUBMITTED)
    with pytest.raises(Refused, match="Chưa có đăng ký"):
        compile_(world)
    assert not DepartmentRegistration.objects.exists()


# --- the page ----------------------------------------------------------------------------------------------


def test_the_page_warns_of_the_units_not_accepted(world, client, office):
    compile_(world)
    client.force_login(office)
    response = client.get(PAGE.format(year=world["year"].year))
    assert response.status_code == 200
    warning = response.content.decode().split('data-testid="units-not-accepted"')[1].split("</div>")[0]
    assert "Phòng Kế hoạch - Tài chính (đã gửi)" in warning
    assert "Phòng Quản lý khoa học" not in warning


def test_bad_input_shows_the_page_again_with_what_was_typed(world, client, office):
    client.force_login(office)
    typed = "Sở Nội vụ\nTrưởng Khối thi đua"
    response = client.post(
        PAGE.format(year=world["year"].year) + "tong-hop/", {"own_titles": [OWN_TITLE], "recipients": typed}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "Vui lòng ghi tên Khối thi đua" in page
    assert typed in page
    assert re.search(rf'<input[^>]*value="{OWN_TITLE}"[^>]*checked', page)
    assert not DepartmentRegistration.objects.exists()


def test_a_return_without_a_reason_is_refused_with_400(world, client, office, director):
    registration_ = compile_(world)
    services.department_registration_send(registration=registration_, actor=office)
    client.force_login(director)
    response = client.post(PAGE.format(year=world["year"].year) + "tra-lai/", {"reason": ""})
    assert response.status_code == 400
    assert "Vui lòng ghi lý do trả lại." in response.content.decode()
    registration_.refresh_from_db()
    assert registration_.status == "pending"


def test_the_issue_through_the_page_takes_the_next_letter_number(world, client, office, director):
    registration_ = compile_(world)
    services.department_registration_send(registration=registration_, actor=office)
    services.department_registration_approve(registration=registration_, actor=director)
    client.force_login(office)
    url = PAGE.format(year=world["year"].year)
    response = client.post(url + "vao-so/", {"numbering": "register", "issued_on": f"{timezone.localdate():%d/%m/%Y}"})
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert f"Số: 01/SKHCN-VP ngày {timezone.localdate():%d/%m/%Y}" in page


def _page_queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


def test_the_page_reads_in_a_fixed_number_of_queries(world, client, office):
    compile_(world)
    client.force_login(office)
    url = PAGE.format(year=world["year"].year)
    few = _page_queries(client, url)
    for index in range(4):
        unit = factories.UnitFactory(code=f"DVQ{index}", name=f"Phòng đo truy vấn {index}")
        person = factories.PersonFactory(unit=unit)
        registration(world["year"], unit, office, collective=[UNIT_COLLECTIVE], people=[(person, INDIVIDUAL)])
    compile_(world)
    # Every page's (tests/query_budget.py), then the page's own 7.
    assert _page_queries(client, url) == few == BUDGET + WAITING_OFFICE + 7


def test_the_demo_issues_2025_and_2026_in_january_and_drafts_2027(world, office):
    # Imported here: demo is above every app; only this test loads it.
    from demo.emulation_department import load

    years = {2026: world["year"]}
    for number in (2025, 2027):
        years[number] = emulation_year(office, year=number)
        registration(years[number], world["units"]["own"], office, collective=[UNIT_COLLECTIVE])
    assert load(years) == [2025, 2026, 2027]
    issued = {row.year.year: row for row in DepartmentRegistration.objects.select_related("register_entry", "year")}
    assert str(issued[2025].register_entry) == "Số 01/SKHCN-VP ngày 15/01/2025"
    assert issued[2025].approved_by.username == "phogiamdoc"
    assert str(issued[2026].register_entry) == "Số 01/SKHCN-VP ngày 16/01/2026"
    assert issued[2026].transitions.get(action="approve").at.date() == datetime.date(2026, 1, 14)
    assert (issued[2027].status, issued[2027].register_entry) == ("draft", None)
    assert load(years) == []
