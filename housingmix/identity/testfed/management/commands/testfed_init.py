"""Build one test-federation process's database: entities, keys, demo identities.

Run by the portal's ``manage.py testfed_setup`` with ``--settings=housingmix.identity.testfed.settings``
(never by hand). Files exchanged with the other processes, in TESTFED_DIR:

* ``rp.json`` (written by the portal): the relying party's entity id, public keys and metadata;
* ``op-cie.json`` (written by the cie process): the CIE provider's entity id and public keys;
* ``rp-trust-marks.json`` (written by the spid process): the trust marks the anchor issued to the RP.

Keys are generated here by the library (``FederationEntityConfiguration`` creates its own);
the database is rebuilt on every run, so every setup has fresh keys.
"""

import json

from cryptojwt.jwk.rsa import new_rsa_key
from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand
from spid_cie_oidc.entity.jwks import create_jwk, public_jwk_from_private_jwk

from housingmix.identity.testfed.demo import DEMO_IDENTITIES, DEMO_PASSWORD

SPID_PROFILE_ID = "https://www.spid.gov.it/openid-federation/agreement/sp-public"
CIE_PROFILE_ID = "https://www.interno.gov.it/openid-federation/agreement/sp-public"
OP_PROFILE_ID = "https://www.spid.gov.it/openid-federation/agreement/op-public"

ALGS = ["RS256", "RS384", "RS512", "ES256", "ES384", "ES512"]
ENC_ALGS = ["RSA-OAEP", "RSA-OAEP-256"]
ENC_ENCS = ["A128CBC-HS256", "A192CBC-HS384", "A256CBC-HS512", "A128GCM", "A192GCM", "A256GCM"]
SPID_CLAIMS = [
    "https://attributes.eid.gov.it/spid_code",
    "given_name",
    "family_name",
    "birthdate",
    "https://attributes.eid.gov.it/fiscal_number",
    "email",
]
CIE_CLAIMS = ["given_name", "family_name", "birthdate", "https://attributes.eid.gov.it/fiscal_number", "email"]
ACRS = ["https://www.spid.gov.it/SpidL1", "https://www.spid.gov.it/SpidL2", "https://www.spid.gov.it/SpidL3"]


def _signing_jwks() -> list[dict]:
    # With "use": the library's get_key() reads jwk["use"] (its default keys have none).
    return [create_jwk(key=new_rsa_key(use="sig"))]


def _public(jwks: list[dict]) -> list[dict]:
    return [public_jwk_from_private_jwk(k) for k in jwks]


def provider_metadata(op_sub: str, role: str, core_jwks: list[dict]) -> dict:
    """The ``openid_provider`` metadata of a test provider (AgID / IPZS profile fields)."""
    base = op_sub.rstrip("/")
    return {
        "organization_name": "Identità di prova %s" % role.upper(),
        "issuer": op_sub,
        "authorization_endpoint": base + "/authorization",
        "token_endpoint": base + "/token",
        "userinfo_endpoint": base + "/userinfo",
        "introspection_endpoint": base + "/introspection",
        "revocation_endpoint": base + "/revocation",
        "claims_parameter_supported": True,
        "client_registration_types_supported": ["automatic"],
        "code_challenge_methods_supported": ["S256"],
        "request_authentication_methods_supported": {"ar": ["request_object"]},
        "acr_values_supported": ACRS,
        "claims_supported": SPID_CLAIMS if role == "spid" else CIE_CLAIMS,
        "grant_types_supported": ["authorization_code", "refresh_token"],
        "id_token_signing_alg_values_supported": ["RS256", "ES256"],
        "id_token_encryption_alg_values_supported": ["RSA-OAEP"],
        "id_token_encryption_enc_values_supported": ["A128CBC-HS256"],
        "scopes_supported": ["openid", "offline_access"],
        "request_parameter_supported": True,
        "response_types_supported": ["code"],
        "response_modes_supported": ["query", "form_post"],
        "subject_types_supported": ["pairwise", "public"],
        "token_endpoint_auth_methods_supported": ["private_key_jwt"],
        "token_endpoint_auth_signing_alg_values_supported": ALGS,
        "userinfo_encryption_alg_values_supported": ENC_ALGS,
        "userinfo_encryption_enc_values_supported": ENC_ENCS,
        "userinfo_signing_alg_values_supported": ALGS,
        "request_object_encryption_alg_values_supported": ENC_ALGS,
        "request_object_encryption_enc_values_supported": ENC_ENCS,
        "request_object_signing_alg_values_supported": ALGS,
        "jwks": {"keys": _public(core_jwks)},
    }


class Command(BaseCommand):
    help = "Rebuild this test-federation process's database (called by the portal's testfed_setup)."

    def handle(self, *args, **options):
        from spid_cie_oidc.entity.models import FederationEntityConfiguration

        state = settings.STATE_DIR
        state.mkdir(parents=True, exist_ok=True)
        db = state / ("%s.sqlite3" % settings.ROLE)
        db.unlink(missing_ok=True)
        call_command("migrate", verbosity=0, interactive=False)
        # The anchor must be the first entity with federation_entity metadata: the library's
        # fetch endpoint signs with get_first_self_trust_anchor(), the first such row.
        ta = self._trust_anchor_entity() if settings.ROLE == "spid" else None

        op_sub = settings.BASE_URL + "/oidc/op/"
        op = FederationEntityConfiguration(
            sub=op_sub,
            entity_type="openid_provider",
            authority_hints=[settings.TA_URL],
            is_active=True,
            jwks_fed=_signing_jwks(),
            jwks_core=_signing_jwks(),
        )
        op.metadata = {
            "federation_entity": {
                "organization_name": "Identità di prova %s" % settings.ROLE.upper(),
                "homepage_uri": settings.BASE_URL,
                "contacts": ["ops@housingmix.localhost"],
                "federation_resolve_endpoint": op_sub + "resolve",
            },
            "openid_provider": provider_metadata(op_sub, settings.ROLE, op.jwks_core),
        }
        op.save()
        self._demo_users()

        if settings.ROLE == "cie":
            (state / "op-cie.json").write_text(json.dumps({"sub": op_sub, "jwks": _public(op.jwks_fed)}))
            return
        self._trust_anchor_descendants(state, ta, op)

    def _demo_users(self):
        from django.contrib.auth import get_user_model

        User = get_user_model()
        for identity in DEMO_IDENTITIES:
            if identity["provider"] != settings.ROLE:
                continue
            attributes = {
                "given_name": identity["given_name"],
                "family_name": identity["family_name"],
                "email": identity["email"],
                "birthdate": identity["birthdate"],
                "https://attributes.eid.gov.it/fiscal_number": "TINIT-" + identity["fiscal_number"],
                "fiscal_number": "TINIT-" + identity["fiscal_number"],
            }
            user = User(username=identity["username"], attributes=attributes, email=identity["email"])
            user.set_password(DEMO_PASSWORD)
            user.save()

    def _trust_anchor_entity(self):
        from spid_cie_oidc.entity.models import FederationEntityConfiguration

        ta_sub = settings.TA_URL
        base = ta_sub.rstrip("/")
        return FederationEntityConfiguration.objects.create(
            sub=ta_sub,
            entity_type="federation_entity",
            jwks_fed=_signing_jwks(),
            jwks_core=_signing_jwks(),
            default_exp=60,
            is_active=True,
            constraints={"max_path_length": 1},
            trust_mark_issuers={SPID_PROFILE_ID: [ta_sub], CIE_PROFILE_ID: [ta_sub]},
            metadata={
                "federation_entity": {
                    "organization_name": "Trust anchor di prova (Housing Mix)",
                    "homepage_uri": base,
                    "contacts": ["ops@housingmix.localhost"],
                    "federation_fetch_endpoint": base + "/fetch",
                    "federation_resolve_endpoint": base + "/resolve",
                    "federation_list_endpoint": base + "/list",
                    "federation_trust_mark_status_endpoint": base + "/trust_mark_status",
                }
            },
        )

    def _trust_anchor_descendants(self, state, ta, spid_op):
        from spid_cie_oidc.authority.models import (
            FederationDescendant,
            FederationEntityAssignedProfile,
            FederationEntityProfile,
        )

        rp = json.loads((state / "rp.json").read_text())
        cie = json.loads((state / "op-cie.json").read_text())
        scope_policy = {"scope": {"superset_of": ["openid"], "subset_of": ["openid", "offline_access"]}}
        rp_descendant = FederationDescendant.objects.create(
            name="Housing Mix (relying party)",
            sub=rp["sub"],
            type="openid_relying_party",
            jwks=rp["jwks"],
            metadata_policy={"openid_relying_party": scope_policy},
            is_active=True,
        )
        FederationDescendant.objects.create(
            name="SPID di prova",
            sub=spid_op.sub,
            type="openid_provider",
            jwks=_public(spid_op.jwks_fed),
            is_active=True,
        )
        FederationDescendant.objects.create(
            name="CIE di prova", sub=cie["sub"], type="openid_provider", jwks=cie["jwks"], is_active=True
        )
        marks = []
        for profile_id, name in ((SPID_PROFILE_ID, "SPID public SP"), (CIE_PROFILE_ID, "CIE public SP")):
            profile = FederationEntityProfile.objects.create(
                name=name,
                profile_category="openid_relying_party",
                profile_id=profile_id,
                trust_mark_template={"iss": "$.issuer_sub", "sub": "$.sub", "id": profile_id},
            )
            assigned = FederationEntityAssignedProfile.objects.create(
                descendant=rp_descendant, profile=profile, issuer=ta
            )
            marks.append(assigned.trust_mark)
        (state / "rp-trust-marks.json").write_text(json.dumps(marks))
