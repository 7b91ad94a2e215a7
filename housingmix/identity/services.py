"""Every write of the identity app: accounts found, created or linked by a verified
codice fiscale, and the audit of each SPID/CIE login, link and logout."""

from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from housingmix.accounts.models import OffererKind, User
from housingmix.accounts.roles import Role

from .claims import VerifiedClaims
from .models import DigitalIdentity, IdentityEvent, IdentityEventKind
from .oidc import LoginRefused, Provider


def _event(*, user: User, kind: str, provider: Provider, level: int | None) -> IdentityEvent:
    return IdentityEvent.objects.create(
        user=user,
        kind=kind,
        provider_kind=provider.kind,
        provider_id=provider.id,
        provider_name=provider.name,
        level=level,
    )


def _verified(identity: DigitalIdentity, *, provider: Provider, level: int) -> DigitalIdentity:
    identity.last_verified_at = timezone.now()
    identity.last_provider_kind = provider.kind
    identity.last_provider_id = provider.id
    identity.last_provider_name = provider.name
    identity.last_level = level
    return identity


def _fill_names(user: User, claims: VerifiedClaims) -> None:
    # Names come from the identity, the authoritative source once verified.
    if claims.given_name:
        user.first_name = claims.given_name
    if claims.family_name:
        user.last_name = claims.family_name


def _link_elsewhere_refusal() -> LoginRefused:
    return LoginRefused(
        _(
            "Esiste già un account del portale con il tuo indirizzo e-mail o il tuo codice fiscale, "
            "ma non è ancora collegato a SPID o CIE. Per collegarlo accedi con e-mail e password "
            "e scegli «Collega SPID o CIE» nell'Area personale."
        ),
        "existing_account",
    )


@transaction.atomic
def identity_login(*, claims: VerifiedClaims, provider: Provider, level: int) -> tuple[User, bool]:
    """The account of the person with this verified codice fiscale, created if new.

    Returns ``(user, created)``. The same codice fiscale always leads to the same account,
    whichever provider vouched for it. A new account is never made over an existing one:
    when an account already uses the identity's e-mail, or was registered with this codice
    fiscale typed by hand, LoginRefused asks the person to link it from that account
    (password first, then SPID/CIE: see identity_link). Every outcome is audited.
    """
    identity = (
        DigitalIdentity.objects.select_for_update()
        .select_related("user")
        .filter(fiscal_code=claims.fiscal_code)
        .first()
    )
    if identity is not None:
        user = identity.user
        if not user.is_active:
            raise LoginRefused(_("Questo account è disattivato. Scrivi all'Ufficio di Piano."), "inactive")
        _verified(identity, provider=provider, level=level).save()
        _fill_names(user, claims)
        user.tax_code = claims.fiscal_code
        user.save(update_fields=["first_name", "last_name", "tax_code"])
        _event(user=user, kind=IdentityEventKind.LOGIN, provider=provider, level=level)
        return user, False

    if not claims.email:
        raise LoginRefused(
            _(
                "Il gestore di identità non ha fornito un indirizzo e-mail, che serve per le comunicazioni. "
                "Registrati con e-mail e password e poi collega SPID o CIE dall'Area personale."
            ),
            "email_missing",
        )
    if (
        User.objects.filter(email__iexact=claims.email).exists()
        or User.objects.filter(tax_code=claims.fiscal_code).exists()
    ):
        raise _link_elsewhere_refusal()

    from allauth.account.models import EmailAddress

    user = User(email=claims.email, tax_code=claims.fiscal_code, offerer_kind=OffererKind.PERSON)
    _fill_names(user, claims)
    user.set_unusable_password()
    user.full_clean(exclude=["password", "comune"])
    user.save()
    user.groups.add(Group.objects.get(name=Role.OFFERER))
    # SPID and CIE providers verify the e-mail they release at enrolment.
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    now = timezone.now()
    DigitalIdentity.objects.create(
        user=user,
        fiscal_code=claims.fiscal_code,
        first_verified_at=now,
        last_verified_at=now,
        last_provider_kind=provider.kind,
        last_provider_id=provider.id,
        last_provider_name=provider.name,
        last_level=level,
    )
    _event(user=user, kind=IdentityEventKind.ACCOUNT_CREATED, provider=provider, level=level)
    _event(user=user, kind=IdentityEventKind.LOGIN, provider=provider, level=level)
    return user, True


@transaction.atomic
def identity_link(*, user: User, claims: VerifiedClaims, provider: Provider, level: int) -> DigitalIdentity:
    """Link the identity to ``user``, who is logged in with the password and has just
    proved the identity too. The account's codice fiscale becomes the verified one.

    LoginRefused when the identity belongs to another account, or this account is already
    linked to another codice fiscale.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    taken = DigitalIdentity.objects.filter(fiscal_code=claims.fiscal_code).exclude(user=user).exists()
    if taken:
        raise LoginRefused(
            _("Questa identità digitale è già collegata a un altro account del portale."), "identity_taken"
        )
    identity = DigitalIdentity.objects.filter(user=user).first()
    if identity is not None and identity.fiscal_code != claims.fiscal_code:
        raise LoginRefused(
            _("Il tuo account è già collegato a un'identità digitale con un altro codice fiscale."),
            "account_linked",
        )
    now = timezone.now()
    if identity is None:
        identity = DigitalIdentity(user=user, fiscal_code=claims.fiscal_code, first_verified_at=now)
        kind = IdentityEventKind.LINKED
    else:
        kind = IdentityEventKind.LOGIN
    _verified(identity, provider=provider, level=level).save()
    _fill_names(user, claims)
    user.tax_code = claims.fiscal_code
    user.save(update_fields=["first_name", "last_name", "tax_code"])
    _event(user=user, kind=kind, provider=provider, level=level)
    return identity


def identity_logout_record(*, user: User, provider: Provider) -> IdentityEvent:
    """Audit the end of a SPID/CIE session (the level field is empty for a logout)."""
    return _event(user=user, kind=IdentityEventKind.LOGOUT, provider=provider, level=None)


@transaction.atomic
def relying_party_configure(
    *,
    entity_id: str,
    site_url: str,
    jwks_fed: list[dict],
    jwks_core: list[dict],
    authority_hints: list[str],
    trust_marks: list[dict],
    organization_name: str,
    contacts: list[str],
):
    """Store the portal's relying-party Entity Configuration (the only active one).

    Its metadata follow the SPID/CIE OIDC profile: automatic client registration,
    private_key_jwt, the callback as the only redirect URI, public core keys inline.
    Raises ValidationError if the library's metadata schema refuses them.
    """
    from spid_cie_oidc.entity.jwks import public_jwk_from_private_jwk
    from spid_cie_oidc.entity.models import FederationEntityConfiguration

    site = site_url.rstrip("/")
    rp_metadata = {
        "application_type": "web",
        "client_id": entity_id,
        "client_registration_types": ["automatic"],
        "client_name": organization_name,
        "organization_name": organization_name,
        "contacts": contacts,
        "grant_types": ["refresh_token", "authorization_code"],
        "redirect_uris": [site + "/oidc/rp/callback"],
        "response_types": ["code"],
        "subject_type": "pairwise",
        "jwks": {"keys": [public_jwk_from_private_jwk(k) for k in jwks_core]},
        "jwks_uri": site + "/oidc/rp/openid_relying_party/jwks.json",
        "signed_jwks_uri": site + "/oidc/rp/openid_relying_party/jwks.jose",
        "id_token_signed_response_alg": "RS256",
        "userinfo_signed_response_alg": "RS256",
        "userinfo_encrypted_response_alg": "RSA-OAEP",
        "userinfo_encrypted_response_enc": "A128CBC-HS256",
        "token_endpoint_auth_method": "private_key_jwt",
    }
    FederationEntityConfiguration.objects.filter(entity_type="openid_relying_party").exclude(sub=entity_id).update(
        is_active=False
    )
    conf = FederationEntityConfiguration.objects.filter(sub=entity_id).first() or FederationEntityConfiguration(
        sub=entity_id
    )
    conf.entity_type = "openid_relying_party"
    conf.default_exp = 2880
    conf.authority_hints = authority_hints
    conf.jwks_fed = jwks_fed
    conf.jwks_core = jwks_core
    conf.trust_marks = trust_marks
    conf.metadata = {
        "federation_entity": {
            "organization_name": organization_name,
            "homepage_uri": site + "/",
            "policy_uri": site + "/privacy/",
            "contacts": contacts,
        },
        "openid_relying_party": rp_metadata,
    }
    conf.is_active = True
    conf.full_clean()
    conf.save()
    return conf
