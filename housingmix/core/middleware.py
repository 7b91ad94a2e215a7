"""The portal's own middleware: where a request comes from, and how its answer may be cached."""

import ipaddress
import logging

from django.conf import settings

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
