"""The emulation year: the office creates it, records the Department's plan and the registration window, opens and
closes registration; the year page and the landing page show each person what they have to do."""

import datetime

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone

from emulation.models import EmulationYear, ScoringScheme
from emulation.services import registration as services
from emulation.services import year as year_services
from notifications.models import Notification
from tests.emulation.test_registration import add_units, queries_of
from tests.query_budget import PAGE, WAITING_OFFICE
from workflow.errors import InvalidTransition, NotAllowed, Refused

PDF = b"%PDF-1.4\n1 0 obj\n<< /Type /Catalog >>\nendobj\ntrailer\n<< /Root 1 0 R >>\nstartxref\n0\n%%EOF\n"
# The page's 7, then the years, the reviewer's own unit's registrations (the office is a unit too), the units
# counted, the registrations counted by year and state; +15: the waiting list behind the menu's counts
# (overview/waiting.py).
HOME_QUERIES = PAGE + WAITING_OFFICE + 4
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


@pytest.fixture(autouse=True)
def private_files_in_tmp(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def new_year(plan, reviewer):
    return year_services.year_create(campaign=plan, year=2031, actor=reviewer)


def record(year, actor, **changes):
    today = timezone.localdate()
    values = {
        "plan_number": "12/KH-SKHCN",
        "plan_date": today - datetime.timedelta(days=2),
        "plan_title": "Kế hoạch thi đua năm 2031",
        "opens_on": today,
        "due_on": today + datetime.timedelta(days=20),
        **changes,
    }
    return year_services.year_record_plan(year=year, actor=actor, **values)


def test_the_plan_opens_registration_and_closing_ends_it(new_year, reviewer, staff):
    with pytest.raises(InvalidTransition, match="Kế hoạch thi đua"):
        year_services.registration_open(year=new_year, actor=reviewer)
    record(new_year, reviewer, plan_file=SimpleUploadedFile("kh.pdf", PDF))
    year = year_services.registration_open(year=new_year, actor=reviewer)
    assert (year.registration_state, bool(year.plan_file)) == ("Đang mở đăng ký", True)
    assert Notification.objects.filter(recipient=staff, message__contains="mở đăng ký thi đua năm 2031").exists()
    year = year_services.registration_close(year=year, actor=reviewer)
    assert year.registration_state == "Đã đóng đăng ký"
    with pytest.raises(InvalidTransition):
        year_services.registration_close(year=year, actor=reviewer)


def test_only_the_office_manages_the_year(new_year, leader, head):
    for actor in (leader, head):
        with pytest.raises(NotAllowed):
            record(new_year, actor)
    new_year.refresh_from_db()
    assert new_year.plan_number == ""


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"plan_number": " "}, "plan_number"),
        ({"plan_date": timezone.localdate() + datetime.timedelta(days=1)}, "plan_date"),
        ({"due_on": timezone.localdate() - datetime.timedelta(days=1)}, "registration_due_on"),
        ({"plan_file": SimpleUploadedFile("kh.png", PNG)}, "plan_file"),
    ],
)
def test_a_bad_plan_is_refused_on_its_field_and_nothing_changes(new_year, reviewer, changes, field):
    with pytest.raises(Refused) as refused:
        record(new_year, reviewer, **changes)
    assert refused.value.field == field
    new_year.refresh_from_db()
    assert (new_year.plan_number, new_year.plan_date) == ("", None)


def test_a_year_is_created_once(new_year, plan, reviewer):
    with pytest.raises(Refused, match="đã có"):
        year_services.year_create(campaign=plan, year=2031, actor=reviewer)
    assert EmulationYear.objects.filter(year=2031).count() == 1


def test_the_plan_form_keeps_what_was_typed_on_bad_input(client, new_year, reviewer):
    client.force_login(reviewer)
    typed = {
        "plan_number": "12/KH-SKHCN",
        "plan_date": "31/02/2026",
        "plan_title": "Trích yếu đã gõ",
        "registration_opens_on": "01/12/2026",
        "registration_due_on": "20/12/2026",
    }
    response = client.post(reverse("emulation:year_plan", args=[2031]), typed)
    assert response.status_code == 400
    html = response.content.decode()
    assert "Trích yếu đã gõ" in html
    assert 'value="31/02/2026"' in html
    assert 'data-testid="error-plan_date"' in html
    new_year.refresh_from_db()
    assert new_year.plan_number == ""


def test_the_landing_page_shows_a_unit_its_registration_and_the_office_the_counts(
    client, emulation_year, own_unit, staff, reviewer
):
    services.registration_start(year=emulation_year, unit=own_unit, actor=staff)
    client.force_login(staff)
    row = client.get(reverse("emulation:home")).context["years"][0]
    assert (row["own"].status, row["not_registered"]) == ("draft", None)
    client.force_login(reviewer)
    row = client.get(reverse("emulation:home")).context["years"][0]
    assert row["counts"] == {"draft": 1}
    assert row["not_registered"] >= 2  # the office and the other unit


def test_the_year_page_shows_the_office_its_actions_and_a_unit_its_start(client, emulation_year, staff, reviewer):
    client.force_login(reviewer)
    html = client.get(reverse("emulation:year", args=[emulation_year.year])).content.decode()
    assert 'data-testid="registration-remind"' in html
    assert 'data-testid="year-counts"' in html
    client.force_login(staff)
    html = client.get(reverse("emulation:year", args=[emulation_year.year])).content.decode()
    assert 'data-testid="registration-start"' in html
    assert 'data-testid="year-actions"' not in html


def test_the_year_page_links_a_ranking_only_where_the_person_may_open_one(client, emulation_year, staff, reviewer):
    scheme = ScoringScheme.objects.create(year=emulation_year, kind=ScoringScheme.Kind.CAMPAIGN, name="Bảng điểm")
    url = reverse("emulation:year", args=[emulation_year.year])
    ranking = reverse("emulation:ranking", args=[emulation_year.year]) + "?loai=campaign"
    client.force_login(staff)
    html = client.get(url).content.decode()
    assert ranking not in html  # a draft scheme's ranking answers a unit 404
    assert 'data-testid="no-ranking"' in html
    client.force_login(reviewer)
    assert ranking in client.get(url).content.decode()
    ScoringScheme.objects.filter(pk=scheme.pk).update(status=ScoringScheme.Status.PUBLISHED)
    client.force_login(staff)
    html = client.get(url).content.decode()
    assert ranking in html
    assert client.get(ranking).status_code == 200


def test_the_landing_page_runs_the_same_queries_for_3_and_6_units(client, emulation_year, reviewer):
    client.force_login(reviewer)
    url = reverse("emulation:home")
    add_units(3, emulation_year, reviewer)
    client.get(url)
    small = queries_of(client, url)
    add_units(3, emulation_year, reviewer)
    assert (small, queries_of(client, url)) == (HOME_QUERIES, HOME_QUERIES)
