"""URL map of the portal. Every page needs sign-in unless its view is marked login_not_required."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import health, views

admin.site.site_header = "Quản trị Cổng thi đua - Sở KH&CN Quảng Ngãi"
admin.site.site_title = "Quản trị Cổng thi đua"
admin.site.index_title = "Quản trị hệ thống"

handler403 = "portal.views.permission_denied"
handler404 = "portal.views.page_not_found"

urlpatterns = [
    path("", views.home, name="home"),
    path("healthz", health.healthz, name="healthz"),
    path("healthz/jobs", health.healthz_jobs, name="healthz_jobs"),
    path("accounts/login/", views.PortalLoginView.as_view(), name="login"),
    path("accounts/logout/", auth_views.LogoutView.as_view(), name="logout"),
    path(
        "accounts/password/change/",
        auth_views.PasswordChangeView.as_view(),
        name="password_change",
    ),
    path(
        "accounts/password/change/done/",
        auth_views.PasswordChangeDoneView.as_view(),
        name="password_change_done",
    ),
    path("notifications/", include("notifications.urls")),
    path("ke-hoach/", include("campaign.urls")),
    path("reports/", include("reports.urls")),
    path("thi-dua/", include("emulation.urls")),
    path("awards/", include("awards.urls")),
    path("tong-quan/", include("overview.urls")),
    path("", include("documents.urls")),
    path("cong-khai/", include("awards.public_urls")),
    path("admin/", admin.site.urls),
]
