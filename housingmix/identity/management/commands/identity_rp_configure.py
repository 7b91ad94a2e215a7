"""Store the portal's relying-party configuration for the real SPID/CIE federations.

Reads SPID_CIE_RP_ENTITY_ID, the keys (SPID_CIE_RP_JWKS_FED[_FILE], SPID_CIE_RP_JWKS_CORE[_FILE]),
the trust anchors (authority hints) and SPID_CIE_RP_TRUST_MARKS_FILE. Run it at each deploy
(idempotent). ``--generate-keys DIR`` writes new private keys to DIR first (once, at onboarding).
"""

import json
from pathlib import Path

from cryptojwt.jwk.rsa import new_rsa_key
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from housingmix.identity.keys import is_test_key, jwks_from_source
from housingmix.identity.services import relying_party_configure


def _new_keys(use: str) -> list[dict]:
    key = new_rsa_key(key_size=2048, use=use)
    jwk = key.serialize(private=True)
    jwk["kid"] = key.thumbprint("SHA-256").decode()
    return [jwk]


class Command(BaseCommand):
    help = "Store the relying-party Entity Configuration from settings (keys from files or environment)."

    def add_arguments(self, parser):
        parser.add_argument("--generate-keys", metavar="DIR", help="write new jwks-fed.json and jwks-core.json to DIR")

    def handle(self, *args, generate_keys=None, **options):
        if generate_keys:
            folder = Path(generate_keys)
            folder.mkdir(parents=True, exist_ok=True)
            for name, keys in (
                ("jwks-fed.json", _new_keys("sig")),
                ("jwks-core.json", _new_keys("sig") + _new_keys("enc")),
            ):
                path = folder / name
                if path.exists():
                    raise CommandError("%s exists: keys are never overwritten." % path)
                path.write_text(json.dumps(keys))
                path.chmod(0o600)
            self.stdout.write(
                "Keys written to %s: set SPID_CIE_RP_JWKS_FED_FILE and SPID_CIE_RP_JWKS_CORE_FILE." % folder
            )
            return
        fed = jwks_from_source(path=settings.SPID_CIE_RP_JWKS_FED_FILE, value=settings.SPID_CIE_RP_JWKS_FED)
        core = jwks_from_source(path=settings.SPID_CIE_RP_JWKS_CORE_FILE, value=settings.SPID_CIE_RP_JWKS_CORE)
        if not fed or not core:
            raise CommandError("Set SPID_CIE_RP_JWKS_FED(_FILE) and SPID_CIE_RP_JWKS_CORE(_FILE).")
        if not settings.SPID_CIE_TEST_FEDERATION and any(is_test_key(k) for k in fed + core):
            raise CommandError("These are test-federation keys: refused outside the test federation.")
        marks = []
        if settings.SPID_CIE_RP_TRUST_MARKS_FILE:
            marks = json.loads(Path(settings.SPID_CIE_RP_TRUST_MARKS_FILE).read_text())
        conf = relying_party_configure(
            entity_id=settings.SPID_CIE_RP_ENTITY_ID,
            site_url=settings.SITE_URL,
            jwks_fed=fed,
            jwks_core=core,
            authority_hints=settings.OIDCFED_TRUST_ANCHORS,
            trust_marks=marks,
            organization_name=settings.SPID_CIE_RP_ORGANIZATION_NAME,
            contacts=settings.SPID_CIE_RP_CONTACTS,
        )
        self.stdout.write(
            "Relying party %s configured; Entity Configuration at %s.well-known/openid-federation"
            % (conf.sub, conf.sub)
        )
