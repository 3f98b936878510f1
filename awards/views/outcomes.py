"""Views of the awards app: outcomes."""

urlpatterns = []
