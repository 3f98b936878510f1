"""The portal's own pages only, as before any app added its section."""

from tests.portal.section_urls import base_urlpatterns

urlpatterns = base_urlpatterns
