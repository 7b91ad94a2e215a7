"""Forms of the manifestation steps. They validate input only; views pass cleaned data to services."""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from housingmix.accounts.validators import (
    normalise_code,
    validate_body_tax_code,
    validate_person_tax_code,
    validate_runts_number,
    validate_vat_number,
)
from properties.forms import DATE_HELP, DATE_WIDGET

from .models import PERSON_OFFERER, Application, AttachmentKind, SignatureMode


class StartForm(forms.Form):
    """Whom the offer is made for: the account holder, or one of their organisations."""

    on_behalf_of = forms.ChoiceField(label=_("Presenti la manifestazione"), widget=forms.RadioSelect)

    def __init__(self, *args, memberships=(), **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("person", _("A titolo personale, come privato cittadino"))]
        choices += [
            (
                str(m.organisation_id),
                _("Per conto di %(name)s (%(role)s)") % {"name": m.organisation.name, "role": m.get_role_display()},
            )
            for m in memberships
        ]
        self.fields["on_behalf_of"].choices = choices
        self.fields["on_behalf_of"].initial = choices[-1][0] if len(choices) > 1 else "person"


class OffererForm(forms.ModelForm):
    id_document_expiry = forms.DateField(
        label=_("Scadenza del documento"), required=False, widget=DATE_WIDGET, help_text=DATE_HELP
    )

    class Meta:
        model = Application
        fields = [
            "offerer_name",
            "offerer_tax_code",
            "offerer_vat_number",
            "offerer_runts_number",
            "offerer_address",
            "offerer_postcode",
            "offerer_city",
            "offerer_province",
            "signatory_first_name",
            "signatory_last_name",
            "signatory_tax_code",
            "signatory_role",
            "id_document_type",
            "id_document_number",
            "id_document_expiry",
            "email",
            "pec",
            "phone",
        ]
        widgets = {
            "signatory_role": forms.RadioSelect,
            "offerer_postcode": forms.TextInput(attrs={"inputmode": "numeric"}),
            "email": forms.EmailInput(attrs={"autocomplete": "email"}),
            "phone": forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
            "signatory_first_name": forms.TextInput(attrs={"autocomplete": "given-name"}),
            "signatory_last_name": forms.TextInput(attrs={"autocomplete": "family-name"}),
        }

    def __init__(self, *args, verified_code: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["signatory_role"].choices = list(self.fields["signatory_role"].choices)[1:]
        self.fields["id_document_type"].choices = [("", _("Scegli"))] + list(self.fields["id_document_type"].choices)[
            1:
        ]
        # Codes are often pasted with spaces ("RSS MRA 80A01 E648Q"): they are removed before the checks.
        for name in ("offerer_tax_code", "signatory_tax_code", "offerer_vat_number"):
            self.fields[name].max_length = 24
            self.fields[name].validators = []
            self.fields[name].widget.attrs["maxlength"] = "24"
        self.is_person = self.instance.offerer_type == PERSON_OFFERER
        # A codice fiscale verified with SPID or CIE is the signatory's (and a private owner's):
        # shown, never typed differently (the service keeps it whatever is posted).
        self.verified_code = verified_code
        if verified_code:
            fixed = ["signatory_tax_code"] + (["offerer_tax_code"] if self.is_person else [])
            for name in fixed:
                self.fields[name].disabled = True
                self.fields[name].initial = self.initial[name] = verified_code
                self.fields[name].help_text = _("Verificato con la tua identità digitale: non si può modificare.")
        if self.is_person:
            for name in ("offerer_vat_number", "offerer_runts_number"):
                del self.fields[name]
            self.fields["offerer_name"].label = _("Nome e cognome del proprietario")
            self.fields["offerer_address"].label = _("Indirizzo di residenza")
        else:
            self.fields["offerer_name"].label = _("Denominazione dell'ente")
            self.fields["offerer_address"].label = _("Sede legale: indirizzo")

    def clean_offerer_tax_code(self):
        value = normalise_code(self.cleaned_data.get("offerer_tax_code"))
        if value:
            (validate_person_tax_code if self.is_person else validate_body_tax_code)(value)
        return value

    def clean_signatory_tax_code(self):
        value = normalise_code(self.cleaned_data.get("signatory_tax_code"))
        if value:
            validate_person_tax_code(value)
        return value

    def clean_offerer_vat_number(self):
        value = normalise_code(self.cleaned_data.get("offerer_vat_number")).removeprefix("IT")
        if value:
            validate_vat_number(value)
        return value

    def clean_offerer_runts_number(self):
        value = normalise_code(self.cleaned_data.get("offerer_runts_number"))
        if value:
            validate_runts_number(value)
        return value

    def clean_offerer_postcode(self):
        value = (self.cleaned_data.get("offerer_postcode") or "").strip()
        if value and not re.fullmatch(r"\d{5}", value):
            raise forms.ValidationError(_("Il CAP è formato da 5 cifre."))
        return value

    def clean_offerer_province(self):
        value = (self.cleaned_data.get("offerer_province") or "").strip().upper()
        if value and not re.fullmatch(r"[A-Z]{2}", value):
            raise forms.ValidationError(_("Indica la sigla della provincia, ad esempio LO."))
        return value

    def clean_phone(self):
        value = (self.cleaned_data.get("phone") or "").strip()
        if value and not re.fullmatch(r"\+?[0-9 ./-]{6,20}", value):
            raise forms.ValidationError(_("Scrivi un numero di telefono, ad esempio 0371 123456."))
        return value

    def clean_id_document_expiry(self):
        value = self.cleaned_data.get("id_document_expiry")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("Il documento è scaduto: indica un documento valido."))
        return value


class AttachmentForm(forms.Form):
    kind = forms.ChoiceField(label=_("Tipo di documento"), choices=[("", _("Scegli"))] + AttachmentKind.choices)
    unit = forms.TypedChoiceField(
        label=_("Alloggio a cui si riferisce"),
        required=False,
        coerce=int,
        empty_value=None,
        help_text=_("Lascia «tutti gli alloggi» se il documento li riguarda tutti (ad esempio una sola visura)."),
    )
    description = forms.CharField(label=_("Descrizione (facoltativa)"), max_length=200, required=False)
    file = forms.FileField(
        label=_("File"),
        help_text=_("PDF, JPEG, PNG o file firmato P7M; al massimo %(size)s."),
        widget=forms.ClearableFileInput(
            attrs={"accept": ".pdf,.jpg,.jpeg,.png,.p7m,application/pdf,image/jpeg,image/png"}
        ),
    )

    def __init__(self, *args, units=(), max_size: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["unit"].choices = [("", _("Tutti gli alloggi"))] + [(u.pk, u.display_name) for u in units]
        self.fields["file"].help_text = self.fields["file"].help_text % {"size": max_size}
        self.fields["kind"].choices = (
            [("", _("Scegli"))]
            + [c for c in AttachmentKind.choices if c[0] != AttachmentKind.PHOTO]
            + [(AttachmentKind.PHOTO, AttachmentKind.PHOTO.label)]
        )


class DeclarationsForm(forms.ModelForm):
    declares_truthful = forms.BooleanField(
        required=False,
        label=_(
            "Dichiaro, ai sensi degli artt. 46 e 47 del DPR 445/2000, che i dati e le informazioni indicati sono veri, "
            "consapevole delle sanzioni penali previste dall'art. 76 dello stesso decreto per le dichiarazioni mendaci."
        ),
    )
    declares_title = forms.BooleanField(
        required=False,
        label=_(
            "Dichiaro di avere il diritto di mettere a disposizione gli alloggi indicati (proprietà o altro titolo)."
        ),
    )
    accepts_checks = forms.BooleanField(
        required=False,
        label=_(
            "Sono consapevole che l'Ambito può verificare quanto dichiarato (art. 71 del DPR 445/2000) "
            "e che una dichiarazione non veritiera comporta la decadenza dai benefici (art. 75)."
        ),
    )
    accepts_terms = forms.BooleanField(
        required=False, label=_("Accetto integralmente le condizioni dell'avviso pubblico.")
    )
    privacy_read = forms.BooleanField(
        required=False,
        label=_("Ho letto l'informativa sul trattamento dei dati personali (art. 13 del Regolamento UE 2016/679)."),
    )

    class Meta:
        model = Application
        fields = [
            "declares_truthful",
            "declares_title",
            "accepts_checks",
            "accepts_terms",
            "privacy_read",
            "signature_mode",
        ]
        widgets = {"signature_mode": forms.RadioSelect}

    def __init__(self, *args, identity=None, **kwargs):
        """``identity``: the SPID/CIE identity of this session (housingmix.identity), if any."""
        super().__init__(*args, **kwargs)
        self.fields["signature_mode"].required = False
        # A signature by identity only when this session was opened with SPID or CIE.
        self.fields["signature_mode"].choices = [
            (value, label)
            for value, label in SignatureMode.choices
            if value != SignatureMode.DIGITAL_IDENTITY or identity is not None
        ]


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Motivo del ritiro"),
        widget=forms.Textarea(attrs={"rows": 4}),
        max_length=2000,
        help_text=_("Sarà registrato e comunicato all'Ufficio di Piano."),
    )


class ConfirmForm(forms.Form):
    """An empty form for confirmation pages (the CSRF token is the point)."""
