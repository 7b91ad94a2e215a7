"""Public pages: a whole-page cache on the server, invalidated by bumping a version on publication,
and browsers and proxies that ask again on every visit (answered with 304 while nothing changed)."""

import functools
import logging

from django.conf import settings
from django.core.cache import cache
from django.middleware.cache import CacheMiddleware
from django.middleware.http import ConditionalGetMiddleware
from django.utils.cache import patch_cache_control, set_response_etag

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


def _with_etag(response):
    # Computed once, before the server cache stores the page: a cached hit keeps its ETag.
    # A TemplateResponse (the sitemap) is rendered here, as the handler would do next anyway.
    if callable(getattr(response, "render", None)):
        response = response.render()
    if response.status_code == 200 and not response.streaming:
        set_response_etag(response)
    return response


def _revalidate(response):
    """Only the server's cache may keep the page for PUBLIC_PAGE_CACHE_SECONDS, since only it is
    invalidated on publication. Browsers and proxies may store it but must revalidate it each
    time (ETag, 304), so a notice published, withdrawn or amended shows on the next request."""
    if response.status_code == 200:
        if response.has_header("Expires"):
            del response["Expires"]
        patch_cache_control(response, public=True, max_age=0, must_revalidate=True)
    return response


def public_page(view):
    """Cache a public page for anonymous visitors without a session; the key carries the
    content version, so a publication shows at once. Logged-in users always get a fresh page,
    which core.middleware.CacheControlMiddleware marks private."""

    @functools.wraps(view)
    def wrapper(request, *args, **kwargs):
        if request.method not in ("GET", "HEAD") or request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            return view(request, *args, **kwargs)
        server_cache = CacheMiddleware(
            lambda req: _with_etag(view(req, *args, **kwargs)),
            page_timeout=settings.PUBLIC_PAGE_CACHE_SECONDS,
            key_prefix="public-%d" % public_pages_version(),
        )
        return ConditionalGetMiddleware(lambda req: _revalidate(server_cache(req)))(request)

    return wrapper
