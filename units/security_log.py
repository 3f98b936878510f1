"""Audit lines for sign-ins, failed sign-ins, sign-outs and lockouts, written to the `portal.security` logger.

Logging is the only thing these receivers do. Passwords never reach them: Django masks the
password in `user_login_failed`'s credentials and only the username is read from them.
"""

import logging

from axes.signals import user_locked_out
from django.contrib.auth.signals import user_logged_in, user_logged_out, user_login_failed
from django.dispatch import receiver

from portal.client_ip import client_ip

logger = logging.getLogger("portal.security")

# A failed sign-in logs whatever was typed as the username: keep one line per event and a sane length.
_MAX_LOGGED_LENGTH = 150


def _printable(value):
    if value is None or value == "":
        return "-"
    text = "".join(ch if ch.isprintable() else f"\\x{ord(ch):02x}" for ch in str(value))
    return text[:_MAX_LOGGED_LENGTH]


def _address(request):
    return _printable(client_ip(request)) if request is not None else "-"


@receiver(user_logged_in, dispatch_uid="portal_security_sign_in")
def log_sign_in(sender, request, user, **kwargs):
    logger.info("sign-in username=%s ip=%s", _printable(user.get_username()), _address(request))


@receiver(user_logged_out, dispatch_uid="portal_security_sign_out")
def log_sign_out(sender, request, user, **kwargs):
    username = user.get_username() if user is not None else None
    logger.info("sign-out username=%s ip=%s", _printable(username), _address(request))


@receiver(user_login_failed, dispatch_uid="portal_security_failed_sign_in")
def log_failed_sign_in(sender, credentials, request=None, **kwargs):
    logger.warning("failed-sign-in username=%s ip=%s", _printable(credentials.get("username")), _address(request))


@receiver(user_locked_out, dispatch_uid="portal_security_lockout")
def log_lockout(sender, request, username, ip_address, **kwargs):
    # Sent by django-axes with the username and address it counts failures for.
    logger.warning("lockout username=%s ip=%s", _printable(username), _printable(ip_address))
