"""The awards admin: the council is edited there; ballots never appear there."""

import pytest
from django.contrib import admin
from django.urls import reverse

from awards.models import AwardRecord, Ballot, BallotCast, CouncilMember, Nomination

pytestmark = pytest.mark.django_db


def test_electronic_ballots_and_who_voted_are_not_in_the_admin():
    assert Ballot not in admin.site._registry
    assert BallotCast not in admin.site._registry


def test_ballot_names_no_voter_and_no_time():
    related = {field.related_model for field in Ballot._meta.get_fields() if field.is_relation}
    assert related == {Ballot._meta.get_field("item").related_model}
    assert not [field for field in Ballot._meta.get_fields() if field.get_internal_type() == "DateTimeField"]


def test_nomination_status_cannot_be_changed_in_the_admin(client, administrator):
    client.force_login(administrator)
    assert Nomination in admin.site._registry
    assert not admin.site._registry[Nomination].has_change_permission(type("R", (), {"user": administrator})())


@pytest.mark.parametrize("model", [CouncilMember, AwardRecord])
def test_council_and_register_have_admin_pages(client, administrator, model):
    client.force_login(administrator)
    response = client.get(reverse(f"admin:awards_{model._meta.model_name}_add"))
    assert response.status_code == 200
