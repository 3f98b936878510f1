"""Indicator arithmetic: the Department's value is Σ numerator ÷ Σ denominator, never a mean of rates."""

from decimal import Decimal

from campaign.models import Indicator


def test_department_disbursement_rate_is_sum_over_sum(plan):
    indicator = Indicator.objects.get(code="disbursement-rate")
    units = [{"planned": 100, "disbursed": 50}, {"planned": 300, "disbursed": 300}]

    rate = indicator.aggregate(units)

    assert rate == Decimal("87.50")
    assert rate != Decimal("75.00")  # the mean of 50% and 100%


def test_rate_is_none_when_nothing_was_planned(plan):
    indicator = Indicator.objects.get(code="disbursement-rate")

    assert indicator.aggregate([{"planned": 0, "disbursed": 0}, {"planned": 0, "disbursed": 0}]) is None
    assert indicator.aggregate([]) is None


def test_units_without_figures_are_skipped(plan):
    indicator = Indicator.objects.get(code="disbursement-rate")

    rate = indicator.aggregate([{"planned": 200, "disbursed": 150}, {"planned": None, "disbursed": None}, {}])

    assert rate == Decimal("75.00")


def test_disbursement_meets_its_target_only_at_one_hundred_percent(plan):
    indicator = Indicator.objects.get(code="disbursement-rate")

    assert indicator.meets(indicator.compute({"planned": 400, "disbursed": 350})) is False
    assert indicator.meets(indicator.compute({"planned": 400, "disbursed": 400})) is True


def test_recurrent_share_is_judged_against_the_previous_year(plan):
    indicator = Indicator.objects.get(code="recurrent-spending-share")
    share = indicator.aggregate([{"recurrent": 30, "total": 100}, {"recurrent": 10, "total": 100}])

    assert share == Decimal("20.00")
    assert indicator.meets(share, previous=Decimal("22.50")) is True
    assert indicator.meets(share, previous=Decimal("18.00")) is False
    assert indicator.meets(share) is None
