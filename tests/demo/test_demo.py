"""load_demo: the demo units and accounts, idempotence, the DEBUG guard, and signing in as each account."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from demo.data import DEMO_PASSWORD, load_demo
from reports.models import UnitReport
from units.capabilities import Capability
from units.models import Person, Unit, User

# These tests are about the units and accounts, which load_demo makes before (and without) the plan.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_plan")]

# username: (unit code, position, position title, capabilities)
EXPECTED_ACCOUNTS = {
    "quantri": ("SKHCN", "staff", None, {Capability.ADMINISTRATOR}),
    "vanphong": ("HCTH", "staff", None, {Capability.OFFICE_REVIEWER, Capability.COUNCIL_MEMBER}),
    "giamdoc": ("SKHCN", "head", "Giám đốc", {Capability.LEADERSHIP, Capability.COUNCIL_MEMBER}),
    "phogiamdoc": ("SKHCN", "deputy", "Phó Giám đốc", {Capability.LEADERSHIP, Capability.COUNCIL_MEMBER}),
    "truongphong.hcth": ("HCTH", "head", "Trưởng phòng", {Capability.OFFICE_REVIEWER, Capability.COUNCIL_MEMBER}),
    "canbo.hcth": ("HCTH", "staff", "Chuyên viên", set()),
    "truongphong.qlkh": ("QLKH", "head", "Trưởng phòng", {Capability.COUNCIL_MEMBER}),
    "canbo.qlkh": ("QLKH", "staff", "Chuyên viên", set()),
    "truongphong.qlcn": ("QLCN", "head", "Trưởng phòng", set()),
    "canbo.qlcn": ("QLCN", "staff", "Chuyên viên", set()),
    "truongphong.khtc": ("KHTC", "head", "Trưởng phòng", {Capability.COUNCIL_MEMBER}),
    "canbo.khtc": ("KHTC", "staff", "Chuyên viên", set()),
    "truongphong.cds": ("CDS", "head", "Trưởng phòng", set()),
    "canbo.cds": ("CDS", "staff", "Chuyên viên", set()),
    "truongphong.tdc": ("TDC", "head", "Chi cục trưởng", set()),
    "canbo.tdc": ("TDC", "staff", "Chuyên viên", set()),
    "truongphong.ttud": ("TTUD", "head", "Giám đốc Trung tâm", set()),
    "canbo.ttud": ("TTUD", "staff", "Chuyên viên", set()),
}


@pytest.fixture(autouse=True)
def private_files(settings, tmp_path):
    # With the plan loaded (the command), the awards demo writes dossiers and rendered documents.
    settings.MEDIA_ROOT = tmp_path


def _row_counts():
    return {model.__name__: model.objects.count() for model in (Unit, User, Person, Group)}


def test_creates_the_department_and_its_units():
    load_demo()

    department = Unit.objects.get(code="SKHCN")
    assert department.parent is None
    assert department.kind == Unit.Kind.DEPARTMENT
    children = {unit.code: unit for unit in department.children.all()}
    assert set(children) == {"HCTH", "TTUD", "QLKH", "QLCN", "KHTC", "TDC", "CDS"}
    assert children["HCTH"].kind == Unit.Kind.OFFICE
    assert children["TTUD"].kind == Unit.Kind.PUBLIC_SERVICE
    assert children["TDC"].kind == Unit.Kind.SUB_DEPARTMENT
    assert {code for code, unit in children.items() if not unit.is_sample} == {"HCTH", "TTUD"}


def test_creates_every_demo_account_with_its_unit_position_and_capabilities():
    load_demo()

    users = {user.username: user for user in User.objects.select_related("unit").prefetch_related("groups")}
    assert set(users) == set(EXPECTED_ACCOUNTS)
    for username, (unit_code, position, title, capabilities) in EXPECTED_ACCOUNTS.items():
        user = users[username]
        assert (user.unit.code, user.position) == (unit_code, position), username
        if title is not None:
            assert user.position_title == title, username
        assert set(user.capability_names) == {str(capability) for capability in capabilities}, username
        assert user.email == f"{username}@demo.skhcn.quangngai.gov.vn"
        assert user.check_password(DEMO_PASSWORD)
        assert Person.objects.get(user=user).full_name == user.full_name


def test_only_the_administrator_may_enter_the_django_admin():
    load_demo()

    assert User.objects.get(username="quantri").is_administrator
    assert set(User.objects.filter(is_staff=True).values_list("username", flat=True)) == {"quantri"}
    assert not User.objects.filter(is_superuser=True).exists()


def test_running_twice_changes_no_counts_and_resets_passwords():
    load_demo()
    counts = _row_counts()
    user = User.objects.get(username="canbo.qlkh")
    user.set_password("mat-khau-da-doi-2026")
    user.save()

    summary = load_demo()

    assert _row_counts() == counts
    assert summary.units_created == []
    assert summary.accounts_created == []
    assert User.objects.get(username="canbo.qlkh").check_password(DEMO_PASSWORD)


def test_without_the_plan_no_reports_are_made():
    summary = load_demo()

    assert summary.reports_created == []
    assert not UnitReport.objects.exists()


def test_keeps_an_existing_department_as_it_is():
    Unit.objects.create(code="SKHCN", name="Sở KH&CN tỉnh Quảng Ngãi", abbreviation="SKHCN", kind="department")

    load_demo()

    assert Unit.objects.get(code="SKHCN").name == "Sở KH&CN tỉnh Quảng Ngãi"


def test_command_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=None)

    assert not User.objects.filter(username="quantri").exists()


def test_command_runs_with_force_when_debug_is_off(settings, capsys, monkeypatch):
    settings.DEBUG = False
    # What is under test is the guard; the whole demo (awards, issued reports, the emulation years, the history) is
    # loaded by the test below.
    monkeypatch.setattr("demo.management.commands.load_demo.load_demo", lambda **options: load_demo())
    monkeypatch.setattr("demo.management.commands.load_demo.load_emulation", list)
    monkeypatch.setattr("demo.management.commands.load_demo.load_history", list)

    call_command("load_demo", "--force")

    assert User.objects.filter(username__in=EXPECTED_ACCOUNTS).count() == len(EXPECTED_ACCOUNTS)
    assert "thiduakhenthuong" in capsys.readouterr().out


def test_command_runs_when_debug_is_on(settings, capsys):
    settings.DEBUG = True

    call_command("load_demo")

    assert User.objects.filter(username__in=EXPECTED_ACCOUNTS).count() == len(EXPECTED_ACCOUNTS)
    assert "Đã nạp xong dữ liệu trình diễn" in capsys.readouterr().out


@pytest.mark.parametrize("username", sorted(EXPECTED_ACCOUNTS))
def test_each_demo_account_signs_in_and_sees_its_name(client, username):
    load_demo()

    response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})

    assert response.status_code == 302
    assert response["Location"] == "/"
    home = client.get("/")
    assert User.objects.get(username=username).full_name in home.content.decode()


def test_administrator_home_links_to_the_admin(client):
    load_demo()
    client.post("/accounts/login/", {"username": "quantri", "password": DEMO_PASSWORD})

    assert "/admin/" in client.get("/").content.decode()


def test_staff_home_has_no_admin_link(client):
    load_demo()
    client.post("/accounts/login/", {"username": "canbo.qlkh", "password": DEMO_PASSWORD})

    assert "/admin/" not in client.get("/").content.decode()
