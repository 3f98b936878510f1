"""The scoring pages of the emulation year."""

urlpatterns = []
