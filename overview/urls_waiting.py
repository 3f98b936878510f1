"""URLs of what waits for the signed-in person (overview/waiting.py)."""

urlpatterns = []
