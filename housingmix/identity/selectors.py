"""Reads of the identity app, and the public API other apps use.

``verified_identity_for(user)`` says whether the account's codice fiscale came from SPID or
CIE (and so is fixed); ``session_identity(request)`` says whether *this* session was opened
with SPID or CIE, with which provider, level and when (what a signature by identity,
CAD art. 65 c. 1 b, records).
"""

from dataclasses import dataclass
from datetime import datetime

from django.utils import formats, timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from .models import DigitalIdentity, IdentityEvent

SESSION_KEY = "identity_session"


@dataclass(frozen=True)
class IdentityInfo:
    """Who vouched for a person: provider kind (``spid``/``cie``) and name, its entity id,
    the level (1-3), when, and the verified codice fiscale."""

    provider_kind: str
    provider_name: str
    provider_id: str
    level: int
    authenticated_at: datetime
    fiscal_code: str

    @property
    def provider_label(self) -> str:
        return "SPID" if self.provider_kind == "spid" else "CIE"

    def as_dict(self) -> dict:
        """JSON-ready, for a frozen package or a receipt (``mode`` names the signature mode)."""
        return {
            "mode": "digital_identity",
            "provider_kind": self.provider_kind,
            "provider_name": self.provider_name,
            "provider_id": self.provider_id,
            "level": self.level,
            "authenticated_at": self.authenticated_at.isoformat(),
            "fiscal_code": self.fiscal_code,
        }

    @property
    def statement(self) -> str:
        """The sentence a receipt prints for a submission signed by identity (CAD art. 65 c. 1 b)."""
        return _(
            "Sottoscritta con identità digitale %(provider)s di livello %(level)s (%(name)s), "
            "autenticazione del %(when)s, codice fiscale %(fiscal_code)s."
        ) % {
            "provider": self.provider_label,
            "level": self.level,
            "name": self.provider_name,
            "when": formats.date_format(timezone.localtime(self.authenticated_at), "DATETIME_FORMAT"),
            "fiscal_code": self.fiscal_code,
        }


def verified_identity_for(user) -> IdentityInfo | None:
    """The latest verification of ``user``'s codice fiscale, or None if it was never verified.

    Not None means ``user.tax_code`` is the verified code and must not be edited."""
    if not getattr(user, "is_authenticated", False):
        return None
    identity = DigitalIdentity.objects.filter(user=user).first()
    if identity is None:
        return None
    return IdentityInfo(
        provider_kind=identity.last_provider_kind,
        provider_name=identity.last_provider_name,
        provider_id=identity.last_provider_id,
        level=identity.last_level,
        authenticated_at=identity.last_verified_at,
        fiscal_code=identity.fiscal_code,
    )


def session_identity(request) -> IdentityInfo | None:
    """The SPID/CIE authentication that opened this session, or None (password login)."""
    data = request.session.get(SESSION_KEY)
    user = getattr(request, "user", None)
    if not data or not getattr(user, "is_authenticated", False) or data.get("user_id") != user.pk:
        return None
    return IdentityInfo(
        provider_kind=data["provider_kind"],
        provider_name=data["provider_name"],
        provider_id=data["provider_id"],
        level=data["level"],
        authenticated_at=parse_datetime(data["authenticated_at"]),
        fiscal_code=data["fiscal_code"],
    )


def identity_events_for(*, user, limit: int = 10):
    """The person's latest SPID/CIE events, newest first."""
    return IdentityEvent.objects.filter(user=user).order_by("-created_at", "-pk")[:limit]
