"""The emulation year's pages, one module per area (the year and registration, assessment, scoring and ranking)."""

from django.urls import include, path

from ..views import home

app_name = "emulation"

urlpatterns = [
    path("", home.index, name="home"),
    path("", include("emulation.urls.registration")),
    path("", include("emulation.urls.department")),
    path("", include("emulation.urls.assessment")),
    path("", include("emulation.urls.scoring")),
]
