"""Italian identifiers, checked with python-stdnum / python-codicefiscale."""

from codicefiscale import codicefiscale
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from stdnum.it import iva


def normalise_code(value: str) -> str:
    return "".join((value or "").split()).upper()


def validate_person_tax_code(value: str) -> None:
    """A natural person's codice fiscale: 16 characters, checksum and date valid."""
    code = normalise_code(value)
    if len(code) != 16 or not codicefiscale.is_valid(code):
        raise ValidationError(
            _(
                "Il codice fiscale «%(value)s» non è valido: deve avere 16 caratteri e un carattere di controllo corretto."
            ),
            code="invalid_tax_code",
            params={"value": value},
        )


def validate_body_tax_code(value: str) -> None:
    """A body's codice fiscale: 11 digits with the partita IVA checksum, or a person's 16 characters."""
    code = normalise_code(value)
    if len(code) == 16:
        validate_person_tax_code(code)
        return
    if not (len(code) == 11 and code.isdigit() and iva.is_valid(code)):
        raise ValidationError(
            _(
                "Il codice fiscale «%(value)s» non è valido: per un ente servono 11 cifre con cifra di controllo corretta."
            ),
            code="invalid_tax_code",
            params={"value": value},
        )


def validate_vat_number(value: str) -> None:
    """Partita IVA: 11 digits with a valid check digit (an IT prefix is accepted)."""
    code = normalise_code(value)
    if code.startswith("IT"):
        code = code[2:]
    if not iva.is_valid(code):
        raise ValidationError(
            _("La partita IVA «%(value)s» non è valida: servono 11 cifre con cifra di controllo corretta."),
            code="invalid_vat",
            params={"value": value},
        )


def validate_runts_number(value: str) -> None:
    code = normalise_code(value)
    if not code.isdigit() or not 1 <= len(code) <= 10:
        raise ValidationError(
            _("Il numero di iscrizione al RUNTS deve contenere solo cifre (al massimo 10)."),
            code="invalid_runts",
        )


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    """Django's, with its message in Italian: Django 5.2 changed the message's msgid and the Italian
    catalogue it ships has only the old one, so the refusal came in English on Italian pages."""

    def get_error_message(self):
        return ngettext(
            "Questa password è troppo corta: deve contenere almeno %(min_length)d carattere.",
            "Questa password è troppo corta: deve contenere almeno %(min_length)d caratteri.",
            self.min_length,
        ) % {"min_length": self.min_length}
