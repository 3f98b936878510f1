"""The award rules checked again when the office drafts a decision or a proposal, leadership's written override, and
the office's list of nominations on their way that the rules now fail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from awards.errors import AwardError, NotAllowed
from awards.models import ClassificationRecord, Nomination, NominationTransition
from awards.services import outcomes, overrides
from tests.awards.conftest import make_meeting, make_nomination, put_on_agenda
from units.models import Person

APPROVED = Nomination.Status.APPROVED
CLASSIFICATION_ARTICLE = "Luật Thi đua, khen thưởng 2022, Điều 24"


@pytest.fixture
def approved(annual_round, forms, own_unit, person):
    """Lao động tiên tiến, approved by leadership; the nominee classified "good" this year (the rules pass)."""
    return make_nomination(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person, status=APPROVED)


def _unclassify(nomination):
    """The record corrected after the council: the classification was entered by mistake."""
    ClassificationRecord.objects.filter(person=nomination.person).delete()


def test_the_decision_is_drafted_when_the_rules_pass(approved, reviewer):
    (decision,) = outcomes.decisions_create(award_round=approved.round, actor=reviewer)
    approved.refresh_from_db()
    assert approved.decision == decision


def test_a_record_corrected_since_the_council_stops_the_draft_and_names_the_article(approved, reviewer):
    _unclassify(approved)
    with pytest.raises(AwardError) as refused:
        outcomes.decisions_create(award_round=approved.round, actor=reviewer)
    assert approved.nominee_name in refused.value.message
    assert CLASSIFICATION_ARTICLE in refused.value.message
    approved.refresh_from_db()
    assert approved.decision is None  # nothing drafted


def test_the_directors_override_with_a_reason_is_kept_and_lets_the_draft_go(approved, reviewer, leader):
    _unclassify(approved)
    record = overrides.rules_override(nomination=approved, actor=leader, reason="Đã có xếp loại giấy, đang nhập lại.")
    assert record.action == overrides.OVERRIDE
    assert "Đã có xếp loại giấy" in record.comment
    assert CLASSIFICATION_ARTICLE in record.comment  # the rules it overrode, with their articles
    (decision,) = outcomes.decisions_create(award_round=approved.round, actor=reviewer)
    approved.refresh_from_db()
    assert approved.decision == decision


def test_only_leadership_overrides_never_without_a_reason_nor_when_nothing_fails(approved, reviewer, leader):
    with pytest.raises(AwardError, match="đạt mọi điều kiện"):
        overrides.rules_override(nomination=approved, actor=leader, reason="Lý do.")
    _unclassify(approved)
    with pytest.raises(NotAllowed):
        overrides.rules_override(nomination=approved, actor=reviewer, reason="Lý do.")
    with pytest.raises(AwardError) as refused:
        overrides.rules_override(nomination=approved, actor=leader, reason="  ")
    assert refused.value.field == "reason"
    assert not NominationTransition.objects.filter(nomination=approved, action=overrides.OVERRIDE).exists()


def test_the_override_form_keeps_what_was_typed_and_refuses_an_empty_reason(client, approved, leader, staff):
    _unclassify(approved)
    url = reverse("awards:nomination_rules_override", args=[approved.pk])
    client.force_login(leader)
    page = client.get(reverse("awards:nomination_detail", args=[approved.pk])).content.decode()
    assert 'data-testid="rules-override-form"' in page
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert "Vui lòng ghi rõ lý do" in response.content.decode()
    response = client.post(url, {"reason": "Đã có xếp loại giấy."})
    assert response.status_code == 302
    assert "Đã có xếp loại giấy" in client.get(response["Location"]).content.decode()
    client.force_login(staff)
    assert client.post(url, {"reason": "Lý do."}).status_code == 403


def test_the_office_lists_the_nominations_on_their_way_that_now_fail(
    client, annual_round, forms, own_unit, person, reviewer, staff
):
    lao_dong = forms["lao-dong-tien-tien"]
    failing = [
        make_nomination(annual_round, lao_dong, unit=own_unit, person=make_person(own_unit, number), status=status)
        for number, status in enumerate((Nomination.Status.SUBMITTED, APPROVED))
    ]
    passing = make_nomination(annual_round, lao_dong, unit=own_unit, person=person, status=APPROVED)
    rows = overrides.failing_in_pipeline()
    assert [nomination.pk for nomination, _, _ in rows] == [nomination.pk for nomination in failing]
    assert passing.pk not in {nomination.pk for nomination, _, _ in rows}

    url = reverse("awards:nominations_failing_rules")
    client.force_login(reviewer)
    page = client.get(url).content.decode()
    assert page.count('data-testid="failing-row"') == 2
    assert CLASSIFICATION_ARTICLE in page
    few = _queries(client, url)
    for number in range(2, 6):
        make_nomination(annual_round, lao_dong, unit=own_unit, person=make_person(own_unit, number))
    assert _queries(client, url) == few  # the rules of the whole pipeline in a fixed number of queries
    client.force_login(staff)
    assert client.get(url).status_code == 404


def make_person(unit, number):
    return Person.objects.create(full_name=f"Người Chưa Xếp Loại {number}", unit=unit)


def _queries(client, url):
    with CaptureQueriesContext(connection) as captured:
        client.get(url)
    return len(captured.captured_queries)


def test_the_council_sees_on_its_agenda_the_rules_the_record_now_fails(
    client, annual_round, forms, own_unit, person, council, reviewer
):
    meeting = make_meeting(annual_round, council, created_by=reviewer)
    lao_dong = forms["lao-dong-tien-tien"]
    unclassified = make_nomination(annual_round, lao_dong, unit=own_unit, person=make_person(own_unit, 9))
    classified_one = make_nomination(annual_round, lao_dong, unit=own_unit, person=person)
    put_on_agenda(meeting, unclassified)
    put_on_agenda(meeting, classified_one)
    client.force_login(reviewer)
    page = client.get(reverse("awards:meeting_detail", args=[meeting.pk])).content.decode()
    assert page.count('data-testid="agenda-failed-rules"') == 1
    assert CLASSIFICATION_ARTICLE in page


def test_a_council_member_reads_the_record_of_a_nominee_on_their_agenda_only(
    client, annual_round, forms, own_unit, person, council, council_member, reviewer
):
    nomination = make_nomination(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person)
    record = reverse("awards:person_record", args=[person.pk])
    unit_record = reverse("awards:unit_record", args=[own_unit.pk])
    client.force_login(council_member)
    assert client.get(record).status_code == 404  # not on any agenda of theirs yet
    put_on_agenda(make_meeting(annual_round, council, created_by=reviewer), nomination)
    assert client.get(record).status_code == 200
    assert client.get(unit_record).status_code == 404  # the unit's own collective is not on the agenda
