"""Demo data of scoring and ranking (chấm điểm, xếp hạng): 2025 scored and confirmed — an annual and a campaign
scheme computed from the demo's 2025-FY reports, a few lines the office scored differently with its reason (the
office's own unit scored by the Director), a unit's explanation, the council's minuted review, the Director's
confirmation, hence a ranking; 2026 a draft annual scheme copied from 2025's.

Built through the real services with the demo's accounts (demo/data.py); a year that already has its schemes is
left as it is. The coordinator wires `load(years)` into load_demo, with years = {2025: EmulationYear, 2026: …}.
"""

from decimal import Decimal

from django.utils import timezone

from campaign.models import Criterion, Indicator
from emulation.models import ScoringScheme, UnitScore
from emulation.services import scoring
from units.models import User

LEVELS = {"hoan-thanh-tot": "10", "hoan-thanh": "8", "chua-hoan-thanh": "3"}
ANNUAL_CRITERIA = ("III.1.1.1", "III.1.1.2", "III.1.1.3", "III.1.2.1", "III.1.2.4", "III.1.2.7")
CAMPAIGN_CRITERIA = ("III.1.1.1", "III.1.1.3", "III.1.1.4", "III.1.2.2", "III.1.2.6")
OFFICE_ITEM = "Văn phòng đánh giá chất lượng tham mưu"
# (unit code, item label or adjustment label, points or None, occurrences or None, reason, who)
OFFICE_LINES_2025 = (
    (
        "KHTC",
        "Văn phòng đánh giá chất lượng tham mưu",
        "8",
        None,
        "Tham mưu kịp thời dự toán và quyết toán năm.",
        "vanphong",
    ),
    (
        "QLKH",
        "Văn phòng đánh giá chất lượng tham mưu",
        "9",
        None,
        "Chủ trì tốt các nhiệm vụ khoa học cấp tỉnh.",
        "vanphong",
    ),
    ("QLKH", "Sáng kiến được công nhận", None, "1", "Sáng kiến được Hội đồng sáng kiến cơ sở công nhận.", "vanphong"),
    (
        "CDS",
        "Văn phòng đánh giá chất lượng tham mưu",
        "6",
        None,
        "Chậm triển khai nền tảng số của Sở quý IV.",
        "vanphong",
    ),
    ("TDC", "Cá nhân bị kỷ luật", None, "1", "Một viên chức bị khiển trách trong năm.", "vanphong"),
    # The office's own unit is scored by leadership.
    ("HCTH", OFFICE_ITEM, "9", None, "Tổng hợp, tham mưu đúng hạn.", "giamdoc"),
)
EXPLANATION = (
    "QLKH",
    "Đơn vị đề nghị xem xét lại điểm tiêu chí cải cách thủ tục hành chính: 100% hồ sơ được giải quyết đúng hạn "
    "(có văn bản kèm theo báo cáo năm).",
)
MINUTES = (
    "Hội đồng Thi đua - Khen thưởng Sở đã xem xét điểm tạm tính và giải trình của các đơn vị; thống nhất giữ nguyên "
    "điểm Văn phòng chấm; đề nghị Giám đốc Sở xác nhận kết quả chấm điểm năm 2025."
)


def _criteria(codes):
    every = {criterion.code: criterion for criterion in Criterion.objects.active().select_related("group")}
    return [every[code] for code in codes if code in every]


def _item(label, basis, max_points, sort_order, **values):
    return (
        None,
        {"label": label, "basis": basis, "max_points": Decimal(max_points), "sort_order": sort_order, **values},
        False,
    )


def _adjustment(label, kind, trigger, points, sort_order, max_occurrences=None):
    values = {
        "label": label,
        "kind": kind,
        "trigger": trigger,
        "points": Decimal(points),
        "max_occurrences": max_occurrences,
        "sort_order": sort_order,
    }
    return (None, values, False)


def _annual_rows():
    items = [
        _item(criterion.short_label, "assessment", 10, order, criterion=criterion, level_points=LEVELS)
        for order, criterion in enumerate(_criteria(ANNUAL_CRITERIA), start=1)
    ]
    disbursement = Indicator.objects.filter(code="disbursement-rate").first()
    if disbursement is not None:
        items.append(_item("Tỷ lệ giải ngân vốn đầu tư công", "indicator", 10, 20, indicator=disbursement))
    items.append(_item("Nộp báo cáo năm đúng hạn", "timeliness", 10, 30, late_points=Decimal(5)))
    items.append(_item(OFFICE_ITEM, "office", 10, 40))
    adjustments = [
        _adjustment("Báo cáo nộp muộn", "deduction", "late_report", 2, 1, 3),
        _adjustment("Báo cáo bị trả lại để bổ sung", "deduction", "returned_report", 1, 2, 3),
        _adjustment("Không đăng ký thi đua", "deduction", "no_registration", 5, 3),
        _adjustment("Cá nhân bị kỷ luật", "deduction", "discipline", 5, 4, 2),
        _adjustment("Sáng kiến được công nhận", "bonus", "office", 2, 5, 2),
    ]
    return items, adjustments


def _campaign_rows():
    items = [
        _item(criterion.short_label, "assessment", 15, order, criterion=criterion, level_points=LEVELS)
        for order, criterion in enumerate(_criteria(CAMPAIGN_CRITERIA), start=1)
    ]
    recurrent = Indicator.objects.filter(code="recurrent-spending-share").first()
    if recurrent is not None:
        items.append(
            _item(
                "Giảm tỷ trọng chi thường xuyên (đạt/không đạt)",
                "indicator",
                10,
                20,
                indicator=recurrent,
                proportional=False,
            )
        )
    items.append(_item("Nộp báo cáo năm đúng hạn", "timeliness", 10, 30, late_points=Decimal(4)))
    adjustments = [_adjustment("Báo cáo nộp muộn", "deduction", "late_report", 1, 1, 2)]
    return items, adjustments


def _scheme(year, kind, name, rows, office):
    scheme = scoring.scheme_create(year=year, kind=kind, name=name, actor=office)
    items, adjustments = rows
    return scoring.scheme_save(
        scheme=scheme,
        actor=office,
        name=name,
        tie_break=["on_time", "fewer_deductions", "items_in_order", "unit_order"],
        items=items,
        adjustments=adjustments,
    )


def _office_lines(scheme, people):
    for unit_code, label, points, occurrences, reason, who in OFFICE_LINES_2025:
        score = UnitScore.objects.filter(scheme=scheme, unit__code=unit_code).first()
        if score is None:
            continue
        line = next((line for line in score.lines.select_related("item", "adjustment") if line.label == label), None)
        if line is None:
            continue
        typed = {"points": points or "", "reason": reason}
        if occurrences is not None:
            typed["occurrences"] = occurrences
        scoring.score_office(score=score, actor=people[who], entries={str(line.pk): typed})


def _run_to_confirmed(scheme, people, *, explain=False):
    today = timezone.localdate()
    office, director = people["vanphong"], people["giamdoc"]
    scoring.scheme_publish(scheme=scheme, actor=office, explain_until=today)
    if explain:
        unit_code, text = EXPLANATION
        score = UnitScore.objects.filter(scheme=scheme, unit__code=unit_code).first()
        head = people.get(f"truongphong.{unit_code.lower()}")
        if score is not None and head is not None:
            scoring.score_explain(score=score, actor=head, text=text)
    scoring.scheme_review(scheme=scheme, actor=office, session_on=today, minutes=MINUTES)
    scoring.scheme_confirm(scheme=scheme, actor=director)


def load(years):
    """2025: annual and campaign schemes computed, scored, explained, reviewed, confirmed; 2026: a draft copy."""
    people = {
        user.username: user
        for user in User.objects.filter(username__in=["vanphong", "giamdoc", "truongphong.qlkh", "truongphong.hcth"])
    }
    office = people["vanphong"]
    year_2025, year_2026 = years.get(2025), years.get(2026)
    annual = None
    if year_2025 is not None and not ScoringScheme.objects.filter(year=year_2025).exists():
        annual = _scheme(
            year_2025, "annual", "Bảng điểm thi đua năm 2025 của các phòng, đơn vị", _annual_rows(), office
        )
        campaign = _scheme(
            year_2025, "campaign", "Bảng điểm Phong trào thi đua theo chuyên đề năm 2025", _campaign_rows(), office
        )
        for scheme in (annual, campaign):
            scoring.scheme_compute(scheme=scheme, actor=office)
        _office_lines(annual, people)
        _run_to_confirmed(annual, people, explain=True)
        _run_to_confirmed(campaign, people)
    if year_2026 is not None and not ScoringScheme.objects.filter(year=year_2026).exists():
        source = annual or ScoringScheme.objects.filter(year=year_2025, kind="annual").first()
        scoring.scheme_create(
            year=year_2026,
            kind="annual",
            name="Bảng điểm thi đua năm 2026 của các phòng, đơn vị",
            actor=office,
            copy_from=source,
        )
