"""URL map of the awards app. Each area's view module declares its own `urlpatterns`."""

from .views import council, from_assessment, nominations, outcomes, records, register

app_name = "awards"

urlpatterns = [
    *nominations.urlpatterns,
    *from_assessment.urlpatterns,
    *council.urlpatterns,
    *outcomes.urlpatterns,
    *register.urlpatterns,
    *records.urlpatterns,
]
