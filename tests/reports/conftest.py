"""Fixtures for the unit-report tests: reports built by the services (the plan and periods: tests/conftest.py)."""

import pytest

from campaign.models import Criterion, CriterionApplicability
from reports import services
from reports.models import ReportSection


@pytest.fixture
def invests(plan, own_unit):
    """The own unit has investment projects: the disbursement criterion applies to it."""
    criterion = Criterion.objects.get(plan_key="criterion-III.1.1.5")
    CriterionApplicability.objects.create(criterion=criterion, unit=own_unit, applies=True)
    return criterion


@pytest.fixture
def draft(open_period, own_unit, staff):
    return services.report_start(unit=own_unit, period=open_period, actor=staff)


def complete(report, actor, levels, *, planned="1000", disbursed="900"):
    """Fill every part of the report so that it can be submitted."""
    from reports.parts import digest
    from reports.services.editing import part_objects, values_of

    edits = {}
    for key, part in part_objects(report).items():
        if isinstance(part, ReportSection) and part.key == ReportSection.Key.RECOMMENDATIONS:
            values = {"items": [{"text": "Đề nghị UBND tỉnh bố trí vốn cho dự án.", "to": "province"}]}
        elif isinstance(part, ReportSection):
            values = {"text": f"Nội dung mục {part.get_key_display()}."}
        else:
            quantities = {}
            for indicator in part.criterion.indicators.all():
                for quantity in indicator.quantities:
                    quantities[quantity["key"]] = {"planned": planned, "disbursed": disbursed}.get(
                        quantity["key"], "100"
                    )
            values = {
                "activities": f"- Đã triển khai tiêu chí {part.criterion_code}.\n- Kết quả tốt.",
                "quantities": quantities,
                "assessment": levels["hoan-thanh-tot"].pk,
                "not_applicable_reason": "",
            }
        edits[key] = {"values": values, "revision": part.revision, "original": digest(values_of(part))}
    services.report_save_parts(report=report, actor=actor, edits=edits)
    report.refresh_from_db()
    return report


@pytest.fixture
def submitted(draft, staff, head, levels):
    complete(draft, staff, levels)
    services.report_submit(report=draft, actor=head)
    draft.refresh_from_db()
    return draft
