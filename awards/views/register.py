"""Views of the awards app: register."""

urlpatterns = []
