"""Views of the awards app: nominations."""

urlpatterns = []
