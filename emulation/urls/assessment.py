"""The assessment pages of the emulation year."""

urlpatterns = []
