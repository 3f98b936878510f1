"""The Vietnamese page shown when a form fails Django's CSRF check (usually an expired session)."""

import logging

from django.contrib.auth.decorators import login_not_required
from django.shortcuts import render

from portal.client_ip import client_ip

logger = logging.getLogger("portal.security")


@login_not_required
def csrf_failure(request, reason=""):
    """CSRF_FAILURE_VIEW: a 403 page in Vietnamese; Django's technical reason goes to the log only."""
    logger.warning("csrf-failure path=%r ip=%s reason=%s", request.path, client_ip(request), reason)
    return render(request, "403_csrf.html", status=403)
