"""Forms of the unit steps: data of the unit and terms of the offer.

Every field may be left empty in a draft; what is given must be plausible. What is
required is checked at submission (applications/completeness.py).
"""

import re

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from housingmix.core.fields import ItalianDecimalField, YesNoField

from .models import DURATION_LIMITS, RENT_FORMS, Condition, Guarantee, HousingUnit, Occupancy, Target

DATE_WIDGET = forms.DateInput(format="%d/%m/%Y", attrs={"placeholder": "gg/mm/aaaa", "autocomplete": "off"})
DATE_HELP = _("Nel formato gg/mm/aaaa, ad esempio 01/03/2027.")


class _PlausibleMixin:
    """Range checks with one clear message per field (m², counts, euro)."""

    ranges: dict = {}

    def _check_ranges(self, cleaned):
        for name, (low, high, message) in self.ranges.items():
            value = cleaned.get(name)
            if value is not None and not (low <= value <= high):
                self.add_error(name, message)


class UnitDataForm(_PlausibleMixin, forms.ModelForm):
    surface_m2 = ItalianDecimalField(label=_("Superficie (m²)"), required=False, max_digits=7, decimal_places=2)
    rooms = ItalianDecimalField(label=_("Vani catastali"), required=False, max_digits=4, decimal_places=1)
    cadastral_income = ItalianDecimalField(
        label=_("Rendita catastale (€)"), required=False, max_digits=10, decimal_places=2
    )
    works_cost = ItalianDecimalField(
        label=_("Costo stimato dei lavori (€)"), required=False, max_digits=10, decimal_places=2
    )
    condo_fees_month = ItalianDecimalField(
        label=_("Spese condominiali mensili (€)"), required=False, max_digits=8, decimal_places=2
    )
    has_lift = YesNoField(label=_("Ascensore"))
    step_free = YesNoField(label=_("Accesso senza barriere architettoniche"))
    has_habitability = YesNoField(label=_("Certificato di agibilità"))
    electric_compliant = YesNoField(label=_("Impianto elettrico conforme"))
    gas_compliant = YesNoField(label=_("Impianto gas conforme (o assente)"))
    ape_expiry = forms.DateField(label=_("Scadenza APE"), required=False, widget=DATE_WIDGET, help_text=DATE_HELP)
    free_from = forms.DateField(label=_("Libero dal"), required=False, widget=DATE_WIDGET, help_text=DATE_HELP)

    ranges = {
        "surface_m2": (14, 2000, _("Indica una superficie tra 14 e 2.000 m².")),
        "rooms": (1, 40, _("Indica un numero di vani tra 1 e 40.")),
        "bedrooms": (0, 20, _("Indica un numero di camere tra 0 e 20.")),
        "bathrooms": (1, 10, _("Indica un numero di bagni tra 1 e 10.")),
        "beds": (1, 40, _("Indica un numero di posti letto tra 1 e 40.")),
        "floor": (-3, 50, _("Indica un piano tra -3 e 50 (0 è il piano terra).")),
        "cadastral_income": (0, 100000, _("Indica una rendita tra 0 e 100.000 €.")),
        "works_cost": (0, 5000000, _("Indica un costo tra 0 e 5.000.000 €.")),
        "condo_fees_month": (0, 5000, _("Indica spese mensili tra 0 e 5.000 €.")),
    }

    class Meta:
        model = HousingUnit
        fields = [
            "label",
            "street",
            "street_number",
            "staircase",
            "flat_number",
            "comune",
            "postcode",
            "cadastral_section",
            "cadastral_sheet",
            "cadastral_parcel",
            "cadastral_sub",
            "cadastral_category",
            "cadastral_class",
            "cadastral_income",
            "surface_m2",
            "rooms",
            "bedrooms",
            "bathrooms",
            "beds",
            "floor",
            "has_lift",
            "step_free",
            "accessibility_notes",
            "heating",
            "energy_class",
            "ape_code",
            "ape_expiry",
            "furnishing",
            "condition",
            "works_description",
            "works_cost",
            "has_habitability",
            "electric_compliant",
            "gas_compliant",
            "occupancy",
            "free_from",
            "shared_spaces",
            "condo_fees_month",
        ]
        widgets = {
            "accessibility_notes": forms.Textarea(attrs={"rows": 2}),
            "works_description": forms.Textarea(attrs={"rows": 3}),
            "shared_spaces": forms.Textarea(attrs={"rows": 2}),
            "postcode": forms.TextInput(attrs={"inputmode": "numeric", "autocomplete": "postal-code"}),
            "street": forms.TextInput(attrs={"autocomplete": "address-line1"}),
            "condition": forms.RadioSelect,
            "occupancy": forms.RadioSelect,
            "furnishing": forms.RadioSelect,
        }

    def __init__(self, *args, comuni=None, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        if comuni is not None:
            self.fields["comune"].queryset = comuni
        self.fields["comune"].empty_label = _("Scegli il comune")
        self.fields["comune"].help_text = _("L'alloggio deve trovarsi in un comune dell'Ambito.")
        for name in ("bedrooms", "bathrooms", "beds", "floor"):
            self.fields[name].widget = forms.TextInput(attrs={"inputmode": "numeric"})
        for name in ("furnishing", "condition", "occupancy"):
            self.fields[name].choices = list(self.fields[name].choices)[1:]
        for name in ("heating", "energy_class", "cadastral_category"):
            self.fields[name].choices = [("", _("Scegli"))] + list(self.fields[name].choices)[1:]
        self.fields["cadastral_sheet"].help_text = _("Solo cifre, ad esempio 12.")
        self.fields["cadastral_parcel"].help_text = _("Numero della particella (mappale), ad esempio 345.")

    def clean_postcode(self):
        value = (self.cleaned_data.get("postcode") or "").strip()
        if value and not re.fullmatch(r"\d{5}", value):
            raise forms.ValidationError(_("Il CAP è formato da 5 cifre."))
        return value

    def clean_cadastral_sheet(self):
        value = (self.cleaned_data.get("cadastral_sheet") or "").strip()
        if value and not re.fullmatch(r"\d{1,4}", value):
            raise forms.ValidationError(_("Il foglio è un numero di al massimo 4 cifre."))
        return value

    def clean_cadastral_parcel(self):
        value = (self.cleaned_data.get("cadastral_parcel") or "").strip().upper()
        if value and not re.fullmatch(r"\d{1,5}", value):
            raise forms.ValidationError(_("La particella è un numero di al massimo 5 cifre."))
        return value

    def clean_cadastral_sub(self):
        value = (self.cleaned_data.get("cadastral_sub") or "").strip()
        if value and not re.fullmatch(r"\d{1,4}", value):
            raise forms.ValidationError(_("Il subalterno è un numero di al massimo 4 cifre."))
        return value

    def clean_cadastral_section(self):
        value = (self.cleaned_data.get("cadastral_section") or "").strip().upper()
        if value and not re.fullmatch(r"[A-Z0-9]{1,3}", value):
            raise forms.ValidationError(_("La sezione è formata da al massimo 3 lettere o cifre."))
        return value

    def clean_cadastral_class(self):
        value = (self.cleaned_data.get("cadastral_class") or "").strip().upper()
        if value and not re.fullmatch(r"[0-9]{1,2}|U", value):
            raise forms.ValidationError(_("La classe è un numero di 1 o 2 cifre (o U per classe unica)."))
        return value

    def clean_ape_expiry(self):
        value = self.cleaned_data.get("ape_expiry")
        if value and value < timezone.localdate():
            raise forms.ValidationError(_("L'APE è scaduto: serve un attestato in corso di validità."))
        return value

    def clean(self):
        cleaned = super().clean()
        self._check_ranges(cleaned)
        comune, postcode = cleaned.get("comune"), cleaned.get("postcode")
        if comune and postcode and postcode not in (comune.postcodes or []):
            self.add_error(
                "postcode",
                _("Il CAP %(cap)s non appartiene al comune di %(comune)s (CAP validi: %(valid)s).")
                % {"cap": postcode, "comune": comune.name, "valid": ", ".join(comune.postcodes or [])},
            )
        beds, bedrooms = cleaned.get("beds"), cleaned.get("bedrooms")
        if beds is not None and bedrooms is not None and bedrooms > 0 and beds > bedrooms * 4:
            self.add_error("beds", _("I posti letto sono troppi per il numero di camere indicato."))
        if cleaned.get("occupancy") == Occupancy.FREE and cleaned.get("free_from"):
            cleaned["free_from"] = None
        if cleaned.get("condition") == Condition.GOOD:
            cleaned["works_description"], cleaned["works_cost"] = "", None
        return cleaned


class UnitTermsForm(_PlausibleMixin, forms.ModelForm):
    monthly_rent = ItalianDecimalField(
        label=_("Canone mensile proposto (€)"),
        required=False,
        max_digits=8,
        decimal_places=2,
        help_text=_("Solo per le locazioni; ad esempio 450 oppure 1.250,00."),
    )
    available_from = forms.DateField(
        label=_("Disponibile dal"), required=False, widget=DATE_WIDGET, help_text=DATE_HELP
    )
    renewable = YesNoField(label=_("Rinnovabile"))
    co_housing = YesNoField(label=_("Disponibile per il co-housing"))
    targets = forms.MultipleChoiceField(
        label=_("Destinatari preferiti"), choices=Target.choices, required=False, widget=forms.CheckboxSelectMultiple
    )
    guarantees = forms.MultipleChoiceField(
        label=_("Garanzie o incentivi richiesti"),
        choices=Guarantee.choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    ranges = {
        "monthly_rent": (0, 20000, _("Indica un canone tra 0 e 20.000 € al mese.")),
        "duration_months": (1, 600, _("Indica una durata tra 1 e 600 mesi.")),
    }

    class Meta:
        model = HousingUnit
        fields = [
            "availability_form",
            "monthly_rent",
            "available_from",
            "duration_months",
            "renewable",
            "targets",
            "co_housing",
            "guarantees",
            "terms_notes",
        ]
        widgets = {"availability_form": forms.RadioSelect, "terms_notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.required = False
        self.fields["availability_form"].choices = list(self.fields["availability_form"].choices)[1:]
        self.fields["duration_months"].widget = forms.TextInput(attrs={"inputmode": "numeric"})

    def clean_available_from(self):
        value = self.cleaned_data.get("available_from")
        if value and value.year > timezone.localdate().year + 5:
            raise forms.ValidationError(_("La data è troppo lontana: indica quando l'alloggio sarà disponibile."))
        return value

    def clean(self):
        cleaned = super().clean()
        self._check_ranges(cleaned)
        form, rent, duration = (
            cleaned.get("availability_form"),
            cleaned.get("monthly_rent"),
            cleaned.get("duration_months"),
        )
        if form and rent is not None and form not in RENT_FORMS and rent > 0:
            self.add_error("monthly_rent", _("Per questa forma di messa a disposizione non è previsto un canone."))
        if form and duration:
            low, high = DURATION_LIMITS[form]
            if duration < low or (high is not None and duration > high):
                if high is None:
                    message = _("Per questa forma la durata minima è %(low)s mesi.") % {"low": low}
                else:
                    message = _("Per questa forma la durata va da %(low)s a %(high)s mesi.") % {
                        "low": low,
                        "high": high,
                    }
                self.add_error("duration_months", message)
        targets = cleaned.get("targets") or []
        if Target.ANY in targets and len(targets) > 1:
            cleaned["targets"] = [Target.ANY]
        return cleaned
