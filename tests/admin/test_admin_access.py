"""Who may open the admin: administrators only; everyone else gets 404, anonymous visitors sign in first."""

import importlib.util
import io

import pytest
from django.contrib import admin
from django.core.management import call_command
from django.urls import reverse

from portal.admin import PortalAdminSite

pytestmark = pytest.mark.django_db


def changelist_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")


def add_url(model):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_add")


def test_admin_site_is_the_portal_site():
    assert isinstance(admin.site._wrapped, PortalAdminSite)
    assert admin.site.check(None) == []


def test_administrator_opens_the_vietnamese_index(client, administrator):
    client.force_login(administrator)
    response = client.get("/admin/")
    assert response.status_code == 200
    assert "Quản trị" in response.content.decode()


@pytest.mark.parametrize("model", list(admin.site._registry), ids=lambda model: model._meta.label)
def test_administrator_opens_every_changelist_and_add_page(client, administrator, admin_request, model):
    client.force_login(administrator)
    assert client.get(changelist_url(model)).status_code == 200
    # Sign-in records (django-axes) are read-only: they have no add page.
    if admin.site._registry[model].has_add_permission(admin_request):
        assert client.get(add_url(model)).status_code == 200


@pytest.mark.parametrize("persona", ["staff", "head", "reviewer", "leader"])
def test_other_personas_get_404(client, request, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get("/admin/").status_code == 404
    assert client.get("/admin/units/unit/").status_code == 404
    assert client.get("/admin/login/").status_code == 404


@pytest.mark.parametrize("path", ["/admin/", "/admin/units/unit/", "/admin/login/?next=/admin/units/unit/"])
def test_anonymous_is_sent_to_the_portal_sign_in(client, path):
    response = client.get(path)
    assert response.status_code == 302
    assert response["Location"].startswith("/accounts/login/?next=/admin/")


def test_administrator_opens_every_change_page_of_the_loaded_plan(client, administrator):
    if importlib.util.find_spec("campaign.plan_loader") is None:
        pytest.skip("campaign.plan_loader is not there yet")
    call_command("load_plan", stdout=io.StringIO())
    client.force_login(administrator)
    for model in admin.site._registry:
        assert client.get(changelist_url(model)).status_code == 200, model._meta.label
        first = model._default_manager.first()
        if first is not None:
            url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[first.pk])
            assert client.get(url).status_code == 200, model._meta.label
