"""The scoring tests' world: the year 2025, a scheme that exercises every rule, and the units' reports made with
the ORM (faster than the services, and exactly the facts each total below rests on).

The totals of each unit are worked out by hand in tests/emulation/test_scoring.py.
"""

import datetime
from decimal import Decimal

from django.utils import timezone

from campaign.models import AssessmentLevel, Campaign, Criterion, Indicator, ReportingPeriod
from emulation.models import (
    Commitment,
    EmulationYear,
    Registration,
    SchemeAdjustment,
    SchemeItem,
    ScoringScheme,
)
from reports.models import CriterionResult, ReportTransition, UnitReport
from tests import factories

YEAR = 2025


def _report(unit, period, actor, *, late=False, results=()):
    report = UnitReport.objects.create(
        unit=unit,
        period=period,
        unit_name=unit.name,
        status=UnitReport.Status.ACCEPTED,
        submission_count=1,
        submitted_at=timezone.now(),
        submitted_by=actor,
        is_late=late,
        created_by=actor,
    )
    for order, (criterion, level, quantities) in enumerate(results):
        CriterionResult.objects.create(
            report=report,
            criterion=criterion,
            criterion_code=criterion.code,
            criterion_text=criterion.text,
            sort_order=order,
            quantities=quantities,
            assessment=level,
            not_applicable_reason="Không có dự án." if level and level.means_not_applicable else "",
        )
    return report


def _returned(report, actor, times):
    for _ in range(times):
        ReportTransition.objects.create(
            report=report, action="return", from_status="submitted", to_status="returned", actor=actor
        )


def build():
    """(personas, ids) — the personas of the access matrix, the year, the scheme computed; see test_scoring."""
    personas = {
        "staff": factories.staff_of_own_unit(),
        "head": factories.head_of_own_unit(),
        "other_staff": factories.staff_of_other_unit(),
        "reviewer": factories.office_reviewer(),
        "leader": factories.director(),
        "administrator": factories.administrator(),
    }
    own, other, office = factories.own_unit(), factories.other_unit(), factories.office_unit()
    reviewer, head = personas["reviewer"], personas["head"]
    campaign = Campaign.objects.get()
    year = EmulationYear.objects.create(
        campaign=campaign,
        year=YEAR,
        plan_number="15/KH-SKHCN",
        plan_date=datetime.date(2025, 1, 10),
        created_by=reviewer,
    )
    levels = {level.code: level for level in AssessmentLevel.objects.all()}
    c1 = Criterion.objects.get(plan_key="criterion-III.1.1.1")
    c2 = Criterion.objects.get(plan_key="criterion-III.1.1.2")
    disbursement = Indicator.objects.get(code="disbursement-rate")
    recurrent = Indicator.objects.get(code="recurrent-spending-share")
    periods = {period.code: period for period in ReportingPeriod.objects.filter(year__in=(2024, 2025))}

    # The own unit: registered targets (disbursement 80%, recurrent share 40%), three periods' reports, two late
    # (the half-year and the phase review), three returns.
    registration = Registration.objects.create(
        year=year,
        unit=own,
        unit_name=own.name,
        status=Registration.Status.ACCEPTED,
        submitted_at=timezone.now(),
        created_by=head,
    )
    Commitment.objects.create(
        registration=registration, criterion=disbursement.criterion, indicator=disbursement, target=Decimal("80")
    )
    Commitment.objects.create(
        registration=registration, criterion=recurrent.criterion, indicator=recurrent, target=Decimal("40")
    )
    half = _report(own, periods["2025-H1"], head, late=True)
    _report(own, periods["2022-2025"], head, late=True)
    full = _report(
        own,
        periods["2025-FY"],
        head,
        results=[
            (c1, levels["hoan-thanh-tot"], {}),
            (c2, levels["hoan-thanh"], {}),
            (disbursement.criterion, levels["hoan-thanh"], {"planned": "1000", "disbursed": "700"}),
            (recurrent.criterion, levels["hoan-thanh"], {"recurrent": "450", "total": "1000"}),
        ],
    )
    _returned(half, reviewer, 2)
    _returned(full, reviewer, 1)
    # A registration still submitted (not accepted) does not count: its target is not used.
    other_head = factories.UserFactory(username="truongphongkhac", unit=other, position="head")
    other_registration = Registration.objects.create(
        year=year,
        unit=other,
        unit_name=other.name,
        status=Registration.Status.SUBMITTED,
        submitted_at=timezone.now(),
        created_by=other_head,
    )
    Commitment.objects.create(
        registration=other_registration, criterion=disbursement.criterion, indicator=disbursement, target=Decimal("50")
    )
    # The other unit: no accepted registration; its annual report late; last year's recurrent share 50%.
    _report(
        other,
        periods["2024-FY"],
        other_head,
        results=[(recurrent.criterion, levels["hoan-thanh"], {"recurrent": "50", "total": "200"})],
    )
    _report(
        other,
        periods["2025-FY"],
        other_head,
        late=True,
        results=[
            (c1, levels["khong-ap-dung"], {}),
            (c2, levels["chua-hoan-thanh"], {}),
            (disbursement.criterion, levels["hoan-thanh-tot"], {"planned": "1000", "disbursed": "1200"}),
            (recurrent.criterion, levels["hoan-thanh-tot"], {"recurrent": "30", "total": "100"}),
        ],
    )
    # The office's own unit: no report, no registration.

    scheme = ScoringScheme.objects.create(
        year=year,
        kind=ScoringScheme.Kind.ANNUAL,
        name="Bảng điểm thi đua năm 2025",
        tie_break=["on_time", "unit_order"],
    )
    items = [
        SchemeItem(
            scheme=scheme,
            sort_order=1,
            label="Quy hoạch, cơ chế, chính sách",
            basis="assessment",
            criterion=c1,
            max_points=Decimal(20),
            level_points={"hoan-thanh-tot": "20", "hoan-thanh": "15", "chua-hoan-thanh": "5"},
        ),
        SchemeItem(
            scheme=scheme,
            sort_order=2,
            label="Chuyển đổi số",
            basis="assessment",
            criterion=c2,
            max_points=Decimal(10),
            level_points={"hoan-thanh-tot": "10", "hoan-thanh": "7", "chua-hoan-thanh": "0"},
        ),
        SchemeItem(
            scheme=scheme,
            sort_order=3,
            label="Giải ngân (theo tỷ lệ)",
            basis="indicator",
            indicator=disbursement,
            max_points=Decimal(30),
        ),
        SchemeItem(
            scheme=scheme,
            sort_order=4,
            label="Tỷ trọng chi thường xuyên (càng thấp càng tốt)",
            basis="indicator",
            indicator=recurrent,
            max_points=Decimal(10),
        ),
        SchemeItem(
            scheme=scheme,
            sort_order=5,
            label="Giải ngân đạt chỉ tiêu (đạt / không đạt)",
            basis="indicator",
            indicator=disbursement,
            proportional=False,
            max_points=Decimal(10),
        ),
        SchemeItem(
            scheme=scheme,
            sort_order=6,
            label="Nộp báo cáo năm đúng hạn",
            basis="timeliness",
            max_points=Decimal(10),
            late_points=Decimal(4),
        ),
        SchemeItem(scheme=scheme, sort_order=7, label="Văn phòng đánh giá", basis="office", max_points=Decimal(10)),
    ]
    SchemeItem.objects.bulk_create(items)
    adjustments = [
        SchemeAdjustment(
            scheme=scheme,
            sort_order=1,
            kind="deduction",
            trigger="late_report",
            label="Nộp báo cáo muộn",
            points=Decimal(2),
            max_occurrences=1,
        ),
        SchemeAdjustment(
            scheme=scheme,
            sort_order=2,
            kind="deduction",
            trigger="returned_report",
            label="Báo cáo bị trả lại",
            points=Decimal("1.5"),
        ),
        SchemeAdjustment(
            scheme=scheme,
            sort_order=3,
            kind="deduction",
            trigger="no_registration",
            label="Không đăng ký thi đua",
            points=Decimal(5),
        ),
        SchemeAdjustment(
            scheme=scheme,
            sort_order=4,
            kind="deduction",
            trigger="discipline",
            label="Cá nhân bị kỷ luật",
            points=Decimal(3),
            max_occurrences=1,
        ),
        SchemeAdjustment(
            scheme=scheme,
            sort_order=5,
            kind="bonus",
            trigger="office",
            label="Sáng kiến được công nhận",
            points=Decimal("2.5"),
            max_occurrences=2,
        ),
    ]
    SchemeAdjustment.objects.bulk_create(adjustments)
    ids = {
        "year": year.pk,
        "scheme": scheme.pk,
        "own": own.pk,
        "other": other.pk,
        "office": office.pk,
    }
    return personas, ids
