import json

import pytest
from django.core.management import CommandError, call_command
from spid_cie_oidc.entity.jwtse import unpad_jwt_payload

from housingmix.identity.keys import generate_test_jwks

pytestmark = pytest.mark.django_db


@pytest.fixture
def production_keys(tmp_path, settings):
    call_command("identity_rp_configure", generate_keys=str(tmp_path / "keys"))
    settings.SPID_CIE_TEST_FEDERATION = False
    settings.SPID_CIE_RP_JWKS_FED_FILE = str(tmp_path / "keys" / "jwks-fed.json")
    settings.SPID_CIE_RP_JWKS_CORE_FILE = str(tmp_path / "keys" / "jwks-core.json")
    settings.SPID_CIE_RP_ENTITY_ID = "https://housingmix.example.org/"
    settings.SITE_URL = "https://housingmix.example.org"
    settings.OIDCFED_TRUST_ANCHORS = ["https://registry.spid.gov.it/"]
    settings.ALLOWED_HOSTS = ["housingmix.example.org"]
    return tmp_path / "keys"


def test_entity_configuration_served_from_keys_in_files(production_keys, settings, client):
    marks = [{"id": "https://www.spid.gov.it/openid-federation/agreement/sp-public", "trust_mark": "x.y.z"}]
    (production_keys / "marks.json").write_text(json.dumps(marks))
    settings.SPID_CIE_RP_TRUST_MARKS_FILE = str(production_keys / "marks.json")
    call_command("identity_rp_configure")
    response = client.get("/.well-known/openid-federation", HTTP_HOST="housingmix.example.org", secure=True)
    assert response.status_code == 200
    assert response["Content-Type"] == "application/entity-statement+jwt"
    statement = unpad_jwt_payload(response.content.decode())
    assert statement["sub"] == statement["iss"] == "https://housingmix.example.org/"
    assert statement["authority_hints"] == ["https://registry.spid.gov.it/"]
    assert statement["trust_marks"] == marks
    rp = statement["metadata"]["openid_relying_party"]
    assert rp["redirect_uris"] == ["https://housingmix.example.org/oidc/rp/callback"]
    for key in statement["jwks"]["keys"] + rp["jwks"]["keys"]:
        assert "d" not in key  # public keys only


def test_keys_are_never_overwritten(production_keys):
    with pytest.raises(CommandError):
        call_command("identity_rp_configure", generate_keys=str(production_keys))


def test_test_keys_refused_outside_the_test_federation(production_keys, settings):
    settings.SPID_CIE_RP_JWKS_FED_FILE = ""
    settings.SPID_CIE_RP_JWKS_FED = json.dumps(generate_test_jwks(use="sig"))
    with pytest.raises(CommandError):
        call_command("identity_rp_configure")
