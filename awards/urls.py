"""URL map of the awards app. Each area's view module declares its own `urlpatterns`."""

from .views import council, nominations, outcomes, register

app_name = "awards"

urlpatterns = [
    *nominations.urlpatterns,
    *council.urlpatterns,
    *outcomes.urlpatterns,
    *register.urlpatterns,
]
