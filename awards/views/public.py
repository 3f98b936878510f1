"""Views of the awards app: public."""

urlpatterns = []
