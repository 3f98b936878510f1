"""URLs of what waits for the signed-in person (overview/waiting.py)."""

from django.urls import path

from . import waiting_views

urlpatterns = [
    path("viec-cho-toi/", waiting_views.waiting_list, name="waiting"),
]
