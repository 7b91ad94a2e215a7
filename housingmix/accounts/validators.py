"""Italian identifiers, checked with python-stdnum / python-codicefiscale."""

from codicefiscale import codicefiscale
from django.contrib.auth import password_validation
from django.core.exceptions import ValidationError
from django.utils.translation import gettext, ngettext
from django.utils.translation import gettext_lazy as _
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


# --- Password validators with the portal's own messages ---------------------------------
# Django 5.2 changed the msgids of some validator messages ("…at least %d character") and
# its Italian catalogue has not caught up, so the Italian sign-up page showed them in English.
# These subclasses keep Django's checks and give every message an Italian msgid of the portal.


class MinimumLengthValidator(password_validation.MinimumLengthValidator):
    def get_error_message(self):
        return ngettext(
            "Questa password è troppo corta: deve contenere almeno %(min_length)d carattere.",
            "Questa password è troppo corta: deve contenere almeno %(min_length)d caratteri.",
            self.min_length,
        ) % {"min_length": self.min_length}

    def get_help_text(self):
        return ngettext(
            "La password deve contenere almeno %(min_length)d carattere.",
            "La password deve contenere almeno %(min_length)d caratteri.",
            self.min_length,
        ) % {"min_length": self.min_length}


class UserAttributeSimilarityValidator(password_validation.UserAttributeSimilarityValidator):
    def get_error_message(self):
        return gettext("La password è troppo simile al campo «%(verbose_name)s».")

    def get_help_text(self):
        return gettext("La password non può essere troppo simile ai tuoi dati personali.")


class CommonPasswordValidator(password_validation.CommonPasswordValidator):
    def get_error_message(self):
        return gettext("Questa password è troppo comune.")

    def get_help_text(self):
        return gettext("La password non può essere una password di uso comune.")


class NumericPasswordValidator(password_validation.NumericPasswordValidator):
    def get_error_message(self):
        return gettext("Questa password è composta solo da cifre.")

    def get_help_text(self):
        return gettext("La password non può essere composta solo da cifre.")
