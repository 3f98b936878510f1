"""The awards admin: what has a workflow is read-only there; the register is edited there; ballots never appear."""

import pytest
from django.contrib import admin
from django.urls import reverse

from awards.models import AwardRecord, AwardRound, BallotCast, BallotTally, CouncilMember, Nomination

pytestmark = pytest.mark.django_db


def test_electronic_ballots_and_who_voted_are_not_in_the_admin():
    assert BallotTally not in admin.site._registry
    assert BallotCast not in admin.site._registry


def test_the_ballot_tally_names_no_voter_and_no_time():
    related = {field.related_model for field in BallotTally._meta.get_fields() if field.is_relation}
    assert related == {BallotTally._meta.get_field("item").related_model}
    assert not [field for field in BallotTally._meta.get_fields() if field.get_internal_type() == "DateTimeField"]


def test_nomination_status_cannot_be_changed_in_the_admin(client, administrator):
    client.force_login(administrator)
    assert Nomination in admin.site._registry
    assert not admin.site._registry[Nomination].has_change_permission(type("R", (), {"user": administrator})())


def test_the_register_has_an_admin_page_to_add_records(client, administrator):
    client.force_login(administrator)
    response = client.get(reverse(f"admin:awards_{AwardRecord._meta.model_name}_add"))
    assert response.status_code == 200


@pytest.mark.parametrize("model", [CouncilMember, AwardRound])
def test_council_seats_and_rounds_change_only_through_their_services(client, administrator, model, plan):
    """A seat added in the admin would skip the capability and the notice; a round edited there, the checks."""
    client.force_login(administrator)
    assert client.get(reverse(f"admin:awards_{model._meta.model_name}_add")).status_code == 403
    assert client.get(reverse(f"admin:awards_{model._meta.model_name}_changelist")).status_code == 200


def test_bonus_amounts_and_the_route_upward_are_edited_in_the_admin(client, administrator, forms):
    client.force_login(administrator)
    form = forms["chien-si-thi-dua-co-so"]
    page = client.get(reverse("admin:awards_awardform_change", args=[form.pk])).content.decode()
    for field in ("bonus_individual", "bonus_collective", "proposal_route"):
        assert f'name="{field}"' in page
