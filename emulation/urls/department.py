"""The Department registration pages of the emulation year (đăng ký thi đua của Sở)."""

from django.urls import path

from ..views import department as views

urlpatterns = [
    path("<int:year>/dang-ky-cua-so/", views.department_registration, name="department_registration"),
    path(
        "<int:year>/dang-ky-cua-so/tong-hop/",
        views.department_registration_compile,
        name="department_registration_compile",
    ),
    path("<int:year>/dang-ky-cua-so/luu/", views.department_registration_edit, name="department_registration_edit"),
    path(
        "<int:year>/dang-ky-cua-so/trinh-duyet/",
        views.department_registration_send,
        name="department_registration_send",
    ),
    path(
        "<int:year>/dang-ky-cua-so/duyet/",
        views.department_registration_approve,
        name="department_registration_approve",
    ),
    path(
        "<int:year>/dang-ky-cua-so/tra-lai/",
        views.department_registration_return,
        name="department_registration_return",
    ),
    path(
        "<int:year>/dang-ky-cua-so/vao-so/",
        views.department_registration_issue,
        name="department_registration_issue",
    ),
    path(
        "<int:year>/dang-ky-cua-so/tep/<slug:extension>/",
        views.department_registration_file,
        name="department_registration_file",
    ),
]
