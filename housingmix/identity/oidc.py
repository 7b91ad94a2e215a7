"""The relying party's side of the OpenID Connect exchange, on spid-cie-oidc.

The library does the federation work: trust chains to the provider through the trust
anchor (``SpidCieOidcRp.get_oidc_op``), the signed request object with PKCE (its begin
view), JWS/JWE primitives and the authorisation records (``OidcAuthentication``). Three of
its pieces are replaced here, each smaller than the original, for these reasons:

* the callback (``SpidCieOidcRpCallbackView``) checks the ID token's signature and at_hash
  only: not ``iss``, ``aud``, ``exp``, ``iat``, ``nonce`` or ``acr``, and a ``state`` can be
  used twice. It also expects the library's own user model (``user.attributes``) and keeps
  every token in ``OidcAuthenticationToken``. ``callback_verify`` below checks all of them
  and keeps no token;
* its token and userinfo requests (``OAuth2AuthorizationCodeGrant.access_token_request``,
  ``OidcUserInfo.get_userinfo``) log the grant, the code verifier and the decoded userinfo
  at DEBUG: ``token_request``/``userinfo_request`` below are the same requests, unlogged;
* its logout view revokes the token of the user's *last* authentication, whatever the
  session; ``revoke`` below revokes the one of this session.

Nothing here logs a token, a code or an attribute.
"""

import json
import logging
import uuid
from dataclasses import dataclass
from datetime import timedelta

import requests
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from spid_cie_oidc.entity.jwtse import decrypt_jwe, unpad_jwt_head, unpad_jwt_payload, verify_at_hash, verify_jws
from spid_cie_oidc.entity.models import FederationEntityConfiguration
from spid_cie_oidc.entity.utils import KeyUsage, get_jwk_from_jwt, get_jwks, get_key
from spid_cie_oidc.relying_party.models import OidcAuthentication

from .claims import VerifiedClaims, claims_from_userinfo
from .errors import LoginRefused

logger = logging.getLogger(__name__)

ACR_LEVELS = {
    "https://www.spid.gov.it/SpidL1": 1,
    "https://www.spid.gov.it/SpidL2": 2,
    "https://www.spid.gov.it/SpidL3": 3,
}
REQUIRED_LEVEL = 2
# Allowed clock difference with the provider, in seconds.
LEEWAY = 60


@dataclass(frozen=True)
class Provider:
    kind: str  # ProviderKind value
    id: str  # entity id
    name: str


def providers(kind: str | None = None) -> list[Provider]:
    """The identity providers the portal trusts, from settings (the test ones when the
    test federation is on)."""
    found = [Provider("spid", p["id"], p["name"]) for p in settings.SPID_CIE_SPID_PROVIDERS_RESOLVED]
    cie = settings.SPID_CIE_CIE_PROVIDER_RESOLVED
    if cie:
        found.append(Provider("cie", cie["id"], cie["name"]))
    return [p for p in found if kind is None or p.kind == kind]


def provider_get(*, kind: str, provider_id: str) -> Provider:
    """The configured provider ``provider_id`` of ``kind``; LoginRefused if it is not one."""
    for provider in providers(kind):
        if provider.id == provider_id:
            return provider
    raise LoginRefused(
        _("Il gestore di identità indicato non è tra quelli riconosciuti dal portale. Scegline uno dall'elenco."),
        "untrusted_provider",
    )


def relying_party() -> FederationEntityConfiguration:
    """The portal's active relying-party configuration (see identity_rp_configure)."""
    conf = FederationEntityConfiguration.objects.filter(entity_type="openid_relying_party", is_active=True).first()
    if conf is None:
        raise LoginRefused(
            _("L'accesso con SPID e CIE non è ancora configurato su questo portale."), "rp_not_configured"
        )
    return conf


def state_from_authorization_url(url: str) -> str:
    """The ``state`` the library put in the signed request object of its redirect."""
    from urllib.parse import parse_qs, urlsplit

    request_object = parse_qs(urlsplit(url).query)["request"][0]
    return unpad_jwt_payload(request_object)["state"]


def authorization_consume(*, state: str, expected_state: str | None) -> OidcAuthentication:
    """Take the pending authorisation for ``state`` exactly once.

    Refused when the state is not the one this browser session started, is unknown, was
    already used, or is older than SPID_CIE_LOGIN_MAX_AGE_MINUTES."""
    replay = LoginRefused(
        _(
            "La richiesta di accesso non è valida, è scaduta o è già stata usata. "
            "Per sicurezza ricomincia l'accesso dall'inizio."
        ),
        "state",
    )
    if not state or not expected_state or state != expected_state:
        raise replay
    oldest = timezone.now() - timedelta(minutes=settings.SPID_CIE_LOGIN_MAX_AGE_MINUTES)
    # Records of abandoned logins hold nothing personal (state, nonce, PKCE verifier and
    # the provider's metadata) but would pile up: drop the day-old ones on the way.
    OidcAuthentication.objects.filter(created__lt=timezone.now() - timedelta(days=1)).delete()
    with transaction.atomic():
        taken = OidcAuthentication.objects.filter(state=state, successful=False, created__gte=oldest).update(
            successful=True
        )
        if taken != 1:
            raise replay
        return OidcAuthentication.objects.get(state=state)


def _client_assertion(rp: FederationEntityConfiguration, audience: str) -> str:
    from spid_cie_oidc.entity.jwtse import create_jws
    from spid_cie_oidc.entity.utils import exp_from_now, iat_now

    return create_jws(
        {
            "iss": rp.sub,
            "sub": rp.sub,
            "aud": [audience],
            "iat": iat_now(),
            "exp": exp_from_now(),
            "jti": str(uuid.uuid4()),
        },
        jwk_dict=get_key(rp.jwks_core, KeyUsage.signature),
    )


def _failed():
    return LoginRefused(
        _(
            "Il gestore di identità non ha confermato l'accesso. Riprova; se il problema continua, usa un altro gestore."
        ),
        "provider_exchange",
    )


def token_request(*, authz: OidcAuthentication, code: str, rp: FederationEntityConfiguration) -> dict:
    """Exchange the authorisation code (private_key_jwt, PKCE); the parsed token response."""
    data = json.loads(authz.data)
    endpoint = authz.provider_configuration["token_endpoint"]
    try:
        response = requests.post(
            endpoint,
            data={
                "grant_type": "authorization_code",
                "redirect_uri": data["redirect_uri"],
                "client_id": rp.sub,
                "state": authz.state,
                "code": code,
                "code_verifier": data["code_verifier"],
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion": _client_assertion(rp, endpoint),
            },
            timeout=settings.HTTPC_TIMEOUT,
        )
        body = response.json() if response.status_code == 200 else None
    except (requests.RequestException, ValueError):
        body = None
    if not isinstance(body, dict) or not body.get("id_token") or not body.get("access_token"):
        logger.warning("identity: token endpoint of %s refused or answered badly", authz.provider_id)
        raise _failed()
    return body


def _verify_signed(jwt: str, jwks: list) -> dict:
    jwk = get_jwk_from_jwt(jwt, jwks)
    if not jwk:
        raise ValueError("unknown kid")
    verify_jws(jwt, jwk)
    return unpad_jwt_payload(jwt)


def id_token_verify(*, id_token: str, access_token: str, authz: OidcAuthentication, client_id: str) -> dict:
    """The ID token's claims, once signature, issuer, audience, times, nonce, at_hash and level hold."""
    invalid = LoginRefused(
        _(
            "La risposta del gestore di identità non ha superato i controlli di sicurezza "
            "(firma, destinatario, scadenza o codice monouso). Nessun accesso è stato effettuato: riprova."
        ),
        "id_token",
    )
    jwks = get_jwks(authz.provider_configuration)
    try:
        claims = _verify_signed(id_token, jwks)
        _verify_signed(access_token, jwks)
        verify_at_hash(claims, access_token)
    except Exception:
        raise invalid
    audience = claims.get("aud")
    audience = [audience] if isinstance(audience, str) else list(audience or [])
    now = timezone.now().timestamp()
    nonce = json.loads(authz.data).get("nonce")
    checks = {
        "iss": claims.get("iss") == authz.provider_id,
        "aud": client_id in audience,
        "exp": isinstance(claims.get("exp"), int | float) and claims["exp"] + LEEWAY > now,
        "iat": isinstance(claims.get("iat"), int | float) and claims["iat"] - LEEWAY <= now,
        "nonce": bool(nonce) and claims.get("nonce") == nonce,
        "sub": bool(claims.get("sub")),
    }
    failed = [name for name, ok in checks.items() if not ok]
    if failed:
        logger.warning("identity: ID token from %s refused (%s)", authz.provider_id, ",".join(failed))
        invalid.reason = "id_token_" + failed[0]
        raise invalid
    if ACR_LEVELS.get(claims.get("acr"), 0) < REQUIRED_LEVEL:
        raise LoginRefused(_("Per questo servizio serve un'identità digitale di livello 2 o superiore."), "level")
    return claims


def userinfo_request(
    *, authz: OidcAuthentication, access_token: str, rp: FederationEntityConfiguration, id_claims: dict
) -> dict:
    """The provider's userinfo (JWE: decrypted with the RP's key, then its signature checked)."""
    try:
        response = requests.get(
            authz.provider_configuration["userinfo_endpoint"],
            headers={"Authorization": "Bearer %s" % access_token},
            timeout=settings.HTTPC_TIMEOUT,
        )
        if response.status_code != 200:
            raise ValueError("status")
        content = response.content.decode()
        if content.lstrip().startswith("{"):
            # SPID and CIE answer with a signed and encrypted JWT; plain JSON is not trusted.
            raise ValueError("unsigned userinfo")
        header = unpad_jwt_head(content)
        rp_key = next(k for k in rp.jwks_core if k.get("kid") == header.get("kid"))
        jws = decrypt_jwe(content, rp_key)
        jws = jws.decode() if isinstance(jws, bytes) else jws
        info = _verify_signed(jws, get_jwks(authz.provider_configuration))
    except Exception:
        logger.warning("identity: userinfo of %s refused or unreadable", authz.provider_id)
        raise _failed()
    if info.get("sub") != id_claims.get("sub") or info.get("iss", authz.provider_id) != authz.provider_id:
        logger.warning("identity: userinfo of %s is not about the ID token's subject", authz.provider_id)
        raise _failed()
    return info


@dataclass(frozen=True)
class CallbackResult:
    claims: VerifiedClaims
    level: int
    access_token: str
    revocation_endpoint: str


def callback_verify(*, params: dict, pending: dict | None) -> CallbackResult:
    """Check a provider's answer end to end; LoginRefused (Italian message) on any failure.

    ``params`` are the callback's query parameters, ``pending`` what the begin view put in
    the session. Nothing is written but the consumed authorisation record.
    """
    if params.get("error"):
        raise LoginRefused(_("L'accesso è stato annullato o non è riuscito presso il gestore di identità."), "op_error")
    authz = authorization_consume(state=params.get("state", ""), expected_state=(pending or {}).get("state"))
    if params.get("iss") and params["iss"] != authz.provider_id:
        # Mix-up attack (RFC 9207): the answer comes from another provider.
        raise LoginRefused(_("La risposta proviene da un gestore diverso da quello scelto."), "iss")
    if not params.get("code"):
        raise _failed()
    rp = relying_party()
    tokens = token_request(authz=authz, code=params["code"], rp=rp)
    id_claims = id_token_verify(
        id_token=tokens["id_token"], access_token=tokens["access_token"], authz=authz, client_id=rp.sub
    )
    info = userinfo_request(authz=authz, access_token=tokens["access_token"], rp=rp, id_claims=id_claims)
    claims = claims_from_userinfo({**id_claims, **info})
    return CallbackResult(
        claims=claims,
        level=ACR_LEVELS[id_claims["acr"]],
        access_token=tokens["access_token"],
        revocation_endpoint=authz.provider_configuration.get("revocation_endpoint", ""),
    )


def revoke(*, access_token: str, revocation_endpoint: str) -> bool:
    """Ask the provider to revoke the token, which ends the person's session there
    (SPID/CIE OIDC logout is token revocation). False if the provider did not accept."""
    if not (access_token and revocation_endpoint):
        return False
    try:
        rp = relying_party()
        response = requests.post(
            revocation_endpoint,
            data={
                "token": access_token,
                "client_id": rp.sub,
                "client_assertion_type": "urn:ietf:params:oauth:client-assertion-type:jwt-bearer",
                "client_assertion": _client_assertion(rp, revocation_endpoint),
            },
            timeout=settings.HTTPC_TIMEOUT,
        )
    except (requests.RequestException, LoginRefused):
        return False
    return response.status_code == 200
