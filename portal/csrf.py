"""The Vietnamese page shown when a form fails Django's CSRF check (usually an expired session)."""

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render


@login_not_required
def csrf_failure(request, reason=""):
    return render(request, "403_csrf.html", status=403)
