import pytest

from housingmix.identity.claims import claims_from_userinfo, fiscal_code_from_claim
from housingmix.identity.oidc import LoginRefused


def test_tinit_prefix_removed():
    assert fiscal_code_from_claim("TINIT-RSSMRA80A01E648Q") == "RSSMRA80A01E648Q"


def test_lowercase_and_spaces_normalised():
    assert fiscal_code_from_claim(" tinit-rssmra80a01e648q ") == "RSSMRA80A01E648Q"


def test_foreign_tin_refused():
    with pytest.raises(ValueError):
        fiscal_code_from_claim("TINFR-1234567890123")


def test_invalid_checksum_refused():
    with pytest.raises(ValueError):
        fiscal_code_from_claim("TINIT-RSSMRA80A01E648A")


@pytest.mark.parametrize("name", ["https://attributes.eid.gov.it/fiscal_number", "fiscal_number", "fiscalNumber"])
def test_every_claim_name_of_spid_and_cie_is_read(name):
    claims = claims_from_userinfo({name: "TINIT-VRDNNA85E52F205D", "given_name": "Anna", "email": "A@Example.org"})
    assert (claims.fiscal_code, claims.given_name, claims.email) == ("VRDNNA85E52F205D", "Anna", "a@example.org")


def test_missing_fiscal_code_refused_in_italian():
    with pytest.raises(LoginRefused) as refused:
        claims_from_userinfo({"given_name": "Anna"})
    assert "codice fiscale" in str(refused.value.message)
