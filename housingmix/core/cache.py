"""The portal's Redis cache backend: a cache outage costs the cache, never a login.

django-redis with ``IGNORE_EXCEPTIONS`` answers an unreachable server as a miss for ``get()``
and ignores ``set()`` and ``delete()``, but it answers ``add()`` with ``None``, which callers
read as "the key is already there". allauth's rate limiter takes a lock with ``add()`` before
counting a request (``allauth.core.internal.ratelimit.cache_lock``): during an outage it waits a
second for a lock nobody holds, gives up and treats the request as over the limit, so every
login, sign-up and password reset answered 429. With no server nobody else can hold a key, so
here ``add()`` reports success: locks and rate limits fail open while the cache is down (with a
warning in the log) and work as before once it is back.
"""

import logging
import time

from django_redis.cache import RedisCache
from django_redis.exceptions import ConnectionInterrupted

logger = logging.getLogger(__name__)

# One warning per interval from each cache connection: an outage must show, not flood the log.
_WARN_EVERY_SECONDS = 60.0


class PortalRedisCache(RedisCache):
    """django-redis whose ``add()`` fails open when the server cannot be reached and
    ``OPTIONS["IGNORE_EXCEPTIONS"]`` is set; every other operation behaves as in django-redis."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._fail_open = bool(params.get("OPTIONS", {}).get("IGNORE_EXCEPTIONS", False))
        self._warned_at = None

    def add(self, *args, **kwargs):
        if not self._fail_open:
            return super().add(*args, **kwargs)
        try:
            return self.client.add(*args, **kwargs)
        except ConnectionInterrupted:
            self._warn_outage()
            return True

    def _warn_outage(self) -> None:
        now = time.monotonic()
        if self._warned_at is None or now - self._warned_at >= _WARN_EVERY_SECONDS:
            self._warned_at = now
            # No key in the message: rate-limit keys carry client addresses.
            logger.warning(
                "Cache server unreachable: add() treated as done, so rate limits are not applied until it is back"
            )
