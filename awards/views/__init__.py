"""Views of the awards app, one module per area; each declares its `urlpatterns`."""
