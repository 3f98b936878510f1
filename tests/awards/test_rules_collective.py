"""Award rules of a collective and of a quota, each at its boundary, with the article shown: 70% exactly passing and
just below failing, 50% exactly failing and just above passing, one Chiến sĩ thi đua cơ sở, every member's
classification, a member's discipline, the members of the year; the 15% quota at its limit and one over (with its
rounding), across rounds; the registration missing (a warning); evaluate()'s queries for 3 and 12 nominations."""

import pytest

from awards.models import AwardRound, AwardRule, Discipline, Membership, Nomination, RoundForm
from awards.services import rules
from emulation.models import Registration
from tests.awards.conftest import classified
from tests.awards.test_rules_fixtures import (
    accepted_registration,
    collective,
    day,
    individual,
    members,
    problem_of,
    record,
    result,
)
from tests.factories import PersonFactory, UnitFactory

pytestmark = pytest.mark.django_db

SEVENTY = "it-nhat-70-phan-tram-lao-dong-tien-tien"
FIFTY = "tren-50-phan-tram-lao-dong-tien-tien"


@pytest.fixture
def team():
    return UnitFactory(code="PTN", name="Phòng Thử nghiệm")


def holding(forms, year, people):
    for person in people:
        record(forms["lao-dong-tien-tien"], year, person=person)


@pytest.mark.parametrize(("held", "status"), [(7, rules.PASSED), (6, rules.FAILED)])
def test_seventy_percent_exactly_passes_and_just_below_fails(annual_round, forms, team, held, status):
    people = members(team, 10)
    holding(forms, annual_round.year, people[:held])
    nomination = collective(annual_round, forms["tap-the-lao-dong-xuat-sac"], team)
    found = result(nomination, SEVENTY)
    assert found.status == status
    assert found.message == (f"{held}/10 thành viên đạt “Lao động tiên tiến” năm {annual_round.year} — cần ít nhất 70%")
    assert len(found.rows) == held
    if status == rules.FAILED:
        assert problem_of(nomination, SEVENTY).message.endswith("(Luật Thi đua, khen thưởng 2022, Điều 27).")


def test_a_members_title_pending_in_the_same_round_makes_the_share_pending(annual_round, forms, team):
    people = members(team, 10)
    holding(forms, annual_round.year, people[:6])
    individual(annual_round, forms["lao-dong-tien-tien"], people[6], status=Nomination.Status.SUBMITTED)
    found = result(collective(annual_round, forms["tap-the-lao-dong-xuat-sac"], team), SEVENTY)
    assert found.status == rules.PENDING
    assert "1 đang chờ kết quả trong cùng đợt" in found.message


@pytest.mark.parametrize(("held", "status"), [(5, rules.FAILED), (6, rules.PASSED)])
def test_fifty_percent_exactly_fails_and_just_above_passes(annual_round, forms, team, held, status):
    holding(forms, annual_round.year, members(team, 10)[:held])
    nomination = collective(annual_round, forms["tap-the-lao-dong-tien-tien"], team)
    found = result(nomination, FIFTY)
    assert found.status == status
    assert found.message.endswith("— cần trên 50%")
    if status == rules.FAILED:
        assert problem_of(nomination, FIFTY).message.endswith("(Luật Thi đua, khen thưởng 2022, Điều 28).")


def test_the_members_are_those_of_the_year(annual_round, forms, team, other_unit):
    """A person who moved in during the year counts; one whose membership of the year is elsewhere does not."""
    year = annual_round.year
    mover = PersonFactory(unit=other_unit, full_name="Người chuyển đến")
    Membership.objects.create(person=mover, unit=team, start_on=day(year, 3, 1))
    left = PersonFactory(unit=team, full_name="Người đã chuyển đi")
    Membership.objects.create(person=left, unit=other_unit, start_on=day(year - 5, 1, 1))
    stay = PersonFactory(unit=team, full_name="Người ở lại")
    holding(forms, year, [mover])
    found = result(collective(annual_round, forms["tap-the-lao-dong-tien-tien"], team), FIFTY)
    assert found.message.startswith(f"1/2 thành viên đạt “Lao động tiên tiến” năm {year}")
    assert stay.unit_id == team.pk


@pytest.mark.parametrize(("holders", "status"), [(0, rules.FAILED), (1, rules.PASSED)])
def test_at_least_one_chien_si_thi_dua_co_so(annual_round, forms, team, holders, status):
    people = members(team, 3)
    for person in people[:holders]:
        record(forms["chien-si-thi-dua-co-so"], annual_round.year, person=person)
    found = result(collective(annual_round, forms["tap-the-lao-dong-xuat-sac"], team), "co-chien-si-thi-dua-co-so")
    assert found.status == status
    assert found.message.endswith("— cần ít nhất 01")


def test_every_member_must_complete_their_tasks(annual_round, forms, team):
    people = [classified(person, classification="done") for person in members(team, 3)]
    nomination = collective(annual_round, forms["tap-the-lao-dong-xuat-sac"], team)
    assert result(nomination, "moi-ca-nhan-hoan-thanh-nhiem-vu").status == rules.PASSED
    people[0].classification_records.update(classification="not_done")
    found = result(nomination, "moi-ca-nhan-hoan-thanh-nhiem-vu")
    assert found.status == rules.FAILED
    assert found.message.startswith(f"Dưới mức: {people[0].full_name}")
    people[1].classification_records.all().delete()
    assert (
        f"chưa có xếp loại năm {annual_round.year}: {people[1].full_name}"
        in result(nomination, "moi-ca-nhan-hoan-thanh-nhiem-vu").message
    )


@pytest.mark.parametrize(("ends", "status"), [((-1, 12, 31), rules.PASSED), ((0, 6, 30), rules.FAILED)])
def test_a_members_reprimand_in_force_in_the_year_fails(annual_round, forms, team, ends, status):
    year = annual_round.year
    (person,) = members(team, 1)
    end = day(year + ends[0], ends[1], ends[2])
    Discipline.objects.create(person=person, kind="reprimand", start_on=day(year - 1, 1, 1), end_on=end)
    nomination = collective(annual_round, forms["tap-the-lao-dong-tien-tien"], team)
    assert result(nomination, "khong-ky-luat-tu-khien-trach").status == status


# --- registration ----------------------------------------------------------------------------------------------


def test_a_missing_registration_is_a_warning_and_an_accepted_one_passes(plan, annual_round, forms, team):
    (person,) = members(team, 1)
    nomination = individual(annual_round, forms["lao-dong-tien-tien"], person)
    found = result(nomination, "dang-ky-thi-dua")
    assert found.status == rules.FAILED
    assert not found.blocks
    problem = problem_of(nomination, "dang-ky-thi-dua")
    assert not problem.blocking
    assert problem.message == (
        "Có đăng ký thi đua danh hiệu “Lao động tiên tiến” trong năm xét: Không có đăng ký thi đua “Lao động tiên "
        f"tiến” năm {annual_round.year} được Văn phòng tiếp nhận (Luật Thi đua, khen thưởng 2022 (xét tặng danh hiệu "
        "thi đua cho người, tập thể có đăng ký thi đua))."
    )
    title = accepted_registration(plan, annual_round.year, team, "lao-dong-tien-tien", person=person)
    assert result(nomination, "dang-ky-thi-dua").status == rules.PASSED
    Registration.objects.filter(pk=title.registration_id).update(status=Registration.Status.SUBMITTED)
    assert result(nomination, "dang-ky-thi-dua").status == rules.FAILED


def test_a_collectives_registration_is_the_units_own(plan, annual_round, forms, team):
    nomination = collective(annual_round, forms["tap-the-lao-dong-tien-tien"], team)
    accepted_registration(plan, annual_round.year, team, "tap-the-lao-dong-tien-tien")
    assert result(nomination, "dang-ky-thi-dua").status == rules.PASSED


# --- quota: at most 15% of those recognised Lao động tiên tiến ----------------------------------------------------

QUOTA = "ty-le-15-phan-tram"


def quota_world(annual_round, forms, team, *, recognised, others):
    people = members(team, recognised)
    holding(forms, annual_round.year, people)
    for person in people[:others]:
        individual(annual_round, forms["chien-si-thi-dua-co-so"], person, status=Nomination.Status.SUBMITTED)
    return individual(annual_round, forms["chien-si-thi-dua-co-so"], people[-1])


def test_the_quota_at_its_limit_passes_and_one_over_fails(annual_round, forms, team):
    """20 recognised: 15% is 3 places; this nomination is the third, then the fourth."""
    nomination = quota_world(annual_round, forms, team, recognised=20, others=2)
    found = result(nomination, QUOTA)
    assert found.status == rules.PASSED
    assert found.message.startswith(f"3/3 suất “Chiến sĩ thi đua cơ sở” năm {annual_round.year}")
    individual(annual_round, forms["chien-si-thi-dua-co-so"], PersonFactory(unit=team), status="submitted")
    found = result(nomination, QUOTA)
    assert found.status == rules.FAILED
    assert found.message.startswith("4/3 suất")
    assert problem_of(nomination, QUOTA).message.endswith(
        "(Nghị định 152/2025/NĐ-CP (tỷ lệ danh hiệu “Chiến sĩ thi đua cơ sở”))."
    )


def test_the_quota_rounds_as_its_data_says(annual_round, forms, team):
    """19 recognised: 15% is 2,85 — two places rounded down, three rounded or rounded up."""
    nomination = quota_world(annual_round, forms, team, recognised=19, others=2)
    assert result(nomination, QUOTA).status == rules.FAILED
    rule = AwardRule.objects.get(form=nomination.form, code=QUOTA)
    for rounding in ("round", "ceil"):
        rule.params = {**rule.params, "rounding": rounding}
        rule.save()
        assert result(nomination, QUOTA).status == rules.PASSED
    assert [rules.quota_limit(15, 19, rounding) for rounding in ("floor", "round", "ceil")] == [2, 3, 3]
    assert rules.quota_limit(15, 10, "round") == 2  # 1,5 rounds half up


def test_the_quota_counts_every_round_of_the_year_but_not_drafts_or_refusals(annual_round, forms, team, reviewer):
    nomination = quota_world(annual_round, forms, team, recognised=20, others=2)
    other_round = AwardRound.objects.create(
        campaign=annual_round.campaign,
        kind=annual_round.kind,
        title="Đợt bổ sung",
        year=annual_round.year,
        deadline=annual_round.deadline,
        status=AwardRound.Status.OPEN,
        created_by=reviewer,
    )
    RoundForm.objects.create(round=other_round, form=forms["chien-si-thi-dua-co-so"])
    for status in ("draft", "not_recommended"):
        individual(other_round, forms["chien-si-thi-dua-co-so"], PersonFactory(unit=team), status=status)
    assert result(nomination, QUOTA).status == rules.PASSED
    individual(other_round, forms["chien-si-thi-dua-co-so"], PersonFactory(unit=team), status="conferred")
    assert result(nomination, QUOTA).status == rules.FAILED


# --- queries ---------------------------------------------------------------------------------------------------


def _round_of(annual_round, forms, size):
    """`size` nominations of every kind of rule, each nominee with a record over several years."""
    nominations = []
    kinds = ("tap-the-lao-dong-xuat-sac", "chien-si-thi-dua-co-so", "lao-dong-tien-tien", "chien-si-thi-dua-cap-tinh")
    for number in range(size):
        code = kinds[number % len(kinds)]
        unit = UnitFactory(code=f"Q{size}{number:02d}", name=f"Phòng số {size}-{number}")
        people = members(unit, 3, prefix=f"Người {size}-{number}")
        for person in people:
            classified(person, year=annual_round.year)
            for year in range(annual_round.year - 3, annual_round.year + 1):
                record(forms["lao-dong-tien-tien"], year, person=person)
        if code.startswith("tap-the"):
            nominations.append(collective(annual_round, forms[code], unit))
        else:
            nominations.append(individual(annual_round, forms[code], people[0]))
    return Nomination.objects.filter(pk__in=[nomination.pk for nomination in nominations])


@pytest.mark.parametrize("size", [3, 12])
def test_evaluate_takes_the_same_queries_for_3_and_12_nominations(annual_round, forms, size, django_assert_num_queries):
    nominations = list(_round_of(annual_round, forms, size))
    with django_assert_num_queries(15):
        results = rules.evaluate(nominations)
    assert len(results) == size
    assert all(results[nomination.pk] for nomination in nominations)
