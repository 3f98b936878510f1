"""The overview's URLs: the waiting list's (urls_waiting.py) and the overview's pages (urls_pages.py)."""

from . import urls_pages, urls_waiting

app_name = "overview"

urlpatterns = [*urls_waiting.urlpatterns, *urls_pages.urlpatterns]
