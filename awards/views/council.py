"""Views of the awards app: council."""

urlpatterns = []
