"""Query counts of the reports pages: pinned, and the same for 4 units as for 12 (no N+1).

Each test measures a page with a small world, grows the world threefold, measures again, and
checks both against the pinned number. A page that starts to query per row fails here first: eight
more rows, at least eight more queries.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from reports import services
from tests.factories import UnitFactory, UserFactory
from tests.query_budget import PAGE, WAITING_LEADERSHIP, WAITING_OFFICE, WAITING_UNIT
from tests.reports.conftest import complete

# Every page: PAGE (session, user, groups, unread count, the session saved again), then the menu's waiting list
# (tests/query_budget.py), then its own.
MATRIX_QUERIES = PAGE + 4  # campaign, periods, units, reports (the waiting list added per role in the tests)
TODO_QUERIES = PAGE + WAITING_UNIT + 3  # campaign, periods, the unit's reports
NOTIFICATIONS_QUERIES = PAGE + WAITING_OFFICE + 1  # the notifications
# The report; its results, indicators and sections; evidence; comments; assessment levels; the
# previous report (two queries when there is none of the same kind); one trend per indicator; and what the
# apps built on reports add (reports.extensions), emulation's: the notes beside criteria and indicators (the
# unit's registered commitments, 1) and the review panel of registered vs achieved (1).
REVIEW_QUERIES = PAGE + WAITING_OFFICE + 10 + 2
# The report; its results, indicators and sections; evidence; comments; assessment levels; its stored files;
# the notes beside criteria and indicators (reports.extensions: emulation's registered commitments, 1).
DETAIL_QUERIES = PAGE + WAITING_UNIT + 8 + 1

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"


@pytest.fixture(autouse=True)
def private_files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


# The small world has one unit in each state; growing it adds two more of each.
SMALL, MORE = 4, 8


def add_units(count, period, reviewer, levels):
    """`count` more units with a mix of states for the period: not started, draft, submitted, accepted."""
    for number in range(count):
        unit = UnitFactory()
        head = UserFactory(unit=unit, position="head")
        state = number % 4
        if state == 0:
            continue
        report = services.report_start(unit=unit, period=period, actor=head)
        if state == 1:
            continue
        services.report_submit(report=complete(report, head, levels), actor=head)
        if state == 3:
            services.report_accept(report=report, actor=reviewer)


def queries_of(client, url):
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
    assert response.status_code == 200
    return len(context.captured_queries)


def assert_fixed(client, url, grow, pinned):
    client.get(url)  # the first visit may write once (a review opened, a session saved)
    small = queries_of(client, url)
    grow()
    large = queries_of(client, url)
    assert (small, large) == (pinned, pinned)


def test_matrix_queries_are_the_same_for_few_and_more_units(client, reviewer, open_period, levels):
    add_units(SMALL, open_period, reviewer, levels)
    client.force_login(reviewer)
    url = f"{reverse('reports:matrix')}?period={open_period.code}"
    assert_fixed(client, url, lambda: add_units(MORE, open_period, reviewer, levels), MATRIX_QUERIES + WAITING_OFFICE)


def test_matrix_queries_for_leadership_are_the_same_as_for_the_office(client, leader, reviewer, open_period, levels):
    add_units(SMALL, open_period, reviewer, levels)
    client.force_login(leader)
    url = f"{reverse('reports:matrix')}?period={open_period.code}"
    # The matrix's own queries are the office's; the menu's waiting list is the leadership's (fewer).
    assert_fixed(
        client, url, lambda: add_units(MORE, open_period, reviewer, levels), MATRIX_QUERIES + WAITING_LEADERSHIP
    )


def test_todo_queries_are_the_same_for_one_report_and_many(
    client, staff, head, reviewer, own_unit, open_period, earlier_period, plan, levels
):
    add_units(SMALL, open_period, reviewer, levels)
    services.report_start(unit=own_unit, period=open_period, actor=staff)
    client.force_login(staff)

    def grow():
        add_units(MORE, open_period, reviewer, levels)
        for code in ("2024-FY", "2025-H1"):
            report = services.report_start(unit=own_unit, period=plan.periods.get(code=code), actor=staff)
            services.report_submit(report=complete(report, staff, levels), actor=head)
        services.report_start(unit=own_unit, period=earlier_period, actor=staff)

    assert_fixed(client, reverse("reports:todo"), grow, TODO_QUERIES)


def test_notifications_queries_are_the_same_for_few_and_more(client, reviewer, open_period, levels):
    add_units(SMALL, open_period, reviewer, levels)  # two of them submit: two notifications
    assert reviewer.notifications.count() == 2
    client.force_login(reviewer)

    def grow():
        add_units(MORE, open_period, reviewer, levels)
        assert reviewer.notifications.count() == 6

    assert_fixed(client, reverse("notifications:list"), grow, NOTIFICATIONS_QUERIES)


def test_review_queries_do_not_grow_with_evidence_comments_or_units(
    client, reviewer, submitted, staff, head, open_period, levels
):
    add_units(SMALL, open_period, reviewer, levels)
    client.force_login(reviewer)
    results = list(submitted.results.all())

    def grow():
        add_units(MORE, open_period, reviewer, levels)
        for result in results:
            services.report_comment(report=submitted, actor=reviewer, text="Cần bổ sung.", result=result)
        services.report_comment(report=submitted, actor=reviewer, text="Nhận xét chung.")

    services.report_comment(report=submitted, actor=reviewer, text="Cần bổ sung.", result=results[0])
    assert_fixed(client, reverse("reports:review", args=[submitted.pk]), grow, REVIEW_QUERIES)


def test_report_page_queries_are_pinned_and_do_not_grow_with_evidence(client, staff, draft):
    results = list(draft.results.all())

    def attach(result):
        services.evidence_add(result=result, actor=staff, upload=SimpleUploadedFile("Biên bản.pdf", PDF))

    attach(results[0])
    client.force_login(staff)

    def grow():
        for result in results:
            attach(result)
            attach(result)

    assert_fixed(client, draft.get_absolute_url(), grow, DETAIL_QUERIES)
