"""The client's address, trusting X-Forwarded-For only as far as the configured proxies reach.

Each trusted proxy appends the address it received the request from, so with N proxies the
client is the N-th entry from the right. Entries further left were written by the client and
may be forged; with no trusted proxy X-Forwarded-For is ignored entirely.
"""

import ipaddress

from django.conf import settings


def client_ip(request):
    """Return the address sign-in throttling and the audit log attribute this request to.

    Also the value of AXES_CLIENT_IP_CALLABLE, which django-axes calls with the request alone.
    """
    remote_addr = request.META.get("REMOTE_ADDR", "")
    proxy_count = settings.TRUSTED_PROXY_COUNT
    if proxy_count <= 0:
        return remote_addr
    forwarded = [part.strip() for part in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")]
    forwarded = [part for part in forwarded if part]
    if len(forwarded) < proxy_count:
        # Fewer hops than proxies: the request did not come through all of them.
        return remote_addr
    candidate = forwarded[-proxy_count]
    try:
        ipaddress.ip_address(candidate)
    except ValueError:
        # Not what a proxy writes: someone reached the portal around the proxy with a made-up header.
        # Storing it would also fail in axes' GenericIPAddressField on PostgreSQL.
        return remote_addr
    return candidate
