"""The register of outgoing documents on its page: one year's numbers, those dated back marked."""

import datetime

import pytest
from django.urls import reverse

from documents.register import register_next_number, register_record_number
from tests.query_budget import PAGE, WAITING_OFFICE

pytestmark = pytest.mark.django_db
URL = reverse("documents:register")


def take(actor, issued_on, **kwargs):
    return register_next_number(
        issuer_code="SKHCN", type_code="BC", issued_on=issued_on, summary="Báo cáo kết quả", actor=actor, **kwargs
    )


def test_the_register_marks_a_number_dated_back_with_the_clerks_reason(client, reviewer):
    take(reviewer, datetime.date(2026, 7, 10))
    register_record_number(
        issuer_code="SKHCN",
        type_code="BC",
        number=2,
        issued_on=datetime.date(2026, 1, 12),
        summary="Báo cáo bổ sung",
        actor=reviewer,
        confirmation="Văn thư cấp số trên sổ giấy.",
    )
    take(reviewer, datetime.date(2026, 7, 11))
    client.force_login(reviewer)
    response = client.get(URL, {"nam": "2026"})
    assert response.status_code == 200
    rows = [(entry.number, entry.dated_back) for entry in response.context["entries"]]
    assert rows == [(1, False), (2, True), (3, False)]
    page = response.content.decode()
    assert page.count('data-testid="dated-back"') == 1
    assert "Số lùi ngày" in page
    assert "Văn thư xác nhận: Văn thư cấp số trên sổ giấy." in page


def test_older_rows_dated_back_are_marked_too(client, leader, reviewer):
    """Rows recorded before the register checked dates carry no flag: the page compares them itself."""
    take(reviewer, datetime.date(2026, 7, 10))
    entry = take(reviewer, datetime.date(2026, 7, 12))
    type(entry).objects.filter(pk=entry.pk).update(issued_on=datetime.date(2026, 1, 12))
    client.force_login(leader)
    response = client.get(URL)
    assert [(entry.number, entry.dated_back) for entry in response.context["entries"]] == [(1, False), (2, True)]


def test_the_page_reads_in_a_fixed_number_of_queries(client, reviewer, django_assert_num_queries):
    for day in range(1, 4):
        take(reviewer, datetime.date(2026, 3, day))
    client.force_login(reviewer)
    client.get(URL)  # the session and the user once
    # The page skeleton's (session, user, capabilities, notifications), then the years and the entries with
    # their recorder; +15: the waiting list behind the menu's counts (overview/waiting.py).
    with django_assert_num_queries(PAGE + 2 + WAITING_OFFICE):
        client.get(URL)
    for day in range(4, 12):
        take(reviewer, datetime.date(2026, 3, day))
    with django_assert_num_queries(PAGE + 2 + WAITING_OFFICE):
        client.get(URL)


def test_a_unit_never_sees_the_register(client, head):
    client.force_login(head)
    assert client.get(URL).status_code == 404
