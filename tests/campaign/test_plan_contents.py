"""What `load_plan` puts in the database, checked against the plan's own words (typo “chuyên đổi số” fixed)."""

import datetime
from decimal import Decimal

import pytest
from django.core.management import call_command

from awards.models import AwardForm, AwardPrerequisite, AwardRule
from campaign.models import (
    AssessmentLevel,
    Campaign,
    CitedDocument,
    ContentArea,
    Criterion,
    CriterionApplicability,
    CriterionGroup,
    Indicator,
    Phase,
    ReportingPeriod,
)
from campaign.plan_loader import load_plan
from tests.plan_data import unload_plan
from tests.shared_data import built_once
from units.models import Unit

INFRASTRUCTURE_CRITERIA = [
    "Thực hiện đồng bộ các giải pháp nâng cao chất lượng công tác quy hoạch và quản lý thực hiện quy hoạch phục vụ "
    "phát triển kinh tế - xã hội. Triển khai thực hiện các cơ chế, chính sách, nâng cao hiệu lực, hiệu quả quản lý "
    "Nhà nước về đầu tư kết cấu hạ tầng để huy động và sử dụng hợp lý, hiệu quả các nguồn lực phát triển kết cấu hạ "
    "tầng, tạo sự đột phá trong mục tiêu phát triển kinh tế - xã hội.",
    "Đẩy mạnh triển khai chuyển đổi số để xây dựng chính quyền số; phát triển kinh tế số và thúc đẩy hoạt động sản "
    "xuất kinh doanh theo hướng nhanh và bền vững dựa trên KH&CN, đổi mới sáng tạo và nhân lực chất lượng cao; nâng "
    "cao chất lượng cuộc sống và phúc lợi của người dân.",
    "Đẩy mạnh cải cách thủ tục hành chính, đảm bảo thông thoáng, thuận lợi khắc phục phiền hà và giảm chi phí cho các "
    "nhà đầu tư để thu hút các nhà đầu tư trong và ngoài nước đầu tư vào tỉnh, trong đó có kết cấu hạ tầng. Thực hiện "
    "công khai, minh bạch thông tin.",
    "Hỗ trợ, hướng dẫn doanh nghiệp tổ chức đào tạo, phát triển nguồn nhân lực nhằm đáp ứng yêu cầu phát triển của "
    "doanh nghiệp, chuyển đổi số và hội nhập quốc tế trong thời kỳ mới.",
    "Phấn đấu giải ngân 100% kế hoạch vốn đầu tư công được giao hàng năm gắn với bảo đảm chất lượng công trình và "
    "hiệu quả sử dụng vốn.",
]

THRIFT_CRITERIA = [
    "Thực hiện nghiêm quy định của pháp luật về thực hành tiết kiệm, chống lãng phí. Xây dựng chương trình thực hành "
    "tiết kiệm chống lãng phí hàng năm và giai đoạn.",
    "Ban hành và công khai, cụ thể hóa định mức kinh tế kỹ thuật, tiêu chuẩn thuộc lĩnh vực KH&CN kịp thời, phù hợp "
    "với tình hình thực tiễn, tiến bộ khoa học công nghệ, đảm bảo tiết kiệm, chống lãng phí.",
    "Giảm dần tỷ trọng chi thường xuyên trong tổng chi ngân sách nhà nước theo quy định.",
    "Đổi mới mạnh mẽ cơ chế quản lý ngân sách nhà nước về khoa học, đảm bảo tiết kiệm, hiệu quả, đề cao tinh thần tự "
    "lực, tự cường, xác định rõ trọng tâm, trọng điểm nghiên cứu, hướng tới phục vụ sản xuất kinh doanh, lấy doanh "
    "nghiệp làm trọng tâm thúc đẩy đổi mới sáng tạo. Sử dụng hiệu quả kinh phí nhà nước: trong mua sắm, sử dụng "
    "phương tiện đi lại và thiết bị làm việc của cơ quan, tổ chức; trong công tác quản lý, sử dụng trụ sở làm việc, "
    "nhà công vụ, tài sản công.",
    "Đổi mới hệ thống tổ chức và quản lý, nâng cao chất lượng hiệu quả hoạt động của Trung tâm Ứng dụng và Dịch vụ "
    "khoa học công nghệ.",
    "Thực hiện hiệu quả Luật Đầu tư công, đảm bảo quản lý, sử dụng tài sản công đúng mục đích, tiêu chuẩn, định mức "
    "theo chế độ quy định.",
    "Đẩy mạnh cải cách hành chính, trong đó cải cách thủ tục hành chính nhằm bảo đảm thông thoáng, thuận lợi, khắc "
    "phục phiền hà và giảm chi phí cho các nhà đầu tư. Thực hiện công khai, minh bạch thông tin.",
]

CONTENT_AREAS = [
    (
        "II.1.a",
        "Thi đua đẩy mạnh phát triển kết cấu hạ tầng",
        "Thi đua đổi mới nâng cao chất lượng công tác tham mưu, xây dựng và hoàn thiện cơ chế, chính sách phù hợp, ổn "
        "định, bình đẳng, công khai, minh bạch, tạo đột phá theo phương châm: Chính sách phải phục vụ sự phát triển, "
        "tạo điều kiện cho phát triển.",
    ),
    (
        "II.1.b",
        "Thi đua đẩy mạnh phát triển kết cấu hạ tầng",
        "Thi đua huy động nguồn lực xã hội tham gia đầu tư kết cấu hạ tầng trên cơ sở đảm bảo hiệu quả, chất lượng "
        "đầu tư, cân bằng lợi ích của các chủ thể.",
    ),
    (
        "II.1.c",
        "Thi đua đẩy mạnh phát triển kết cấu hạ tầng",
        "Thi đua nâng cao năng lực, trách nhiệm của cơ quan, phòng, đơn vị thuộc Sở và các tổ chức, đơn vị có liên "
        "quan trong quy hoạch, xây dựng, quản lý, giám sát, vận hành, khai thác các dự án kết cấu hạ tầng đảm bảo an "
        "toàn, chất lượng, hiệu quả; trong đó tổ chức triển khai, quản lý, khai thác có hiệu quả Dự án “Nâng cao năng "
        "lực thông tin và thống kê khoa học và công nghệ”. Nâng cao chất lượng nguồn nhân lực, nhất là nguồn nhân lực "
        "làm công tác quy hoạch xây dựng, quản lý, vận hành, khai thác các công trình kết cấu hạ tầng.",
    ),
    (
        "II.2.a",
        "Thi đua thực hành tiết kiệm, chống lãng phí",
        "Thi đua thực hành tiết kiệm, chống lãng phí trong lập, thẩm định, phê duyệt dự toán, quyết toán, quản lý, sử "
        "dụng kinh phí nhà nước, thực hiện có hiệu quả các nhiệm vụ, giải pháp chủ yếu trong lĩnh vực được phân công "
        "để khôi phục và phát triển kinh tế, phấn đấu thực hiện cao nhất các mục tiêu, nhiệm vụ phát triển kinh tế đã "
        "được Nghị quyết Đại hội đại biểu Đảng bộ tỉnh lần thứ XX đề ra.",
    ),
    (
        "II.2.b",
        "Thi đua thực hành tiết kiệm, chống lãng phí",
        "Thi đua thực hành tiết kiệm, chống lãng phí trong mua sắm, xây dựng, quản lý, sử dụng kinh phí chi thường "
        "xuyên của ngân sách nhà nước, vốn đầu tư công, tài sản công, ... đảm bảo đúng mục đích, đối tượng, định mức, "
        "tiêu chuẩn, chế độ do cơ quan nhà nước có thẩm quyền ban hành.",
    ),
    (
        "II.2.c",
        "Thi đua thực hành tiết kiệm, chống lãng phí",
        "Thi đua tổ chức thực hiện đồng bộ các nhiệm vụ, giải pháp, nâng cao hiệu quả Chương trình thực hành tiết "
        "kiệm, chống lãng phí trong mọi hoạt động của Sở KH&CN, tạo chuyển biến rõ rệt trong nhận thức về thực hành "
        "tiết kiệm, chống lãng phí; đưa công tác thực hành tiết kiệm, chống lãng phí đi vào thực chất với những kết "
        "quả cụ thể, là nhiệm vụ thường xuyên của các phòng, đơn vị thuộc Sở.",
    ),
]


@pytest.fixture(scope="module")
def plan_loaded_once(django_db_setup, django_db_blocker):
    """tests/campaign/conftest.py's `plan` (the plan taken out, then loaded from its file), done once for the module:
    the tests only read what it wrote, and each rolls back to it."""

    def build():
        unload_plan()
        return load_plan()

    with built_once(django_db_blocker, build) as result:
        yield result


@pytest.fixture
def plan(plan_loaded_once, db):
    return plan_loaded_once


def test_command_loads_the_plan_and_prints_a_vietnamese_summary(no_plan, capsys):
    call_command("load_plan")

    output = capsys.readouterr().out
    assert "Tiêu chí: 12 tạo mới" in output
    assert "Kỳ báo cáo: 20 tạo mới" in output
    assert Campaign.objects.count() == 1


def test_campaign_carries_the_plan_heading(plan):
    campaign = Campaign.objects.get()
    assert campaign.plan_key == "campaign"
    assert campaign.name == "Đẩy mạnh phát triển kết cấu hạ tầng đồng bộ, hiện đại; thực hành tiết kiệm, chống lãng phí"
    assert campaign.governing_body == "UBND TỈNH QUẢNG NGÃI"
    assert campaign.issuing_body == "SỞ KHOA HỌC VÀ CÔNG NGHỆ"
    assert campaign.issuing_body_abbreviation == "SKHCN"
    assert campaign.place_name == "Quảng Ngãi"
    assert campaign.report_recipient == "Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)"
    assert campaign.coordinating_unit_name == "Phòng Hành chính - Tổng hợp"
    assert (campaign.start_year, campaign.end_year) == (2022, 2030)
    assert campaign.portal_start_date == datetime.date(2025, 1, 1)
    assert campaign.issuing_unit.code == "SKHCN"


def test_the_plan_and_the_province_s_plan_are_cited_documents(plan):
    campaign = Campaign.objects.get()
    documents = {document.role: document for document in campaign.cited_documents.all()}
    own = documents[CitedDocument.Role.PLAN]
    # The plan's own text leaves its number blank ("Số: /KH-SKHCN"): the office enters it.
    assert (own.kind, own.number, own.issued_on) == ("Kế hoạch", "", datetime.date(2023, 4, 3))
    assert own.signer == "Nguyễn Văn Thành, Giám đốc Sở"
    province = documents[CitedDocument.Role.PROVINCIAL_PLAN]
    assert (province.number, province.issued_on, province.issuer) == (
        "42/KH-UBND",
        datetime.date(2023, 3, 3),
        "UBND tỉnh Quảng Ngãi",
    )


def test_the_legal_bases_of_decisions_carry_their_dates(plan):
    bases = CitedDocument.objects.filter(decision_basis=True).order_by("sort_order")
    assert [document.role for document in bases] == ["law", "decree", "functions", "emulation_rules"]
    law, decree, functions, rules = bases
    assert (law.number, law.issued_on) == ("06/2022/QH15", datetime.date(2022, 6, 15))
    assert (decree.number, decree.issued_on, decree.confirmed) == ("152/2025/NĐ-CP", datetime.date(2025, 6, 14), False)
    # Issued after the reorganisation of 01/7/2025; not in our sources: the office enters them.
    assert (functions.number, functions.issued_on, rules.number, rules.issued_on) == ("", None, "", None)


def test_every_criterion_is_linked_to_content_areas_of_section_ii(plan):
    for criterion in Criterion.objects.prefetch_related("content_areas"):
        sections = {area.section for area in criterion.content_areas.all()}
        assert sections, criterion
        assert all(section.startswith("II.") for section in sections)
    covered = set(ContentArea.objects.filter(criteria__isnull=False).values_list("section", flat=True))
    assert covered == {"II.1.a", "II.1.b", "II.1.c", "II.2.a", "II.2.b", "II.2.c"}


def test_department_and_the_two_named_units_exist(plan):
    department = Unit.objects.get(code="SKHCN")
    assert (department.name, department.kind, department.parent) == ("Sở Khoa học và Công nghệ", "department", None)
    office = Unit.objects.get(code="HCTH")
    assert (office.name, office.kind, office.abbreviation) == ("Phòng Hành chính - Tổng hợp", "office", "HCTH")
    centre = Unit.objects.get(code="TTUD")
    assert centre.name == "Trung tâm Ứng dụng và Dịch vụ khoa học công nghệ"
    assert centre.kind == "public_service"
    assert office.parent == centre.parent == department


def test_existing_unit_is_never_overwritten(no_plan):
    Unit.objects.create(code="SKHCN", name="Sở Khoa học và Công nghệ tỉnh Quảng Ngãi", kind="department")

    result = load_plan()

    assert Unit.objects.get(code="SKHCN").name == "Sở Khoa học và Công nghệ tỉnh Quảng Ngãi"
    assert result[Unit].kept == 1
    assert result[Unit].created == 2


def test_all_twelve_criteria_are_stored_word_for_word_in_order(plan):
    groups = list(CriterionGroup.objects.order_by("sort_order"))
    assert [(g.section, g.name) for g in groups] == [
        ("III.1.1", "Về phát triển kết cấu hạ tầng"),
        ("III.1.2", "Về thực hành tiết kiệm, chống lãng phí"),
    ]
    infrastructure = list(groups[0].criteria.order_by("number").values_list("text", flat=True))
    thrift = list(groups[1].criteria.order_by("number").values_list("text", flat=True))
    assert infrastructure == INFRASTRUCTURE_CRITERIA
    assert thrift == THRIFT_CRITERIA
    assert not Criterion.objects.filter(text__contains="chuyên đổi số").exists()
    assert [c.code for c in Criterion.objects.all()] == [f"III.1.1.{n}" for n in range(1, 6)] + [
        f"III.1.2.{n}" for n in range(1, 8)
    ]


def test_every_criterion_has_a_short_vietnamese_label(plan):
    labels = list(Criterion.objects.values_list("short_label", flat=True))
    assert len(labels) == 12
    assert all(0 < len(label) <= 40 for label in labels)
    assert Criterion.objects.get(plan_key="criterion-III.1.1.5").short_label == "Giải ngân vốn đầu tư công"


def test_disbursement_and_centre_criteria_do_not_apply_to_every_unit(plan):
    narrow = set(Criterion.objects.filter(applies_to_all_units=False).values_list("plan_key", flat=True))
    assert narrow == {"criterion-III.1.1.5", "criterion-III.1.2.5"}
    rule = CriterionApplicability.objects.get()
    assert (rule.criterion.plan_key, rule.unit.code, rule.applies) == ("criterion-III.1.2.5", "TTUD", True)


def test_six_content_areas_word_for_word(plan):
    rows = list(ContentArea.objects.order_by("sort_order").values_list("section", "group_title", "text"))
    assert rows == CONTENT_AREAS


def test_two_phases_with_their_years_and_reviews(plan):
    phases = list(Phase.objects.order_by("number"))
    assert [(p.number, p.name, p.start_year, p.end_year, p.review_kind, p.review_year) for p in phases] == [
        (1, "Giai đoạn 1 (2022 - 2025)", 2022, 2025, "interim", 2025),
        (2, "Giai đoạn 2 (2026 - 2030)", 2026, 2030, "final", 2030),
    ]
    assert phases[0].description.startswith("Sơ kết, đánh giá, rút kinh nghiệm vào năm 2025")
    assert phases[1].description.endswith("tổng kết vào năm 2030.")


def test_twenty_reporting_periods_from_2022_to_2030(plan):
    assert ReportingPeriod.objects.count() == 20
    assert ReportingPeriod.objects.filter(kind="half_year").count() == 9
    assert ReportingPeriod.objects.filter(kind="annual").count() == 9
    assert ReportingPeriod.objects.filter(kind="phase_review").count() == 2
    assert set(ReportingPeriod.objects.values_list("year", flat=True)) == set(range(2022, 2031))
    assert {p.code for p in ReportingPeriod.objects.filter(year=2025)} == {"2025-H1", "2025-FY", "2022-2025"}


def test_half_year_and_annual_periods_have_plan_dates(plan):
    half = ReportingPeriod.objects.get(code="2025-H1")
    assert (half.label, half.kind, half.year, half.plan_key) == (
        "6 tháng đầu năm 2025",
        "half_year",
        2025,
        "period-2025-H1",
    )
    assert (half.start, half.end) == (datetime.date(2025, 1, 1), datetime.date(2025, 6, 30))
    assert (half.data_cutoff, half.unit_due_date, half.department_due_date) == (
        datetime.date(2025, 6, 14),
        datetime.date(2025, 6, 20),
        datetime.date(2025, 6, 25),
    )
    annual = ReportingPeriod.objects.get(code="2025-FY")
    assert (annual.label, annual.kind) == ("Năm 2025", "annual")
    assert (annual.start, annual.end) == (datetime.date(2025, 1, 1), datetime.date(2025, 12, 31))
    assert (annual.data_cutoff, annual.unit_due_date, annual.department_due_date) == (
        datetime.date(2025, 12, 14),
        datetime.date(2025, 12, 20),
        datetime.date(2025, 12, 25),
    )


def test_phase_review_periods(plan):
    interim = ReportingPeriod.objects.get(code="2022-2025")
    assert (interim.label, interim.kind, interim.year) == ("Sơ kết giai đoạn 2022 - 2025", "phase_review", 2025)
    assert (interim.start, interim.end) == (datetime.date(2022, 1, 1), datetime.date(2025, 12, 31))
    assert (interim.data_cutoff, interim.unit_due_date, interim.department_due_date) == (
        datetime.date(2025, 9, 30),
        datetime.date(2025, 10, 15),
        datetime.date(2025, 10, 31),
    )
    final = ReportingPeriod.objects.get(code="2026-2030")
    assert (final.label, final.year) == ("Tổng kết giai đoạn 2026 - 2030", 2030)
    assert (final.start, final.end) == (datetime.date(2026, 1, 1), datetime.date(2030, 12, 31))


def test_each_period_belongs_to_the_phase_containing_its_year(plan):
    for period in ReportingPeriod.objects.select_related("phase"):
        assert period.phase.start_year <= period.year <= period.phase.end_year, period.code
    assert ReportingPeriod.objects.get(code="2025-FY").phase.number == 1
    assert ReportingPeriod.objects.get(code="2026-H1").phase.number == 2
    assert ReportingPeriod.objects.get(code="2022-2025").phase.number == 1
    assert ReportingPeriod.objects.get(code="2026-2030").phase.number == 2


def test_two_indicators_with_their_quantities(plan):
    disbursement = Indicator.objects.get(code="disbursement-rate")
    assert disbursement.criterion.plan_key == "criterion-III.1.1.5"
    assert disbursement.quantities == [
        {"key": "planned", "label": "Kế hoạch vốn đầu tư công được giao", "unit": "đồng"},
        {"key": "disbursed", "label": "Vốn đã giải ngân", "unit": "đồng"},
    ]
    assert (disbursement.formula, disbursement.numerator_key, disbursement.denominator_key) == (
        "ratio",
        "disbursed",
        "planned",
    )
    assert (disbursement.comparison, disbursement.target_value, disbursement.direction) == (
        "target",
        Decimal("100.00"),
        "higher",
    )
    assert disbursement.result_unit == "%"
    assert disbursement.aggregation_note == "Tỷ lệ của Sở = Σ vốn đã giải ngân ÷ Σ kế hoạch vốn được giao"

    share = Indicator.objects.get(code="recurrent-spending-share")
    assert share.criterion.plan_key == "criterion-III.1.2.3"
    assert share.quantity_keys() == ["recurrent", "total"]
    assert [q["label"] for q in share.quantities] == ["Chi thường xuyên", "Tổng chi ngân sách nhà nước"]
    assert (share.numerator_key, share.denominator_key, share.result_unit) == ("recurrent", "total", "%")
    assert (share.comparison, share.target_value, share.direction) == ("previous_year", None, "lower")


def test_self_assessment_scale(plan):
    levels = list(AssessmentLevel.objects.order_by("sort_order").values_list("label", "means_not_applicable"))
    assert levels == [
        ("Hoàn thành tốt", False),
        ("Hoàn thành", False),
        ("Chưa hoàn thành", False),
        ("Không áp dụng", True),
    ]


def test_six_award_forms_of_the_phase_review(plan):
    forms = AwardForm.objects.filter(plan_item__isnull=False)
    assert sorted(set(forms.values_list("plan_item", flat=True))) == [1, 2, 3, 4, 5, 6]
    medals = forms.filter(plan_item=1)
    assert set(medals.values_list("name", flat=True)) == {"Huân chương Lao động"}
    assert sorted(medals.values_list("award_class", flat=True)) == ["hạng Ba", "hạng Nhì", "hạng Nhất"]
    assert set(medals.values_list("conferring_authority", flat=True)) == {"Chủ tịch nước"}
    for plan_item in range(2, 7):
        assert forms.filter(plan_item=plan_item).count() == 1
    assert forms.get(plan_item=2).name == "Bằng khen của Thủ tướng Chính phủ"
    assert forms.get(plan_item=3).proposal_recipient == "Bộ Khoa học và Công nghệ"
    assert forms.get(plan_item=4).proposal_recipient == "Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)"
    assert forms.get(plan_item=5).proposal_recipient == "Ủy ban Mặt trận Tổ quốc Việt Nam tỉnh Quảng Ngãi"
    director = forms.get(plan_item=6)
    assert director.conferred_by_department
    assert director.name.startswith("Giấy khen của Giám đốc Sở")
    assert set(forms.values_list("award_type", "counts_towards_merit_awards", "recipient_kind")) == {
        ("thematic", False, "both")
    }


def test_annual_titles_with_ballots_and_prerequisites(plan):
    titles = AwardForm.objects.filter(is_annual_title=True)
    assert titles.count() == 6
    assert set(titles.values_list("award_type", flat=True)) == {"regular"}
    grassroots = titles.get(code="chien-si-thi-dua-co-so")
    assert grassroots.conferred_by_department
    assert (grassroots.requires_council_ballot, grassroots.ballot_threshold_percent) == (True, Decimal("80.00"))
    assert grassroots.quorum_percent == Decimal("66.67")
    assert not grassroots.chair_breaks_ties
    assert {part["code"] for part in grassroots.dossier_parts if part["required"]} == {
        "bao-cao-thanh-tich",
        "bien-ban-binh-xet",
        "minh-chung-sang-kien",
    }
    provincial = titles.get(code="chien-si-thi-dua-cap-tinh")
    assert provincial.ballot_threshold_percent == Decimal("90.00")
    assert provincial.proposal_recipient == "Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)"
    assert titles.get(code="co-thi-dua-ubnd-tinh").ballot_threshold_percent == Decimal("80.00")
    assert titles.get(code="lao-dong-tien-tien").chair_breaks_ties
    # The old prerequisites ("any year") became award rules with their count, window and article.
    assert not AwardPrerequisite.objects.exists()
    streaks = {
        (rule.form.code, rule.params["form"], rule.params["times"], rule.params["window_end"])
        for rule in AwardRule.objects.filter(kind="title_streak").select_related("form")
    }
    assert streaks == {
        ("chien-si-thi-dua-co-so", "lao-dong-tien-tien", 1, "same_year"),
        ("chien-si-thi-dua-cap-tinh", "chien-si-thi-dua-co-so", 3, "same_year"),
    }
