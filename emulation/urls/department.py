"""The Department registration pages of the emulation year."""

urlpatterns = []
