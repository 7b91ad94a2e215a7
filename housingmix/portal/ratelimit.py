"""A per-client counter in the cache, for the anonymous forms of the public site.

The client is known by an HMAC of its address (keyed with SECRET_KEY), kept only in the
cache and only for the window: nothing about the visitor reaches the database or the logs.
"""

import hashlib
import hmac
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest

WINDOW_SECONDS = 3600


def client_key(request: HttpRequest) -> str:
    """A pseudonym of the client's address; behind the reverse proxy, the address it forwarded."""
    address = request.META.get("REMOTE_ADDR", "")
    if settings.SECURE_PROXY_SSL_HEADER:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            # The proxy appends the address it saw: the last entry is the one it vouches for.
            address = forwarded.split(",")[-1].strip()
    return hmac.new(settings.SECRET_KEY.encode(), address.encode(), hashlib.sha256).hexdigest()[:32]


def rate_limit_hit(request: HttpRequest, *, scope: str, limit: int) -> bool:
    """Count one use of ``scope`` by this client; True when the client is over ``limit`` in the
    current hour. A cache outage lets requests through (it must not shut the forms)."""
    window = int(time.time() // WINDOW_SECONDS)
    key = "ratelimit:%s:%s:%d" % (scope, client_key(request), window)
    try:
        added = cache.add(key, 1, timeout=WINDOW_SECONDS)
        count = 1 if added else cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=WINDOW_SECONDS)
        count = 1
    return bool(count) and count > limit
