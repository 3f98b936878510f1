"""The overview's fixed dataset, built once per module with time frozen at 01/7/2026 10:00 (Asia/Ho_Chi_Minh).

Six units in this order: HCTH, TTUD (the plan's), PQLKH, PKT (the personas'), PCU (dissolved 31/12/2024) and
PMOI (founded 01/01/2026). Reports (✓ accepted, → submitted, ✎ draft; late marked):

- 2023-H1, a history period brought in from a spreadsheet: PQLKH ✓, PKT ✓ (both `history_import`).
- 2025-H1: PQLKH ✓, PKT ✓ late, HCTH → (on time), TTUD ✎.
- 2026-H1: PQLKH ✓, PKT ✓, TTUD ✓ late, HCTH ✎, PMOI none.

Results on III.1.1.1 (no indicator), III.1.1.5 (disbursement: planned, disbursed) and III.1.2.3 (recurrent
spending: recurrent, total). The campaign's scoring scheme of 2025 is confirmed (III.1.1.1 out of 10, III.1.2.3
out of 5); an annual scheme of 2025 and a draft campaign scheme of 2026 must not count. Award records: PQLKH's
collective title of 2023 and a person's of 2026; PKT's of 2026.

This module holds no test; the overview's test modules build it with `build()` inside their module's data.
"""

import datetime
from contextlib import contextmanager
from decimal import Decimal
from unittest import mock

from django.utils import timezone

from awards.models import AwardRecord
from campaign.models import AssessmentLevel, Campaign, Criterion, ReportingPeriod
from emulation.models import EmulationYear, SchemeItem, ScoreLine, ScoringScheme, UnitScore
from reports.models import CriterionResult, HistoryImport, UnitReport
from tests import factories
from units.models import Unit

FROZEN = datetime.datetime(2026, 7, 1, 3, 0, tzinfo=datetime.UTC)  # 10:00 in Quảng Ngãi
TODAY = datetime.date(2026, 7, 1)
DISBURSEMENT = "III.1.1.5"
RECURRENT = "III.1.2.3"
PLAIN = "III.1.1.1"


@contextmanager
def frozen_time():
    with mock.patch("django.utils.timezone.now", return_value=FROZEN):
        yield


def _at(day, hour=9):
    return timezone.make_aware(datetime.datetime.combine(day, datetime.time(hour)))


def _report(unit, period, status, author, *, late=False, imported=None, submitted_on=None):
    submitted = None if status == UnitReport.Status.DRAFT else _at(submitted_on or period.unit_due_date)
    return UnitReport.objects.create(
        unit=unit,
        period=period,
        status=status,
        unit_name=unit.name,
        submitted_at=submitted,
        submission_count=0 if submitted is None else 1,
        is_late=late,
        history_import=imported,
        accepted_at=submitted if status == UnitReport.Status.ACCEPTED else None,
        created_by=author,
    )


def _result(report, criterion, level=None, **quantities):
    return CriterionResult.objects.create(
        report=report,
        criterion=criterion,
        criterion_code=criterion.code,
        criterion_text=criterion.text,
        assessment=level,
        quantities={key: str(value) for key, value in quantities.items()},
        not_applicable_reason="Không có dự án đầu tư công." if level and level.means_not_applicable else "",
    )


def criterion(code):
    group_section, number = code.rsplit(".", 1)
    return Criterion.objects.get(group__section=group_section, number=int(number))


def build():
    """The dataset; returns {name: object} of what the tests name."""
    personas = {
        "staff": factories.staff_of_own_unit(),
        "head": factories.head_of_own_unit(),
        "other_staff": factories.staff_of_other_unit(),
        "reviewer": factories.office_reviewer(),
        "leader": factories.director(),
        "administrator": factories.administrator(),
    }
    department = factories.department()
    hcth, ttud = Unit.objects.get(code="HCTH"), Unit.objects.get(code="TTUD")
    pqlkh, pkt = factories.own_unit(), factories.other_unit()
    pcu = factories.UnitFactory(code="PCU", name="Phòng Cũ", valid_to=datetime.date(2024, 12, 31))
    pmoi = factories.UnitFactory(code="PMOI", name="Phòng Mới", valid_from=datetime.date(2026, 1, 1))
    units = [hcth, ttud, pqlkh, pkt, pcu, pmoi]
    for order, unit in enumerate(units, start=1):
        Unit.objects.filter(pk=unit.pk).update(sort_order=order, parent=department)
    # Nobody else reports in this dataset.
    Unit.objects.filter(parent__isnull=False).exclude(pk__in=[unit.pk for unit in units]).update(
        valid_to=datetime.date(2021, 12, 31)
    )
    author = personas["reviewer"]
    level = {item.code: item for item in AssessmentLevel.objects.all()}
    htt, ht, cht, kad = level["hoan-thanh-tot"], level["hoan-thanh"], level["chua-hoan-thanh"], level["khong-ap-dung"]
    plain, disbursement, recurrent = criterion(PLAIN), criterion(DISBURSEMENT), criterion(RECURRENT)
    period = {item.code: item for item in ReportingPeriod.objects.all()}
    Accepted, Submitted, Draft = UnitReport.Status.ACCEPTED, UnitReport.Status.SUBMITTED, UnitReport.Status.DRAFT

    # 2023-H1: two reports brought in from a spreadsheet.
    batch = HistoryImport.objects.create(
        period=period["2023-H1"],
        source="history-imports/2026/06/test.xlsx",
        original_name="Báo cáo 6 tháng 2023.xlsx",
        sha256="0" * 64,
        imported_by=author,
        rows_created=2,
    )
    report = _report(pqlkh, period["2023-H1"], Accepted, author, imported=batch)
    _result(report, plain, htt)
    _result(report, disbursement, ht, planned=1_000_000_000, disbursed=800_000_000)
    _result(report, recurrent, htt, recurrent=300, total=1000)
    imported_pqlkh = report
    report = _report(pkt, period["2023-H1"], Accepted, author, imported=batch)
    _result(report, plain, ht)
    _result(report, disbursement, kad)
    _result(report, recurrent, ht, recurrent=500, total=1500)

    # 2025-H1.
    report = _report(pqlkh, period["2025-H1"], Accepted, author)
    _result(report, plain, htt)
    _result(report, disbursement, ht, planned=2_000_000_000, disbursed=1_000_000_000)
    _result(report, recurrent, htt, recurrent=300, total=1000)
    report = _report(pkt, period["2025-H1"], Accepted, author, late=True)
    _result(report, plain, cht)
    _result(report, disbursement, htt, planned=1_000_000_000, disbursed=900_000_000)
    _result(report, recurrent, ht, recurrent=200, total=800)
    report = _report(hcth, period["2025-H1"], Submitted, author)
    _result(report, plain, htt)
    _report(ttud, period["2025-H1"], Draft, author)

    # 2026-H1.
    report = _report(pqlkh, period["2026-H1"], Accepted, author)
    _result(report, plain, htt)
    _result(report, disbursement, ht, planned=1_000_000_000, disbursed=600_000_000)
    _result(report, recurrent, htt, recurrent=250, total=1000)
    pqlkh_2026 = report
    report = _report(pkt, period["2026-H1"], Accepted, author)
    _result(report, plain, htt)
    _result(report, disbursement, kad, planned=5_000_000_000, disbursed=5_000_000_000)  # not applicable: skipped
    _result(report, recurrent, ht, recurrent=300, total=1000)
    report = _report(ttud, period["2026-H1"], Accepted, author, late=True)
    _result(report, plain, ht)
    _result(report, disbursement, ht, planned=3_000_000_000, disbursed=2_400_000_000)
    _result(report, recurrent, None, recurrent=150, total=500)
    ttud_2026 = report
    _report(hcth, period["2026-H1"], Draft, author)

    _scores(personas, pqlkh, pkt, ttud, plain, recurrent)
    _awards(pqlkh, pkt)
    return {
        **personas,
        "units": {unit.code: unit for unit in units},
        "periods": period,
        "imported_pqlkh": imported_pqlkh,
        "pqlkh_2026": pqlkh_2026,
        "ttud_2026": ttud_2026,
        "criteria": {"plain": plain, "disbursement": disbursement, "recurrent": recurrent},
    }


def _scheme(year, kind, status, items):
    scheme = ScoringScheme.objects.create(year=year, kind=kind, name=f"Bảng điểm {kind} {year.year}", status=status)
    made = []
    for order, (criterion_, maximum) in enumerate(items, start=1):
        made.append(
            SchemeItem.objects.create(
                scheme=scheme,
                label=criterion_.short_label,
                criterion=criterion_,
                basis=SchemeItem.Basis.SELF_ASSESSMENT,
                max_points=Decimal(maximum),
                sort_order=order,
            )
        )
    return scheme, made


def _score(scheme, unit, lines):
    score = UnitScore.objects.create(scheme=scheme, unit=unit, unit_name=unit.name)
    for item, self_points, office_points in lines:
        ScoreLine.objects.create(
            score=score,
            item=item,
            self_points=Decimal(self_points),
            office_points=None if office_points is None else Decimal(office_points),
            reason="" if office_points is None else "Văn phòng chấm lại theo minh chứng.",
        )


def _scores(personas, pqlkh, pkt, ttud, plain, recurrent):
    campaign = Campaign.objects.get()
    leader = personas["leader"]
    year_2025 = EmulationYear.objects.create(campaign=campaign, year=2025, created_by=leader)
    year_2026 = EmulationYear.objects.create(campaign=campaign, year=2026, created_by=leader)
    Confirmed = ScoringScheme.Status.CONFIRMED
    scheme, (first, second) = _scheme(year_2025, ScoringScheme.Kind.CAMPAIGN, Confirmed, [(plain, 10), (recurrent, 5)])
    _score(scheme, pqlkh, [(first, 10, None), (second, 5, None)])
    _score(scheme, pkt, [(first, 3, 6), (second, 4, None)])
    _score(scheme, ttud, [(first, 8, None), (second, 2, 3)])
    # Neither counts: the annual scheme (another kind) and 2026's campaign scheme (not confirmed).
    scheme, (item,) = _scheme(year_2025, ScoringScheme.Kind.ANNUAL, Confirmed, [(plain, 10)])
    _score(scheme, pqlkh, [(item, 1, None)])
    scheme, (item,) = _scheme(year_2026, ScoringScheme.Kind.CAMPAIGN, ScoringScheme.Status.PUBLISHED, [(plain, 10)])
    _score(scheme, pqlkh, [(item, 1, None)])


def _award(unit, year, form, kind, name, number, day):
    AwardRecord.objects.create(
        year=year,
        form_name=form,
        recipient_kind=kind,
        recipient_name=name,
        unit=unit,
        unit_name=unit.name,
        decision_number=number,
        decision_date=day,
        conferring_authority="Giám đốc Sở",
        source=AwardRecord.Source.IMPORTED if year < 2025 else AwardRecord.Source.DEPARTMENT,
    )


def _awards(pqlkh, pkt):
    collective, individual = "collective", "individual"
    _award(
        pqlkh, 2023, "Tập thể lao động tiên tiến", collective, pqlkh.name, "45/QĐ-SKHCN", datetime.date(2023, 12, 28)
    )
    _award(
        pqlkh, 2026, "Giấy khen của Giám đốc Sở", individual, "Lê Văn Cán Bộ", "12/QĐ-SKHCN", datetime.date(2026, 5, 4)
    )
    _award(pkt, 2026, "Giấy khen của Giám đốc Sở", individual, "Võ Văn Khác", "12/QĐ-SKHCN", datetime.date(2026, 5, 4))
