"""Eligibility: each named check passes and fails, and submission enforces the blocking ones."""

# The shared fixtures are imported from test_nominations_fixtures; tests name them as parameters.
# ruff: noqa: F811

import datetime

import pytest
from django.utils import timezone

from awards.errors import NotEligible
from awards.models import AwardRecord, AwardRound, Initiative, Nomination, RoundForm
from awards.services import eligibility
from awards.services import nominations as services
from tests.awards.conftest import make_nomination
from tests.awards.test_nominations_fixtures import (  # noqa: F401
    accepted_report,
    draft,
    make_ready,
    nominate,
    pdf,
    private_root,
    ready,
)
from tests.factories import PersonFactory, UserFactory


def problems(nomination, name):
    return list(eligibility.CHECKS[name](nomination))


def messages(nomination, name):
    return [problem.message for problem in problems(nomination, name)]


def record(form, year, *, person=None, unit=None):
    return AwardRecord.objects.create(
        year=year,
        form=form,
        form_name=str(form),
        recipient_kind="individual" if person else "collective",
        recipient_name=person.full_name if person else unit.name,
        person=person,
        unit=unit if person is None else person.unit,
        decision_number=f"{year}/QĐ-SKHCN",
        source=AwardRecord.Source.DEPARTMENT,
    )


def test_a_ready_nomination_has_no_problem_but_the_missing_registration(ready):
    """The registration for the title is a warning in the data (the person has none here)."""
    found = eligibility.check(ready)
    assert [(problem.check, problem.blocking) for problem in found] == [("rules", False)]
    assert found[0].message.startswith(REGISTRATION_WARNING.format(form="Lao động tiên tiến"))


# (a) nominee kind


def test_a_form_for_individuals_refuses_a_collective(annual_round, forms, own_unit):
    nomination = make_nomination(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, status="draft")
    assert messages(nomination, "nominee_kind") == [
        "Hình thức “Lao động tiên tiến” chỉ xét cho cá nhân, không xét cho tập thể."
    ]


def test_a_form_for_collectives_refuses_an_individual(annual_round, forms, own_unit, person):
    nomination = make_nomination(
        annual_round, forms["tap-the-lao-dong-tien-tien"], unit=own_unit, person=person, status="draft"
    )
    assert messages(nomination, "nominee_kind") == [
        "Hình thức “Tập thể lao động tiên tiến” chỉ xét cho tập thể, không xét cho cá nhân."
    ]


def test_a_form_for_both_takes_either(annual_round, forms, own_unit, person):
    collective = make_nomination(annual_round, forms["giay-khen-giam-doc-so"], unit=own_unit, status="draft")
    assert problems(collective, "nominee_kind") == []
    assert problems(collective, "form_on_offer") == []


# (b) round open, deadline, form on offer


def test_a_closed_round_refuses(draft):
    AwardRound.objects.filter(pk=draft.round_id).update(status=AwardRound.Status.CLOSED)
    draft.refresh_from_db()
    assert messages(draft, "round_open") == [
        f"Đợt “{draft.round}” không nhận hồ sơ (trạng thái: đã hết hạn nhận hồ sơ)."
    ]


def test_a_passed_deadline_refuses_with_the_date(draft):
    deadline = timezone.localdate() - datetime.timedelta(days=1)
    AwardRound.objects.filter(pk=draft.round_id).update(deadline=deadline)
    draft.refresh_from_db()
    assert messages(draft, "round_open") == [f"Đã hết hạn nộp hồ sơ của đợt này (hạn cuối ngày {deadline:%d/%m/%Y})."]
    assert problems(draft, "round_open")[0].blocking


def test_a_returned_nomination_may_come_back_after_the_deadline_while_the_round_is_not_finished(draft):
    Nomination.objects.filter(pk=draft.pk).update(status=Nomination.Status.RETURNED)
    AwardRound.objects.filter(pk=draft.round_id).update(
        deadline=timezone.localdate() - datetime.timedelta(days=1), status=AwardRound.Status.CLOSED
    )
    draft.refresh_from_db()
    assert problems(draft, "round_open") == []
    AwardRound.objects.filter(pk=draft.round_id).update(status=AwardRound.Status.FINISHED)
    draft.refresh_from_db()
    assert messages(draft, "round_open") == [f"Đợt “{draft.round}” đã kết thúc; không gửi lại được đề nghị."]


def test_a_form_taken_off_the_round_refuses(draft):
    RoundForm.objects.filter(round=draft.round, form=draft.form).delete()
    assert messages(draft, "form_on_offer") == [
        f"Hình thức “Lao động tiên tiến” không được xét trong đợt “{draft.round}”."
    ]


# (c) the form's award rules (each rule kind at its boundaries: tests/awards/test_rules*.py)

REGISTRATION_WARNING = "Có đăng ký thi đua danh hiệu “{form}” trong năm xét"


def rule_messages(nomination, *, blocking):
    return [problem.message for problem in problems(nomination, "rules") if problem.blocking == blocking]


@pytest.fixture
def csttcs(annual_round, forms, own_unit, staff, person):
    """Chiến sĩ thi đua cơ sở needs Lao động tiên tiến the same year."""
    return nominate(annual_round, forms["chien-si-thi-dua-co-so"], own_unit, staff, person)


LDTT_RULE = "Đạt danh hiệu “Lao động tiên tiến” trong năm xét: "
LDTT_ARTICLE = " (Luật Thi đua, khen thưởng 2022, Điều 23)."


def test_a_missing_same_year_prerequisite_refuses_with_its_article(csttcs, annual_round):
    assert f"{LDTT_RULE}Chưa đạt “Lao động tiên tiến” năm {annual_round.year}{LDTT_ARTICLE}" in rule_messages(
        csttcs, blocking=True
    )


def test_a_same_year_prerequisite_in_the_register_passes(csttcs, forms, person, annual_round):
    record(forms["lao-dong-tien-tien"], annual_round.year, person=person)
    assert not [message for message in rule_messages(csttcs, blocking=True) if message.startswith(LDTT_RULE)]


def test_last_years_title_does_not_satisfy_a_same_year_prerequisite(csttcs, forms, person, annual_round):
    record(forms["lao-dong-tien-tien"], annual_round.year - 1, person=person)
    assert [message for message in rule_messages(csttcs, blocking=True) if message.startswith(LDTT_RULE)]


def test_a_prerequisite_pending_in_the_same_round_is_a_warning(csttcs, draft, annual_round):
    assert (
        f"{LDTT_RULE}“Lao động tiên tiến” năm {annual_round.year}: chờ kết quả xét trong cùng đợt{LDTT_ARTICLE}"
        in rule_messages(csttcs, blocking=False)
    )
    assert not [message for message in rule_messages(csttcs, blocking=True) if message.startswith(LDTT_RULE)]


def test_a_withdrawn_prerequisite_nomination_no_longer_counts(csttcs, draft, head):
    services.nomination_withdraw(nomination=draft, actor=head)
    assert [message for message in rule_messages(csttcs, blocking=True) if message.startswith(LDTT_RULE)]


# (d) the unit's reports


def test_the_units_reports_for_the_rounds_periods_must_be_accepted(
    draft, open_period, own_unit, staff, head, reviewer, levels
):
    draft.round.periods.set([open_period])
    assert messages(draft, "reports_accepted") == [
        f"Báo cáo {open_period.label} của đơn vị chưa được Văn phòng tiếp nhận."
    ]
    accepted_report(open_period, own_unit, staff, head, reviewer, levels)
    assert problems(draft, "reports_accepted") == []


def test_another_units_accepted_report_does_not_count(draft, open_period, other_unit, other_staff, reviewer, levels):
    draft.round.periods.set([open_period])
    other_head = UserFactory(unit=other_unit, position="head")
    accepted_report(open_period, other_unit, other_staff, other_head, reviewer, levels)
    assert len(problems(draft, "reports_accepted")) == 1


# (e) quota


def test_the_quota_counts_sent_nominations_of_every_unit(draft, annual_round, forms, other_unit):
    RoundForm.objects.filter(round=annual_round, form=forms["lao-dong-tien-tien"]).update(quota=2)
    make_nomination(annual_round, forms["lao-dong-tien-tien"], unit=other_unit, person=PersonFactory(unit=other_unit))
    assert problems(draft, "quota") == []
    make_nomination(annual_round, forms["lao-dong-tien-tien"], unit=other_unit, person=PersonFactory(unit=other_unit))
    assert messages(draft, "quota") == ["Đã đủ chỉ tiêu 2 đề nghị “Lao động tiên tiến” của đợt này."]


def test_drafts_and_withdrawn_nominations_take_no_place(draft, annual_round, forms, other_unit):
    RoundForm.objects.filter(round=annual_round, form=forms["lao-dong-tien-tien"]).update(quota=1)
    for status in ("draft", "withdrawn"):
        make_nomination(
            annual_round,
            forms["lao-dong-tien-tien"],
            unit=other_unit,
            person=PersonFactory(unit=other_unit),
            status=status,
        )
    assert problems(draft, "quota") == []


def test_submission_is_refused_when_the_quota_is_full(ready, head, annual_round, forms, other_unit):
    RoundForm.objects.filter(round=annual_round, form=forms["lao-dong-tien-tien"]).update(quota=1)
    make_nomination(annual_round, forms["lao-dong-tien-tien"], unit=other_unit, person=PersonFactory(unit=other_unit))
    with pytest.raises(NotEligible, match="Đã đủ chỉ tiêu 1"):
        services.nomination_submit(nomination=ready, actor=head)
    ready.refresh_from_db()
    assert ready.status == Nomination.Status.DRAFT


# (f) duplicates


def test_a_second_open_nomination_of_the_same_person_is_a_problem(draft, forms, annual_round, other_unit):
    other = Nomination.objects.get(pk=draft.pk)
    other.pk = None
    other.status = Nomination.Status.WITHDRAWN
    other.save()
    assert problems(draft, "duplicate") == []
    assert messages(other, "duplicate") == ["Nguyễn Thị Đề Cử đã có đề nghị “Lao động tiên tiến” trong đợt này."]


def test_a_unit_nominated_twice_for_the_same_form_is_a_problem(annual_round, forms, own_unit, staff):
    first = nominate(annual_round, forms["tap-the-lao-dong-tien-tien"], own_unit, staff)
    unsaved = Nomination(
        round=annual_round,
        form=first.form,
        unit=own_unit,
        nominee_kind="collective",
        nominee_unit=own_unit,
        nominee_name=own_unit.name,
    )
    assert messages(unsaved, "duplicate") == [
        "Phòng Quản lý khoa học đã có đề nghị “Tập thể lao động tiên tiến” trong đợt này."
    ]
    assert problems(first, "duplicate") == []


# (g) dossier parts


def test_every_required_dossier_part_must_be_uploaded(draft, staff):
    assert messages(draft, "dossier") == [
        "Chưa tải lên thành phần hồ sơ bắt buộc: Báo cáo thành tích.",
        "Chưa tải lên thành phần hồ sơ bắt buộc: Biên bản bình xét của đơn vị.",
    ]
    services.dossier_add(nomination=draft, actor=staff, part="bao-cao-thanh-tich", upload=pdf())
    services.dossier_add(nomination=draft, actor=staff, part="bien-ban-binh-xet", upload=pdf())
    assert problems(draft, "dossier") == []


def test_a_lists_shared_dossier_counts_for_every_nomination_in_it(annual_round, forms, own_unit, staff):
    first, second = services.nomination_batch_create(
        award_round=annual_round,
        form=forms["lao-dong-tien-tien"],
        unit=own_unit,
        actor=staff,
        rows=[("Lê Văn Một", ""), ("Lê Văn Hai", "")],
    )
    services.dossier_add(nomination=first, actor=staff, part="bao-cao-thanh-tich", upload=pdf())
    services.dossier_add(nomination=first, actor=staff, part="bien-ban-binh-xet", upload=pdf())
    assert problems(second, "dossier") == []


# (h) achievement summary


def test_the_achievements_part_of_the_summary_is_required(draft, staff):
    assert messages(draft, "achievement") == [
        "Chưa nhập phần “II. Thành tích đạt được trong phong trào thi đua” của báo cáo thành tích."
    ]
    services.nomination_save(
        nomination=draft, actor=staff, achievement={"achievements": "   "}, evidence_reports=[], revision=0
    )
    draft.refresh_from_db()
    assert len(problems(draft, "achievement")) == 1
    services.nomination_save(
        nomination=draft, actor=staff, achievement={"achievements": "Đạt."}, evidence_reports=[], revision=1
    )
    draft.refresh_from_db()
    assert problems(draft, "achievement") == []


def test_a_warning_does_not_block_submission(annual_round, forms, own_unit, staff, head, person, draft):
    """Lao động tiên tiến pending in the round and no registration are warnings; the record holds the initiative,
    and seven people hold Lao động tiên tiến this year, so the 15% quota (rounded down) leaves one place."""
    year = annual_round.year
    Initiative.objects.create(person=person, title="Số hóa hồ sơ", year=year, recognised_by="Sở", scope="base")
    for number in range(7):
        record(forms["lao-dong-tien-tien"], year, person=PersonFactory(unit=own_unit, full_name=f"Người {number}"))
    csttcs = nominate(annual_round, forms["chien-si-thi-dua-co-so"], own_unit, staff, person)
    csttcs = make_ready(csttcs, staff)
    services.dossier_add(nomination=csttcs, actor=staff, part="minh-chung-sang-kien", upload=pdf())
    assert [problem.blocking for problem in eligibility.check(csttcs)] == [False, False]
    assert services.nomination_submit(nomination=csttcs, actor=head).status == Nomination.Status.SUBMITTED
