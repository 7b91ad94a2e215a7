"""System checks: the test federation and its keys never reach production."""

from django.conf import settings
from django.core.checks import Error, Tags, register
from django.db import DatabaseError

from .keys import is_test_key, jwks_from_source


@register(Tags.security, deploy=True)
def test_federation_off_in_production(app_configs, **kwargs):
    """``check --deploy``: refused while SPID_CIE_TEST_FEDERATION is on, or with test keys,
    or with a relying party or trust anchor not on HTTPS."""
    errors = []
    if settings.SPID_CIE_TEST_FEDERATION:
        errors.append(
            Error(
                "SPID_CIE_TEST_FEDERATION is on: the local test federation (demo identities, "
                "generated keys) must never run in production.",
                hint="Unset SPID_CIE_TEST_FEDERATION and configure the real SPID/CIE federations (README).",
                id="identity.E001",
            )
        )
        return errors
    sources = (
        ("SPID_CIE_RP_JWKS_FED", settings.SPID_CIE_RP_JWKS_FED_FILE, settings.SPID_CIE_RP_JWKS_FED),
        ("SPID_CIE_RP_JWKS_CORE", settings.SPID_CIE_RP_JWKS_CORE_FILE, settings.SPID_CIE_RP_JWKS_CORE),
    )
    for name, path, value in sources:
        try:
            keys = jwks_from_source(path=path, value=value)
        except (OSError, ValueError):
            errors.append(Error("%s cannot be read as a JSON list of JWKs." % name, id="identity.E003"))
            continue
        if any(is_test_key(k) for k in keys):
            errors.append(
                Error(
                    "%s holds keys of the test federation." % name, hint="Generate production keys.", id="identity.E002"
                )
            )
    enabled = bool(settings.OIDCFED_IDENTITY_PROVIDERS.get("spid") or settings.OIDCFED_IDENTITY_PROVIDERS.get("cie"))
    if enabled:
        urls = [("SPID_CIE_RP_ENTITY_ID", settings.SPID_CIE_RP_ENTITY_ID)] + [
            ("OIDCFED_TRUST_ANCHORS", url) for url in settings.OIDCFED_TRUST_ANCHORS
        ]
        for name, url in urls:
            if not url.startswith("https://"):
                errors.append(Error("%s must be an https:// URL in production (%s)." % (name, url), id="identity.E004"))
    return errors


@register(Tags.database)
def no_test_keys_in_stored_configuration(app_configs, databases=None, **kwargs):
    """With the test federation off, the stored relying-party configuration must not use
    test keys (runs with ``check --database default`` and before ``migrate``)."""
    if not databases or settings.SPID_CIE_TEST_FEDERATION:
        return []
    from spid_cie_oidc.entity.models import FederationEntityConfiguration

    try:
        confs = list(FederationEntityConfiguration.objects.filter(entity_type="openid_relying_party", is_active=True))
    except DatabaseError:  # not migrated yet
        return []
    for conf in confs:
        if any(is_test_key(k) for k in list(conf.jwks_fed) + list(conf.jwks_core)):
            return [
                Error(
                    "The active relying-party configuration (%s) uses test-federation keys." % conf.sub,
                    hint="Run `manage.py identity_rp_configure` with the production keys.",
                    id="identity.E002",
                )
            ]
    return []
