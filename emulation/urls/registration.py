"""The year's start: the year and its plan, the registration window, the units' registrations."""

from django.urls import path

from ..views import registration as views

urlpatterns = [
    path("nam-moi/", views.year_create, name="year_create"),
    path("<int:year>/", views.year_detail, name="year"),
    path("<int:year>/ke-hoach/", views.year_plan, name="year_plan"),
    path("<int:year>/ke-hoach/tep/", views.year_plan_file, name="year_plan_file"),
    path("<int:year>/mo-dang-ky/", views.registration_open, name="registration_open"),
    path("<int:year>/dong-dang-ky/", views.registration_close, name="registration_close"),
    path("<int:year>/nhac-dang-ky/", views.registration_remind, name="registration_remind"),
    path("<int:year>/dang-ky/", views.registrations, name="registrations"),
    path("<int:year>/dang-ky/lap/", views.registration_start, name="registration_start"),
    path("dang-ky/<int:pk>/", views.registration_detail, name="registration"),
    path("dang-ky/<int:pk>/sua/", views.registration_edit, name="registration_edit"),
    path("dang-ky/<int:pk>/tra-lai/", views.registration_return, name="registration_return"),
    path("dang-ky/<int:pk>/tiep-nhan/", views.registration_accept, name="registration_accept"),
]
