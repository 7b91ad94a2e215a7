"""Build the local test federation: the portal's relying party with fresh test keys, the
trust anchor and the SPID and CIE providers with their demo identities."""

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from spid_cie_oidc.entity.jwks import public_jwk_from_private_jwk

from housingmix.identity.keys import generate_test_jwks
from housingmix.identity.services import relying_party_configure
from housingmix.identity.testfed import runner
from housingmix.identity.testfed.demo import DEMO_IDENTITIES, DEMO_PASSWORD


def testfed_build() -> None:
    """Configure the RP and rebuild the federation's databases (settings decide the URLs)."""
    from spid_cie_oidc.entity.models import FetchedEntityStatement, TrustChain

    # The federation gets new keys: trust chains cached from a previous setup are stale.
    TrustChain.objects.all().delete()
    FetchedEntityStatement.objects.all().delete()
    fed = generate_test_jwks(use="sig")
    core = generate_test_jwks(use="sig") + generate_test_jwks(use="enc")
    common = {
        "entity_id": settings.SPID_CIE_RP_ENTITY_ID,
        "site_url": settings.SITE_URL,
        "jwks_fed": fed,
        "jwks_core": core,
        "authority_hints": settings.OIDCFED_TRUST_ANCHORS,
        "organization_name": settings.SPID_CIE_RP_ORGANIZATION_NAME,
        "contacts": settings.SPID_CIE_RP_CONTACTS or ["ops@housingmix.localhost"],
    }
    conf = relying_party_configure(trust_marks=[], **common)
    marks = runner.init(
        spid_url=settings.SPID_CIE_TESTFED_SPID_URL,
        cie_url=settings.SPID_CIE_TESTFED_CIE_URL,
        state_dir=settings.SPID_CIE_TESTFED_DIR,
        rp={"sub": conf.sub, "jwks": [public_jwk_from_private_jwk(k) for k in fed]},
    )
    relying_party_configure(trust_marks=marks, **common)


class Command(BaseCommand):
    help = "Build the local SPID/CIE test federation (needs SPID_CIE_TEST_FEDERATION=true)."

    def handle(self, *args, **options):
        if not settings.SPID_CIE_TEST_FEDERATION:
            raise CommandError("Set SPID_CIE_TEST_FEDERATION=true: the test federation is for development only.")
        testfed_build()
        self.stdout.write(
            "Test federation ready in %s. Demo identities (password %s):"
            % (settings.SPID_CIE_TESTFED_DIR, DEMO_PASSWORD)
        )
        for identity in DEMO_IDENTITIES:
            self.stdout.write(
                "  %s  %s  %s %s  %s"
                % (
                    identity["provider"].upper(),
                    identity["username"],
                    identity["given_name"],
                    identity["family_name"],
                    identity["fiscal_number"],
                )
            )
