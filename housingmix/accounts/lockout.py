"""django-axes hooks: how a login is named, how a client is named in logs, and the lockout rules."""

import hashlib
import logging

from axes.attempts import get_cool_off_threshold
from axes.conf import settings
from axes.handlers.database import AxesDatabaseHandler
from axes.helpers import get_client_username
from axes.models import AccessAttempt
from axes.signals import user_locked_out
from django.db.models import Sum

logger = logging.getLogger(__name__)


def username_from_request(request, credentials):
    """The login identifier for django-axes: allauth passes ``email``, the admin ``username``."""
    credentials = credentials or {}
    value = credentials.get("email") or credentials.get("username")
    if not value and request is not None and request.method == "POST":
        value = request.POST.get("login") or request.POST.get("username")
    return (value or "").strip().lower() or None


def client_str(username, ip_address, user_agent, path_info, request):
    """How django-axes names a client in its logs: a pseudonym, never the e-mail address."""
    digest = hashlib.sha256((username or "").encode("utf-8")).hexdigest()[:12]
    return "account %s on %s" % (digest, path_info)


class LockoutHandler(AxesDatabaseHandler):
    """django-axes' database handler with two limits instead of one.

    - An account is locked for a client address after AXES_FAILURE_LIMIT failures from that
      address (AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]): a stranger's wrong
      passwords never lock the holder out at their own address.
    - An address is throttled after AXES_ADDRESS_FAILURE_LIMIT failures across every username
      within the cool-off: spraying many accounts from one address stops there. The limit is
      higher than the per-account one because the comuni's offices share a few NAT addresses.

    Both are AccessAttempt rows, so staff unlock either by deleting the rows in the back office
    (or with ``manage.py axes_reset_ip``)."""

    def address_failures(self, request) -> int:
        """Failed logins from the request's client address, for any username, within the cool-off."""
        attempts = AccessAttempt.objects.filter(ip_address=request.axes_ip_address)
        if settings.AXES_COOLOFF_TIME is not None:
            attempts = attempts.filter(attempt_time__gte=get_cool_off_threshold(request))
        return attempts.aggregate(total=Sum("failures_since_start"))["total"] or 0

    def _address_throttled(self, request) -> bool:
        throttled = (
            settings.AXES_LOCK_OUT_AT_FAILURE and self.address_failures(request) >= settings.AXES_ADDRESS_FAILURE_LIMIT
        )
        if throttled:
            # Read by the lockout page, which then speaks of the network, not of the account.
            request.axes_address_throttled = True
        return throttled

    def is_locked(self, request, credentials=None) -> bool:
        return super().is_locked(request, credentials) or self._address_throttled(request)

    def user_login_failed(self, sender, credentials, request=None, **kwargs):
        super().user_login_failed(sender, credentials, request, **kwargs)
        if request is None or request.axes_locked_out or self.is_whitelisted(request, credentials):
            return
        if self._address_throttled(request):
            logger.warning("Login failures from one address reached the limit: the address is throttled")
            request.axes_locked_out = True
            request.axes_credentials = credentials
            user_locked_out.send(
                "axes",
                request=request,
                username=get_client_username(request, credentials),
                ip_address=request.axes_ip_address,
            )
