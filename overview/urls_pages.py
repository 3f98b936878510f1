"""URLs of the overview's pages (Tổng quan)."""

from django.urls import path

from . import views

urlpatterns = [
    path("", views.index, name="index"),
    path("xlsx/", views.index_xlsx, name="index_xlsx"),
    path("don-vi-tieu-chi/", views.grid, name="grid"),
    path("don-vi-tieu-chi/xlsx/", views.grid_xlsx, name="grid_xlsx"),
    path("chi-so/<slug:code>/", views.indicator, name="indicator"),
    path("chi-so/<slug:code>/xlsx/", views.indicator_xlsx, name="indicator_xlsx"),
    path("don-vi/<int:pk>/", views.unit, name="unit"),
    path("don-vi/<int:pk>/xlsx/", views.unit_xlsx, name="unit_xlsx"),
]
