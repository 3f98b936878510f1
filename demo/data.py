"""Demo data for trying the portal out: sample units beneath the Department, one account per role, and
unit reports (accepted ones for the past periods, a mix of states for the open one).

Every demo account shares one published password, so `manage.py load_demo` refuses to run with
DEBUG off unless forced. Loading is idempotent: rows are keyed on unit code and username, and a
second run only resets the demo accounts (password, unit, position, capabilities) to their demo state;
reports are only added for units and periods that have none.
Each area has its own `_load_*` function. Awards (the council, the register's history, last year's and this
year's rounds; `manage.py load_demo` adds them, `load_demo(awards=True)`) are added once: if any award round
exists, nothing of the awards is added.
"""

import datetime
import io
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.contrib.auth.models import Group
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from pypdf import PdfWriter

from awards.models import (
    AwardForm,
    AwardRound,
    AwardRule,
    ClassificationRecord,
    CouncilMeeting,
    CouncilRole,
    Initiative,
    InitiativeScope,
    MeetingTransition,
)
from awards.services import council, nominations, outcomes, register, rounds
from campaign.models import AssessmentLevel, Campaign, Criterion, CriterionApplicability, ReportingPeriod
from notifications.models import Notification
from reports import services as report_services
from reports.models import ConsolidatedReport, ReportSection, ReportTransition, UnitReport
from reports.parts import criterion_part_key, section_part_key
from reports.services import consolidation
from reports.services.editing import part_objects
from units.capabilities import Capability
from units.models import Person, Unit, User

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
            # The council's secretary.
            (Capability.OFFICE_REVIEWER, Capability.COUNCIL_MEMBER),
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
    reports_created: list[str] = field(default_factory=list)
    awards_created: list[str] = field(default_factory=list)
    consolidated_issued: list[str] = field(default_factory=list)


def load_demo(*, password=DEMO_PASSWORD, awards=False, issued=False):
    """Create or reset the demo units and accounts; return what was created and what was kept.

    With `awards` the awards demo is added too, and with `issued` the consolidated reports the Department
    issued (as `manage.py load_demo` does both); the browser tests of the other areas build their own award
    data and compile their own reports on the plain demo, so neither is added by default.
    """
    summary = DemoSummary(password=password)
    with transaction.atomic():
        units = _load_units(summary=summary)
        _load_accounts(units=units, password=password, summary=summary)
        _load_reports(units=units, summary=summary)
        if awards:
            _load_awards(units=units, summary=summary)
        if issued:
            _load_issued_consolidated(summary=summary)
    return summary


# The consolidated reports the Department issued: a half-year one signed by the Director, an annual one by a
# Deputy Director "KT. GIÁM ĐỐC" — compiled, sent for approval, approved and given the register's next number.
ISSUED_CONSOLIDATED = (("2026-H1", "giamdoc"), ("2025-FY", "phogiamdoc"))


def _load_issued_consolidated(*, summary):
    people = {user.username: user for user in User.objects.filter(username__in=["vanphong", "giamdoc", "phogiamdoc"])}
    office = people["vanphong"]
    for code, signer in ISSUED_CONSOLIDATED:
        period = ReportingPeriod.objects.filter(code=code).first()
        if period is None or ConsolidatedReport.objects.filter(period=period).exists():
            continue
        report = consolidation.consolidation_request(period=period, actor=office)
        report = consolidation.consolidation_compile(report_id=report.pk)
        report = consolidation.consolidation_send_for_approval(report=report, actor=office)
        report = consolidation.consolidation_approve(report=report, actor=people[signer])
        consolidation.consolidation_issue(report=report, actor=office, issued_on=timezone.localdate())
        summary.consolidated_issued.append(period.label)
        # The demo's addresses have no mailboxes: the hand-overs' notifications stay in the portal, never e-mailed.
        Notification.objects.filter(url=report.get_absolute_url(), emailed_at__isnull=True).update(
            emailed_at=timezone.now()
        )


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


# --- Unit reports ------------------------------------------------------------------------------------
# Built through the real report services (start, save, submit, return, accept), so the demo shows what
# people would have produced: trends and pre-fill on the review page, a realistic matrix for the open period.

DISBURSEMENT_CRITERION = "criterion-III.1.1.5"
RECURRENT_SHARE_CRITERION = "criterion-III.1.2.3"

# Units holding public investment projects (the disbursement criterion applies to them) and their annual
# allocation of public investment capital in VND.
INVESTING_UNITS = {
    "KHTC": (
        15_000_000_000,
        "Chủ đầu tư Dự án “Nâng cao năng lực thông tin và thống kê khoa học và công nghệ”.",
    ),
    "TTUD": (8_500_000_000, "Chủ đầu tư dự án đầu tư trang thiết bị phòng thí nghiệm của Trung tâm."),
    "TDC": (4_200_000_000, "Chủ đầu tư dự án nâng cấp phòng thử nghiệm, kiểm định phương tiện đo."),
}

# The open period's mix: the state each unit's report is left in. Units not listed have not started
# (QLCN and TTUD), so the whole loop can be tried from nothing.
OPEN_PERIOD_STATES = {
    "HCTH": UnitReport.Status.DRAFT,
    "KHTC": UnitReport.Status.ACCEPTED,
    "QLKH": UnitReport.Status.SUBMITTED,
    "CDS": UnitReport.Status.RETURNED,
    "TDC": UnitReport.Status.DRAFT,
}

RETURN_REASON = (
    "Đề nghị Phòng bổ sung số liệu cụ thể về chuyển đổi số tại tiêu chí III.1.1.2 (tỷ lệ hồ sơ trực tuyến toàn "
    "trình, số văn bản ký số) và nêu rõ nguyên nhân của các tồn tại, hạn chế."
)
RETURN_CRITERION_COMMENT = "Cần nêu số liệu cụ thể: tỷ lệ hồ sơ xử lý trực tuyến toàn trình, số văn bản ký số."

# A unit that thinks a criterion does not concern it says so, with its reason.
NOT_APPLICABLE = {
    ("HCTH", "criterion-III.1.1.4"): (
        "Phòng không được giao nhiệm vụ hỗ trợ doanh nghiệp đào tạo, phát triển nguồn nhân lực; nhiệm vụ này do "
        "Phòng Quản lý công nghệ và Đổi mới sáng tạo chủ trì."
    ),
}

UNIT_NOUNS = {
    Unit.Kind.OFFICE: "Phòng",
    Unit.Kind.DIVISION: "Phòng",
    Unit.Kind.SUB_DEPARTMENT: "Chi cục",
    Unit.Kind.PUBLIC_SERVICE: "Trung tâm",
}

# What units did per criterion. "{n}", "{m}", "{k}" and "{p}" become numbers that vary by unit, period and criterion.
ACTIVITIES = {
    "criterion-III.1.1.1": (
        "- Tham mưu ban hành {n} văn bản hướng dẫn triển khai cơ chế, chính sách về đầu tư kết cấu hạ tầng KH&CN.",
        "- Góp ý {m} dự thảo quy hoạch, kế hoạch của tỉnh liên quan đến lĩnh vực khoa học và công nghệ.",
        "- Rà soát, đề xuất bãi bỏ {m} văn bản không còn phù hợp với quy định hiện hành.",
        "- Phối hợp theo dõi việc thực hiện Quy hoạch tỉnh trong phạm vi nhiệm vụ được giao.",
    ),
    "criterion-III.1.1.2": (
        "- {p}% văn bản đi được ký số và gửi qua hệ thống quản lý văn bản điều hành.",
        "- Tiếp nhận và xử lý {n}0 hồ sơ trực tuyến trên Hệ thống thông tin giải quyết thủ tục hành chính.",
        "- Cập nhật {m} cơ sở dữ liệu chuyên ngành lên Kho dữ liệu dùng chung của tỉnh.",
        "- Tổ chức {m} lớp tập huấn kỹ năng số cho công chức, viên chức.",
    ),
    "criterion-III.1.1.3": (
        "- Công khai đầy đủ {n} thủ tục hành chính thuộc thẩm quyền trên Cổng dịch vụ công.",
        "- 100% hồ sơ được giải quyết đúng hoặc trước hạn; không có hồ sơ trễ hạn.",
        "- Rà soát, đề xuất đơn giản hóa {m} thủ tục hành chính.",
        "- Tiếp và hướng dẫn {n} lượt doanh nghiệp, nhà đầu tư tìm hiểu thủ tục.",
    ),
    "criterion-III.1.1.4": (
        "- Hướng dẫn {n} doanh nghiệp xây dựng kế hoạch đào tạo nguồn nhân lực quản trị công nghệ.",
        "- Phối hợp tổ chức {m} lớp tập huấn về năng suất, chất lượng và chuyển đổi số cho doanh nghiệp.",
        "- Giới thiệu chuyên gia tư vấn cho {m} doanh nghiệp tham gia Chương trình hỗ trợ đổi mới công nghệ.",
    ),
    "criterion-III.1.1.5": (
        "- Lập và trình giao kế hoạch vốn đầu tư công đúng thời hạn; phân bổ chi tiết cho từng hạng mục.",
        "- Hằng tháng rà soát tiến độ giải ngân, báo cáo Sở và Sở Tài chính.",
        "- Nghiệm thu {m} gói thầu đúng chất lượng, thanh toán kịp thời cho nhà thầu.",
    ),
    "criterion-III.1.2.1": (
        "- Xây dựng và ban hành Chương trình thực hành tiết kiệm, chống lãng phí của đơn vị.",
        "- Quán triệt Luật Thực hành tiết kiệm, chống lãng phí tới {k} công chức, viên chức, người lao động.",
        "- Không phát hiện trường hợp vi phạm quy định về thực hành tiết kiệm, chống lãng phí.",
    ),
    "criterion-III.1.2.2": (
        "- Rà soát {m} định mức kinh tế - kỹ thuật áp dụng cho nhiệm vụ khoa học và công nghệ.",
        "- Công khai định mức, tiêu chuẩn trên Trang thông tin điện tử của Sở.",
        "- Góp ý {m} dự thảo tiêu chuẩn cơ sở, quy chuẩn kỹ thuật địa phương.",
    ),
    "criterion-III.1.2.3": (
        "- Thực hiện khoán văn phòng phẩm, điện thoại, công tác phí theo Quy chế chi tiêu nội bộ.",
        "- Tiết kiệm 10% dự toán chi thường xuyên (không kể tiền lương) để tạo nguồn cải cách tiền lương.",
        "- Cắt giảm hội nghị, tăng họp trực tuyến: {n} cuộc họp tổ chức trực tuyến.",
    ),
    "criterion-III.1.2.4": (
        "- Thẩm định dự toán {n} nhiệm vụ khoa học và công nghệ, cắt giảm kinh phí chưa hợp lý.",
        "- Mua sắm tài sản, trang thiết bị đúng tiêu chuẩn, định mức; qua đấu thầu qua mạng.",
        "- Quản lý, sử dụng xe ô tô công và trụ sở làm việc đúng quy định.",
    ),
    "criterion-III.1.2.5": (
        "- Kiện toàn tổ chức bộ máy, sắp xếp vị trí việc làm theo đề án được phê duyệt.",
        "- Thực hiện {n}0 hợp đồng dịch vụ khoa học và công nghệ, tăng nguồn thu sự nghiệp.",
        "- Triển khai {m} mô hình ứng dụng tiến bộ khoa học và công nghệ tại các huyện.",
    ),
    "criterion-III.1.2.6": (
        "- Cập nhật đầy đủ tài sản công vào Cơ sở dữ liệu quốc gia về tài sản công.",
        "- Kiểm kê tài sản định kỳ; đề xuất thanh lý {m} tài sản hư hỏng theo quy định.",
        "- Sử dụng tài sản công đúng mục đích, tiêu chuẩn, định mức.",
    ),
    "criterion-III.1.2.7": (
        "- Thực hiện cơ chế một cửa, một cửa liên thông tại Trung tâm Phục vụ hành chính công tỉnh.",
        "- Công khai, minh bạch thông tin về ngân sách, tài sản, tuyển dụng theo quy định.",
        "- Tiếp nhận {m} phản ánh, kiến nghị; giải quyết 100% đúng hạn.",
    ),
}
DEFAULT_ACTIVITIES = (
    "- Triển khai đầy đủ các nhiệm vụ của tiêu chí theo kế hoạch của Sở.",
    "- Lồng ghép nội dung thi đua vào nhiệm vụ chuyên môn hằng tháng.",
)

SECTION_TEXTS = {
    ReportSection.Key.HIGHLIGHTS: (
        "- Hoàn thành {p}% nhiệm vụ được giao trong {phrase}.\n"
        "- Thực hiện nghiêm Chương trình thực hành tiết kiệm, chống lãng phí; không có sai phạm.\n"
        "- Đẩy mạnh chuyển đổi số: văn bản điều hành được ký số và gửi nhận trên môi trường mạng."
    ),
    ReportSection.Key.SHORTCOMINGS: (
        "- Một số nhiệm vụ còn chậm so với kế hoạch, nhất là nhiệm vụ phải phối hợp với nhiều đơn vị.\n"
        "- Nguyên nhân: biên chế còn thiếu, một công chức kiêm nhiệm nhiều việc; hạ tầng công nghệ thông tin "
        "chưa đồng bộ."
    ),
    ReportSection.Key.NEXT_STEPS: (
        "- Tiếp tục quán triệt, thực hiện các tiêu chí của Phong trào thi đua.\n"
        "- Đẩy nhanh tiến độ các nhiệm vụ còn chậm; rà soát, cắt giảm các khoản chi chưa cần thiết.\n"
        "- Nâng cao tỷ lệ hồ sơ xử lý trực tuyến toàn trình."
    ),
    ReportSection.Key.PHASE_ASSESSMENT: (
        "Qua {phrase}, {noun} đã triển khai đồng bộ các nội dung của Phong trào thi đua; các tiêu chí cơ bản "
        "hoàn thành, nhiều tiêu chí hoàn thành tốt. Nhận thức của công chức, viên chức về thực hành tiết kiệm, "
        "chống lãng phí có chuyển biến rõ rệt."
    ),
    ReportSection.Key.LESSONS: (
        "- Sự quan tâm, chỉ đạo sát sao của người đứng đầu là yếu tố quyết định.\n"
        "- Gắn phong trào thi đua với nhiệm vụ chuyên môn, có tiêu chí cụ thể, đo đếm được."
    ),
}


# Units' proposals (đề xuất, kiến nghị), each with whom it asks: some to the Department itself (they stay in
# the Director's internal summary), some to the province or to central bodies (section VI of the report to
# UBND tỉnh). Each unit makes three, rotating, so several units make the same point.
PROPOSALS = (
    (
        "Đề nghị Sở quan tâm bổ sung biên chế và đầu tư nâng cấp trang thiết bị công nghệ thông tin cho {noun}.",
        "department",
    ),
    (
        "Đề nghị UBND tỉnh bố trí đủ vốn đầu tư công cho các dự án hạ tầng khoa học và công nghệ đã được phê duyệt.",
        "province",
    ),
    ("Đề nghị Sở Tài chính sớm hướng dẫn định mức chi cho nhiệm vụ chuyển đổi số.", "province"),
    (
        "Đề nghị Bộ Khoa học và Công nghệ sớm ban hành định mức kinh tế - kỹ thuật cho dịch vụ sự nghiệp công "
        "về khoa học và công nghệ.",
        "central",
    ),
    (
        "Đề nghị Sở tổ chức tập huấn nghiệp vụ thực hành tiết kiệm, chống lãng phí cho cán bộ làm công tác kế toán.",
        "department",
    ),
)


def _proposals(noun, unit_index):
    chosen = [PROPOSALS[(unit_index + offset) % len(PROPOSALS)] for offset in range(3)]
    return [{"text": text.format(noun=noun.lower()), "to": to} for text, to in chosen]


@dataclass(frozen=True)
class _ReportActors:
    staff: User
    head: User
    reviewer: User


def _load_reports(*, units, summary):
    """Reports of the demo units: accepted ones for every past period, a mix for the open period.

    Units and periods that already have a report are left alone, so a second run creates nothing.
    """
    periods = _owed_periods()
    if periods is None:
        return  # The plan is not loaded: there are no periods to report on.
    today = timezone.localdate()
    _load_disbursement_rules(units)
    # Past: the due date has gone by (with the plan's dates, exactly the periods that have ended).
    past = [period for period in periods if period.unit_due_date < today]
    open_period = demo_open_period(periods)
    reporting_units = [units[demo_unit.code] for demo_unit in DEMO_UNITS]
    existing = set(
        UnitReport.objects.filter(unit__in=reporting_units, period__in=periods).values_list("unit_id", "period_id")
    )
    actors = _report_actors(reporting_units)
    levels = {level.code: level for level in AssessmentLevel.objects.filter(is_active=True)}
    for period_index, period in enumerate(past):
        accepted = []
        for unit_index, unit in enumerate(reporting_units):
            if (unit.pk, period.pk) in existing or not unit.is_active_on(period.end):
                continue
            report = _start_and_fill(unit, period, actors[unit.code], levels, unit_index, period_index)
            report_services.report_submit(report=report, actor=actors[unit.code].head)
            report_services.report_accept(report=report, actor=actors[unit.code].reviewer)
            accepted.append((report, unit_index))
            summary.reports_created.append(f"{unit.code} {period.code}")
        _backdate(period, accepted)
    if open_period is not None:
        _load_open_period(open_period, reporting_units, existing, actors, levels, len(past), summary)


def _owed_periods():
    """The campaign's periods reported on through the portal that have begun, oldest first; None without a plan."""
    campaign = Campaign.objects.order_by("pk").first()
    if campaign is None:
        return None
    return list(
        ReportingPeriod.objects.owed(campaign)
        .filter(start__lte=timezone.localdate())
        .select_related("campaign", "phase")
        .order_by("end", "start")
    )


def demo_open_period(periods=None):
    """The period the demo leaves open: the begun one whose unit due date is nearest and not yet past."""
    periods = _owed_periods() if periods is None else periods
    today = timezone.localdate()
    return min(
        (period for period in periods or () if period.unit_due_date >= today),
        key=lambda period: period.unit_due_date,
        default=None,
    )


def _load_disbursement_rules(units):
    """The disbursement criterion applies to the units holding investment projects (created once, then the office's)."""
    criterion = Criterion.objects.filter(plan_key=DISBURSEMENT_CRITERION).first()
    if criterion is None:
        return
    for code, (_, note) in INVESTING_UNITS.items():
        CriterionApplicability.objects.get_or_create(
            criterion=criterion, unit=units[code], defaults={"applies": True, "note": note}
        )


def _report_actors(reporting_units):
    """Who drafts (staff), submits (head) and reviews each unit's reports. Nobody reviews their own unit."""
    usernames = ["vanphong", "giamdoc"] + [
        f"{role}.{unit.code.lower()}" for unit in reporting_units for role in ("canbo", "truongphong")
    ]
    people = {user.username: user for user in User.objects.select_related("unit").filter(username__in=usernames)}
    office_reviewer = people["vanphong"]
    leader = people["giamdoc"]  # The office's own report goes to leadership.
    return {
        unit.code: _ReportActors(
            staff=people[f"canbo.{unit.code.lower()}"],
            head=people[f"truongphong.{unit.code.lower()}"],
            reviewer=leader if office_reviewer.unit_id == unit.pk else office_reviewer,
        )
        for unit in reporting_units
    }


def _load_open_period(period, reporting_units, existing, actors, levels, period_index, summary):
    created = []
    for unit_index, unit in enumerate(reporting_units):
        state = OPEN_PERIOD_STATES.get(unit.code)
        if state is None or (unit.pk, period.pk) in existing:
            continue
        people = actors[unit.code]
        if state == UnitReport.Status.DRAFT:
            # Half done: the first criteria rewritten for this period, the rest still as pre-filled.
            report = report_services.report_start(unit=unit, period=period, actor=people.staff)
            _fill(report, people.staff, levels, unit, unit_index, period_index, only_first=2)
        else:
            report = _start_and_fill(unit, period, people, levels, unit_index, period_index)
            report_services.report_submit(report=report, actor=people.head)
            report.refresh_from_db()
            if state == UnitReport.Status.RETURNED:
                commented = report.results.filter(criterion__plan_key="criterion-III.1.1.2").first()
                report_services.report_comment(
                    report=report, actor=people.reviewer, text=RETURN_CRITERION_COMMENT, result=commented
                )
                report_services.report_return(report=report, actor=people.reviewer, reason=RETURN_REASON)
            elif state == UnitReport.Status.ACCEPTED:
                report_services.report_accept(report=report, actor=people.reviewer, comment="Báo cáo đầy đủ, đúng hạn.")
        created.append(report.get_absolute_url())
        summary.reports_created.append(f"{unit.code} {period.code}")
    # The demo's addresses have no mailboxes: these notifications stay unread in the portal, never e-mailed.
    Notification.objects.filter(url__in=created, emailed_at__isnull=True).update(emailed_at=timezone.now())


def _start_and_fill(unit, period, people, levels, unit_index, period_index):
    report = report_services.report_start(unit=unit, period=period, actor=people.staff)
    _fill(report, people.staff, levels, unit, unit_index, period_index)
    return report


def _fill(report, actor, levels, unit, unit_index, period_index, only_first=None):
    """Save every part (or the first criteria only) through the editor's service, as a person would."""
    period = report.period
    noun = UNIT_NOUNS.get(unit.kind, "Đơn vị")
    edits = {}
    criteria_done = 0
    for part in part_objects(report).values():
        if isinstance(part, ReportSection):
            if only_first is not None:
                continue
            if part.key == ReportSection.Key.RECOMMENDATIONS:
                values = {"items": _proposals(noun, unit_index)}
            else:
                values = {"text": _section_text(part.key, period, noun, unit_index)}
        else:
            if only_first is not None and criteria_done >= only_first:
                continue
            criteria_done += 1
            values = _result_values(part, levels, unit, unit_index, period_index)
        edits[_part_key(part)] = {"values": values, "revision": part.revision, "original": None}
    report_services.report_save_parts(report=report, actor=actor, edits=edits)


def _part_key(part):
    return section_part_key(part) if isinstance(part, ReportSection) else criterion_part_key(part)


def _period_phrase(period):
    if period.kind == ReportingPeriod.Kind.HALF_YEAR:
        return period.label
    if period.kind == ReportingPeriod.Kind.ANNUAL:
        return f"năm {period.year}"
    return f"giai đoạn {period.phase.start_year} - {period.phase.end_year}"


def _section_text(key, period, noun, unit_index):
    template = SECTION_TEXTS[key]
    return template.format(phrase=_period_phrase(period), noun=noun.lower(), p=92 + unit_index % 7)


def _result_values(result, levels, unit, unit_index, period_index):
    plan_key = result.criterion.plan_key
    reason = NOT_APPLICABLE.get((unit.code, plan_key))
    if reason is not None:
        return {
            "activities": "",
            "quantities": {},
            "assessment": levels["khong-ap-dung"].pk,
            "not_applicable_reason": reason,
        }
    lines = ACTIVITIES.get(plan_key, DEFAULT_ACTIVITIES)
    # Three of the criterion's lines, rotating by unit and period so reports differ from one another.
    start = (unit_index + period_index) % len(lines)
    chosen = [lines[(start + offset) % len(lines)] for offset in range(min(3, len(lines)))]
    seed = unit_index * 7 + period_index * 3 + result.sort_order * 5
    numbers = {"n": 3 + seed % 9, "m": 2 + seed % 5, "k": 12 + seed % 17, "p": 85 + seed % 15}
    intro = f"Trong {_period_phrase(result.report.period)}, {UNIT_NOUNS.get(unit.kind, 'đơn vị').lower()} đã:"
    activities = "\n".join([intro, *(line.format(**numbers) for line in chosen)])
    level = "hoan-thanh" if (unit_index + period_index + result.sort_order) % 6 == 0 else "hoan-thanh-tot"
    return {
        "activities": activities,
        "quantities": _quantities(plan_key, result.report.period, unit, unit_index),
        "assessment": levels[level].pk,
        "not_applicable_reason": "",
    }


def _period_step(period):
    """Half-years since the start of 2025 (2025-H1 → 0, 2025-FY → 1, …); a phase review counts as its middle."""
    if period.kind == ReportingPeriod.Kind.PHASE_REVIEW:
        return -3
    return (period.end.year - 2025) * 2 + (0 if period.end.month <= 6 else 1)


def _period_share_of_year(period):
    """How much of a year's money a period covers."""
    if period.kind == ReportingPeriod.Kind.HALF_YEAR:
        return Decimal("0.46")
    if period.kind == ReportingPeriod.Kind.PHASE_REVIEW:
        return Decimal(period.phase.end_year - period.phase.start_year + 1) * Decimal("0.92")
    return Decimal(1)


def _million(amount):
    return str(int(Decimal(amount).quantize(Decimal(1)) // 1_000_000 * 1_000_000))


def _quantities(plan_key, period, unit, unit_index):
    step = _period_step(period)
    if plan_key == RECURRENT_SHARE_CRITERION:
        # Recurrent spending falls as a share of the budget, about 1.5 points every half-year.
        annual_total = Decimal(3_200_000_000 + unit_index * 650_000_000) * (Decimal("1.05") ** max(step // 2, 0))
        total = annual_total * _period_share_of_year(period)
        share = Decimal(78 - unit_index * 2) - Decimal("1.5") * step
        return {"recurrent": _million(total * share / 100), "total": _million(total)}
    if plan_key == DISBURSEMENT_CRITERION and unit.code in INVESTING_UNITS:
        annual_plan = Decimal(INVESTING_UNITS[unit.code][0])
        if period.kind == ReportingPeriod.Kind.HALF_YEAR:
            # By mid-year the whole year's allocation is planned and a little under half of it disbursed.
            planned, rate = annual_plan, Decimal("0.41") + Decimal("0.035") * step
        elif period.kind == ReportingPeriod.Kind.ANNUAL:
            planned, rate = annual_plan, Decimal("0.935") + Decimal("0.012") * step
        else:
            planned, rate = annual_plan * _period_share_of_year(period), Decimal("0.91")
        rate = min(rate - Decimal(unit_index % 3) / 100, Decimal(1))
        return {"planned": _million(planned), "disbursed": _million(planned * rate)}
    return {}


def _local(day, hour, minute=0):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour, minute)))


def _backdate(period, accepted):
    """Demo back-dating only: the services stamp every step with the current time.

    A past period's reports were, in the demo's story, drafted weeks before the due date, submitted a few
    days before it (so not late) and accepted shortly after. Real reports never have their times rewritten.
    """
    for report, unit_index in accepted:
        drafted = _local(period.unit_due_date - datetime.timedelta(days=20 + unit_index), 8, 30)
        submitted = _local(period.unit_due_date - datetime.timedelta(days=1 + unit_index % 5), 9 + unit_index % 7, 15)
        reviewed = _local(period.unit_due_date + datetime.timedelta(days=3 + unit_index % 3), 14, 0)
        UnitReport.objects.filter(pk=report.pk).update(
            created_at=drafted,
            updated_at=reviewed,
            submitted_at=submitted,
            is_late=False,
            review_opened_at=reviewed,
            accepted_at=reviewed,
        )
        transitions = ReportTransition.objects.filter(report=report)
        transitions.filter(action=ReportTransition.Action.CREATE).update(at=drafted)
        transitions.filter(action=ReportTransition.Action.SUBMIT).update(at=submitted)
        # The acceptance opened the review, a moment before it.
        transitions.filter(action=ReportTransition.Action.OPEN_REVIEW).update(at=reviewed)
        transitions.filter(action=ReportTransition.Action.ACCEPT).update(at=reviewed)
        report.results.update(updated_at=submitted - datetime.timedelta(days=1))
        report.sections.update(updated_at=submitted - datetime.timedelta(days=1))
        # Long read, and never e-mailed: the demo's addresses have no mailboxes.
        Notification.objects.filter(url=report.get_absolute_url()).update(
            created_at=reviewed, read_at=reviewed, emailed_at=reviewed
        )


# --- Awards ------------------------------------------------------------------------------------------
# Built through the awards services as the office, the units, the council and leadership would have done:
# the council; an imported history in the award register (2022–2024); last year's round, finished, with its
# issued decision and a proposal to UBND tỉnh answered; this year's round, open with its notice window
# running, with nominations in every state, a closed meeting (paper tally, rendered minutes) and a planned one.

AWARD_REGISTER_FILE = "so-theo-doi-khen-thuong-2022-2024.xlsx"


def _blank_a4_pdf():
    """A one-page blank A4 PDF: what the demo's dossiers attach (the upload check parses every PDF)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


DEMO_PDF = _blank_a4_pdf()
UBND = "Ủy ban nhân dân tỉnh Quảng Ngãi"

# The council: (username, role, title in the council).
DEMO_COUNCIL = (
    ("giamdoc", CouncilRole.CHAIR, "Giám đốc Sở"),
    ("phogiamdoc", CouncilRole.VICE_CHAIR, "Phó Giám đốc Sở"),
    ("truongphong.hcth", CouncilRole.MEMBER, "Trưởng phòng Hành chính - Tổng hợp, Ủy viên thường trực"),
    ("truongphong.khtc", CouncilRole.MEMBER, "Trưởng phòng Kế hoạch - Tài chính"),
    ("truongphong.qlkh", CouncilRole.MEMBER, "Trưởng phòng Quản lý khoa học"),
    ("vanphong", CouncilRole.SECRETARY, "Chuyên viên Phòng Hành chính - Tổng hợp"),
)

# The register's history before the portal: (year, form, kind, name, position, unit code, number, date).
REGISTER_HISTORY = (
    (2022, "Lao động tiên tiến", "Cá nhân", "Lê Thị Thanh Tâm", "Chuyên viên", "QLKH", "12/QĐ-SKHCN", "18/01/2023"),
    (2022, "Lao động tiên tiến", "Cá nhân", "Phan Văn Đức", "Chuyên viên", "KHTC", "12/QĐ-SKHCN", "18/01/2023"),
    (2022, "Lao động tiên tiến", "Cá nhân", "Mai Thị Thu Trang", "Chuyên viên", "TDC", "12/QĐ-SKHCN", "18/01/2023"),
    (2022, "Tập thể lao động tiên tiến", "Tập thể", "Phòng Quản lý khoa học", "", "QLKH", "13/QĐ-SKHCN", "18/01/2023"),
    (2023, "Lao động tiên tiến", "Cá nhân", "Lê Thị Thanh Tâm", "Chuyên viên", "QLKH", "09/QĐ-SKHCN", "16/01/2024"),
    (2023, "Lao động tiên tiến", "Cá nhân", "Nguyễn Hoàng Long", "Chuyên viên", "QLCN", "09/QĐ-SKHCN", "16/01/2024"),
    (2023, "Lao động tiên tiến", "Cá nhân", "Trương Thị Ngọc Hân", "Chuyên viên", "TTUD", "09/QĐ-SKHCN", "16/01/2024"),
    (2023, "Lao động tiên tiến", "Cá nhân", "Hồ Thị Phương Thảo", "Trưởng phòng", "KHTC", "09/QĐ-SKHCN", "16/01/2024"),
    (
        2023,
        "Chiến sĩ thi đua cơ sở",
        "Cá nhân",
        "Hồ Thị Phương Thảo",
        "Trưởng phòng",
        "KHTC",
        "10/QĐ-SKHCN",
        "16/01/2024",
    ),
    (
        2023,
        "Tập thể lao động tiên tiến",
        "Tập thể",
        "Phòng Kế hoạch - Tài chính",
        "",
        "KHTC",
        "11/QĐ-SKHCN",
        "16/01/2024",
    ),
    (2024, "Lao động tiên tiến", "Cá nhân", "Lê Thị Thanh Tâm", "Chuyên viên", "QLKH", "08/QĐ-SKHCN", "20/01/2025"),
    (2024, "Lao động tiên tiến", "Cá nhân", "Phan Văn Đức", "Chuyên viên", "KHTC", "08/QĐ-SKHCN", "20/01/2025"),
    (2024, "Lao động tiên tiến", "Cá nhân", "Đinh Thị Bích Ngọc", "Chuyên viên", "CDS", "08/QĐ-SKHCN", "20/01/2025"),
    (2024, "Lao động tiên tiến", "Cá nhân", "Võ Văn Hùng", "Chi cục trưởng", "TDC", "08/QĐ-SKHCN", "20/01/2025"),
    (2024, "Chiến sĩ thi đua cơ sở", "Cá nhân", "Lê Thị Thanh Tâm", "Chuyên viên", "QLKH", "09/QĐ-SKHCN", "20/01/2025"),
    (
        2024,
        "Tập thể lao động tiên tiến",
        "Tập thể",
        "Chi cục Tiêu chuẩn Đo lường Chất lượng",
        "",
        "TDC",
        "10/QĐ-SKHCN",
        "20/01/2025",
    ),
    (
        2024,
        "Giấy khen của Giám đốc Sở Khoa học và Công nghệ",
        "Cá nhân",
        "Đặng Minh Tuấn",
        "Trưởng phòng",
        "QLCN",
        "11/QĐ-SKHCN",
        "20/01/2025",
    ),
)

ACHIEVEMENTS = {
    "situation": "{noun} có {n} công chức, viên chức; được giao tham mưu các nhiệm vụ chuyên môn của Sở.",
    "achievements": (
        "Hoàn thành xuất sắc các nhiệm vụ được giao trong năm {year}; thực hiện tốt các tiêu chí của Phong trào "
        "thi đua “Cán bộ, công chức, viên chức thi đua thực hiện văn hóa công sở”, không có sai phạm."
    ),
    "measures": "Chủ động xây dựng kế hoạch công tác, ứng dụng công nghệ thông tin và ký số trong xử lý công việc.",
    "effects": "Các giải pháp được áp dụng tại đơn vị, rút ngắn thời gian xử lý hồ sơ.",
}


@dataclass
class _AwardActors:
    office: User
    director: User
    deputy: User
    staff: dict
    heads: dict


def _load_awards(*, units, summary):
    """The council, the register's history, last year's finished round and this year's open one (once)."""

    campaign = Campaign.objects.order_by("pk").first()
    if campaign is None or not AwardForm.objects.exists():
        return  # The plan is not loaded: no catalogue to nominate for.
    if AwardRound.objects.exists():
        return  # Rounds exist (a previous run, or the office's own): the demo adds none.
    first_notification = Notification.objects.order_by("-pk").values_list("pk", flat=True).first() or 0
    people = {user.username: user for user in User.objects.select_related("unit").filter(username__in=_usernames())}
    actors = _AwardActors(
        office=people["vanphong"],
        director=people["giamdoc"],
        deputy=people["phogiamdoc"],
        staff={code: people[f"canbo.{code.lower()}"] for code in UNIT_PEOPLE},
        heads={code: people[f"truongphong.{code.lower()}"] for code in UNIT_PEOPLE},
    )
    forms = {form.code: form for form in AwardForm.objects.all()}
    _load_council(people, actors)
    _load_register_history(actors, summary)
    _load_record(units)
    _load_last_year(campaign, forms, units, actors, summary)
    _load_this_year(campaign, forms, units, actors, summary)
    # The demo's addresses have no mailboxes: its notifications stay in the portal, never e-mailed.
    Notification.objects.filter(pk__gt=first_notification, emailed_at__isnull=True).update(emailed_at=timezone.now())


# What the office entered in the people's records for the two rounds' years (hồ sơ thành tích), which the award rules
# read: every demo person "Hoàn thành tốt nhiệm vụ" each year, and the initiatives of those nominated for Chiến sĩ thi
# đua cơ sở (recognised at the Department's level). Lê Thị Thanh Tâm's is of base scope only, and her Chiến sĩ thi đua
# cơ sở runs 2024–2025: her Chiến sĩ thi đua cấp tỉnh (three in a row and a provincial initiative) is refused.
DEMO_INITIATIVES = (
    ("QLKH", "Lê Thị Thanh Tâm", 1, "Số hóa quy trình thẩm định nhiệm vụ khoa học và công nghệ cấp cơ sở"),
    ("KHTC", "Hồ Thị Phương Thảo", 0, "Quy trình theo dõi giải ngân vốn đầu tư công theo tuần"),
)


def _load_record(units):
    """The record rows the office entered for last year and this year (classifications, initiatives)."""
    this_year = timezone.localdate().year
    people = list(Person.objects.filter(unit__in=units.values(), is_active=True))
    ClassificationRecord.objects.bulk_create(
        ClassificationRecord(person=person, year=year, classification="good", decided_by="Giám đốc Sở")
        for person in people
        for year in (this_year - 1, this_year)
    )
    for code, name, years_ago, title in DEMO_INITIATIVES:
        year = this_year - years_ago
        Initiative.objects.create(
            person=_person(units[code], name),
            title=title,
            year=year,
            recognised_by="Hội đồng sáng kiến Sở Khoa học và Công nghệ",
            scope=InitiativeScope.BASE,
            decision_number=f"{15 + years_ago}/QĐ-SKHCN",
            decision_date=datetime.date(year, 11, 20),
        )


@contextmanager
def _rules_of(form, *, active):
    """The demo's past only: the form's award rules as they stood before they were corrected."""
    rules = list(AwardRule.objects.filter(form=form, is_active=not active).values_list("pk", flat=True))
    AwardRule.objects.filter(pk__in=rules).update(is_active=active)
    try:
        yield
    finally:
        AwardRule.objects.filter(pk__in=rules).update(is_active=not active)


def _usernames():
    return [account.username for account in DEMO_ACCOUNTS]


def _load_council(people, actors):

    for username, role, title in DEMO_COUNCIL:
        council.council_member_add(user=people[username], role=role, title_in_council=title, actor=actors.office)


def _register_workbook():

    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "So khen thuong"
    sheet.append(register.TEMPLATE_HEADER)
    names = {demo_unit.code: demo_unit.name for demo_unit in DEMO_UNITS}
    for year, form, kind, name, position, code, number, day in REGISTER_HISTORY:
        authority = "Giám đốc Sở Khoa học và Công nghệ"
        sheet.append([year, form, kind, name, position, names[code], number, day, authority])
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _load_register_history(actors, summary):

    upload = SimpleUploadedFile(
        AWARD_REGISTER_FILE,
        _register_workbook(),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
    result = register.register_import(upload=upload, actor=actors.office)
    summary.awards_created.append(f"Sổ khen thưởng: nhập {result.register_import.rows_created} khen thưởng 2022–2024")


def _person(unit, name):
    return Person.objects.filter(unit=unit, full_name=name, is_active=True).first()


def _nominate(award_round, form, unit, actors, *, name=None, position="", ready=True, send=True):
    """A nomination drafted by the unit's staff member (the unit itself, or a person), completed and sent."""

    staff = actors.staff[unit.code]
    if name is None:
        nomination = nominations.nomination_create(
            award_round=award_round, form=form, unit=unit, actor=staff, collective=True
        )
    else:
        person = _person(unit, name)
        nomination = nominations.nomination_create(
            award_round=award_round,
            form=form,
            unit=unit,
            actor=staff,
            person=person,
            new_person_name="" if person else name,
            new_person_position=position,
        )
    if not ready:
        return nomination
    noun = UNIT_NOUNS.get(unit.kind, "Đơn vị")
    achievement = {
        key: text.format(noun=noun, n=6 + len(unit.code), year=award_round.year) for key, text in ACHIEVEMENTS.items()
    }
    nomination = nominations.nomination_save(
        nomination=nomination, actor=staff, achievement=achievement, evidence_reports=[], revision=nomination.revision
    )
    for part in form.dossier_parts or []:
        if part.get("required"):
            upload = SimpleUploadedFile(f"{part['label']}.pdf", DEMO_PDF, content_type="application/pdf")
            nominations.dossier_add(nomination=nomination, actor=staff, part=part["code"], upload=upload)
    if send:
        nomination = nominations.nomination_submit(nomination=nomination, actor=actors.heads[unit.code])
    return nomination


def _open_round(campaign, forms, actors, *, year, title, deadline, notice, periods, codes):

    award_round = rounds.round_create(
        actor=actors.office,
        campaign=campaign,
        kind="annual",
        title=title,
        year=year,
        deadline=deadline,
        offers={forms[code]: None for code in codes},
        periods=periods,
        notice_starts_on=notice[0],
        notice_ends_on=notice[1],
    )
    return rounds.round_open(award_round=award_round, actor=actors.office)


def _hold_meeting(award_round, agenda, actors, *, title, when, votes=None):
    """Convene, record everyone present, enter the paper tally, close, and render the minutes.

    In the demo's story the meeting took place at `when`, in the past, and the portal convenes no meeting for a
    time already past: it is convened for the next hour, held and closed now, then back-dated to `when` before
    its minutes are made (demo back-dating only, as for the reports).
    """

    votes = votes or {}
    meeting = council.meeting_create(
        award_round=award_round,
        title=title,
        scheduled_at=timezone.localtime().replace(second=0, microsecond=0) + datetime.timedelta(hours=1),
        place="Phòng họp tầng 3, Sở Khoa học và Công nghệ",
        voting="paper",
        actor=actors.office,
    )
    council.agenda_add(meeting=meeting, nominations=agenda, actor=actors.office)
    present = list(meeting.members.values_list("user_id", flat=True))
    council.meeting_record_attendance(meeting=meeting, present_user_ids=present, actor=actors.office)
    attending = set(present)
    counts = {}
    for item in meeting.agenda.select_related("nomination__person"):
        person = item.nomination.person
        voters = len(attending) - (1 if person and person.user_id in attending else 0)
        agree = votes.get(item.nomination_id, voters)
        counts[item.pk] = {"agree": agree, "disagree": voters - agree}
    council.tally_enter(meeting=meeting, counts=counts, actor=actors.office)
    council.meeting_close(
        meeting=meeting,
        actor=actors.office,
        notes="Các thành viên Hội đồng thống nhất với kết quả kiểm phiếu; đề nghị Văn phòng hoàn thiện hồ sơ.",
    )
    _backdate_meeting(meeting, when)
    meeting.refresh_from_db()
    minutes = council.minutes_request(meeting=meeting, actor=actors.office)
    # Signed by the chair and the secretary on the day, then given its number (BB) in the register; rendered once.
    minutes = outcomes.document_issue(
        document=minutes, actor=actors.office, issued_on=timezone.localdate(when), signer=actors.director
    )
    return meeting


def _backdate_meeting(meeting, when):
    """Demo back-dating only: the meeting as the story has it — convened a week before `when`, held from `when`
    for two hours — and the members' notice naming that time. Real meetings never have their times rewritten."""
    convened, ended = when - datetime.timedelta(days=7), when + datetime.timedelta(hours=2)
    old_time = timezone.localtime(meeting.scheduled_at).strftime("%H:%M ngày %d/%m/%Y")
    new_time = timezone.localtime(when).strftime("%H:%M ngày %d/%m/%Y")
    for notice in Notification.objects.filter(url=meeting.get_absolute_url(), message__startswith="Triệu tập"):
        notice.message = notice.message.replace(old_time, new_time)
        notice.created_at = convened
        notice.save(update_fields=["message", "created_at"])
    CouncilMeeting.objects.filter(pk=meeting.pk).update(
        scheduled_at=when, started_at=None, ended_at=ended, created_at=convened
    )
    for transition in MeetingTransition.objects.filter(meeting=meeting):
        transition.at = {"convene": convened, "close": ended}.get(transition.action, when)
        # Held now, it began before the hour it was convened for; in the story it began on time.
        transition.comment = transition.comment.split(" Cuộc họp bắt đầu lúc")[0]
        transition.save(update_fields=["at", "comment"])


def _approve(ones, actors):
    return outcomes.nominations_decide(ids=[one.pk for one in ones], actor=actors.director, approve=True)


def _decide_and_issue(award_round, actors, *, issued_on, signer):
    """The round's decisions (the annual titles apart from the campaign's awards), issued; the render job makes
    their files (and the certificates) once the demo is committed, as for every document."""
    issued = []
    for draft in outcomes.decisions_create(award_round=award_round, actor=actors.office):
        decision = outcomes.document_issue(document=draft, actor=actors.office, issued_on=issued_on, signer=signer)
        issued.append(decision)
    return issued


def _propose_and_send(award_round, actors, *, issued_on, sent_on):

    (proposal,) = outcomes.proposal_create(award_round=award_round, actor=actors.office)
    proposal = outcomes.document_issue(
        document=proposal, actor=actors.office, issued_on=issued_on, signer=actors.director
    )
    return outcomes.document_mark_sent(
        document=proposal, actor=actors.office, sent_on=sent_on, channel="Hệ thống quản lý văn bản và điều hành"
    )


LAST_YEAR_LAO_DONG = (
    ("QLKH", "Lê Thị Thanh Tâm"),
    ("QLKH", "Bùi Văn Khánh"),
    ("KHTC", "Phan Văn Đức"),
    ("TTUD", "Trương Thị Ngọc Hân"),
    ("CDS", "Đinh Thị Bích Ngọc"),
    ("QLCN", "Đặng Minh Tuấn"),
    ("QLCN", "Nguyễn Hoàng Long"),
)


def _load_last_year(campaign, forms, units, actors, summary):
    """Last year's round: nominated, voted on, approved, decided (QĐ) and proposed upward (TTr), answered; finished."""
    today = timezone.localdate()
    year = today.year - 1
    periods = ReportingPeriod.objects.owed(campaign).filter(year=year, kind=ReportingPeriod.Kind.ANNUAL)
    award_round = _open_round(
        campaign,
        forms,
        actors,
        year=year,
        title=f"Xét khen thưởng năm {year}",
        deadline=today + datetime.timedelta(days=1),
        notice=(None, None),
        periods=list(periods),
        codes=(
            "lao-dong-tien-tien",
            "chien-si-thi-dua-co-so",
            "tap-the-lao-dong-tien-tien",
            "bang-khen-chu-tich-ubnd-tinh",
        ),
    )
    lao_dong, co_so = forms["lao-dong-tien-tien"], forms["chien-si-thi-dua-co-so"]
    # Seven Lao động tiên tiến (15% of them leaves one place of Chiến sĩ thi đua cơ sở), QLCN's two among them for
    # its collective; then the Chiến sĩ thi đua cơ sở and the collectives, whose rules read their members' titles.
    sent = [_nominate(award_round, lao_dong, units[code], actors, name=name) for code, name in LAST_YEAR_LAO_DONG]
    sent += [
        _nominate(award_round, co_so, units["QLKH"], actors, name="Lê Thị Thanh Tâm"),
        _nominate(award_round, forms["tap-the-lao-dong-tien-tien"], units["QLCN"], actors),
        _nominate(award_round, forms["bang-khen-chu-tich-ubnd-tinh"], units["TDC"], actors),
    ]
    rounds.round_close(award_round=award_round, actor=actors.office)
    # The council met on 12 January; loaded early in January, the story moves back so that no document is dated
    # after today and each follows the meeting (and comes before this year's numbers in the register).
    met = min(datetime.date(today.year, 1, 12), today - datetime.timedelta(days=14))
    _hold_meeting(
        award_round,
        sent,
        actors,
        title=f"Phiên họp Hội đồng Thi đua - Khen thưởng xét khen thưởng năm {year}",
        when=_local(met, 14),
    )
    _approve(sent, actors)
    decisions = _decide_and_issue(
        award_round, actors, issued_on=met + datetime.timedelta(days=8), signer=actors.director
    )
    proposal = _propose_and_send(
        award_round,
        actors,
        issued_on=met + datetime.timedelta(days=10),
        sent_on=met + datetime.timedelta(days=11),
    )
    (forwarded,) = proposal.proposed_nominations.all()
    outcomes.higher_result_record(
        document=proposal,
        actor=actors.office,
        decision_number="215/QĐ-UBND",
        decision_date=min(datetime.date(today.year, 3, 10), today - datetime.timedelta(days=1)),
        results={forwarded.pk: outcomes.RESULT_CONFERRED},
    )
    rounds.round_finish(award_round=award_round, actor=actors.office)
    # Demo back-dating only, as for the reports: the units' deadline was in December of that year.
    AwardRound.objects.filter(pk=award_round.pk).update(deadline=datetime.date(year, 12, 15))
    summary.awards_created.append(
        f"{award_round.title}: {len(sent)} đề nghị, {', '.join(map(str, decisions))}, {proposal} "
        f"(đã có kết quả của {UBND})"
    )


def _load_this_year(campaign, forms, units, actors, summary):
    """This year's round, open, its notice window running: a nomination in every state."""

    today = timezone.localdate()
    year = today.year
    # The office asks for the half-year reports every unit has had accepted (the annual one is still open).
    periods = ReportingPeriod.objects.owed(campaign).filter(year=year, kind=ReportingPeriod.Kind.HALF_YEAR)
    award_round = _open_round(
        campaign,
        forms,
        actors,
        year=year,
        title=f"Xét khen thưởng năm {year}",
        deadline=today + datetime.timedelta(days=18),
        notice=(today - datetime.timedelta(days=3), today + datetime.timedelta(days=12)),
        periods=list(periods),
        codes=(
            "lao-dong-tien-tien",
            "chien-si-thi-dua-co-so",
            "tap-the-lao-dong-tien-tien",
            "tap-the-lao-dong-xuat-sac",
            "chien-si-thi-dua-cap-tinh",
            "co-thi-dua-ubnd-tinh",
            "bang-khen-chu-tich-ubnd-tinh",
            "giay-khen-giam-doc-so",
        ),
    )
    lao_dong, giay_khen = forms["lao-dong-tien-tien"], forms["giay-khen-giam-doc-so"]
    xuat_sac, cap_tinh = forms["tap-the-lao-dong-xuat-sac"], forms["chien-si-thi-dua-cap-tinh"]
    co_so, co_thi_dua = forms["chien-si-thi-dua-co-so"], forms["co-thi-dua-ubnd-tinh"]
    # Drafted, not sent; sent; returned by the office.
    _nominate(award_round, lao_dong, units["CDS"], actors, name="Đinh Thị Bích Ngọc", send=False)
    _nominate(award_round, lao_dong, units["QLCN"], actors, name="Nguyễn Hoàng Long")
    _nominate(award_round, lao_dong, units["HCTH"], actors, name="Nguyễn Thị Kim Oanh")
    _nominate(award_round, lao_dong, units["HCTH"], actors, name="Huỳnh Văn Tài")
    returned = _nominate(award_round, lao_dong, units["CDS"], actors, name="Lương Thành Nam")
    nominations.nomination_return(
        nomination=returned,
        actor=actors.office,
        reason="Biên bản bình xét chưa có chữ ký của Trưởng phòng; đề nghị bổ sung bản đã ký.",
    )
    # Voted on at the first meeting.
    recommended = _nominate(award_round, lao_dong, units["TTUD"], actors, name="Trương Thị Ngọc Hân")
    not_recommended = _nominate(award_round, giay_khen, units["QLCN"], actors, name="Đặng Minh Tuấn")
    approved = _nominate(award_round, lao_dong, units["KHTC"], actors, name="Phan Văn Đức")
    rejected = _nominate(award_round, giay_khen, units["TDC"], actors, name="Võ Văn Hùng")
    conferred = [
        _nominate(award_round, lao_dong, units["KHTC"], actors, name="Hồ Thị Phương Thảo"),
        _nominate(award_round, lao_dong, units["QLKH"], actors, name="Bùi Văn Khánh"),
        # Eight Lao động tiên tiến sent so far: 15% of them leaves one place of Chiến sĩ thi đua cơ sở.
        _nominate(award_round, co_so, units["KHTC"], actors, name="Hồ Thị Phương Thảo"),
    ]
    answered = [
        _nominate(award_round, xuat_sac, units["KHTC"], actors),
        _nominate(award_round, co_thi_dua, units["TTUD"], actors),
    ]
    forwarded = _nominate(
        award_round, forms["bang-khen-chu-tich-ubnd-tinh"], units["QLKH"], actors, name="Lê Thị Thanh Tâm"
    )
    # Chiến sĩ thi đua cấp tỉnh asks for Chiến sĩ thi đua cơ sở three times in a row up to this year and a provincial
    # initiative: her record holds 2024 and last year's, and a base-scope initiative. Her unit sent it before the
    # rules were corrected (the portal then held the prerequisite as "in any year"): it is on its way, and the office's
    # list of nominations the rules now fail shows it, with the articles.
    with _rules_of(cap_tinh, active=False):
        _nominate(award_round, cap_tinh, units["QLKH"], actors, name="Lê Thị Thanh Tâm")
    first = [recommended, not_recommended, approved, rejected, *conferred, *answered, forwarded]
    _hold_meeting(
        award_round,
        first,
        actors,
        title=f"Phiên họp thứ nhất của Hội đồng Thi đua - Khen thưởng xét khen thưởng năm {year}",
        when=_local(today - datetime.timedelta(days=4), 8, 30),
        votes={not_recommended.pk: 2},
    )
    # Leadership: the Department's titles decided (QĐ), the province's proposed upward (TTr).
    _approve(conferred, actors)
    _decide_and_issue(award_round, actors, issued_on=today - datetime.timedelta(days=2), signer=actors.deputy)
    _approve(answered, actors)
    proposal = _propose_and_send(
        award_round, actors, issued_on=today - datetime.timedelta(days=2), sent_on=today - datetime.timedelta(days=2)
    )
    outcomes.higher_result_record(
        document=proposal,
        actor=actors.office,
        decision_number="1842/QĐ-UBND",
        decision_date=today - datetime.timedelta(days=1),
        results={answered[0].pk: outcomes.RESULT_CONFERRED, answered[1].pk: outcomes.RESULT_REFUSED},
    )
    _approve([forwarded], actors)
    _propose_and_send(award_round, actors, issued_on=today, sent_on=today)
    _approve([approved], actors)
    outcomes.nominations_decide(
        ids=[rejected.pk],
        actor=actors.director,
        approve=False,
        reason="Thành tích chưa nổi bật so với các cá nhân khác; đề nghị xét lại vào năm sau.",
    )
    # Waiting for the second meeting, convened for next week.
    on_agenda = [
        _nominate(award_round, lao_dong, units["TDC"], actors, name="Mai Thị Thu Trang"),
        _nominate(award_round, lao_dong, units["QLKH"], actors, name="Lê Thị Thanh Tâm"),
        _nominate(award_round, forms["tap-the-lao-dong-tien-tien"], units["QLKH"], actors),
    ]
    meeting = council.meeting_create(
        award_round=award_round,
        title=f"Phiên họp thứ hai của Hội đồng Thi đua - Khen thưởng xét khen thưởng năm {year}",
        scheduled_at=_local(today + datetime.timedelta(days=7), 14),
        place="Phòng họp tầng 3, Sở Khoa học và Công nghệ",
        voting="paper",
        actor=actors.office,
    )
    council.agenda_add(meeting=meeting, nominations=on_agenda, actor=actors.office)
    summary.awards_created.append(
        f"{award_round.title}: {award_round.nominations.count()} đề nghị ở mọi trạng thái, 2 phiên họp Hội đồng"
    )
