"""The portal's own middleware: where a request comes from, and how its answer may be cached."""

import ipaddress
import logging

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.utils.cache import patch_cache_control
from django.utils.functional import SimpleLazyObject, empty

logger = logging.getLogger(__name__)


def forwarded_client_address(forwarded_for: str, *, proxies: int) -> str | None:
    """The client address in an X-Forwarded-For value written by ``proxies`` trusted proxies in a
    row, each appending the address it saw: the ``proxies``-th entry from the right. Entries
    further left were sent by the client and prove nothing. None if the value is unusable."""
    entries = [entry.strip() for entry in forwarded_for.split(",")]
    if proxies < 1 or len(entries) < proxies:
        return None
    try:
        return str(ipaddress.ip_address(entries[-proxies]))
    except ValueError:
        return None


class ClientAddressMiddleware:
    """One reading of the client address for everything after it (django-axes, allauth's rate
    limits, auditlog): ``REMOTE_ADDR``.

    Behind the reverse proxy (``TRUSTED_PROXY_COUNT`` > 0, from DJANGO_BEHIND_PROXY) REMOTE_ADDR is
    the proxy itself, so it is replaced by the address the proxy appended to X-Forwarded-For.
    The header is then removed, trusted or not: auditlog would otherwise record its left-most
    entry, which anyone can type."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        forwarded_for = request.META.pop("HTTP_X_FORWARDED_FOR", "")
        if settings.TRUSTED_PROXY_COUNT and forwarded_for:
            address = forwarded_client_address(forwarded_for, proxies=settings.TRUSTED_PROXY_COUNT)
            if address:
                request.META["REMOTE_ADDR"] = address
            else:
                logger.warning("Unusable X-Forwarded-For from the proxy: the proxy's own address is used")
        return self.get_response(request)


def cache_directives(response) -> set[str]:
    """The directive names in the response's Cache-Control ("max-age=0, private" -> {"max-age", "private"})."""
    return {part.split("=", 1)[0].strip().lower() for part in response.get("Cache-Control", "").split(",") if part}


class CacheControlMiddleware:
    """How an answer may be cached, in one rule for every page:

    - a page for a logged-in user is ``private, no-store`` (the back office, the review, the
      registry, the personal area, and public pages too, whose header names the user), unless
      its view marked it ``public`` itself (a published notice's document, the same for all);
    - any other answer whose view said nothing about caching is ``private, no-store`` as well
      (the login and sign-up forms, error pages): a page is kept by browsers and proxies only
      when it says so (core.caching.public_page, static files)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if self._logged_in(request):
            if "public" not in cache_directives(response):
                patch_cache_control(response, private=True, no_store=True)
        elif not response.has_header("Cache-Control"):
            patch_cache_control(response, private=True, no_store=True)
        return response

    @staticmethod
    def _logged_in(request) -> bool:
        # Without a session cookie nobody is logged in: asking request.user would open an empty
        # session and add "Vary: Cookie" to pages that do not depend on it.
        if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            return False
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "_wrapped", None) is not empty:
            return user.is_authenticated  # already loaded by the view: free
        # A session that names a user is enough to keep the answer private: loading the user
        # (one more query) would only tell a stale session from a live one, and both stay private.
        session = getattr(request, "session", None)
        return bool(session is not None and session.get(SESSION_KEY))


class LazyAuditlogMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware with a lazy actor: the stock one tests ``isinstance(request.user,
    User)`` on every request, which loads the session and the user (two queries) even when nothing
    is written. Here the user is looked up only when a log entry is saved during the request."""

    @staticmethod
    def _get_actor(request):
        def actor():
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                return None
            # The real instance, not request.user's lazy wrapper: it goes into a foreign key.
            return getattr(user, "_wrapped", user)

        return SimpleLazyObject(actor)
