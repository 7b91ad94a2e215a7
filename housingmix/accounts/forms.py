from django import forms
from django.urls import reverse_lazy
from django.utils.functional import lazy
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext_lazy as _

from housingmix.core.uploads import PDF, validate_upload

from .models import MembershipRole, OffererKind, Organisation, OrganisationType, User
from .validators import normalise_code, validate_person_tax_code

format_html_lazy = lazy(format_html, SafeString)


class SignupForm(forms.Form):
    """Extra fields of the sign-up form (allauth adds e-mail and password)."""

    first_name = forms.CharField(
        label=_("Nome"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Cognome"), max_length=150, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    tax_code = forms.CharField(
        label=_("Codice fiscale"),
        # Spaces are removed before the 16-character check (clean_tax_code).
        max_length=24,
        help_text=_("16 caratteri, come sulla tessera sanitaria."),
    )
    offerer_kind = forms.ChoiceField(
        label=_("Come parteciperai?"),
        choices=OffererKind.choices,
        widget=forms.RadioSelect,
        initial=OffererKind.PERSON,
        help_text=_("Chi agisce per un ente potrà registrarlo nell'Area personale dopo la conferma dell'e-mail."),
    )
    privacy_accepted = forms.BooleanField(
        label=_("Ho letto l'informativa sul trattamento dei dati personali (art. 13 GDPR)."),
        help_text=format_html_lazy('<a href="{}">{}</a>', reverse_lazy("privacy"), _("Leggi l'informativa privacy")),
        required=True,
        error_messages={"required": _("Per registrarti devi dichiarare di aver letto l'informativa privacy.")},
    )

    def clean_tax_code(self):
        """One personal account per codice fiscale: a person acts for an organisation from
        their own account (memberships), so a second account for the same person is refused."""
        code = normalise_code(self.cleaned_data["tax_code"])
        validate_person_tax_code(code)
        if User.objects.filter(tax_code=code).exists():
            raise forms.ValidationError(
                _(
                    "Esiste già un account con questo codice fiscale: ogni persona ha un solo account. "
                    "Se è il tuo, accedi o recupera la password; per agire per conto di un ente, "
                    "aggiungilo dall'Area personale. Se non hai mai creato un account, scrivi all'Ufficio di Piano."
                ),
                code="tax_code_taken",
            )
        return code

    def signup(self, request, user):
        """Called by allauth; fields are saved by AccountAdapter.save_user."""


class OrganisationForm(forms.ModelForm):
    membership_role = forms.ChoiceField(label=_("Il tuo ruolo nell'organizzazione"), choices=MembershipRole.choices)
    office = forms.CharField(
        label=_("Carica"), max_length=120, required=False, help_text=_("Es. presidente, direttore.")
    )
    proxy_document = forms.FileField(
        label=_("Procura (PDF)"),
        required=False,
        help_text=_("Obbligatoria se agisci come delegato."),
    )

    class Meta:
        model = Organisation
        fields = [
            "type",
            "name",
            "legal_form",
            "tax_code",
            "vat_number",
            "runts_number",
            "pec",
            "email",
            "phone",
            "address",
            "postcode",
            "city",
            "province",
        ]
        widgets = {"type": forms.Select(choices=OrganisationType.choices)}

    def clean_proxy_document(self):
        upload = self.cleaned_data.get("proxy_document")
        if upload:
            validate_upload(upload, allowed={PDF: "pdf"})
        return upload

    def validate_unique(self):
        # A duplicate tax code is reported by the service with a clearer message.
        exclude = self._get_validation_exclusions()
        exclude.add("tax_code")
        try:
            self.instance.validate_unique(exclude=exclude)
        except forms.ValidationError as e:
            self._update_errors(e)

    def clean(self):
        data = super().clean()
        if data.get("membership_role") == MembershipRole.DELEGATE and not data.get("proxy_document"):
            self.add_error("proxy_document", _("Chi agisce come delegato deve allegare la procura."))
        return data


class TwoFactorTokenForm(forms.Form):
    token = forms.CharField(
        label=_("Codice"),
        max_length=20,
        help_text=_("Le sei cifre che l'app mostra ora, oppure uno dei codici di recupero."),
        widget=forms.TextInput(attrs={"autocomplete": "one-time-code", "inputmode": "numeric", "autofocus": True}),
    )
