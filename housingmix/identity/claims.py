"""The few attributes the portal keeps from a SPID/CIE identity, normalised."""

from dataclasses import dataclass

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from housingmix.accounts.validators import normalise_code, validate_person_tax_code

from .errors import LoginRefused

# SPID and CIE name the codice fiscale differently (OIDC claim URIs, the SAML name
# fiscalNumber, CIE's fiscal_number).
FISCAL_CODE_CLAIMS = ("https://attributes.eid.gov.it/fiscal_number", "fiscal_number", "fiscalNumber")
# The value is a TIN with its country (ETSI EN 319 412-1): "TINIT-<codice fiscale>".
TIN_PREFIX = "TINIT-"


@dataclass(frozen=True)
class VerifiedClaims:
    fiscal_code: str
    given_name: str
    family_name: str
    email: str


def fiscal_code_from_claim(value: str) -> str:
    """The 16-character codice fiscale of a fiscal_number claim; ValueError if it is not one."""
    code = normalise_code(value)
    if code.startswith(TIN_PREFIX):
        code = code[len(TIN_PREFIX) :]
    elif "-" in code:
        # Another country's TIN: not an Italian codice fiscale.
        raise ValueError("not an Italian TIN")
    try:
        validate_person_tax_code(code)
    except ValidationError:
        raise ValueError("invalid codice fiscale")
    return code


def claims_from_userinfo(info: dict) -> VerifiedClaims:
    """Pick and check the attributes the portal needs; LoginRefused when the code is missing."""
    raw = next((info[name] for name in FISCAL_CODE_CLAIMS if info.get(name)), "")
    try:
        fiscal_code = fiscal_code_from_claim(str(raw))
    except ValueError:
        raise LoginRefused(
            _(
                "Il gestore di identità non ha fornito un codice fiscale italiano valido: "
                "senza non è possibile accedere al portale con SPID o CIE."
            ),
            "fiscal_code",
        )
    return VerifiedClaims(
        fiscal_code=fiscal_code,
        given_name=str(info.get("given_name") or "").strip()[:150],
        family_name=str(info.get("family_name") or "").strip()[:150],
        email=str(info.get("email") or "").strip().lower(),
    )
