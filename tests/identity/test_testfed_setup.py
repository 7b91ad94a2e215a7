import pytest
from django.core.management import CommandError, call_command
from spid_cie_oidc.entity.models import FederationEntityConfiguration

from housingmix.identity.keys import is_test_key


@pytest.mark.django_db
def test_setup_builds_the_federation_with_fresh_test_keys(federation, tmp_path):
    federation.SPID_CIE_TESTFED_DIR = tmp_path
    federation.SPID_CIE_RP_ENTITY_ID = "http://127.0.0.1:8000/"
    federation.SITE_URL = "http://127.0.0.1:8000"
    call_command("testfed_setup", stdout=open(tmp_path / "out.txt", "w"))
    rp = FederationEntityConfiguration.objects.get(entity_type="openid_relying_party", is_active=True)
    assert all(is_test_key(k) for k in rp.jwks_fed + rp.jwks_core)
    assert rp.authority_hints == ["http://127.0.0.1:8010/"]
    assert {m["id"] for m in rp.trust_marks} >= {"https://www.spid.gov.it/openid-federation/agreement/sp-public"}
    assert (tmp_path / "spid.sqlite3").exists() and (tmp_path / "cie.sqlite3").exists()
    assert "mario.rossi" in (tmp_path / "out.txt").read_text()


def test_setup_refused_without_the_test_federation(settings):
    settings.SPID_CIE_TEST_FEDERATION = False
    with pytest.raises(CommandError):
        call_command("testfed_setup")
