"""The portal's own middleware: where a request comes from, and how its answer may be cached."""

import functools
import ipaddress
import logging
import sqlite3

from auditlog import get_logentry_model
from auditlog.cid import set_cid
from auditlog.context import _set_extra_data, auditlog_value
from auditlog.middleware import AuditlogMiddleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib.auth import SESSION_KEY
from django.core.signals import setting_changed
from django.db import DatabaseError, InterfaceError, OperationalError, connections
from django.db.models.signals import pre_save
from django.dispatch import receiver
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
        """Whether the answer may be for a logged-in user, asked without a query or a cache read
        when the view did not need the session itself."""
        # Without a session cookie nobody is logged in: asking request.user would open an empty
        # session and add "Vary: Cookie" to pages that do not depend on it.
        if not request.COOKIES.get(settings.SESSION_COOKIE_NAME):
            return False
        user = getattr(request, "user", None)
        if user is not None and getattr(user, "_wrapped", None) is not empty:
            return user.is_authenticated  # already loaded by the view: free
        session = getattr(request, "session", None)
        if session is not None and session.accessed:
            return bool(session.get(SESSION_KEY))  # already read by the view: free
        # A session cookie the view never read: the answer stays private without reading the
        # session (a query, or a cache round trip). Such a page depends on no one, so keeping it
        # from shared caches costs nothing; and an anonymous visitor with a session is rare (a
        # login begun, a message pending) and only loses the browser's copy of a public page.
        return True


@functools.cache
def _static_csp_headers() -> tuple[tuple[str, str, tuple[str, ...]], ...]:
    """The policy headers the settings give every response, each with its excluded URL prefixes:
    (header, value, prefixes), built once (django-csp builds them again for every response)."""
    headers = []
    for header, setting, report_only in (
        (HEADER, "CONTENT_SECURITY_POLICY", False),
        (HEADER_REPORT_ONLY, "CONTENT_SECURITY_POLICY_REPORT_ONLY", True),
    ):
        value = build_policy(report_only=report_only)
        if value:
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES", None) or ()
            headers.append((header, value, tuple(prefixes)))
    return tuple(headers)


@receiver(setting_changed)
def _csp_setting_changed(*, setting, **kwargs):
    if setting in ("CONTENT_SECURITY_POLICY", "CONTENT_SECURITY_POLICY_REPORT_ONLY"):
        _static_csp_headers.cache_clear()


class CSPMiddleware(LibraryCSPMiddleware):
    """django-csp's middleware with the policy text built once. A response whose policy can
    differ from the settings' (a view's csp_update/csp_replace/csp_exempt decorators, a nonce asked
    for, a header already set, Django's debug pages) goes through django-csp's own path; every
    other response gets the same headers, which django-csp would rebuild from the settings each
    time (about a tenth of a constant page's cost through the whole middleware)."""

    _POLICY_ATTRIBUTES = (
        "_csp_config",
        "_csp_update",
        "_csp_replace",
        "_csp_exempt",
        "_csp_config_ro",
        "_csp_update_ro",
        "_csp_replace_ro",
        "_csp_exempt_ro",
    )

    def process_response(self, request, response):
        if (
            getattr(request, "_csp_nonce", None) is not None
            or HEADER in response
            or HEADER_REPORT_ONLY in response
            or any(hasattr(response, name) for name in self._POLICY_ATTRIBUTES)
            or (settings.DEBUG and response.status_code in (404, 500))
        ):
            return super().process_response(request, response)
        for header, value, prefixes in _static_csp_headers():
            if not request.path_info.startswith(prefixes):
                response[header] = value
        # As django-csp does: a nonce asked for after the header is written is an error, not a
        # nonce silently missing from the policy.
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


# The one receiver of the request's audit data (see LazyAuditlogMiddleware), under a fixed id.
_REQUEST_AUDIT_UID = ("housingmix-request", 0)


def _request_audit_data(sender, instance, **kwargs):
    _set_extra_data(sender, instance, signal_duid=_REQUEST_AUDIT_UID, **kwargs)


class LazyAuditlogMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, in two ways cheaper for a request that writes nothing:

    - a lazy actor: the stock one tests ``isinstance(request.user, User)`` on every request, which
      loads the session and the user (two queries) even when nothing is written. Here the user
      is looked up only when a log entry is saved during the request;
    - one receiver, connected once: the stock middleware connects a ``pre_save`` receiver for
      the request and disconnects it after (which also empties the signal's receiver cache for
      every model's saves). Here auditlog's own receiver is connected once under a fixed id, and
      each request only sets (and afterwards resets) auditlog's context variable, which that
      receiver reads: the request's actor, address and port go on its log entries and on no
      other's."""

    def __init__(self, get_response):
        super().__init__(get_response)
        pre_save.connect(_request_audit_data, sender=get_logentry_model(), dispatch_uid=_REQUEST_AUDIT_UID)

    @staticmethod
    def _get_remote_addr(request):
        # ClientAddressMiddleware, first in the chain, has put the client's address in REMOTE_ADDR
        # and removed X-Forwarded-For: read it without building the request's header map.
        return None if settings.AUDITLOG_DISABLE_REMOTE_ADDR else request.META.get("REMOTE_ADDR")

    @staticmethod
    def _get_remote_port(request):
        # Behind the trusted proxy, the port it forwarded (X-Forwarded-Port); otherwise the
        # connection's own: a header the client typed is not written into the record.
        name = "HTTP_X_FORWARDED_PORT" if settings.TRUSTED_PROXY_COUNT else "REMOTE_PORT"
        try:
            return int(request.META.get(name, ""))
        except ValueError:
            return None

    @staticmethod
    def _get_actor(request):
        def actor():
            user = getattr(request, "user", None)
            if user is None or not user.is_authenticated:
                return None
            # The real instance, not request.user's lazy wrapper: it goes into a foreign key.
            return getattr(user, "_wrapped", user)

        return SimpleLazyObject(actor)

    def __call__(self, request):
        set_cid(request)
        data = self.get_extra_data(request)
        data["signal_duid"] = _REQUEST_AUDIT_UID
        token = auditlog_value.set(data)
        try:
            return self.get_response(request)
        finally:
            auditlog_value.reset(token)


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
