"""URLs of the overview's pages (Tổng quan)."""

urlpatterns = []
