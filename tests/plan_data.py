"""The plan in the test database: loaded once per session, moved in time or taken out by the tests that need it.

The session's test database holds the plan from the start (tests/conftest.py loads it once, right after
the migrations, and keeps it in the copy that serialized rollback restores). A test that needs the plan
asks for the `plan` fixture, which only reads it; a test that needs a database without it (the loader's
own tests, pages shown before any plan exists) takes it out with `unload_plan()` inside its transaction.
"""

import datetime

from django.utils import timezone

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
    Theme,
)
from campaign.plan_loader import DEFAULT_PLAN_PATH, read_plan_file
from units.models import Unit

# Children before parents: every foreign key between them protects.
PLAN_MODELS = (
    AwardRule,
    AwardPrerequisite,
    AwardForm,
    ReportingPeriod,
    AssessmentLevel,
    Indicator,
    CriterionApplicability,
    Criterion,
    CriterionGroup,
    ContentArea,
    Theme,
    CitedDocument,
    Phase,
    Campaign,
)


def unload_plan():
    """Delete what load_plan wrote, units included, so that the database is as before the first load."""
    for model in PLAN_MODELS:
        model.objects.all().delete()
    codes = [unit["code"] for unit in read_plan_file(DEFAULT_PLAN_PATH)["units"]]
    # Children first: the Department is the parent of the plan's other units.
    Unit.objects.filter(code__in=codes, parent__isnull=False).delete()
    Unit.objects.filter(code__in=codes).delete()


def move_period(period, *, start, due):
    period.start = start
    period.end = due + datetime.timedelta(days=10)
    period.data_cutoff = due - datetime.timedelta(days=5)
    period.unit_due_date = due
    period.department_due_date = due + datetime.timedelta(days=5)
    period.save()
    return period


def move_open_period(campaign=None):
    """2026-FY moved so that it is running today and due in ten days; the portal started 800 days ago."""
    today = timezone.localdate()
    campaign = campaign or Campaign.objects.get()
    campaign.portal_start_date = today - datetime.timedelta(days=800)
    campaign.save()
    return move_period(
        ReportingPeriod.objects.get(code="2026-FY"),
        start=today - datetime.timedelta(days=200),
        due=today + datetime.timedelta(days=10),
    )


def move_earlier_period():
    """2025-FY, ended before the open period."""
    today = timezone.localdate()
    return move_period(
        ReportingPeriod.objects.get(code="2025-FY"),
        start=today - datetime.timedelta(days=565),
        due=today - datetime.timedelta(days=200),
    )
