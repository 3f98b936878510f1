"""The registration pages of the emulation year."""

urlpatterns = []
