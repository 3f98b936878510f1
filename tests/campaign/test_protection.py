"""Data is kept: rows other rows depend on cannot be deleted."""

import pytest
from django.db.models import ProtectedError

from campaign.models import Criterion, Phase
from tests.factories import UnitFactory, UserFactory


def test_deleting_a_unit_that_has_users_is_refused(db):
    unit = UnitFactory(code="PQLKH", name="Phòng Quản lý khoa học")
    UserFactory(unit=unit)

    with pytest.raises(ProtectedError):
        unit.delete()


def test_deleting_a_criterion_referenced_by_an_indicator_is_refused(plan):
    criterion = Criterion.objects.get(plan_key="criterion-III.1.1.5")

    with pytest.raises(ProtectedError):
        criterion.delete()

    assert Criterion.objects.filter(pk=criterion.pk).exists()


def test_deleting_a_phase_with_reporting_periods_is_refused(plan):
    with pytest.raises(ProtectedError):
        Phase.objects.get(number=1).delete()
