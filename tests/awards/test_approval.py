"""Leadership approves or rejects the council's recommendations: one by one or in bulk, all or nothing."""

# Fixtures imported from the support modules are redefined as test parameters: that is how pytest uses them.
# ruff: noqa: F811

import pytest
from django.urls import reverse

from awards.errors import AwardError, InvalidTransition, NotAllowed
from awards.models import Nomination, NominationTransition
from awards.services.outcomes import nomination_approve, nomination_reject, nominations_decide
from notifications.models import Notification
from tests.awards.conftest import make_nomination
from tests.awards.test_outcomes_support import held_meeting, recommended  # noqa: F401 — fixture
from tests.query_budget import PAGE, WAITING_LEADERSHIP

Status = Nomination.Status
pytestmark = pytest.mark.django_db


@pytest.fixture
def two(annual_round, forms, own_unit, other_unit, person, other_person):
    return [
        recommended(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person),
        recommended(annual_round, forms["lao-dong-tien-tien"], unit=other_unit, person=other_person),
    ]


def statuses(nominations):
    return [Nomination.objects.get(pk=nomination.pk).status for nomination in nominations]


def test_leader_approves_a_recommended_nomination(two, leader, head, reviewer):
    nomination = nomination_approve(nomination=two[0], actor=leader)
    nomination.refresh_from_db()
    assert nomination.status == Status.APPROVED
    assert nomination.decided_by == leader
    assert nomination.decided_at is not None
    transition = NominationTransition.objects.get(nomination=nomination)
    assert (transition.action, transition.from_status, transition.to_status) == ("approve", "recommended", "approved")
    assert Notification.objects.filter(recipient=head, message__contains="đồng ý khen thưởng").exists()
    assert Notification.objects.filter(recipient=reviewer).exists()


def test_leader_rejects_with_a_reason(two, leader):
    nomination_reject(nomination=two[0], actor=leader, reason="Chưa đủ thành tích nổi bật.")
    two[0].refresh_from_db()
    assert two[0].status == Status.REJECTED
    assert two[0].rejection_reason == "Chưa đủ thành tích nổi bật."


def test_rejection_without_a_reason_is_refused_and_changes_nothing(two, leader):
    with pytest.raises(AwardError, match="lý do"):
        nomination_reject(nomination=two[0], actor=leader, reason="   ")
    assert statuses(two) == [Status.RECOMMENDED, Status.RECOMMENDED]
    assert not NominationTransition.objects.exists()


def test_only_leadership_decides(two, reviewer, head):
    for actor in (reviewer, head):
        with pytest.raises(NotAllowed):
            nomination_approve(nomination=two[0], actor=actor)
    assert statuses(two) == [Status.RECOMMENDED, Status.RECOMMENDED]


def test_bulk_is_all_or_nothing(two, leader, annual_round, forms, own_unit):
    on_agenda = make_nomination(annual_round, forms["giay-khen-giam-doc-so"], unit=own_unit, status=Status.ON_AGENDA)
    with pytest.raises(InvalidTransition):
        nominations_decide(ids=[two[0].pk, two[1].pk, on_agenda.pk], actor=leader, approve=True)
    assert statuses(two) == [Status.RECOMMENDED, Status.RECOMMENDED]
    nominations_decide(ids=[two[0].pk, two[1].pk], actor=leader, approve=True)
    assert statuses(two) == [Status.APPROVED, Status.APPROVED]


def test_a_repeat_changes_nothing(two, leader):
    nomination_approve(nomination=two[0], actor=leader)
    with pytest.raises(InvalidTransition):
        nomination_approve(nomination=two[0], actor=leader)
    with pytest.raises(InvalidTransition):
        nomination_reject(nomination=two[0], actor=leader, reason="Đổi ý.")
    assert statuses(two)[0] == Status.APPROVED
    assert NominationTransition.objects.filter(nomination=two[0]).count() == 1


# --- the pages ------------------------------------------------------------------------------------------


def test_director_bulk_approves_in_the_page(client, two, leader):
    client.force_login(leader)
    response = client.post(
        reverse("awards:approvals"), {"nominations": [two[0].pk, two[1].pk], "action": "approve", "reason": ""}
    )
    assert response.status_code == 302
    assert statuses(two) == [Status.APPROVED, Status.APPROVED]


def test_bulk_reject_without_reason_keeps_what_was_typed(client, two, leader):
    client.force_login(leader)
    response = client.post(reverse("awards:approvals"), {"nominations": [two[1].pk], "action": "reject", "reason": ""})
    assert response.status_code == 400
    assert "Vui lòng ghi lý do không đồng ý." in response.content.decode()
    assert f'value="{two[1].pk}" id="pick-{two[1].pk}" checked' in response.content.decode()
    assert statuses(two) == [Status.RECOMMENDED, Status.RECOMMENDED]


def test_bulk_without_a_choice_is_refused(client, two, leader):
    client.force_login(leader)
    response = client.post(reverse("awards:approvals"), {"action": "approve"})
    assert response.status_code == 400
    assert "Vui lòng chọn ít nhất một đề nghị khen thưởng." in response.content.decode()


def test_single_reject_page_requires_a_reason(client, two, leader):
    client.force_login(leader)
    url = reverse("awards:nomination_reject", args=[two[0].pk])
    response = client.post(url, {"reason": ""})
    assert response.status_code == 400
    assert statuses(two)[0] == Status.RECOMMENDED
    response = client.post(url, {"reason": "Không đạt tiêu chuẩn."})
    assert response.status_code == 302
    assert statuses(two)[0] == Status.REJECTED


def test_single_approve_redirects_to_a_safe_next_only(client, two, leader):
    client.force_login(leader)
    url = reverse("awards:nomination_approve", args=[two[0].pk])
    response = client.post(url, {"next": "https://evil.example/"})
    assert response.headers["Location"] == reverse("awards:approvals")


@pytest.mark.parametrize(
    ("persona", "expected"), [("reviewer", 403), ("head", 404), ("council_member", 404), ("other_staff", 404)]
)
def test_who_may_not_decide(client, request, two, persona, expected):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("awards:approvals")).status_code == expected
    response = client.post(reverse("awards:approvals"), {"nominations": [two[0].pk], "action": "approve"})
    assert response.status_code == expected
    assert statuses(two) == [Status.RECOMMENDED, Status.RECOMMENDED]


def test_office_gets_403_on_a_single_approve_and_nothing_changes(client, two, reviewer):
    client.force_login(reviewer)
    assert client.post(reverse("awards:nomination_approve", args=[two[0].pk])).status_code == 403
    assert statuses(two)[0] == Status.RECOMMENDED


def test_approve_is_post_only(client, two, leader):
    client.force_login(leader)
    assert client.get(reverse("awards:nomination_approve", args=[two[0].pk])).status_code == 405


@pytest.mark.parametrize("size", [2, 10])
def test_approvals_page_query_count_does_not_grow(
    client, leader, annual_round, forms, own_unit, held_meeting, size, django_assert_num_queries
):
    from units.models import Person

    for index in range(size):
        person = Person.objects.create(full_name=f"Người Thứ {index}", position_title="Chuyên viên", unit=own_unit)
        recommended(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person, meeting=held_meeting)
    client.force_login(leader)
    # Its own: the rounds, every recommendation's id, the page of rows and the council's votes on them.
    with django_assert_num_queries(PAGE + WAITING_LEADERSHIP + 4):
        response = client.get(reverse("awards:approvals"))
    assert response.status_code == 200
    assert response.content.decode().count('data-testid="approval-row"') == size
