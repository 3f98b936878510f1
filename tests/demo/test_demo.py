"""load_demo: the demo units and accounts, idempotence, the DEBUG guard, and signing in as each account."""

import pytest
from django.contrib.auth.models import Group
from django.core.management import CommandError, call_command

from demo.data import DEMO_PASSWORD, load_demo
from reports.models import UnitReport
from tests.plan_data import unload_plan
from tests.shared_data import built_once
from units.capabilities import Capability
from units.models import Person, Unit, User

# These tests are about the units and accounts, which load_demo makes before (and without) the plan.
pytestmark = pytest.mark.django_db

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


@pytest.fixture(scope="class")
def loaded(django_db_setup, django_db_blocker, tmp_path_factory):
    """The units and accounts loaded once, without the plan, for the class's tests (tests/shared_data.py): each test
    rolls back to them, and the tests outside the class find the database without them."""

    def build():
        unload_plan()
        return load_demo()

    with built_once(django_db_blocker, build, MEDIA_ROOT=tmp_path_factory.mktemp("demo-accounts")) as summary:
        yield summary


def _row_counts():
    return {model.__name__: model.objects.count() for model in (Unit, User, Person, Group)}


@pytest.mark.usefixtures("loaded")
class TestLoaded:
    """What one run of load_demo made (the class's `loaded`), read or changed by each test and rolled back."""

    def test_creates_the_department_and_its_units(self):
        department = Unit.objects.get(code="SKHCN")
        assert department.parent is None
        assert department.kind == Unit.Kind.DEPARTMENT
        children = {unit.code: unit for unit in department.children.all()}
        assert set(children) == {"HCTH", "TTUD", "QLKH", "QLCN", "KHTC", "TDC", "CDS"}
        assert children["HCTH"].kind == Unit.Kind.OFFICE
        assert children["TTUD"].kind == Unit.Kind.PUBLIC_SERVICE
        assert children["TDC"].kind == Unit.Kind.SUB_DEPARTMENT
        assert {code for code, unit in children.items() if not unit.is_sample} == {"HCTH", "TTUD"}

    def test_creates_every_demo_account_with_its_unit_position_and_capabilities(self):
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

    def test_only_the_administrator_may_enter_the_django_admin(self):
        assert User.objects.get(username="quantri").is_administrator
        assert set(User.objects.filter(is_staff=True).values_list("username", flat=True)) == {"quantri"}
        assert not User.objects.filter(is_superuser=True).exists()

    def test_running_twice_changes_no_counts_and_resets_passwords(self):
        counts = _row_counts()  # after the first run, the class's
        user = User.objects.get(username="canbo.qlkh")
        user.set_password("mat-khau-da-doi-2026")
        user.save()

        summary = load_demo()

        assert _row_counts() == counts
        assert summary.units_created == []
        assert summary.accounts_created == []
        assert User.objects.get(username="canbo.qlkh").check_password(DEMO_PASSWORD)

    def test_without_the_plan_no_reports_are_made(self, loaded):
        assert loaded.reports_created == []
        assert not UnitReport.objects.exists()

    @pytest.mark.parametrize("username", sorted(EXPECTED_ACCOUNTS))
    def test_each_demo_account_signs_in_and_sees_its_name(self, client, username):
        response = client.post("/accounts/login/", {"username": username, "password": DEMO_PASSWORD})

        assert response.status_code == 302
        assert response["Location"] == "/"
        home = client.get("/")
        assert User.objects.get(username=username).full_name in home.content.decode()

    def test_administrator_home_links_to_the_admin(self, client):
        client.post("/accounts/login/", {"username": "quantri", "password": DEMO_PASSWORD})

        assert "/admin/" in client.get("/").content.decode()

    def test_staff_home_has_no_admin_link(self, client):
        client.post("/accounts/login/", {"username": "canbo.qlkh", "password": DEMO_PASSWORD})

        assert "/admin/" not in client.get("/").content.decode()


# The tests below start from a database without the plan and without the demo.


@pytest.mark.usefixtures("no_plan")
def test_keeps_an_existing_department_as_it_is():
    Unit.objects.create(code="SKHCN", name="Sở KH&CN tỉnh Quảng Ngãi", abbreviation="SKHCN", kind="department")

    load_demo()

    assert Unit.objects.get(code="SKHCN").name == "Sở KH&CN tỉnh Quảng Ngãi"


@pytest.mark.usefixtures("no_plan")
def test_command_refuses_when_debug_is_off(settings):
    settings.DEBUG = False

    with pytest.raises(CommandError, match="--force"):
        call_command("load_demo", stdout=None)

    assert not User.objects.filter(username="quantri").exists()


@pytest.mark.usefixtures("no_plan")
def test_command_runs_with_force_when_debug_is_off(settings, capsys, monkeypatch):
    settings.DEBUG = False
    # What is under test is the guard: the command loads the plan, then the units and accounts only. The whole demo
    # (reports, awards, issued reports, the emulation years, the history) is loaded by the command once for
    # tests/demo/test_demo_command.py.
    monkeypatch.setattr("demo.data._load_reports", lambda **kwargs: None)
    monkeypatch.setattr("demo.management.commands.load_demo.load_demo", lambda **options: load_demo())
    monkeypatch.setattr("demo.management.commands.load_demo.load_emulation", list)
    monkeypatch.setattr("demo.management.commands.load_demo.load_history", list)
    assert not User.objects.filter(username__in=EXPECTED_ACCOUNTS).exists()

    call_command("load_demo", "--force")

    assert User.objects.filter(username__in=EXPECTED_ACCOUNTS).count() == len(EXPECTED_ACCOUNTS)
    assert "thiduakhenthuong" in capsys.readouterr().out
