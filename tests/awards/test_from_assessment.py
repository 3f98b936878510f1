"""Nominations drawn in one step from the unit's confirmed year-end assessment ("Đề nghị từ kết quả bình xét")."""

import datetime

import pytest
from django.urls import reverse
from django.utils import timezone

from awards.errors import AwardError, NotAllowed
from awards.models import Nomination
from awards.services import from_assessment
from awards.services.nominations import nomination_create
from emulation.services import assessment as assessments
from tests.emulation.conftest import open_year
from units.models import Person


@pytest.fixture
def people(own_unit):
    names = ("An Văn Tốt", "Bùi Thị Đạt", "Cao Văn Có Rồi", "Đỗ Thị Huân Chương")
    return [Person.objects.create(full_name=name, position_title="Chuyên viên", unit=own_unit) for name in names]


def assessment_of(plan, own_unit, staff, head, reviewer, people, *, confirm=True):
    """The unit's assessment of the round's year, through the emulation services, confirmed by the office."""
    year = open_year(plan, reviewer)
    good, done, already, medal = people
    started = assessments.assessment_start(year=year, unit=own_unit, actor=staff)
    assessments.assessment_save(
        assessment=started,
        actor=staff,
        meeting_date=timezone.localdate() - datetime.timedelta(days=1),
        attendance="Toàn thể, có mặt 4/4 người",
        chair="Phạm Thị Trưởng",
        secretary="An Văn Tốt",
        entries={
            good.pk: ("good", ["lao-dong-tien-tien", "chien-si-thi-dua-co-so"]),
            done.pk: ("good", ["lao-dong-tien-tien"]),
            already.pk: ("excellent", ["lao-dong-tien-tien"]),
            medal.pk: ("excellent", ["huan-chuong-lao-dong-hang-ba"]),
        },
    )
    assessments.assessment_generate_minutes(assessment=started, actor=staff)
    assessments.assessment_submit(assessment=started, actor=head)
    if confirm:
        entry = started.entries.get(person=done)
        assessments.assessment_confirm(
            assessment=started,
            actor=reviewer,
            decisions={entry.pk: ("done", "Giám đốc Sở xếp loại Hoàn thành nhiệm vụ.")},
        )
    return started


@pytest.fixture
def confirmed(plan, own_unit, staff, head, reviewer, people):
    return assessment_of(plan, own_unit, staff, head, reviewer, people)


def test_one_step_drafts_each_offered_title_and_says_why_the_others_are_skipped(
    confirmed, annual_round, forms, own_unit, staff, people
):
    good, done, already, medal = people
    nomination_create(
        award_round=annual_round, form=forms["lao-dong-tien-tien"], unit=own_unit, actor=staff, person=already
    )
    drawn = from_assessment.nominations_from_assessment(award_round=annual_round, unit=own_unit, actor=staff)
    assert sorted((n.person.full_name, n.form.code, n.status) for n in drawn.created) == [
        ("An Văn Tốt", "chien-si-thi-dua-co-so", Nomination.Status.DRAFT),
        ("An Văn Tốt", "lao-dong-tien-tien", Nomination.Status.DRAFT),
    ]
    skipped = {(c.person.full_name, c.title): c.skip for c in drawn.skipped}
    assert skipped == {
        ("Bùi Thị Đạt", "Lao động tiên tiến"): (
            "Được xếp loại “Hoàn thành nhiệm vụ”: danh hiệu thi đua chỉ xét cho người hoàn thành tốt nhiệm vụ trở lên."
        ),
        ("Cao Văn Có Rồi", "Lao động tiên tiến"): "Đã có đề nghị trong đợt này.",
        ("Đỗ Thị Huân Chương", "huan-chuong-lao-dong-hang-ba"): "Đợt xét không có hình thức này.",
    }
    assert Nomination.objects.filter(round=annual_round, created_by=staff).count() == 3


def test_a_second_press_creates_nothing_more(confirmed, annual_round, own_unit, staff):
    first = from_assessment.nominations_from_assessment(award_round=annual_round, unit=own_unit, actor=staff)
    again = from_assessment.nominations_from_assessment(award_round=annual_round, unit=own_unit, actor=staff)
    assert len(first.created) == 3
    assert again.created == []
    assert Nomination.objects.filter(round=annual_round).count() == 3
    assert {c.skip for c in again.skipped} >= {"Đã có đề nghị trong đợt này."}


def test_an_assessment_not_yet_confirmed_nominates_nobody(plan, annual_round, own_unit, staff, head, reviewer, people):
    assessment_of(plan, own_unit, staff, head, reviewer, people, confirm=False)
    with pytest.raises(AwardError, match="chưa được Văn phòng xác nhận"):
        from_assessment.nominations_from_assessment(award_round=annual_round, unit=own_unit, actor=staff)
    assert not Nomination.objects.exists()


def test_a_unit_without_an_assessment_is_told_so(annual_round, other_unit, other_staff):
    with pytest.raises(AwardError, match="chưa có kết quả bình xét"):
        from_assessment.candidates(award_round=annual_round, unit=other_unit)


def test_only_the_units_own_people_draw_from_it(confirmed, annual_round, own_unit, reviewer):
    with pytest.raises(NotAllowed):
        from_assessment.nominations_from_assessment(award_round=annual_round, unit=own_unit, actor=reviewer)
    assert not Nomination.objects.exists()


def test_the_page_previews_then_the_button_creates(confirmed, annual_round, client, staff):
    client.force_login(staff)
    url = reverse("awards:nomination_from_assessment", args=[annual_round.pk])
    page = client.get(url)
    assert page.status_code == 200
    assert page.context["to_create"][0].person.full_name == "An Văn Tốt"
    assert len(page.context["to_create"]) == 3
    assert not Nomination.objects.exists()
    response = client.post(url, follow=True)
    assert response.redirect_chain[-1][0] == reverse("awards:nomination_list")
    texts = [str(message) for message in response.context["messages"]]
    assert texts[0].startswith("Đã lập 3 đề nghị từ kết quả bình xét")
    assert any(text.startswith("Bỏ qua Bùi Thị Đạt (Lao động tiên tiến)") for text in texts)
    assert Nomination.objects.filter(round=annual_round).count() == 3
