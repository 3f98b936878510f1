"""Demo data for trying the portal out: sample units beneath the Department and one account per role.

Every demo account shares one published password, so `manage.py load_demo` refuses to run with
DEBUG off unless forced. Loading is idempotent: rows are keyed on unit code and username, and a
second run only resets the demo accounts (password, unit, position, capabilities) to their demo state.
Each area has its own `_load_*` function so later demo areas (reports, nominations) slot in beside them.
"""

from dataclasses import dataclass, field

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.db import transaction

from .capabilities import Capability
from .models import Person, Unit, User

DEMO_PASSWORD = "thiduakhenthuong"  # noqa: S105 -- published on purpose: demo data only, refused with DEBUG off
DEMO_EMAIL_DOMAIN = "demo.skhcn.quangngai.gov.vn"
DEPARTMENT_CODE = "SKHCN"


@dataclass(frozen=True)
class DemoUnit:
    code: str
    name: str
    kind: str
    sort_order: int
    is_sample: bool = True


DEPARTMENT = DemoUnit(DEPARTMENT_CODE, "Sở Khoa học và Công nghệ", Unit.Kind.DEPARTMENT, 0, is_sample=False)

# The plan names the office and the centre (same codes and sort order as campaign/data/plan.toml, so
# load_plan finds them unchanged); the other units are samples so the demo has a realistic spread.
DEMO_UNITS = (
    DemoUnit("HCTH", "Phòng Hành chính - Tổng hợp", Unit.Kind.OFFICE, 1, is_sample=False),
    DemoUnit("KHTC", "Phòng Kế hoạch - Tài chính", Unit.Kind.DIVISION, 10),
    DemoUnit("QLKH", "Phòng Quản lý khoa học", Unit.Kind.DIVISION, 20),
    DemoUnit("QLCN", "Phòng Quản lý công nghệ và Đổi mới sáng tạo", Unit.Kind.DIVISION, 30),
    DemoUnit("CDS", "Phòng Chuyển đổi số", Unit.Kind.DIVISION, 40),
    DemoUnit("TDC", "Chi cục Tiêu chuẩn Đo lường Chất lượng", Unit.Kind.SUB_DEPARTMENT, 50),
    DemoUnit(
        "TTUD",
        "Trung tâm Ứng dụng và Dịch vụ khoa học công nghệ",
        Unit.Kind.PUBLIC_SERVICE,
        90,
        is_sample=False,
    ),
)

HEAD_TITLES = {
    Unit.Kind.OFFICE: "Trưởng phòng",
    Unit.Kind.DIVISION: "Trưởng phòng",
    Unit.Kind.PUBLIC_SERVICE: "Giám đốc Trung tâm",
    Unit.Kind.SUB_DEPARTMENT: "Chi cục trưởng",
}
STAFF_TITLE = "Chuyên viên"

# Fictitious people: (head, staff member) of each unit.
UNIT_PEOPLE = {
    "HCTH": ("Nguyễn Thị Kim Oanh", "Huỳnh Văn Tài"),
    "KHTC": ("Hồ Thị Phương Thảo", "Phan Văn Đức"),
    "QLKH": ("Bùi Văn Khánh", "Lê Thị Thanh Tâm"),
    "QLCN": ("Đặng Minh Tuấn", "Nguyễn Hoàng Long"),
    "CDS": ("Lương Thành Nam", "Đinh Thị Bích Ngọc"),
    "TDC": ("Võ Văn Hùng", "Mai Thị Thu Trang"),
    "TTUD": ("Phạm Quốc Bảo", "Trương Thị Ngọc Hân"),
}

# Real positions overlap (DESIGN.md section 1): the office head also reviews and sits on the council.
EXTRA_CAPABILITIES = {
    "truongphong.hcth": (Capability.OFFICE_REVIEWER, Capability.COUNCIL_MEMBER),
    "truongphong.qlkh": (Capability.COUNCIL_MEMBER,),
    "truongphong.khtc": (Capability.COUNCIL_MEMBER,),
}


@dataclass(frozen=True)
class DemoAccount:
    username: str
    full_name: str
    unit_code: str
    position: str
    position_title: str
    capabilities: tuple[str, ...] = ()
    is_staff: bool = False

    @property
    def email(self):
        return f"{self.username}@{DEMO_EMAIL_DOMAIN}"


def _department_accounts():
    return [
        DemoAccount(
            "quantri",
            "Võ Thị Thu Hà",
            DEPARTMENT_CODE,
            User.Position.STAFF,
            "Chuyên viên quản trị hệ thống",
            (Capability.ADMINISTRATOR,),
            # The Django admin lets in only staff accounts.
            is_staff=True,
        ),
        DemoAccount(
            "vanphong",
            "Đỗ Thị Mỹ Linh",
            "HCTH",
            User.Position.STAFF,
            "Chuyên viên Phòng Hành chính - Tổng hợp",
            (Capability.OFFICE_REVIEWER,),
        ),
        DemoAccount(
            "giamdoc",
            "Trần Minh Quang",
            DEPARTMENT_CODE,
            User.Position.HEAD,
            "Giám đốc",
            (Capability.LEADERSHIP, Capability.COUNCIL_MEMBER),
        ),
        DemoAccount(
            "phogiamdoc",
            "Lê Thị Hồng Nhung",
            DEPARTMENT_CODE,
            User.Position.DEPUTY,
            "Phó Giám đốc",
            (Capability.LEADERSHIP, Capability.COUNCIL_MEMBER),
        ),
    ]


def _unit_accounts(unit):
    head_name, staff_name = UNIT_PEOPLE[unit.code]
    head_username = f"truongphong.{unit.code.lower()}"
    return [
        DemoAccount(
            head_username,
            head_name,
            unit.code,
            User.Position.HEAD,
            HEAD_TITLES[unit.kind],
            EXTRA_CAPABILITIES.get(head_username, ()),
        ),
        DemoAccount(f"canbo.{unit.code.lower()}", staff_name, unit.code, User.Position.STAFF, STAFF_TITLE),
    ]


DEMO_ACCOUNTS = tuple(_department_accounts() + [account for unit in DEMO_UNITS for account in _unit_accounts(unit)])


@dataclass
class DemoSummary:
    units_created: list[str] = field(default_factory=list)
    units_existing: list[str] = field(default_factory=list)
    accounts_created: list[str] = field(default_factory=list)
    accounts_updated: list[str] = field(default_factory=list)
    accounts: tuple[DemoAccount, ...] = DEMO_ACCOUNTS
    password: str = DEMO_PASSWORD


def load_demo(*, password=DEMO_PASSWORD):
    """Create or reset the demo units and accounts; return what was created and what was kept."""
    summary = DemoSummary(password=password)
    with transaction.atomic():
        units = _load_units(summary=summary)
        _load_accounts(units=units, password=password, summary=summary)
    return summary


def _load_units(*, summary):
    """The Department and its demo units by code. Existing units (e.g. from load_plan) are left as they are."""
    department = _get_or_create_unit(DEPARTMENT, parent=None, summary=summary)
    units = {department.code: department}
    for demo_unit in DEMO_UNITS:
        units[demo_unit.code] = _get_or_create_unit(demo_unit, parent=department, summary=summary)
    return units


def _get_or_create_unit(demo_unit, *, parent, summary):
    unit, created = Unit.objects.get_or_create(
        code=demo_unit.code,
        defaults={
            "name": demo_unit.name,
            "abbreviation": demo_unit.code,
            "kind": demo_unit.kind,
            "parent": parent,
            "is_sample": demo_unit.is_sample,
            "sort_order": demo_unit.sort_order,
        },
    )
    (summary.units_created if created else summary.units_existing).append(unit.code)
    return unit


def _capability_groups():
    # get_or_create: the groups come from a data migration, but a flushed test database has lost them.
    return {capability: Group.objects.get_or_create(name=capability.value)[0] for capability in Capability}


def _load_accounts(*, units, password, summary):
    """One account per demo role, reset to its demo state, each with a Person row so it can be nominated."""
    groups = _capability_groups()
    # Hashed once for all accounts: one published demo password gains nothing from per-account salts, and
    # hashing it 18 times costs seconds. Set directly, so the validators never see this shared password.
    password_hash = make_password(password)
    for account in DEMO_ACCOUNTS:
        unit = units[account.unit_code]
        user, created = User.objects.update_or_create(
            username=account.username,
            defaults={
                "full_name": account.full_name,
                "email": account.email,
                "unit": unit,
                "position": account.position,
                "position_title": account.position_title,
                "is_active": True,
                "is_staff": account.is_staff,
                "is_superuser": False,
                "password": password_hash,
            },
        )
        user.groups.set([groups[capability] for capability in account.capabilities])
        Person.objects.update_or_create(
            user=user,
            defaults={
                "full_name": account.full_name,
                "position_title": account.position_title,
                "unit": unit,
                "is_active": True,
            },
        )
        (summary.accounts_created if created else summary.accounts_updated).append(account.username)
