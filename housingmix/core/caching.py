"""Whole-page cache for public pages, invalidated by bumping a version on publication."""

import functools
import logging

from django.conf import settings
from django.core.cache import cache
from django.middleware.cache import CacheMiddleware

logger = logging.getLogger(__name__)

_VERSION_KEY = "public-pages-version"


def public_pages_version() -> int:
    version = cache.get(_VERSION_KEY)
    if version is None:
        version = 1
        cache.add(_VERSION_KEY, version, timeout=None)
    return int(version)


def public_pages_invalidate() -> None:
    """Make every cached public page stale at once (called after a publication commits)."""
    try:
        cache.incr(_VERSION_KEY)
    except ValueError:
        cache.set(_VERSION_KEY, 2, timeout=None)


def public_page(view):
    """Cache a public page for anonymous visitors without a session; the key carries the
    content version, so a publication shows at once. Logged-in users always get a fresh page."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            return view(request, *args, **kwargs)
        middleware = CacheMiddleware(
            lambda req: view(req, *args, **kwargs),
            page_timeout=settings.PUBLIC_PAGE_CACHE_SECONDS,
            key_prefix="public-%d" % public_pages_version(),
        )
        return middleware(request)

    return wrapper
