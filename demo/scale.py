"""Synthetic data at scale for the benchmarks: a Department (or a province) of N units with accepted reports.

`python manage.py seed_scale --units N [--periods CODE,...]` calls `seed_scale()`. It loads the plan
first (`load_plan`, idempotent), then creates:

- N units SCALE0001 … SCALEnnnn under the Department, marked `is_sample`; every fifth one holds public
  investment projects, so the disbursement criterion applies to it (a CriterionApplicability rule);
- one head per unit (`truongphong.scale0001`, …) and one office account `scale.vanphong`, all with an
  unusable password: nobody can sign in with them, they only stand as the actors of the reports;
- for every period of the campaign since the portal's start that has begun (or the periods given), an
  accepted report per unit: every applicable criterion with a few paragraphs of Vietnamese text and its
  indicator quantities (a few are marked not applicable, with the reason), every overall section of the
  period, and the create / submit / accept transitions with the content as it stood.

Seeding is not a user flow, so it bypasses the report services (report_start, report_save_parts,
report_submit, report_accept): those lock, validate, snapshot and notify one report at a time, which
for 1,000 units × 5 periods takes many minutes. Here UnitReport, CriterionResult, ReportSection and
ReportTransition rows are written directly with `bulk_create`, a batch of units at a time, shaped as the
services leave an accepted report (same fields, same snapshot layout). Nothing sends notifications.

Idempotent per unit: units are matched on their code, and a (unit, period) that already has a report is
left alone, so a second run creates nothing and a run with a larger N only adds the missing units.
The text is generated from a fixed seed per unit and period, so two databases seeded alike hold the same
text. The command refuses to run with DEBUG off unless forced (`--force`): it fills the database with
fictitious units.
"""

import datetime
import random
from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.hashers import make_password
from django.db import transaction
from django.utils import timezone

from campaign.models import AssessmentLevel, Campaign, Criterion, CriterionApplicability, ReportingPeriod
from campaign.plan_loader import load_plan
from reports.models import CriterionResult, ReportSection, ReportTransition, UnitReport
from reports.parts import criterion_part_key, section_part_key, section_text
from reports.services.editing import section_keys_for
from units.models import Unit, User

SCALE_PREFIX = "SCALE"
REVIEWER_USERNAME = "scale.vanphong"
DISBURSEMENT_CRITERION = "criterion-III.1.1.5"
RECURRENT_SHARE_CRITERION = "criterion-III.1.2.3"
INVESTING_EVERY = 5  # every fifth synthetic unit holds public investment projects
NOT_APPLICABLE_PER_THOUSAND = 15  # results a unit declares not applicable (with the reason)
BATCH_UNITS = 200  # units written per round of bulk inserts

Status = UnitReport.Status
Action = ReportTransition.Action


@dataclass
class ScaleSummary:
    units_created: int = 0
    units_existing: int = 0
    reports_created: int = 0
    reports_existing: int = 0
    results_created: int = 0
    sections_created: int = 0
    transitions_created: int = 0
    periods: list = field(default_factory=list)

    def describe(self):
        return (
            f"Đơn vị: tạo {self.units_created}, đã có {self.units_existing}. "
            f"Báo cáo: tạo {self.reports_created}, đã có {self.reports_existing} "
            f"({self.results_created} kết quả theo tiêu chí, {self.sections_created} phần báo cáo, "
            f"{self.transitions_created} bước lịch sử) — kỳ {', '.join(self.periods) or 'không có'}."
        )


def scale_unit_code(index):
    return f"{SCALE_PREFIX}{index:04d}"


# --- Names ------------------------------------------------------------------------------------------------

UNIT_STEMS = (
    (Unit.Kind.DIVISION, "Phòng Quản lý khoa học"),
    (Unit.Kind.DIVISION, "Phòng Quản lý công nghệ và Đổi mới sáng tạo"),
    (Unit.Kind.DIVISION, "Phòng Kế hoạch - Tài chính"),
    (Unit.Kind.DIVISION, "Phòng Chuyển đổi số"),
    (Unit.Kind.DIVISION, "Phòng Bưu chính, Viễn thông"),
    (Unit.Kind.SUB_DEPARTMENT, "Chi cục Tiêu chuẩn Đo lường Chất lượng"),
    (Unit.Kind.PUBLIC_SERVICE, "Trung tâm Ứng dụng tiến bộ khoa học và công nghệ"),
    (Unit.Kind.PUBLIC_SERVICE, "Trung tâm Kỹ thuật Tiêu chuẩn Đo lường Chất lượng"),
    (Unit.Kind.PUBLIC_SERVICE, "Trung tâm Thông tin và Thống kê khoa học và công nghệ"),
    (Unit.Kind.PUBLIC_SERVICE, "Trung tâm Chuyển đổi số"),
)
UNIT_NOUNS = {
    Unit.Kind.DIVISION: "Phòng",
    Unit.Kind.OFFICE: "Phòng",
    Unit.Kind.SUB_DEPARTMENT: "Chi cục",
    Unit.Kind.PUBLIC_SERVICE: "Trung tâm",
}
HEAD_TITLES = {
    Unit.Kind.DIVISION: "Trưởng phòng",
    Unit.Kind.SUB_DEPARTMENT: "Chi cục trưởng",
    Unit.Kind.PUBLIC_SERVICE: "Giám đốc Trung tâm",
}
SURNAMES = ("Nguyễn", "Trần", "Lê", "Phạm", "Huỳnh", "Võ", "Phan", "Đặng", "Bùi", "Đỗ", "Hồ", "Ngô", "Dương", "Lý")
MIDDLE_NAMES = ("Văn", "Thị", "Minh", "Thanh", "Quốc", "Ngọc", "Hữu", "Thị Kim", "Đức", "Hoàng")
GIVEN_NAMES = ("An", "Bình", "Châu", "Dũng", "Giang", "Hà", "Hải", "Hạnh", "Hùng", "Khoa", "Lan", "Long", "Mai")
GIVEN_NAMES += ("Nam", "Nga", "Phúc", "Quân", "Sơn", "Tâm", "Thảo", "Trang", "Trung", "Tuấn", "Uyên", "Vinh", "Yến")


def _unit_name(index):
    kind, stem = UNIT_STEMS[(index - 1) % len(UNIT_STEMS)]
    return kind, f"{stem} khu vực {index}"


def _person_name(index):
    return " ".join(
        (
            SURNAMES[index % len(SURNAMES)],
            MIDDLE_NAMES[(index // 3) % len(MIDDLE_NAMES)],
            GIVEN_NAMES[(index * 7) % len(GIVEN_NAMES)],
        )
    )


# --- Text -------------------------------------------------------------------------------------------------
# "{noun}" is the unit's noun (phòng, chi cục, trung tâm), "{phrase}" the period ("năm 2025"); "{n}", "{m}",
# "{k}" and "{p}" become numbers that vary by unit, period and criterion.

OPENINGS = (
    "Trong {phrase}, {noun} đã quán triệt và triển khai nghiêm túc nội dung tiêu chí này đến toàn thể công chức, "
    "viên chức, người lao động; phân công lãnh đạo phụ trách, xác định rõ tiến độ và sản phẩm của từng nhiệm vụ.",
    "Bám sát Kế hoạch tổ chức thực hiện Phong trào thi đua của Sở, {noun} đã xây dựng kế hoạch triển khai cụ thể, "
    "lồng ghép nội dung tiêu chí vào chương trình công tác trong {phrase} và theo dõi, đôn đốc thực hiện hằng tháng.",
    "Ngay từ đầu kỳ, {noun} đã rà soát nhiệm vụ được giao, đăng ký chỉ tiêu thi đua và tổ chức quán triệt đến từng "
    "công chức, viên chức; kết quả thực hiện được kiểm điểm tại các cuộc họp giao ban định kỳ.",
    "Thực hiện chỉ đạo của lãnh đạo Sở, trong {phrase} {noun} đã chủ động phối hợp với các phòng, đơn vị liên quan "
    "triển khai các nội dung của tiêu chí, gắn với nhiệm vụ chuyên môn được giao.",
)
CLOSINGS = (
    "Nhìn chung, các nhiệm vụ của tiêu chí cơ bản hoàn thành đúng tiến độ, bảo đảm chất lượng; tuy nhiên một số việc "
    "phải phối hợp với nhiều cơ quan còn chậm, {noun} sẽ tiếp tục đôn đốc trong kỳ tới.",
    "Kết quả trên góp phần thực hiện thắng lợi nhiệm vụ chính trị của Sở; những khó khăn, vướng mắc phát sinh đã "
    "được báo cáo lãnh đạo Sở để có hướng chỉ đạo kịp thời.",
    "Qua thực hiện, nhận thức và trách nhiệm của công chức, viên chức được nâng lên rõ rệt; không có trường hợp vi "
    "phạm phải xem xét, xử lý kỷ luật.",
    "Khó khăn chủ yếu là biên chế còn mỏng, một số công chức phải kiêm nhiệm nhiều việc, kinh phí bố trí cho nhiệm "
    "vụ còn hạn chế; {noun} đã đề xuất giải pháp khắc phục trong kế hoạch năm sau.",
)
ACTIVITIES = {
    "criterion-III.1.1.1": (
        "Tham mưu ban hành {n} văn bản hướng dẫn triển khai cơ chế, chính sách về đầu tư kết cấu hạ tầng khoa học "
        "và công nghệ, bảo đảm đúng thẩm quyền, trình tự, thủ tục.",
        "Góp ý {m} dự thảo quy hoạch, kế hoạch của tỉnh liên quan đến lĩnh vực khoa học và công nghệ, trong đó đề "
        "xuất bổ sung các dự án hạ tầng thông tin, phòng thí nghiệm dùng chung.",
        "Rà soát hệ thống văn bản quy phạm pháp luật thuộc lĩnh vực quản lý, đề xuất bãi bỏ {m} văn bản không còn "
        "phù hợp với quy định hiện hành.",
        "Phối hợp theo dõi, đánh giá việc thực hiện Quy hoạch tỉnh thời kỳ 2021 - 2030 trong phạm vi nhiệm vụ được "
        "giao; tổng hợp, báo cáo định kỳ đúng thời hạn.",
        "Tổ chức {m} hội nghị phổ biến cơ chế, chính sách hỗ trợ đầu tư cho doanh nghiệp và tổ chức khoa học và "
        "công nghệ trên địa bàn với {k}0 đại biểu tham dự.",
    ),
    "criterion-III.1.1.2": (
        "Tỷ lệ văn bản đi được ký số và gửi, nhận qua Hệ thống quản lý văn bản và điều hành đạt {p}%; hồ sơ công "
        "việc được lập và lưu trữ điện tử theo quy định.",
        "Tiếp nhận và xử lý {n}0 hồ sơ trực tuyến trên Hệ thống thông tin giải quyết thủ tục hành chính của tỉnh, "
        "trong đó {p}% hồ sơ được xử lý trực tuyến toàn trình.",
        "Cập nhật {m} cơ sở dữ liệu chuyên ngành lên Kho dữ liệu dùng chung của tỉnh, bảo đảm dữ liệu đúng, đủ, "
        "sạch, sống và được chia sẻ cho các cơ quan có nhu cầu khai thác.",
        "Tổ chức {m} lớp tập huấn kỹ năng số, an toàn thông tin cho {k} lượt công chức, viên chức, người lao động.",
        "Hỗ trợ {n} doanh nghiệp nhỏ và vừa tiếp cận nền tảng số, đưa sản phẩm lên sàn thương mại điện tử và ứng "
        "dụng công nghệ số trong quản trị sản xuất, kinh doanh.",
    ),
    "criterion-III.1.1.3": (
        "Công khai đầy đủ {n} thủ tục hành chính thuộc thẩm quyền giải quyết trên Cổng dịch vụ công quốc gia và "
        "tại Trung tâm Phục vụ hành chính công tỉnh.",
        "100% hồ sơ thủ tục hành chính được giải quyết đúng hoặc trước hạn, không có hồ sơ trễ hạn, không để xảy "
        "ra phản ánh, kiến nghị về thái độ phục vụ.",
        "Rà soát, đề xuất đơn giản hóa {m} thủ tục hành chính, cắt giảm thời gian giải quyết bình quân {k}% so với "
        "quy định.",
        "Tiếp và hướng dẫn {n} lượt doanh nghiệp, nhà đầu tư tìm hiểu thủ tục, cơ chế ưu đãi đầu tư trong lĩnh vực "
        "khoa học và công nghệ.",
    ),
    "criterion-III.1.1.4": (
        "Hướng dẫn {n} doanh nghiệp xây dựng kế hoạch đào tạo nguồn nhân lực quản trị công nghệ, quản trị đổi mới "
        "sáng tạo.",
        "Phối hợp tổ chức {m} lớp tập huấn về năng suất, chất lượng và chuyển đổi số cho {k} lượt cán bộ quản lý, "
        "kỹ thuật của doanh nghiệp.",
        "Giới thiệu chuyên gia tư vấn cho {m} doanh nghiệp tham gia Chương trình hỗ trợ đổi mới công nghệ và nâng "
        "cao năng suất, chất lượng sản phẩm, hàng hóa.",
        "Phối hợp với các cơ sở giáo dục nghề nghiệp khảo sát nhu cầu nhân lực kỹ thuật của {n} doanh nghiệp để đề "
        "xuất nội dung đào tạo phù hợp.",
    ),
    DISBURSEMENT_CRITERION: (
        "Lập và trình giao kế hoạch vốn đầu tư công đúng thời hạn; phân bổ chi tiết cho từng dự án, hạng mục ngay "
        "sau khi được giao vốn.",
        "Hằng tháng rà soát tiến độ giải ngân của từng gói thầu, báo cáo lãnh đạo Sở và Sở Tài chính; kịp thời đề "
        "xuất điều chuyển vốn từ dự án chậm giải ngân sang dự án có khối lượng.",
        "Nghiệm thu {m} gói thầu đúng chất lượng, thanh toán kịp thời cho nhà thầu; không để phát sinh nợ đọng xây "
        "dựng cơ bản.",
        "Thành lập tổ công tác đôn đốc giải ngân do lãnh đạo đơn vị làm tổ trưởng, xử lý dứt điểm {m} vướng mắc về "
        "hồ sơ thanh toán.",
    ),
    "criterion-III.1.2.1": (
        "Xây dựng và ban hành Chương trình thực hành tiết kiệm, chống lãng phí của đơn vị, giao chỉ tiêu tiết kiệm "
        "cụ thể cho từng bộ phận.",
        "Quán triệt Luật Thực hành tiết kiệm, chống lãng phí và các văn bản hướng dẫn tới {k} công chức, viên chức, "
        "người lao động.",
        "Không phát hiện trường hợp vi phạm quy định về thực hành tiết kiệm, chống lãng phí; kết quả được công khai "
        "tại hội nghị cán bộ, công chức, viên chức.",
        "Tự kiểm tra việc thực hành tiết kiệm, chống lãng phí tại {m} bộ phận, kịp thời chấn chỉnh các thiếu sót "
        "về sử dụng điện, nước, văn phòng phẩm.",
    ),
    "criterion-III.1.2.2": (
        "Rà soát {m} định mức kinh tế - kỹ thuật áp dụng cho nhiệm vụ khoa học và công nghệ, đề xuất sửa đổi cho phù "
        "hợp với giá cả thị trường.",
        "Công khai định mức, tiêu chuẩn trên Trang thông tin điện tử của Sở để tổ chức, cá nhân biết và giám sát.",
        "Góp ý {m} dự thảo tiêu chuẩn cơ sở, quy chuẩn kỹ thuật địa phương; hướng dẫn {n} tổ chức áp dụng tiêu "
        "chuẩn quốc gia.",
    ),
    RECURRENT_SHARE_CRITERION: (
        "Thực hiện khoán văn phòng phẩm, điện thoại, công tác phí theo Quy chế chi tiêu nội bộ; chi đúng định mức, "
        "có chứng từ hợp lệ.",
        "Tiết kiệm 10% dự toán chi thường xuyên (không kể tiền lương và các khoản có tính chất lương) để tạo nguồn "
        "cải cách tiền lương.",
        "Cắt giảm hội nghị, tăng họp trực tuyến: {n} cuộc họp được tổ chức trực tuyến, tiết kiệm khoảng {k}0 triệu "
        "đồng chi phí đi lại, hội trường.",
        "Rà soát, sắp xếp lại các khoản chi, ưu tiên kinh phí cho nhiệm vụ chuyên môn trọng tâm; tỷ trọng chi "
        "thường xuyên trong tổng chi tiếp tục giảm so với cùng kỳ.",
    ),
    "criterion-III.1.2.4": (
        "Thẩm định dự toán {n} nhiệm vụ khoa học và công nghệ, cắt giảm các nội dung chi chưa hợp lý với tổng số "
        "tiền khoảng {k}0 triệu đồng.",
        "Mua sắm tài sản, trang thiết bị đúng tiêu chuẩn, định mức; {p}% gói thầu được tổ chức đấu thầu qua mạng.",
        "Quản lý, sử dụng xe ô tô công, trụ sở làm việc đúng quy định; không sử dụng tài sản công vào mục đích cá "
        "nhân.",
        "Đổi mới phương thức giao nhiệm vụ theo hướng đặt hàng, lấy doanh nghiệp làm trung tâm; {m} nhiệm vụ có "
        "doanh nghiệp đối ứng kinh phí.",
    ),
    "criterion-III.1.2.5": (
        "Kiện toàn tổ chức bộ máy, sắp xếp vị trí việc làm theo đề án được phê duyệt, tinh gọn đầu mối bên trong.",
        "Thực hiện {n}0 hợp đồng dịch vụ khoa học và công nghệ, tăng nguồn thu sự nghiệp so với cùng kỳ.",
        "Triển khai {m} mô hình ứng dụng tiến bộ khoa học và công nghệ tại các xã, phường, được người dân đón nhận.",
    ),
    "criterion-III.1.2.6": (
        "Cập nhật đầy đủ tài sản công vào Cơ sở dữ liệu quốc gia về tài sản công; kiểm kê tài sản định kỳ theo quy "
        "định.",
        "Đề xuất thanh lý {m} tài sản hư hỏng, không còn nhu cầu sử dụng theo đúng trình tự, thủ tục.",
        "Sử dụng tài sản công đúng mục đích, tiêu chuẩn, định mức; công khai tình hình quản lý, sử dụng tài sản "
        "công theo quy định.",
        "Thực hiện các dự án đầu tư công đúng trình tự của Luật Đầu tư công, không để phát sinh dự án khởi công mới "
        "khi chưa bố trí đủ vốn.",
    ),
    "criterion-III.1.2.7": (
        "Thực hiện cơ chế một cửa, một cửa liên thông tại Trung tâm Phục vụ hành chính công tỉnh; niêm yết công khai "
        "quy trình, thời hạn giải quyết.",
        "Công khai, minh bạch thông tin về ngân sách, tài sản, tuyển dụng, thi đua, khen thưởng trên Trang thông tin "
        "điện tử của Sở.",
        "Tiếp nhận {m} phản ánh, kiến nghị của tổ chức, cá nhân; giải quyết 100% đúng hạn, trả lời bằng văn bản.",
        "Rà soát, chuẩn hóa {n} quy trình nội bộ giải quyết thủ tục hành chính theo hướng điện tử hóa.",
    ),
}
DEFAULT_ACTIVITIES = (
    "Triển khai đầy đủ các nhiệm vụ của tiêu chí theo kế hoạch của Sở, bảo đảm tiến độ và chất lượng.",
    "Lồng ghép nội dung thi đua vào nhiệm vụ chuyên môn hằng tháng, kiểm điểm kết quả tại cuộc họp giao ban.",
    "Phối hợp với các phòng, đơn vị thuộc Sở thực hiện {m} nhiệm vụ liên quan đến tiêu chí.",
)
NOT_APPLICABLE_REASON = (
    "{noun} không được giao nhiệm vụ thuộc tiêu chí này trong kỳ; nhiệm vụ do đơn vị khác của Sở chủ trì thực hiện."
)
SECTION_SENTENCES = {
    ReportSection.Key.HIGHLIGHTS: (
        "Hoàn thành {p}% nhiệm vụ được giao trong {phrase}, nhiều nhiệm vụ hoàn thành trước thời hạn.",
        "Thực hiện nghiêm Chương trình thực hành tiết kiệm, chống lãng phí; không có sai phạm phải xử lý.",
        "Đẩy mạnh chuyển đổi số: văn bản điều hành được ký số và gửi, nhận trên môi trường mạng; {p}% hồ sơ xử lý "
        "trực tuyến.",
        "Phong trào thi đua được triển khai sâu rộng, thu hút sự tham gia tích cực của công chức, viên chức.",
    ),
    ReportSection.Key.SHORTCOMINGS: (
        "Một số nhiệm vụ còn chậm so với kế hoạch, nhất là nhiệm vụ phải phối hợp với nhiều cơ quan, đơn vị.",
        "Nguyên nhân: biên chế còn thiếu, một công chức kiêm nhiệm nhiều việc; hạ tầng công nghệ thông tin chưa "
        "đồng bộ.",
        "Công tác tổng hợp, báo cáo có lúc chưa kịp thời; số liệu của một số chỉ tiêu còn phải chỉnh sửa nhiều lần.",
    ),
    ReportSection.Key.NEXT_STEPS: (
        "Tiếp tục quán triệt, thực hiện các tiêu chí của Phong trào thi đua gắn với nhiệm vụ chuyên môn.",
        "Đẩy nhanh tiến độ các nhiệm vụ còn chậm; rà soát, cắt giảm các khoản chi chưa thật sự cần thiết.",
        "Nâng cao tỷ lệ hồ sơ xử lý trực tuyến toàn trình, số hóa hồ sơ, kết quả giải quyết thủ tục hành chính.",
    ),
    ReportSection.Key.PHASE_ASSESSMENT: (
        "Qua {phrase}, {noun} đã triển khai đồng bộ các nội dung của Phong trào thi đua; các tiêu chí cơ bản hoàn "
        "thành, nhiều tiêu chí hoàn thành tốt.",
        "Nhận thức của công chức, viên chức về thực hành tiết kiệm, chống lãng phí có chuyển biến rõ rệt; hạ tầng "
        "khoa học và công nghệ từng bước được đầu tư đồng bộ.",
    ),
    ReportSection.Key.LESSONS: (
        "Sự quan tâm, chỉ đạo sát sao của người đứng đầu là yếu tố quyết định.",
        "Gắn phong trào thi đua với nhiệm vụ chuyên môn, có tiêu chí cụ thể, đo đếm được.",
        "Kịp thời sơ kết, biểu dương, khen thưởng để động viên tập thể, cá nhân có thành tích.",
    ),
}


def _period_phrase(period):
    if period.kind == ReportingPeriod.Kind.HALF_YEAR:
        return period.label[:1].lower() + period.label[1:]
    if period.kind == ReportingPeriod.Kind.ANNUAL:
        return f"năm {period.year}"
    return f"giai đoạn {period.start.year} - {period.end.year}"


def _numbers(rng):
    return {"n": rng.randint(3, 12), "m": rng.randint(2, 7), "k": rng.randint(12, 48), "p": rng.randint(85, 99)}


def _activities(rng, plan_key, words):
    bank = ACTIVITIES.get(plan_key, DEFAULT_ACTIVITIES)
    chosen = rng.sample(bank, min(len(bank), rng.randint(3, 4)))
    first = rng.choice(OPENINGS) + " " + chosen[0]
    paragraphs = [first, " ".join(chosen[1:])]
    if rng.random() < 0.7:
        paragraphs.append(rng.choice(CLOSINGS))
    return "\n".join(paragraph.format(**words, **_numbers(rng)) for paragraph in paragraphs)


# Proposals with whom each asks (reports.models.Addressee).
PROPOSALS = (
    (
        "Đề nghị Sở quan tâm bổ sung biên chế và đầu tư nâng cấp trang thiết bị công nghệ thông tin cho {noun}.",
        "department",
    ),
    ("Đề nghị Sở Tài chính sớm hướng dẫn định mức chi cho nhiệm vụ chuyển đổi số.", "province"),
    ("Đề nghị UBND tỉnh bố trí đủ vốn cho các dự án hạ tầng khoa học và công nghệ đã được phê duyệt.", "province"),
    (
        "Đề nghị Bộ Khoa học và Công nghệ sớm ban hành định mức kinh tế - kỹ thuật cho dịch vụ sự nghiệp công.",
        "central",
    ),
)


def _proposal_items(rng, words):
    return [{"text": text.format(**words), "to": to} for text, to in rng.sample(PROPOSALS, rng.randint(1, 3))]


def _section_text(rng, key, words):
    sentences = SECTION_SENTENCES[key]
    chosen = rng.sample(sentences, min(len(sentences), rng.randint(2, 3)))
    return "\n".join("- " + sentence.format(**words, **_numbers(rng)) for sentence in chosen)


def _million(amount):
    return str(int(amount) // 1_000_000 * 1_000_000)


def _quantities(rng, plan_key, period):
    share_of_year = {
        ReportingPeriod.Kind.HALF_YEAR: Decimal("0.46"),
        ReportingPeriod.Kind.ANNUAL: Decimal(1),
    }.get(period.kind, Decimal(period.end.year - period.start.year + 1) * Decimal("0.92"))
    if plan_key == RECURRENT_SHARE_CRITERION:
        total = Decimal(rng.randint(2_500, 12_000)) * 1_000_000 * share_of_year
        share = Decimal(rng.randint(5500, 8000)) / 10_000
        return {"recurrent": _million(total * share), "total": _million(total)}
    if plan_key == DISBURSEMENT_CRITERION:
        planned = Decimal(rng.randint(2_000, 20_000)) * 1_000_000
        if period.kind == ReportingPeriod.Kind.PHASE_REVIEW:
            planned *= share_of_year
        low, high = {ReportingPeriod.Kind.HALF_YEAR: (35, 60), ReportingPeriod.Kind.ANNUAL: (85, 100)}.get(
            period.kind, (88, 98)
        )
        rate = Decimal(rng.randint(low * 10, high * 10)) / 1000
        return {"planned": _million(planned), "disbursed": _million(planned * rate)}
    return {}


# --- Seeding ----------------------------------------------------------------------------------------------


def seed_scale(*, units, period_codes=None):
    """Seed N synthetic units with accepted reports; returns a ScaleSummary. See the module docstring."""
    if units < 1:
        raise ValueError("units must be at least 1")
    load_plan()
    campaign = Campaign.objects.select_related("issuing_unit").order_by("pk").first()
    periods = _periods(campaign, period_codes)
    summary = ScaleSummary(periods=[period.code for period in periods])
    with transaction.atomic():
        scale_units = _ensure_units(campaign, units, summary)
        heads = _ensure_heads(scale_units)
        reviewer = _ensure_reviewer()
        _ensure_investment_rules(scale_units)
    criteria = list(Criterion.objects.active().select_related("group").order_by("group__sort_order", "number"))
    rules = {
        (rule.criterion_id, rule.unit_id): rule.applies
        for rule in CriterionApplicability.objects.filter(unit__code__startswith=SCALE_PREFIX)
    }
    levels = {level.code: level for level in AssessmentLevel.objects.filter(is_active=True)}
    for period in periods:
        existing = set(UnitReport.objects.filter(period=period, unit__in=scale_units).values_list("unit_id", flat=True))
        missing = [unit for unit in scale_units if unit.pk not in existing]
        summary.reports_existing += len(scale_units) - len(missing)
        for start in range(0, len(missing), BATCH_UNITS):
            batch = missing[start : start + BATCH_UNITS]
            with transaction.atomic():
                _seed_batch(period, batch, heads, reviewer, criteria, rules, levels, summary)
    return summary


def _periods(campaign, period_codes):
    if period_codes:
        found = {period.code: period for period in ReportingPeriod.objects.filter(code__in=period_codes)}
        unknown = [code for code in period_codes if code not in found]
        if unknown:
            raise ValueError(f"Không có kỳ báo cáo: {', '.join(unknown)}")
        return [found[code] for code in period_codes]
    # Begun, and reported on this year or before: not a phase review whose review year is still ahead.
    today = timezone.localdate()
    return list(
        ReportingPeriod.objects.owed(campaign).filter(start__lte=today, year__lte=today.year).order_by("end", "start")
    )


def _ensure_units(campaign, count, summary):
    department = campaign.issuing_unit or Unit.objects.filter(parent__isnull=True).order_by("pk").first()
    codes = [scale_unit_code(index) for index in range(1, count + 1)]
    existing = {unit.code: unit for unit in Unit.objects.filter(code__in=codes)}
    new = []
    for index, code in enumerate(codes, start=1):
        if code in existing:
            continue
        kind, name = _unit_name(index)
        new.append(
            Unit(
                code=code,
                name=name,
                abbreviation=code,
                kind=kind,
                parent=department,
                is_sample=True,
                sort_order=1000 + index,
            )
        )
    Unit.objects.bulk_create(new, batch_size=500)
    summary.units_created = len(new)
    summary.units_existing = len(existing)
    return list(Unit.objects.filter(code__in=codes).order_by("sort_order"))


def _ensure_heads(scale_units):
    """{unit id: head}; created once with an unusable password (no one signs in with them)."""
    usernames = {f"truongphong.{unit.code.lower()}": unit for unit in scale_units}
    existing = set(User.objects.filter(username__in=usernames).values_list("username", flat=True))
    new = []
    for username, unit in usernames.items():
        if username in existing:
            continue
        index = int(unit.code[len(SCALE_PREFIX) :])
        new.append(
            User(
                username=username,
                full_name=_person_name(index),
                unit=unit,
                position=User.Position.HEAD,
                position_title=HEAD_TITLES.get(unit.kind, "Trưởng đơn vị"),
                password=make_password(None),
            )
        )
    User.objects.bulk_create(new, batch_size=500)
    return {user.unit_id: user for user in User.objects.filter(username__in=usernames)}


def _ensure_reviewer():
    office = Unit.objects.filter(kind=Unit.Kind.OFFICE).order_by("sort_order", "pk").first()
    user, _ = User.objects.get_or_create(
        username=REVIEWER_USERNAME,
        defaults={
            "full_name": "Văn phòng (dữ liệu thử tải)",
            "unit": office,
            "position": User.Position.STAFF,
            "position_title": "Chuyên viên",
            "password": make_password(None),
        },
    )
    return user


def _ensure_investment_rules(scale_units):
    criterion = Criterion.objects.filter(plan_key=DISBURSEMENT_CRITERION).first()
    if criterion is None:
        return
    investing = [unit for unit in scale_units if int(unit.code[len(SCALE_PREFIX) :]) % INVESTING_EVERY == 0]
    existing = set(
        CriterionApplicability.objects.filter(criterion=criterion, unit__in=investing).values_list("unit_id", flat=True)
    )
    CriterionApplicability.objects.bulk_create(
        [
            CriterionApplicability(
                criterion=criterion, unit=unit, applies=True, note="Chủ đầu tư dự án đầu tư công (dữ liệu thử tải)."
            )
            for unit in investing
            if unit.pk not in existing
        ],
        batch_size=500,
    )


def _applies(criterion, unit, rules):
    rule = rules.get((criterion.pk, unit.pk))
    return criterion.applies_to_all_units if rule is None else rule


def _times(period):
    """Drafted, submitted and accepted times: before the due date, never in the future."""
    now = timezone.now()

    def at(day, hour):
        moment = timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))
        return min(moment, now)

    due = period.unit_due_date
    drafted = at(due - datetime.timedelta(days=20), 8)
    submitted = at(due - datetime.timedelta(days=2), 9)
    accepted = at(due + datetime.timedelta(days=3), 14)
    if accepted <= submitted:  # a period still running: all three squeezed into the last hours
        drafted, submitted = now - datetime.timedelta(hours=3), now - datetime.timedelta(hours=2)
    return drafted, submitted, accepted


def _seed_batch(period, batch, heads, reviewer, criteria, rules, levels, summary):
    drafted, submitted, accepted = _times(period)
    section_keys = section_keys_for(period)
    phrase = _period_phrase(period)
    reports = UnitReport.objects.bulk_create(
        [
            UnitReport(
                unit=unit,
                period=period,
                status=Status.ACCEPTED,
                unit_name=unit.name,
                submission_count=1,
                submitted_at=submitted,
                submitted_by=heads[unit.pk],
                is_late=False,
                accepted_at=accepted,
                created_by=heads[unit.pk],
            )
            for unit in batch
        ],
        batch_size=500,
    )
    # auto_now_add / auto_now stamp the insert time: put the story's times back in one statement.
    UnitReport.objects.filter(pk__in=[report.pk for report in reports]).update(created_at=drafted, updated_at=accepted)
    results, sections, transitions = [], [], []
    for unit, report in zip(batch, reports, strict=True):
        head = heads[unit.pk]
        rng = random.Random(f"{unit.code}:{period.code}")  # noqa: S311 -- synthetic text, not security
        words = {"phrase": phrase, "noun": UNIT_NOUNS.get(unit.kind, "đơn vị").lower()}
        snapshot_results, empty_results = [], []
        applicable = [criterion for criterion in criteria if _applies(criterion, unit, rules)]
        for order, criterion in enumerate(applicable, start=1):
            not_applicable = rng.randrange(1000) < NOT_APPLICABLE_PER_THOUSAND
            if not_applicable:
                level = levels["khong-ap-dung"]
                activities, quantities = "", {}
                reason = NOT_APPLICABLE_REASON.format(noun=UNIT_NOUNS.get(unit.kind, "Đơn vị"))
            else:
                level = levels["hoan-thanh" if rng.random() < 0.2 else "hoan-thanh-tot"]
                activities = _activities(rng, criterion.plan_key, words)
                quantities = _quantities(rng, criterion.plan_key, period)
                reason = ""
            results.append(
                CriterionResult(
                    report=report,
                    criterion=criterion,
                    criterion_code=criterion.code,
                    criterion_text=criterion.text,
                    sort_order=order,
                    activities=activities,
                    quantities=quantities,
                    assessment=level,
                    not_applicable_reason=reason,
                    revision=1,
                    updated_by=head,
                    updated_at=submitted - datetime.timedelta(days=1),
                )
            )
            key = criterion_part_key(results[-1])
            common = {"key": key, "code": criterion.code, "criterion": criterion.text, "evidence": []}
            snapshot_results.append(
                {
                    **common,
                    "activities": activities,
                    "quantities": quantities,
                    "assessment": level.label,
                    "not_applicable_reason": reason,
                }
            )
            empty_results.append(
                {**common, "activities": "", "quantities": {}, "assessment": "", "not_applicable_reason": ""}
            )
        snapshot_sections, empty_sections = [], []
        for key in section_keys:
            proposals = key == ReportSection.Key.RECOMMENDATIONS
            section = ReportSection(
                report=report,
                key=key,
                text="" if proposals else _section_text(rng, key, words),
                items=_proposal_items(rng, words) if proposals else [],
                revision=1,
                updated_by=head,
                updated_at=submitted - datetime.timedelta(days=1),
            )
            sections.append(section)
            title = ReportSection.Key(key).label
            snapshot_sections.append({"key": section_part_key(section), "title": title, "text": section_text(section)})
            empty_sections.append({"key": section_part_key(section), "title": title, "text": ""})

        def snapshot(status, results_, sections_, report=report):
            return {
                "unit": report.unit_name,
                "period": period.code,
                "status": status,
                "results": results_,
                "sections": sections_,
            }

        transitions += [
            ReportTransition(
                report=report,
                action=Action.CREATE,
                to_status=Status.DRAFT,
                actor=head,
                at=drafted,
                snapshot=snapshot(Status.DRAFT, empty_results, empty_sections),
            ),
            ReportTransition(
                report=report,
                action=Action.SUBMIT,
                from_status=Status.DRAFT,
                to_status=Status.SUBMITTED,
                actor=head,
                at=submitted,
                snapshot=snapshot(Status.SUBMITTED, snapshot_results, snapshot_sections),
                submission_number=1,
            ),
            ReportTransition(
                report=report,
                action=Action.ACCEPT,
                from_status=Status.SUBMITTED,
                to_status=Status.ACCEPTED,
                actor=reviewer,
                at=accepted,
                snapshot=snapshot(Status.ACCEPTED, snapshot_results, snapshot_sections),
                submission_number=1,
            ),
        ]
    CriterionResult.objects.bulk_create(results, batch_size=500)
    ReportSection.objects.bulk_create(sections, batch_size=500)
    ReportTransition.objects.bulk_create(transitions, batch_size=500)
    summary.reports_created += len(reports)
    summary.results_created += len(results)
    summary.sections_created += len(sections)
    summary.transitions_created += len(transitions)
