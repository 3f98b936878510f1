"""What the admin lets an administrator do: edit everything, delete nothing, never touch a workflow status."""

import datetime

import pytest
from axes.models import AccessAttempt
from django.contrib import admin
from django.contrib.auth.models import Group
from django.db import models
from django.test.utils import isolate_apps
from django.urls import reverse

from campaign.models import AssessmentLevel, Campaign, Phase, ReportingPeriod
from portal.admin import PortalModelAdmin, PortalTabularInline
from tests.factories import TEST_PASSWORD, UnitFactory
from units.capabilities import Capability
from units.models import Unit, User

pytestmark = pytest.mark.django_db


def make_period():
    campaign = Campaign.objects.create(
        plan_key="campaign",
        name="Đẩy mạnh phát triển kết cấu hạ tầng đồng bộ, hiện đại; thực hành tiết kiệm, chống lãng phí",
        short_name="Phong trào hạ tầng, tiết kiệm",
        governing_body="UBND TỈNH QUẢNG NGÃI",
        issuing_body="SỞ KHOA HỌC VÀ CÔNG NGHỆ",
        issuing_body_abbreviation="SKHCN",
        place_name="Quảng Ngãi",
        report_recipient="Ủy ban nhân dân tỉnh Quảng Ngãi (qua Sở Nội vụ)",
        coordinating_unit_name="Phòng Hành chính - Tổng hợp",
        start_year=2022,
        end_year=2030,
        portal_start_date=datetime.date(2026, 1, 1),
    )
    phase = Phase.objects.create(
        plan_key="phase-2",
        campaign=campaign,
        number=2,
        name="Giai đoạn 2026-2030",
        start_year=2026,
        end_year=2030,
        review_kind=Phase.ReviewKind.FINAL,
        review_year=2030,
    )
    return ReportingPeriod.objects.create(
        plan_key="2026-H1",
        campaign=campaign,
        phase=phase,
        code="2026-H1",
        kind=ReportingPeriod.Kind.HALF_YEAR,
        label="6 tháng đầu năm 2026",
        year=2026,
        start=datetime.date(2026, 1, 1),
        end=datetime.date(2026, 6, 30),
        data_cutoff=datetime.date(2026, 6, 15),
        unit_due_date=datetime.date(2026, 6, 20),
        department_due_date=datetime.date(2026, 6, 30),
    )


def test_no_model_admin_grants_delete(admin_request, admin_user):
    admin_request.user = admin_user  # a superuser: Django's own model permissions would allow it
    for model, model_admin in admin.site._registry.items():
        assert not model_admin.has_delete_permission(admin_request), model._meta.label


def test_administrator_cannot_delete_a_unit(client, administrator):
    unit = UnitFactory()
    client.force_login(administrator)
    url = reverse("admin:units_unit_delete", args=[unit.pk])
    assert client.get(url).status_code in (403, 404)
    assert client.post(url, {"post": "yes"}).status_code in (403, 404)
    assert Unit.objects.filter(pk=unit.pk).exists()


def test_delete_selected_action_is_absent(client, administrator):
    UnitFactory()
    client.force_login(administrator)
    response = client.get(reverse("admin:units_unit_changelist"))
    assert "delete_selected" not in response.content.decode()
    assert "delete_selected" not in dict(admin.site.actions)


def test_administrator_sets_a_due_date_typed_dd_mm_yyyy(no_plan, client, administrator):
    period = make_period()
    client.force_login(administrator)
    response = client.post(
        reverse("admin:campaign_reportingperiod_change", args=[period.pk]),
        {
            "campaign": period.campaign_id,
            "phase": period.phase_id,
            "code": period.code,
            "kind": period.kind,
            "label": period.label,
            "year": period.year,
            "start": "01/01/2026",
            "end": "30/06/2026",
            "data_cutoff": "15/06/2026",
            "unit_due_date": "25/06/2026",
            "department_due_date": "30/06/2026",
        },
    )
    assert response.status_code == 302
    period.refresh_from_db()
    assert period.unit_due_date == datetime.date(2026, 6, 25)


def test_change_form_shows_dates_as_dd_mm_yyyy(no_plan, client, administrator):
    period = make_period()
    client.force_login(administrator)
    response = client.get(reverse("admin:campaign_reportingperiod_change", args=[period.pk]))
    assert 'value="20/06/2026"' in response.content.decode()


def test_rows_added_by_hand_get_distinct_plan_keys(no_plan, client, administrator):
    client.force_login(administrator)
    for code in ("tot", "kha"):
        response = client.post(
            reverse("admin:campaign_assessmentlevel_add"),
            {"code": code, "label": code, "sort_order": 1, "is_active": "on"},
        )
        assert response.status_code == 302
    keys = set(AssessmentLevel.objects.values_list("plan_key", flat=True))
    assert len(keys) == 2
    assert all(key.startswith("admin-") for key in keys)


@isolate_apps("units")
def test_a_field_named_status_is_read_only(admin_request):
    class Ticket(models.Model):
        title = models.CharField(max_length=50)
        status = models.CharField(max_length=20)

        class Meta:
            app_label = "units"

        def __str__(self):
            return self.title

    model_admin = PortalModelAdmin(Ticket, admin.site)
    assert "status" in model_admin.get_readonly_fields(admin_request)
    assert "status" not in model_admin.get_form(admin_request)().fields


def test_workflow_fields_are_read_only(admin_request):
    locked_admin = type("LockedUnitAdmin", (PortalModelAdmin,), {"workflow_fields": ("name",)})(Unit, admin.site)
    locked_inline = type("LockedInline", (PortalTabularInline,), {"model": User, "workflow_fields": ("position",)})(
        Unit, admin.site
    )
    assert "name" in locked_admin.get_readonly_fields(admin_request)
    assert "position" in locked_inline.get_readonly_fields(admin_request)
    assert "code" not in locked_admin.get_readonly_fields(admin_request)


def test_capability_group_cannot_be_renamed(admin_request):
    group_admin = admin.site._registry[Group]
    capability_group = Group.objects.get(name=Capability.ADMINISTRATOR)
    other_group = Group.objects.create(name="Nhóm thử")
    assert "name" in group_admin.get_readonly_fields(admin_request, capability_group)
    assert "name" not in group_admin.get_readonly_fields(admin_request, other_group)


def test_new_user_needs_a_password_that_passes_the_validators(client, administrator):
    client.force_login(administrator)
    unit = UnitFactory()
    form = {"username": "moi", "full_name": "Người Dùng Mới", "unit": unit.pk, "position": "staff"}
    url = reverse("admin:units_user_add")

    refused = client.post(url, {**form, "password1": "ngan", "password2": "ngan"})
    assert refused.status_code == 200
    assert not User.objects.filter(username="moi").exists()

    accepted = client.post(url, {**form, "password1": TEST_PASSWORD, "password2": TEST_PASSWORD})
    assert accepted.status_code == 302
    user = User.objects.get(username="moi")
    assert user.check_password(TEST_PASSWORD)
    assert user.unit == unit


def test_administrator_cannot_grant_superuser(admin_request, admin_user):
    user_admin = admin.site._registry[User]
    assert "is_superuser" in user_admin.get_readonly_fields(admin_request, admin_request.user)
    admin_request.user = admin_user
    assert "is_superuser" not in user_admin.get_readonly_fields(admin_request, admin_user)


def test_administrator_unlocks_a_locked_account(client, administrator):
    attempt = AccessAttempt.objects.create(
        username="canbo", ip_address="10.0.0.5", user_agent="", failures_since_start=5, get_data="", post_data=""
    )
    client.force_login(administrator)
    response = client.post(
        reverse("admin:axes_accessattempt_changelist"),
        {"action": "unlock", "_selected_action": [attempt.pk]},
    )
    assert response.status_code == 302
    assert not AccessAttempt.objects.exists()
