"""The full "Việc chờ tôi" page: every thing waiting for the signed-in person (the home page shows the first few)."""

from django.shortcuts import render
from django.views.decorators.http import require_GET

from .waiting import rows, waiting_for


@require_GET
def waiting_list(request):
    """Everything waiting for the signed-in person, the earliest due first; each links to where it is handled."""
    return render(request, "overview/waiting_list.html", {"rows": rows(waiting_for(request))})
