"""Which criteria concern a unit: the criterion's default, overridden by a per-unit rule."""

from campaign.models import Criterion, CriterionApplicability
from tests.factories import UnitFactory
from units.models import Unit


def codes(queryset):
    return {criterion.plan_key.removeprefix("criterion-") for criterion in queryset.select_related("group")}


def test_ordinary_unit_gets_the_criteria_for_all_units(plan):
    unit = UnitFactory(code="PQLKH", name="Phòng Quản lý khoa học")

    applicable = codes(Criterion.objects.applicable_to(unit))

    assert len(applicable) == 10
    assert "III.1.1.5" not in applicable
    assert "III.1.2.5" not in applicable


def test_centre_also_gets_its_own_criterion(plan):
    centre = Unit.objects.get(code="TTUD")

    applicable = codes(Criterion.objects.applicable_to(centre))

    assert len(applicable) == 11
    assert "III.1.2.5" in applicable


def test_office_rules_add_and_remove_criteria_for_a_unit(plan):
    unit = UnitFactory(code="PKHTC", name="Phòng Kế hoạch - Tài chính")
    CriterionApplicability.objects.create(criterion=Criterion.objects.get(plan_key="criterion-III.1.1.5"), unit=unit)
    CriterionApplicability.objects.create(
        criterion=Criterion.objects.get(plan_key="criterion-III.1.1.1"), unit=unit, applies=False
    )

    applicable = codes(Criterion.objects.applicable_to(unit))

    assert "III.1.1.5" in applicable
    assert "III.1.1.1" not in applicable
    assert len(applicable) == 10


def test_deactivated_criterion_applies_to_nobody(plan):
    Criterion.objects.filter(plan_key="criterion-III.1.2.5").update(is_active=False)

    assert "III.1.2.5" not in codes(Criterion.objects.applicable_to(Unit.objects.get(code="TTUD")))
