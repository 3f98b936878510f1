"""Fixtures for the unit-report tests: the real plan, a period open today, and reports built by the services."""

import datetime

import pytest
from django.utils import timezone

from campaign.models import AssessmentLevel, Campaign, Criterion, CriterionApplicability, ReportingPeriod
from campaign.plan_loader import load_plan
from reports import services
from reports.models import ReportSection


@pytest.fixture
def plan(db):
    load_plan()
    return Campaign.objects.get()


def _move_period(period, *, start, due):
    period.start = start
    period.end = due + datetime.timedelta(days=10)
    period.data_cutoff = due - datetime.timedelta(days=5)
    period.unit_due_date = due
    period.department_due_date = due + datetime.timedelta(days=5)
    period.save()
    return period


@pytest.fixture
def open_period(plan):
    """2026-FY moved so that it is running today and due in ten days."""
    today = timezone.localdate()
    plan.portal_start_date = today - datetime.timedelta(days=800)
    plan.save()
    return _move_period(
        ReportingPeriod.objects.get(code="2026-FY"),
        start=today - datetime.timedelta(days=200),
        due=today + datetime.timedelta(days=10),
    )


@pytest.fixture
def earlier_period(plan, open_period):
    """2025-FY, ended before the open period."""
    today = timezone.localdate()
    return _move_period(
        ReportingPeriod.objects.get(code="2025-FY"),
        start=today - datetime.timedelta(days=565),
        due=today - datetime.timedelta(days=200),
    )


@pytest.fixture
def invests(plan, own_unit):
    """The own unit has investment projects: the disbursement criterion applies to it."""
    criterion = Criterion.objects.get(plan_key="criterion-III.1.1.5")
    CriterionApplicability.objects.create(criterion=criterion, unit=own_unit, applies=True)
    return criterion


@pytest.fixture
def levels(plan):
    return {level.code: level for level in AssessmentLevel.objects.all()}


@pytest.fixture
def draft(open_period, own_unit, staff):
    return services.report_start(unit=own_unit, period=open_period, actor=staff)


def complete(report, actor, levels, *, planned="1000", disbursed="900"):
    """Fill every part of the report so that it can be submitted."""
    from reports.parts import digest
    from reports.services.editing import part_objects, values_of

    edits = {}
    for key, part in part_objects(report).items():
        if isinstance(part, ReportSection):
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
