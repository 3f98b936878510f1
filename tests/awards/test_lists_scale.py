"""The awards lists that grow with units and people (issue 17, item 3): each costs the same number of queries at 5
rows and at 60, shows a page at a time with the counts of the whole set on every page, and its download holds every
matching row. The pages are made small here (monkeypatched) so that 60 rows span three of them."""

import datetime
import io

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from awards.models import AwardRecord, Nomination
from awards.views import nominations as nomination_views
from awards.views import outcomes as outcome_views
from awards.views import public as public_views
from awards.views import register as register_views
from tests.awards.conftest import make_nomination
from tests.factories import UserFactory
from tests.query_budget import PAGE, WAITING_LEADERSHIP, WAITING_OFFICE, WAITING_UNIT
from units.models import Person

SIZES = [5, 60]
PAGE_ROWS = 25
Status = Nomination.Status
# The office's list turns over these states; the counts of each are over the whole list.
STATES = (Status.SUBMITTED, Status.RETURNED, Status.ON_AGENDA)

# Each page's own queries, after what every signed-in page costs (tests/query_budget.py).
# The office reviewer sits in a unit too: the unit's part (its nominations' count — none here, so no rows —, the
# open rounds and their forms), then the office's: the counts by status, the page of rows (its count is the counts'
# sum), and the round, form and unit filters' options.
OFFICE_LIST = PAGE + WAITING_OFFICE + 8
# A unit member: the unit's count and page of nominations, the open rounds and their forms.
UNIT_LIST = PAGE + WAITING_UNIT + 4
# Leadership's approvals: the rounds, every recommendation's id (what may be ticked, the counts), the page of rows
# and the council's votes on them.
APPROVALS = PAGE + WAITING_LEADERSHIP + 4
# The register: the years on record, the form filter's options, the count, the page.
REGISTER = PAGE + WAITING_OFFICE + 4
# The nominations on their way that fail the rules: the pipeline's nominations, what the rules read of the record
# and the overrides, in the fixed number of queries of awards.services.overrides.failing_in_pipeline (11 today),
# shown a page at a time (the count is the list's length: no query).
FAILING_RULES = PAGE + WAITING_OFFICE + 11
# The register's rows outside the catalogue: the count, the page, the catalogue (the suggestions are worked out in
# Python).
UNMAPPED = PAGE + WAITING_OFFICE + 3
# Anonymous pages, nothing before their own queries: the years, the year's count, the page of records; the notice's
# count and page of nominees.
PUBLIC_AWARDS = 3
PUBLIC_NOTICE = 2


@pytest.fixture
def small_pages(monkeypatch):
    for module, name in (
        (nomination_views, "PAGE_SIZE"),
        (outcome_views, "APPROVALS_PAGE_SIZE"),
        (public_views, "PAGE_SIZE"),
        (register_views, "PER_PAGE"),
    ):
        monkeypatch.setattr(module, name, PAGE_ROWS)


def _people(unit, count, prefix):
    return Person.objects.bulk_create(
        [Person(full_name=f"{prefix} {number:03d}", position_title="Chuyên viên", unit=unit) for number in range(count)]
    )


def _nominations(award_round, form, unit, count, *, statuses=STATES, prefix="Người Đề Nghị"):
    actor = UserFactory(unit=unit, position="head")
    return [
        make_nomination(
            award_round, form, unit=unit, person=person, status=statuses[index % len(statuses)], actor=actor
        )
        for index, person in enumerate(_people(unit, count, prefix))
    ]


def _records(count, year=2025, unit=None):
    records = []
    for number in range(count):
        record = AwardRecord(
            year=year,
            form_name="Lao động tiên tiến",
            recipient_kind="individual",
            recipient_name=f"Người Được Khen {number:03d}",
            unit=unit,
            unit_name=unit.name if unit else "Phòng Kế hoạch - Tài chính",
            decision_number="05/QĐ-SKHCN",
            decision_date=datetime.date(year, 12, 20),
            source=AwardRecord.Source.IMPORTED,
        )
        record.fill_search_key()
        records.append(record)
    AwardRecord.objects.bulk_create(records)


def _every_page(client, url, params, param, count, names_of):
    """The names on every page of a list, asserting each page holds PAGE_ROWS rows but the last."""
    seen = []
    pages = -(-count // PAGE_ROWS)
    for number in range(1, pages + 1):
        response = client.get(url, {**params, param: number})
        names = names_of(response)
        assert len(names) == (PAGE_ROWS if number < pages else count - PAGE_ROWS * (pages - 1))
        seen.extend(names)
    return seen


# --- the office's nominations list -----------------------------------------------------------------


def _office_names(response):
    return [row[1] for _, _, rows in response.context["groups"] for row in rows]


@pytest.mark.parametrize("size", SIZES)
def test_the_office_nominations_list_costs_the_same_at_5_and_60(
    client, reviewer, annual_round, forms, other_unit, small_pages, size, django_assert_num_queries
):
    _nominations(annual_round, forms["lao-dong-tien-tien"], other_unit, size)
    client.force_login(reviewer)
    with django_assert_num_queries(OFFICE_LIST):
        response = client.get(reverse("awards:nomination_list"))
    assert len(_office_names(response)) == min(size, PAGE_ROWS)
    assert response.context["total"] == size


def test_the_office_nominations_list_counts_the_whole_list_on_every_page_and_each_row_once(
    client, reviewer, annual_round, forms, other_unit, small_pages
):
    _nominations(annual_round, forms["lao-dong-tien-tien"], other_unit, 60)
    client.force_login(reviewer)
    url = reverse("awards:nomination_list")
    first = client.get(url).content.decode()
    assert "Tổng số: <strong>60</strong>" in first
    assert "Đã gửi: <strong>20</strong>" in first
    assert "Trang sau" in first
    assert "Trang trước" not in first
    third = client.get(url, {"page": 3}).content.decode()
    assert "Tổng số: <strong>60</strong>" in third
    assert "Đã gửi: <strong>20</strong>" in third
    assert "Trang trước" in third
    assert "Trang sau" not in third
    names = _every_page(client, url, {}, "page", 60, _office_names)
    assert sorted(names) == [f"Người Đề Nghị {number:03d}" for number in range(60)]
    # A page past the last answers the last; a filter keeps the counts of the whole list and pages what it keeps.
    assert _office_names(client.get(url, {"page": 99})) == names[-10:]
    returned = client.get(url, {"status": Status.RETURNED, "page": 1})
    assert returned.context["total"] == 60
    assert returned.context["page"].paginator.count == 20
    assert _every_page(client, url, {"status": Status.RETURNED}, "page", 20, _office_names) == sorted(
        name for name in names if int(name[-3:]) % 3 == 1
    )


def test_the_office_list_links_each_row_to_its_nomination(client, reviewer, annual_round, forms, other_unit):
    nomination = _nominations(annual_round, forms["lao-dong-tien-tien"], other_unit, 1)[0]
    client.force_login(reviewer)
    page = client.get(reverse("awards:nomination_list")).content.decode()
    assert f'href="{reverse("awards:nomination_detail", args=[nomination.pk])}"' in page
    assert timezone.localtime(nomination.submitted_at).strftime("%d/%m/%Y %H:%M") in page


# --- a unit's own nominations --------------------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_the_unit_nominations_list_costs_the_same_at_5_and_60(
    client, staff, own_unit, annual_round, forms, small_pages, size, django_assert_num_queries
):
    _nominations(annual_round, forms["lao-dong-tien-tien"], own_unit, size, statuses=(Status.DRAFT, Status.SUBMITTED))
    client.force_login(staff)
    with django_assert_num_queries(UNIT_LIST):
        response = client.get(reverse("awards:nomination_list"))
    assert len(response.context["own"]) == min(size, PAGE_ROWS)
    assert response.context["own_page"].paginator.count == size


def test_the_unit_nominations_list_pages_through_every_one(client, staff, own_unit, annual_round, forms, small_pages):
    _nominations(annual_round, forms["lao-dong-tien-tien"], own_unit, 60, statuses=(Status.DRAFT,))
    client.force_login(staff)
    names = _every_page(
        client, reverse("awards:nomination_list"), {}, "trang", 60, lambda r: [row[1] for row in r.context["own"]]
    )
    assert sorted(names) == [f"Người Đề Nghị {number:03d}" for number in range(60)]


# --- leadership's approvals ----------------------------------------------------------------------


def _approval_names(response):
    return [
        nomination.nominee_name
        for _, forms in response.context["groups"]
        for _, ones, _ in forms
        for nomination in ones
    ]


@pytest.mark.parametrize("size", SIZES)
def test_the_approvals_cost_the_same_at_5_and_60(
    client, leader, annual_round, forms, own_unit, small_pages, size, django_assert_num_queries
):
    _nominations(annual_round, forms["lao-dong-tien-tien"], own_unit, size, statuses=(Status.RECOMMENDED,))
    client.force_login(leader)
    with django_assert_num_queries(APPROVALS):
        response = client.get(reverse("awards:approvals"))
    assert len(_approval_names(response)) == min(size, PAGE_ROWS)
    assert response.context["count"] == size


def test_the_approvals_page_through_every_one_and_a_row_of_the_last_page_may_be_approved(
    client, leader, annual_round, forms, own_unit, small_pages
):
    nominations = _nominations(annual_round, forms["lao-dong-tien-tien"], own_unit, 60, statuses=(Status.RECOMMENDED,))
    client.force_login(leader)
    url = reverse("awards:approvals")
    names = _every_page(client, url, {}, "page", 60, _approval_names)
    assert sorted(names) == [f"Người Đề Nghị {number:03d}" for number in range(60)]
    third = client.get(url, {"page": 3}).content.decode()
    assert "60 đề nghị chờ lãnh đạo quyết định" in third
    assert "(60 đề nghị" in third  # the form's count is the whole list's
    last = max(nominations, key=lambda nomination: nomination.nominee_name)
    response = client.post(f"{url}?page=3", {"nominations": [last.pk], "action": "approve"})
    assert response.status_code == 302
    last.refresh_from_db()
    assert last.status == Status.APPROVED
    assert Nomination.objects.filter(status=Status.RECOMMENDED).count() == 59


# --- the register --------------------------------------------------------------------------------


def _register_names(response):
    return [record.recipient_name for record in response.context["page"].object_list]


@pytest.mark.parametrize("size", SIZES)
def test_the_register_costs_the_same_at_5_and_60(client, plan, reviewer, small_pages, size, django_assert_num_queries):
    _records(size)
    client.force_login(reviewer)
    with django_assert_num_queries(REGISTER):
        response = client.get(reverse("awards:register_list"), {"year": 2025})
    assert len(_register_names(response)) == min(size, PAGE_ROWS)
    assert f"Có {size} khen thưởng." in response.content.decode()


def test_the_register_counts_every_record_on_every_page_and_exports_them_all(client, plan, reviewer, small_pages):
    _records(60)
    _records(3, year=2024)
    client.force_login(reviewer)
    url = reverse("awards:register_list")
    names = _every_page(client, url, {"year": 2025}, "page", 60, _register_names)
    assert sorted(names) == [f"Người Được Khen {number:03d}" for number in range(60)]
    assert "Có 60 khen thưởng." in client.get(url, {"year": 2025, "page": 3}).content.decode()
    # The export holds every matching record whatever page the list was on.
    response = client.get(reverse("awards:register_export"), {"year": 2025, "page": 2})
    sheet = load_workbook(io.BytesIO(response.content)).active
    exported = {cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
    assert {f"Người Được Khen {number:03d}" for number in range(60)} <= exported


# --- the public lists ----------------------------------------------------------------------------


def _public_names(response):
    return [record["recipient_name"] for record in response.context["records"]]


@pytest.mark.parametrize("size", SIZES)
def test_the_public_awards_cost_the_same_at_5_and_60(client, plan, small_pages, size, django_assert_num_queries):
    _records(size)
    with django_assert_num_queries(PUBLIC_AWARDS):
        response = client.get(reverse("public:awards"), {"nam": 2025})
    assert len(_public_names(response)) == min(size, PAGE_ROWS)


def test_the_public_awards_page_through_the_year_numbered_on_and_download_whole(client, plan, small_pages):
    _records(60)
    url = reverse("public:awards")
    names = _every_page(client, url, {"nam": 2025}, "trang", 60, _public_names)
    assert sorted(names) == [f"Người Được Khen {number:03d}" for number in range(60)]
    second = client.get(url, {"nam": 2025, "trang": 2})
    assert [record["number"] for record in second.context["records"]] == list(range(26, 51))
    page = second.content.decode()
    assert "Có 60 khen thưởng" in page
    assert "?nam=2025&amp;trang=3" in page
    csv_text = client.get(reverse("public:export_awards"), {"nam": 2025, "dinh_dang": "csv"}).content.decode("utf-8")
    assert all(f"Người Được Khen {number:03d}" in csv_text for number in range(60))


@pytest.fixture
def noticed(annual_round):
    today = timezone.localdate()
    annual_round.notice_starts_on = today - datetime.timedelta(days=2)
    annual_round.notice_ends_on = today + datetime.timedelta(days=5)
    annual_round.save()
    return annual_round


def _notice_names(response):
    return [nominee["name"] for group in response.context["rounds"] for nominee in group["nominees"]]


@pytest.mark.parametrize("size", SIZES)
def test_the_public_notice_costs_the_same_at_5_and_60(
    client, noticed, forms, own_unit, small_pages, size, django_assert_num_queries
):
    _nominations(noticed, forms["lao-dong-tien-tien"], own_unit, size, statuses=(Status.RECOMMENDED,))
    with django_assert_num_queries(PUBLIC_NOTICE):
        response = client.get(reverse("public:notice"))
    assert len(_notice_names(response)) == min(size, PAGE_ROWS)


def test_the_public_notice_pages_through_every_nominee_and_downloads_them_all(
    client, noticed, forms, own_unit, small_pages
):
    nominations = _nominations(noticed, forms["lao-dong-tien-tien"], own_unit, 60, statuses=(Status.RECOMMENDED,))
    url = reverse("public:notice")
    names = _every_page(client, url, {}, "trang", 60, _notice_names)
    assert sorted(names) == [f"Người Đề Nghị {number:03d}" for number in range(60)]
    last = client.get(url, {"trang": 3})
    nominees = last.context["rounds"][0]["nominees"]
    assert nominees[0]["number"] == 51
    by_name = {nomination.nominee_name: nomination for nomination in nominations}
    assert nominees[0]["comment"] == reverse("public:comment", args=[by_name[nominees[0]["name"]].pk])
    sheet = load_workbook(io.BytesIO(client.get(reverse("public:export_notice")).content)).active
    exported = {cell.value for row in sheet.iter_rows() for cell in row if isinstance(cell.value, str)}
    assert {f"Người Đề Nghị {number:03d}" for number in range(60)} <= exported


def test_the_office_list_sorts_on_the_server_across_pages(
    client, reviewer, annual_round, forms, other_unit, small_pages
):
    nominations = _nominations(annual_round, forms["lao-dong-tien-tien"], other_unit, 60)
    client.force_login(reviewer)
    url = reverse("awards:nomination_list")
    # Waiting for the office first: every sent one (20) before any with the council, the returned ones last.
    action = _every_page(client, url, {"sort": "action"}, "page", 60, _office_names)
    status_of = {nomination.nominee_name: nomination.status for nomination in nominations}
    assert [status_of[name] for name in action] == [Status.SUBMITTED] * 20 + [Status.ON_AGENDA] * 20 + [
        Status.RETURNED
    ] * 20
    # The most recently sent first, whichever page.
    sent_at = {nomination.nominee_name: nomination.submitted_at for nomination in nominations}
    latest = _every_page(client, url, {"sort": "submitted"}, "page", 60, _office_names)
    assert [sent_at[name] for name in latest] == sorted(sent_at.values(), reverse=True)
    # An unknown sort is the default one; the chosen sort stays in the pages' links.
    assert _office_names(client.get(url, {"sort": "nonsense"})) == _office_names(client.get(url))
    assert "sort=action&amp;page=2" in client.get(url, {"sort": "action"}).content.decode()


# --- the nominations that fail the rules ------------------------------------------------------------


def _failing_names(response):
    return [nomination.nominee_name for nomination, _, _, _ in response.context["rows"]]


@pytest.mark.parametrize("size", SIZES)
def test_the_failing_rules_list_costs_the_same_at_5_and_60(
    client, reviewer, annual_round, forms, other_unit, small_pages, size, django_assert_num_queries
):
    # Nobody here has the year's classification Lao động tiên tiến needs: every one fails.
    _nominations(annual_round, forms["lao-dong-tien-tien"], other_unit, size, statuses=(Status.SUBMITTED,))
    client.force_login(reviewer)
    with django_assert_num_queries(FAILING_RULES):
        response = client.get(reverse("awards:nominations_failing_rules"))
    assert len(_failing_names(response)) == min(size, PAGE_ROWS)
    assert response.context["count"] == size


def test_the_failing_rules_list_pages_through_every_one(client, reviewer, annual_round, forms, other_unit, small_pages):
    nominations = _nominations(annual_round, forms["lao-dong-tien-tien"], other_unit, 60, statuses=(Status.SUBMITTED,))
    client.force_login(reviewer)
    url = reverse("awards:nominations_failing_rules")
    names = _every_page(client, url, {}, "page", 60, _failing_names)
    assert sorted(names) == [f"Người Đề Nghị {number:03d}" for number in range(60)]
    last = client.get(url, {"page": 3}).content.decode()
    assert "60 đề nghị không đạt điều kiện." in last
    first = min(nominations, key=lambda nomination: nomination.pk)
    assert f'href="{reverse("awards:nomination_detail", args=[first.pk])}"' in client.get(url).content.decode()


# --- the register's rows outside the catalogue ------------------------------------------------------


@pytest.mark.parametrize("size", SIZES)
def test_the_unmapped_awards_cost_the_same_at_5_and_60(
    client, plan, reviewer, small_pages, size, django_assert_num_queries
):
    _records(size)  # typed as free text: no catalogue form
    client.force_login(reviewer)
    with django_assert_num_queries(UNMAPPED):
        response = client.get(reverse("awards:unmapped_awards"))
    rows = response.context["rows"]
    assert len(rows) == min(size, PAGE_ROWS)
    assert response.context["page"].paginator.count == size
    page = response.content.decode()
    assert f'action="{reverse("awards:award_map", args=[rows[0].record.pk])}"' in page
    # Every row offers the whole catalogue.
    assert page.count("Cả danh mục") == len(rows)
