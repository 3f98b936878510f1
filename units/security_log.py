"""Audit lines for sign-ins, failed sign-ins and lockouts, written to the `portal.security` logger.

Logging is the only thing these receivers do; passwords and other credentials are never logged.
"""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from portal.client_ip import client_ip

logger = logging.getLogger("portal.security")


def _address(request):
    return client_ip(request) if request is not None else "-"


@receiver(user_logged_in)
def log_sign_in(sender, request, user, **kwargs):
    logger.info("sign-in username=%s ip=%s", user.get_username(), _address(request))


@receiver(user_logged_out)
def log_sign_out(sender, request, user, **kwargs):
    username = user.get_username() if user is not None else "-"
    logger.info("sign-out username=%s ip=%s", username, _address(request))


@receiver(user_login_failed)
def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    logger.warning("failed-sign-in username=%s ip=%s", credentials.get("username", "-"), _address(request))


@receiver(user_locked_out)
def log_lockout(sender, request, username, ip_address, **kwargs):
    logger.warning("lockout username=%s ip=%s", username, ip_address)
