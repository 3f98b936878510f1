"""The award catalogue of the plan's data file: bonus amounts and the route upward are loaded when the file gives
them; the plan gives no amount (none is invented), so every form carries none until the administrator sets it."""

from decimal import Decimal

import pytest

from awards.models import AwardForm
from campaign.plan_loader import DEFAULT_PLAN_PATH, load_plan

pytestmark = pytest.mark.django_db


def test_the_plan_sets_no_bonus_and_routes_the_orders_upward(plan):
    assert not AwardForm.objects.filter(bonus_individual__isnull=False).exists()
    assert not AwardForm.objects.filter(bonus_collective__isnull=False).exists()
    assert AwardForm.objects.get(code="huan-chuong-lao-dong-hang-ba").proposal_route == (
        "Thủ tướng Chính phủ đề nghị Chủ tịch nước"
    )
    assert AwardForm.objects.get(code="bang-khen-chu-tich-ubnd-tinh").proposal_route == ""


def test_a_bonus_in_the_file_is_loaded(plan, tmp_path):
    text = DEFAULT_PLAN_PATH.read_text(encoding="utf-8")
    anchor = 'code = "chien-si-thi-dua-co-so"\n'
    assert anchor in text
    path = tmp_path / "plan.toml"
    path.write_text(text.replace(anchor, anchor + "bonus_individual = 2340000\n"), encoding="utf-8")

    load_plan(path=path)

    form = AwardForm.objects.get(code="chien-si-thi-dua-co-so")
    assert (form.bonus_individual, form.bonus_collective) == (Decimal(2340000), None)


def test_an_amount_the_administrator_set_survives_a_reload(plan):
    form = AwardForm.objects.get(code="giay-khen-giam-doc-so")
    form.bonus_collective = Decimal(1250000)
    form.save()

    load_plan()

    form.refresh_from_db()
    assert form.bonus_collective == Decimal(1250000)
