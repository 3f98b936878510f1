"""Award rules of one person, each at its boundary, with the article shown: a streak of titles (two years vs three,
a gap, a same-round pending year, a thematic award refused), an initiative's scope and window, discipline ending
just before or inside the year, the year's classification (a confirmed assessment first)."""

import pytest
from django.urls import reverse

from awards.errors import NotEligible
from awards.models import AwardRule, Discipline, Initiative, Nomination
from awards.services import nominations as services
from awards.services import rules
from emulation.models import Assessment, AssessmentEntry, EmulationYear
from tests.awards.conftest import classified
from tests.awards.test_nominations_fixtures import make_ready, nominate, private_root  # noqa: F401
from tests.awards.test_rules_fixtures import day, individual, problem_of, record, result
from tests.factories import PersonFactory, UserFactory

pytestmark = pytest.mark.django_db

STREAK = "03-lan-chien-si-thi-dua-co-so"
PROVINCE_ARTICLE = "(Luật Thi đua, khen thưởng 2022, Điều 22)."


@pytest.fixture
def tam(own_unit):
    return PersonFactory(unit=own_unit, full_name="Lê Thị Thanh Tâm")


@pytest.fixture
def cap_tinh(annual_round, forms, tam):
    return individual(annual_round, forms["chien-si-thi-dua-cap-tinh"], tam)


# --- title_streak: 03 lần liên tục Chiến sĩ thi đua cơ sở đến năm đề nghị ------------------------------------------


def test_two_years_in_a_row_fail_where_three_are_needed_with_the_article(cap_tinh, forms, tam, annual_round):
    """The demo's case: Chiến sĩ thi đua cơ sở the two years before the proposal only."""
    year = annual_round.year
    for held in (year - 2, year - 1):
        record(forms["chien-si-thi-dua-co-so"], held, person=tam)
    found = result(cap_tinh, STREAK)
    assert found.status == rules.FAILED
    assert found.blocks
    assert found.message == (
        f"Đạt “Chiến sĩ thi đua cơ sở” năm {year - 2}, {year - 1}; năm {year} không có "
        f"— cần 03 lần liên tục đến năm {year}"
    )
    assert [label for label, _ in found.rows] == [
        f"Chiến sĩ thi đua cơ sở năm {held} — QĐ số {number}"
        for held, number in zip((year - 2, year - 1), (f"{year - 2}/1/QĐ-SKHCN", f"{year - 1}/2/QĐ-SKHCN"), strict=True)
    ]
    problem = problem_of(cap_tinh, STREAK)
    assert problem.blocking
    assert problem.message.endswith(PROVINCE_ARTICLE)


def test_three_years_in_a_row_pass(cap_tinh, forms, tam, annual_round):
    for held in range(annual_round.year - 2, annual_round.year + 1):
        record(forms["chien-si-thi-dua-co-so"], held, person=tam)
    found = result(cap_tinh, STREAK)
    assert found.status == rules.PASSED
    assert found.message.endswith(f"— đủ 03 lần liên tục đến năm {annual_round.year}")
    assert problem_of(cap_tinh, STREAK) is None


def test_a_gap_year_breaks_the_streak(cap_tinh, forms, tam, annual_round):
    year = annual_round.year
    for held in (year - 3, year - 1, year):
        record(forms["chien-si-thi-dua-co-so"], held, person=tam)
    found = result(cap_tinh, STREAK)
    assert found.status == rules.FAILED
    assert f"năm {year - 2} không có" in found.message


def test_a_third_year_pending_in_the_same_round_is_pending_not_passed(cap_tinh, forms, tam, annual_round):
    year = annual_round.year
    for held in (year - 2, year - 1):
        record(forms["chien-si-thi-dua-co-so"], held, person=tam)
    same_round = individual(annual_round, forms["chien-si-thi-dua-co-so"], tam, status=Nomination.Status.SUBMITTED)
    found = result(cap_tinh, STREAK)
    assert found.status == rules.PENDING
    assert not found.blocks
    assert f"năm {year} chờ kết quả xét trong cùng đợt" in found.message
    assert (
        "Đề nghị “Chiến sĩ thi đua cơ sở” trong cùng đợt (chờ kết quả)",
        same_round.get_absolute_url(),
    ) in found.rows
    problem = problem_of(cap_tinh, STREAK)
    assert not problem.blocking
    assert problem.message.endswith(PROVINCE_ARTICLE)


def test_a_title_turned_down_in_the_same_round_no_longer_counts_as_pending(cap_tinh, forms, tam, annual_round):
    for held in (annual_round.year - 2, annual_round.year - 1):
        record(forms["chien-si-thi-dua-co-so"], held, person=tam)
    individual(annual_round, forms["chien-si-thi-dua-co-so"], tam, status=Nomination.Status.NOT_RECOMMENDED)
    assert result(cap_tinh, STREAK).status == rules.FAILED


def test_the_window_may_end_the_year_before_as_data(cap_tinh, forms, tam, annual_round):
    year = annual_round.year
    rule = AwardRule.objects.get(form=cap_tinh.form, code=STREAK)
    rule.params = {**rule.params, "window_end": "previous_year"}
    rule.save()
    for held in (year - 2, year - 1, year):
        record(forms["chien-si-thi-dua-co-so"], held, person=tam)
    found = result(cap_tinh, STREAK)
    assert found.status == rules.FAILED
    assert f"năm {year - 3} không có" in found.message
    record(forms["chien-si-thi-dua-co-so"], year - 3, person=tam)
    assert result(cap_tinh, STREAK).status == rules.PASSED


def test_a_thematic_award_never_satisfies_a_prerequisite(cap_tinh, forms, tam, annual_round):
    """Nghị định 152/2025/NĐ-CP, Điều 4: a thematic campaign's award is no ground for a later one."""
    thematic = forms["bang-khen-chu-tich-ubnd-tinh"]
    assert thematic.award_type == "thematic"
    AwardRule.objects.create(
        form=cap_tinh.form,
        code="bang-khen-thu-nghiem",
        kind="title_streak",
        params={"form": thematic.code, "times": 1, "window_end": "same_year", "window_end_verified": False},
        label="Bằng khen trong năm",
        article="Thử nghiệm",
        source_url="thử nghiệm",
        plan_key="rule-test-thematic",
    )
    record(thematic, annual_round.year, person=tam)
    found = result(cap_tinh, "bang-khen-thu-nghiem")
    assert found.status == rules.FAILED
    assert found.message == (
        "“Bằng khen của Chủ tịch UBND tỉnh” là khen thưởng phong trào thi đua theo chuyên đề, không được tính làm "
        "căn cứ (Nghị định 152/2025/NĐ-CP, Điều 4)"
    )


def test_the_demo_case_is_refused_on_submission_with_the_article(annual_round, forms, own_unit, staff, head, tam):
    """Lê Thị Thanh Tâm holds Chiến sĩ thi đua cơ sở the two years before only: Chiến sĩ thi đua cấp tỉnh is refused."""
    year = annual_round.year
    for held in (year - 2, year - 1):
        record(forms["chien-si-thi-dua-co-so"], held, person=tam)
    Initiative.objects.create(person=tam, title="Bản đồ số", year=year - 1, recognised_by="UBND tỉnh", scope="province")
    nomination = make_ready(nominate(annual_round, forms["chien-si-thi-dua-cap-tinh"], own_unit, staff, tam), staff)
    with pytest.raises(NotEligible) as refused:
        services.nomination_submit(nomination=nomination, actor=head)
    assert f"năm {year} không có — cần 03 lần liên tục đến năm {year} {PROVINCE_ARTICLE}" in str(refused.value)
    nomination.refresh_from_db()
    assert nomination.status == Nomination.Status.DRAFT


# --- initiative: phạm vi và thời gian -------------------------------------------------------------------------------


def test_an_initiative_of_the_wrong_scope_fails(cap_tinh, tam, annual_round):
    Initiative.objects.create(person=tam, title="Sổ tay ISO", year=annual_round.year, recognised_by="Sở", scope="base")
    found = result(cap_tinh, "sang-kien-cap-tinh")
    assert found.status == rules.FAILED
    assert found.message.startswith("Có “Sổ tay ISO” (cấp cơ sở) — cần phạm vi từ cấp tỉnh trở lên")
    assert problem_of(cap_tinh, "sang-kien-cap-tinh").message.endswith(PROVINCE_ARTICLE)


def test_a_provincial_initiative_passes_inside_the_window_not_before(cap_tinh, tam, annual_round):
    old = Initiative.objects.create(
        person=tam, title="Bản đồ số", year=annual_round.year - 3, recognised_by="UBND tỉnh", scope="province"
    )
    assert result(cap_tinh, "sang-kien-cap-tinh").status == rules.FAILED
    Initiative.objects.filter(pk=old.pk).update(year=annual_round.year - 2)
    found = result(cap_tinh, "sang-kien-cap-tinh")
    assert found.status == rules.PASSED
    assert found.rows[0][0].startswith("Sáng kiến “Bản đồ số” (cấp tỉnh")


# --- no_discipline and classification of Lao động tiên tiến --------------------------------------------------------


@pytest.fixture
def lao_dong(annual_round, forms, own_unit):
    return individual(annual_round, forms["lao-dong-tien-tien"], classified(PersonFactory(unit=own_unit)))


def test_discipline_ending_the_day_before_the_year_passes(lao_dong, annual_round):
    year = annual_round.year
    Discipline.objects.create(
        person=lao_dong.person, kind="reprimand", start_on=day(year - 1, 3, 1), end_on=day(year - 1, 12, 31)
    )
    assert result(lao_dong, "khong-bi-ky-luat").status == rules.PASSED


def test_discipline_ending_inside_the_year_fails_with_the_article(lao_dong, annual_round):
    year = annual_round.year
    Discipline.objects.create(
        person=lao_dong.person,
        kind="reprimand",
        start_on=day(year - 1, 3, 1),
        end_on=day(year, 1, 1),
        decision_number="5/QĐ",
    )
    found = result(lao_dong, "khong-bi-ky-luat")
    assert found.status == rules.FAILED
    assert found.message == f"Bị kỷ luật trong năm {year}: Khiển trách từ 01/03/{year - 1} đến 01/01/{year}, QĐ số 5/QĐ"
    assert problem_of(lao_dong, "khong-bi-ky-luat").message.endswith("(Luật Thi đua, khen thưởng 2022, Điều 24).")


def test_the_classification_must_be_good_or_better(annual_round, forms, own_unit):
    done = individual(
        annual_round, forms["lao-dong-tien-tien"], classified(PersonFactory(unit=own_unit), classification="done")
    )
    found = result(done, "hoan-thanh-tot-nhiem-vu")
    assert found.status == rules.FAILED
    assert found.message == f"Chưa đạt xếp loại “Hoàn thành tốt nhiệm vụ” trở lên năm {annual_round.year}"
    excellent = individual(
        annual_round, forms["lao-dong-tien-tien"], classified(PersonFactory(unit=own_unit), classification="excellent")
    )
    assert result(excellent, "hoan-thanh-tot-nhiem-vu").status == rules.PASSED


def test_a_confirmed_assessment_comes_before_the_entered_classification(lao_dong, plan, own_unit, annual_round):
    actor = UserFactory(unit=own_unit, position="head")
    year = EmulationYear.objects.create(campaign=plan, year=annual_round.year, created_by=actor)
    assessment = Assessment.objects.create(
        year=year, unit=own_unit, status=Assessment.Status.CONFIRMED, created_by=actor
    )
    AssessmentEntry.objects.create(
        assessment=assessment, person=lao_dong.person, proposed_classification="good", decided_classification="done"
    )
    found = result(lao_dong, "hoan-thanh-tot-nhiem-vu")
    assert found.status == rules.FAILED
    Assessment.objects.filter(pk=assessment.pk).update(status=Assessment.Status.SUBMITTED)
    assert result(lao_dong, "hoan-thanh-tot-nhiem-vu").status == rules.PASSED


def test_parameters_are_checked_and_none_has_a_default_in_code():
    codes = {"lao-dong-tien-tien"}
    assert rules.validate_params("title_streak", {"form": "lao-dong-tien-tien", "times": 3}, form_codes=codes) == [
        "Thiếu tham số “window_end”.",
        "Thiếu tham số “window_end_verified”.",
    ]
    assert rules.validate_params("quota", {"of_form": "x", "percent": 150, "rounding": "up"}, form_codes=codes) == [
        "“of_form”: không có hình thức mã “x” trong danh mục.",
        "“percent” phải từ 0 đến 100.",
        "“rounding” phải là một trong: floor, round, ceil.",
    ]


def test_the_nomination_page_lists_each_rule_its_rows_and_article_marking_unverified_ones(
    client, staff, cap_tinh, forms, tam, annual_round
):
    year = annual_round.year
    for held in (year - 2, year - 1):
        record(forms["chien-si-thi-dua-co-so"], held, person=tam)
    client.force_login(staff)
    page = client.get(cap_tinh.get_absolute_url()).content.decode()
    block = page[page.index('data-testid="rule-results"') :]
    assert f'data-rule="{STREAK}" data-status="failed"' in block
    assert f"năm {year} không có — cần 03 lần liên tục đến năm {year}" in block
    assert f"Chiến sĩ thi đua cơ sở năm {year - 2} — QĐ số" in block
    assert "Căn cứ: Luật Thi đua, khen thưởng 2022, Điều 22" in block
    assert block.count('data-testid="rule-unverified"') == AwardRule.objects.filter(form=cap_tinh.form).count()
    assert "chưa đối chiếu văn bản gốc" in block


def test_the_administrator_edits_a_rule_and_bad_parameters_are_refused(client, administrator, forms):
    rule = AwardRule.objects.get(form=forms["chien-si-thi-dua-cap-tinh"], code=STREAK)
    client.force_login(administrator)
    url = reverse("admin:awards_awardrule_change", args=[rule.pk])
    assert client.get(url).status_code == 200
    data = {
        "form": rule.form_id,
        "code": rule.code,
        "kind": rule.kind,
        "params": '{"form": "chien-si-thi-dua-co-so", "times": 3}',
        "label": rule.label,
        "article": rule.article,
        "source_url": rule.source_url,
        "blocking": "on",
        "sort_order": rule.sort_order,
        "is_active": "on",
    }
    page = client.post(url, data).content.decode()
    assert "Thiếu tham số “window_end”." in page
    rule.refresh_from_db()
    assert rule.params["times"] == 3
    data["params"] = (
        '{"form": "chien-si-thi-dua-co-so", "times": 2, "window_end": "same_year", "window_end_verified": true}'
    )
    assert client.post(url, data).status_code == 302
    rule.refresh_from_db()
    assert rule.params["times"] == 2
