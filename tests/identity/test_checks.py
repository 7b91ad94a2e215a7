import json
import secrets

import pytest

from housingmix.identity.checks import no_test_keys_in_stored_configuration
from housingmix.identity.keys import generate_test_jwks
from tests.core.test_deploy_check import PRODUCTION_ENV, _check

PRODUCTION = {**PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)}
REAL_FEDERATION = {
    "SPID_CIE_RP_ENTITY_ID": "https://housingmix.example.org/",
    "SPID_CIE_SPID_TRUST_ANCHOR": "https://registry.spid.gov.it/",
    "SPID_CIE_CIE_TRUST_ANCHOR": "https://oidc.registry.servizicie.interno.gov.it/",
    "SPID_CIE_SPID_PROVIDERS": json.dumps([{"id": "https://idp.example.it/oidc/op/", "name": "Example ID"}]),
    "SPID_CIE_CIE_PROVIDER_ID": "https://idserver.servizicie.interno.gov.it/oidc/op/",
}


def test_deploy_check_clean_with_the_real_federations_configured():
    result = _check({**PRODUCTION, **REAL_FEDERATION})
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_with_the_test_federation_on():
    result = _check({**PRODUCTION, "SPID_CIE_TEST_FEDERATION": "true"})
    assert result.returncode != 0
    assert "identity.E001" in result.stdout + result.stderr


def test_deploy_check_refuses_test_keys():
    keys = json.dumps(generate_test_jwks(use="sig"))
    result = _check({**PRODUCTION, **REAL_FEDERATION, "SPID_CIE_RP_JWKS_FED": keys})
    assert result.returncode != 0
    assert "identity.E002" in result.stdout + result.stderr


def test_deploy_check_refuses_a_plain_http_entity_id():
    result = _check({**PRODUCTION, **REAL_FEDERATION, "SPID_CIE_RP_ENTITY_ID": "http://housingmix.example.org/"})
    assert result.returncode != 0
    assert "identity.E004" in result.stdout + result.stderr


@pytest.mark.django_db
def test_database_check_refuses_a_stored_configuration_with_test_keys(rp, settings):
    settings.SPID_CIE_TEST_FEDERATION = False
    errors = no_test_keys_in_stored_configuration(None, databases=["default"])
    assert [e.id for e in errors] == ["identity.E002"]


@pytest.mark.django_db
def test_database_check_accepts_test_keys_while_the_test_federation_is_on(rp):
    assert no_test_keys_in_stored_configuration(None, databases=["default"]) == []
