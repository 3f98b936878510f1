"""The register of outgoing documents at scale (issue 17, item 3): its queries pinned at two sizes, its counts over
the whole year whatever the page or filter, the table paginated on the server."""

import datetime

import pytest
from django.urls import reverse

from documents.models import OutgoingDocument
from documents.views import REGISTER_PAGE_SIZE
from tests.query_budget import PAGE, WAITING_OFFICE

pytestmark = pytest.mark.django_db
URL = reverse("documents:register")
# Every page's (tests/query_budget.py), then the register's years and the year's entries with their recorders.
REGISTER_QUERIES = PAGE + WAITING_OFFICE + 2


def entries(actor, start, count, *, type_code="BC", year=2026):
    """`count` entries numbered from `start`: every third given by the clerk, every tenth dated back."""
    OutgoingDocument.objects.bulk_create(
        OutgoingDocument(
            year=year,
            issuer_code="SKHCN",
            type_code=type_code,
            number=number,
            issued_on=datetime.date(year, 1, 1) + datetime.timedelta(days=number // 2),
            summary=f"Văn bản số {number} về thi đua",
            source="clerk" if number % 3 == 0 else "portal",
            recorded_by=actor,
            out_of_order=number % 10 == 0,
            out_of_order_reason="Văn thư cấp số trên sổ giấy." if number % 10 == 0 else "",
        )
        for number in range(start, start + count)
    )


def counts(response):
    context = response.context
    return (context["total"], context["sources"], context["dated_back_count"], context["registers"])


def test_the_page_runs_the_same_queries_for_5_and_250_entries(client, reviewer, django_assert_num_queries):
    entries(reviewer, 1, 5)
    client.force_login(reviewer)
    client.get(URL)  # the session and the user once
    with django_assert_num_queries(REGISTER_QUERIES):
        small = client.get(URL)
    entries(reviewer, 6, 200)
    entries(reviewer, 1, 45, type_code="KH")
    with django_assert_num_queries(REGISTER_QUERIES):
        large = client.get(URL)
    assert (small.context["total"], large.context["total"]) == (5, 250)
    assert len(large.context["entries"]) == REGISTER_PAGE_SIZE


def test_the_counts_are_the_whole_years_on_every_page_and_filter(client, reviewer):
    entries(reviewer, 1, 230)
    entries(reviewer, 1, 20, type_code="KH")
    client.force_login(reviewer)
    first = client.get(URL)
    assert first.context["total"] == 250
    assert {key: count for key, _, count in first.context["sources"]} == {"portal": 168, "clerk": 82}
    assert first.context["dated_back_count"] == 25
    for params in ({"page": "3"}, {"nguon": "clerk"}, {"lui": "1"}, {"q": "số 12 "}, {"so": "SKHCN|KH"}):
        assert counts(client.get(URL, params)) == counts(first), params
    clerk = client.get(URL, {"nguon": "clerk"})
    assert clerk.context["shown"] == 82
    assert {entry.source for entry in clerk.context["entries"]} == {"clerk"}
    back = client.get(URL, {"lui": "1"})
    assert back.context["shown"] == 25
    assert all(entry.dated_back for entry in back.context["entries"])
    plans = client.get(URL, {"so": "SKHCN|KH"})
    assert plans.context["shown"] == 20
    assert [entry.symbol for entry in plans.context["entries"]][:2] == ["01/KH-SKHCN", "02/KH-SKHCN"]


def test_the_pages_split_the_register_without_losing_or_repeating_a_row(client, reviewer):
    entries(reviewer, 1, 250)
    client.force_login(reviewer)
    seen = []
    for number in (1, 2, 3):
        response = client.get(URL, {"page": number})
        seen += [entry.number for entry in response.context["entries"]]
    assert seen == list(range(1, 251))
    page = client.get(URL, {"page": 2, "nguon": "portal"}).content.decode()
    # The page links keep the filters; the counts line says where the page stands.
    assert "nam=2026&amp;nguon=portal&amp;page=1" in page
    assert "Văn bản 101–167 trong 167 văn bản khớp bộ lọc" in page


def test_an_unknown_or_out_of_range_page_answers_the_nearest(client, reviewer):
    entries(reviewer, 1, 150)
    client.force_login(reviewer)
    assert client.get(URL, {"page": "99"}).context["page"].number == 2
    assert client.get(URL, {"page": "x"}).context["page"].number == 1
