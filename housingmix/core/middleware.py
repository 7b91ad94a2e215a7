"""The portal's own middleware: where a request comes from, and how its answer may be cached."""

import ipaddress
import logging
import sqlite3

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.http import HttpResponse
from django.template import loader
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


def _connection_lost(connection) -> bool:
    """Whether a connection that raised an error can no longer answer."""
    if connection.connection is None or not connection.errors_occurred:
        return False
    if connection.vendor == "sqlite":
        # Django's SQLite backend calls every connection usable: ask the driver's connection.
        try:
            connection.connection.execute("SELECT 1")
        except sqlite3.Error:
            return True
        return False
    return not connection.is_usable()


def _lost_link_error(error: BaseException, drivers: tuple) -> bool:
    if isinstance(error, (OperationalError, InterfaceError)):
        return True
    if isinstance(error, drivers) and type(error).__name__ in ("OperationalError", "InterfaceError"):
        return True
    # sqlite3 reports a connection closed under it as a ProgrammingError (Django's or, when it
    # escapes Django's wrapping from cursor.close(), the driver's own).
    return isinstance(error, (DatabaseError, sqlite3.Error)) and "closed database" in str(error)


def database_unavailable(exception: BaseException | None) -> bool:
    """Whether ``exception`` means the database could not be reached or dropped the connection
    (as opposed to a bad query, which stays a 500). A connection still broken is closed, so the
    next request opens a new one (transaction.atomic has already reopened one it had to drop)."""
    drivers = tuple({connection.Database.Error for connection in connections.all(initialized_only=True)})
    chain, error = [], exception
    while error is not None and len(chain) < 10:
        chain.append(error)
        error = error.__cause__ or error.__context__
    if not any(_lost_link_error(error, drivers) for error in chain):
        return False
    for connection in connections.all(initialized_only=True):
        if _connection_lost(connection):
            try:
                connection.close()
            except DatabaseError:
                connection.connection = None
    return True


def service_unavailable_response() -> HttpResponse:
    """503 with the portal's stand-alone page: rendered without context, since the base template's
    context processors read the database."""
    response = HttpResponse(loader.get_template("errors/503.html").render(), status=503)
    response["Retry-After"] = "30"
    # Logged once by the caller without the URL; django.request would add "Service Unavailable: <path>".
    response._has_been_logged = True
    return response


class DatabaseUnavailableMiddleware:
    """A view whose database connection drops (database restarted, connection killed, network
    cut) answers a 503 page in Italian instead of a 500 with the exception. Whatever the view was
    writing is rolled back by its transaction; the broken connection is closed here so the next
    request reconnects. One log line names the view and the error class: no URL, no parameters,
    no message (which may quote the statement)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        return self.get_response(request)

    def process_exception(self, request, exception):
        if not database_unavailable(exception):
            return None
        match = getattr(request, "resolver_match", None)
        logger.error(
            "Database unavailable during %s %s: %s",
            request.method,
            match.view_name if match else "-",
            type(exception).__name__,
        )
        return service_unavailable_response()
