"""Per-address rate limits of the public pages, counted in a cache every web process shares.

A fixed window per client address (portal.client_ip, which trusts X-Forwarded-For only as far as the
configured proxies): page views per minute, comments sent per hour; over the limit the visitor gets
HTTP 429 with a Vietnamese page. If the cache is unreachable the pages stay open rather than fail.
"""

import functools
import hashlib
import logging
import time

from django.conf import settings
from django.core.cache import caches
from django.shortcuts import render

from portal.client_ip import client_ip

logger = logging.getLogger(__name__)

# scope: (setting holding the limit, window in seconds, what the page says)
SCOPES = {
    "pages": ("PUBLIC_RATE_LIMIT_PAGES", 60, "một phút"),
    "comments": ("PUBLIC_RATE_LIMIT_COMMENTS", 3600, "một giờ"),
}


def _key(scope, address, window):
    # Hashed: cache back-ends differ in which characters a key may hold (IPv6 has colons).
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"{scope}:{digest}:{window}"


def hit(request, scope):
    """Count one request of the scope; True while the address is within its limit."""
    setting, seconds, _ = SCOPES[scope]
    limit = getattr(settings, setting)
    if limit <= 0:
        return True
    cache = caches[settings.PUBLIC_RATE_LIMIT_CACHE]
    window = int(time.time() // seconds)
    key = _key(scope, client_ip(request) or "unknown", window)
    try:
        cache.add(key, 0, timeout=seconds + 5)
        count = cache.incr(key)
    except ValueError:
        # Expired between add and incr: this request opens the window again.
        cache.set(key, 1, timeout=seconds + 5)
        count = 1
    except Exception:
        logger.warning("rate-limit cache unavailable; public request let through", exc_info=True)
        return True
    return count <= limit


def too_many_requests(request, scope):
    setting, seconds, period = SCOPES[scope]
    response = render(
        request,
        "awards/public/too_many_requests.html",
        {"limit": getattr(settings, setting), "period": period, "scope": scope},
        status=429,
    )
    response["Retry-After"] = str(seconds)
    return response


def rate_limited(view):
    """Limit page views (GET, HEAD) per minute and posted comments (POST) per hour, per client address."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        scope = "comments" if request.method == "POST" else "pages"
        if not hit(request, scope):
            return too_many_requests(request, scope)
        return view(request, *args, **kwargs)

    return wrapper
