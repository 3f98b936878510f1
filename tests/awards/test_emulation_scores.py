"""The emulation scores on the award side: a collective nomination's dossier shows the confirmed score and place of
the kind matching its form, never the other kind (Nghị định 152/2025, Điều 4); the office preparing a round sees the
top units of the matching ranking."""

from decimal import Decimal

import pytest
from django.urls import reverse

from awards import emulation_scores
from emulation.models import EmulationYear, ScoringScheme, UnitScore
from tests import factories
from tests.awards.conftest import make_nomination


def _scheme(year, kind, scores, *, status=ScoringScheme.Status.CONFIRMED):
    scheme = ScoringScheme.objects.create(
        year=year, kind=kind, name=f"Bảng điểm {kind} {year.year}", status=status, tie_break=["unit_order"]
    )
    for unit, total in scores:
        UnitScore.objects.create(scheme=scheme, unit=unit, unit_name=unit.name, total=Decimal(total))
    return scheme


@pytest.fixture
def scored(annual_round, own_unit, other_unit, office_unit, reviewer):
    year = EmulationYear.objects.create(campaign=annual_round.campaign, year=annual_round.year, created_by=reviewer)
    annual = _scheme(year, "annual", [(own_unit, "80.00"), (other_unit, "90.50"), (office_unit, "70.00")])
    campaign = _scheme(year, "campaign", [(own_unit, "55.25"), (other_unit, "40.00")])
    return annual, campaign


def test_an_annual_titles_nomination_shows_the_annual_score_and_place(scored, annual_round, forms, own_unit):
    nomination = make_nomination(annual_round, forms["tap-the-lao-dong-tien-tien"], unit=own_unit)
    score = emulation_scores.nomination_score(nomination)
    assert (score.scheme.kind, score.total, score.place, score.count) == ("annual", Decimal("80.00"), 2, 3)


def test_a_campaign_forms_nomination_shows_the_campaign_score(scored, annual_round, forms, own_unit):
    nomination = make_nomination(annual_round, forms["giay-khen-giam-doc-so"], unit=own_unit)
    score = emulation_scores.nomination_score(nomination)
    assert (score.scheme.kind, score.total, score.place) == ("campaign", Decimal("55.25"), 1)


def test_an_annual_title_never_shows_a_campaign_score(scored, annual_round, forms, own_unit, leader, client):
    annual, _ = scored
    ScoringScheme.objects.filter(pk=annual.pk).update(status=ScoringScheme.Status.REVIEWED)
    nomination = make_nomination(annual_round, forms["tap-the-lao-dong-tien-tien"], unit=own_unit)
    assert emulation_scores.nomination_score(nomination) is None
    client.force_login(leader)
    page = client.get(reverse("awards:nomination_detail", args=[nomination.pk])).content.decode()
    assert 'data-testid="emulation-score"' not in page
    assert "55,25" not in page
    assert "80,00" not in page


def test_the_dossier_page_shows_the_score_and_place(scored, annual_round, forms, own_unit, leader, client):
    nomination = make_nomination(annual_round, forms["tap-the-lao-dong-tien-tien"], unit=own_unit)
    client.force_login(leader)
    page = client.get(reverse("awards:nomination_detail", args=[nomination.pk])).content.decode()
    assert 'data-testid="emulation-score"' in page
    assert "80,00 điểm</span> · hạng 2/3" in page
    assert "55,25" not in page


def test_an_individual_nomination_shows_no_unit_score(scored, annual_round, forms, own_unit):
    person = factories.PersonFactory(unit=own_unit)
    nomination = make_nomination(annual_round, forms["lao-dong-tien-tien"], unit=own_unit, person=person)
    assert emulation_scores.nomination_score(nomination) is None


def test_the_office_preparing_the_round_sees_the_top_units_of_each_kind(scored, annual_round, reviewer, client):
    client.force_login(reviewer)
    response = client.get(reverse("awards:round_detail", args=[annual_round.pk]))
    suggestions = response.context["suggestions"]
    by_form = {form.code: (scheme.kind, [row.unit_name for row in rows]) for form, scheme, rows in suggestions}
    assert by_form["tap-the-lao-dong-tien-tien"] == (
        "annual",
        ["Phòng Kế hoạch - Tài chính", "Phòng Quản lý khoa học", "Phòng Hành chính - Tổng hợp"],
    )
    assert by_form["giay-khen-giam-doc-so"] == ("campaign", ["Phòng Quản lý khoa học", "Phòng Kế hoạch - Tài chính"])
    assert "lao-dong-tien-tien" not in by_form  # an individual title
    assert 'data-testid="emulation-suggestions"' in response.content.decode()


def test_units_see_no_suggestions(scored, annual_round, staff, client):
    client.force_login(staff)
    response = client.get(reverse("awards:round_detail", args=[annual_round.pk]))
    assert response.context["suggestions"] == []
