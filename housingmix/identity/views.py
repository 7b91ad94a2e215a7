import logging

from django.contrib import messages
from django.contrib.auth import login
from django.http import QueryDict
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET
from spid_cie_oidc.relying_party.views.rp_begin import SpidCieOidcRpBeginView

from . import oidc, services
from .selectors import SESSION_KEY

logger = logging.getLogger(__name__)

PENDING_KEY = "identity_pending"
REVOCATION_KEY = "identity_revocation"
LOGIN_BACKEND = "housingmix.accounts.backends.AuthenticationBackend"


class _LibraryBeginView(SpidCieOidcRpBeginView):
    # Its own error page is English and shows internals; the portal's replaces it (begin).
    error_template = "identity/error.html"


def _refused(request, message, status=403):
    return render(request, "identity/error.html", {"message": message}, status=status)


@never_cache
@require_GET
def begin(request, kind: str):
    """Start a SPID or CIE login (or, for a logged-in person, the link of an identity to
    the account): check the provider, let the library build the signed request, and
    remember its state in this browser session."""
    provider_id = request.GET.get("provider", "")
    if kind == "cie" and not provider_id:
        provider_id = next((p.id for p in oidc.providers("cie")), "")
    try:
        provider = oidc.provider_get(kind=kind, provider_id=provider_id)
        oidc.relying_party()
    except oidc.LoginRefused as refusal:
        return _refused(request, refusal.message, status=400)

    # Only the provider and the profile reach the library: scope, prompt and redirect_uri
    # stay the portal's defaults whatever the query string says.
    request.GET = QueryDict(mutable=True)
    request.GET.update({"provider": provider.id, "profile": kind})
    response = _LibraryBeginView.as_view()(request)
    if response.status_code != 302:
        logger.warning("identity: no trust chain to %s (status %s)", provider.id, response.status_code)
        return _refused(
            request,
            _(
                "Non è stato possibile verificare il gestore di identità nella federazione SPID/CIE. "
                "Riprova più tardi o scegli un altro gestore."
            ),
            status=502,
        )
    request.session[PENDING_KEY] = {
        "state": oidc.state_from_authorization_url(response["Location"]),
        "kind": kind,
        "provider_id": provider.id,
        "link_user_id": request.user.pk if request.user.is_authenticated else None,
    }
    return response


@never_cache
@require_GET
def callback(request):
    """The provider's answer: verify it, then log the person in (or link the identity)."""
    pending = request.session.pop(PENDING_KEY, None)
    try:
        result = oidc.callback_verify(params=request.GET.dict(), pending=pending)
        provider = oidc.provider_get(kind=pending["kind"], provider_id=pending["provider_id"])
        link_user_id = pending.get("link_user_id")
        if link_user_id:
            if request.user.pk != link_user_id:
                raise oidc.LoginRefused(
                    _("La sessione è cambiata durante il collegamento: accedi di nuovo e riprova."), "link_session"
                )
            services.identity_link(user=request.user, claims=result.claims, provider=provider, level=result.level)
            user = request.user
            request.session.cycle_key()
            messages.success(request, _("La tua identità digitale è collegata all'account."))
        else:
            user, created = services.identity_login(claims=result.claims, provider=provider, level=result.level)
            login(request, user, backend=LOGIN_BACKEND)
            if created:
                messages.success(
                    request, _("Benvenuto: il tuo account è stato creato con i dati della tua identità digitale.")
                )
    except oidc.LoginRefused as refusal:
        logger.info("identity: login refused (%s)", refusal.reason)
        return _refused(request, refusal.message)

    request.session[SESSION_KEY] = {
        "user_id": user.pk,
        "provider_kind": provider.kind,
        "provider_name": provider.name,
        "provider_id": provider.id,
        "level": result.level,
        "authenticated_at": timezone.now().isoformat(),
        "fiscal_code": result.claims.fiscal_code,
    }
    # Kept in the (server-side) session only, to end the provider's session at logout.
    request.session[REVOCATION_KEY] = {
        "access_token": result.access_token,
        "revocation_endpoint": result.revocation_endpoint,
    }
    return redirect("accounts:area")


def provider_logout(request) -> None:
    """End the provider's session (token revocation) and audit it; called before the
    portal's own logout (identity.adapters.AccountAdapter.logout)."""
    revocation = request.session.pop(REVOCATION_KEY, None)
    data = request.session.get(SESSION_KEY)
    if not revocation or not data or not request.user.is_authenticated:
        return
    ended = oidc.revoke(**revocation)
    if not ended:
        logger.warning("identity: %s did not accept the revocation at logout", data["provider_id"])
    services.identity_logout_record(
        user=request.user,
        provider=oidc.Provider(data["provider_kind"], data["provider_id"], data["provider_name"]),
    )
