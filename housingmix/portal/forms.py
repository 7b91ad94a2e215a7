from django import forms
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext_lazy as _

from .models import Office, Service


class FeedbackForm(forms.Form):
    """The rating component's fields; ``answer`` and ``details`` are optional (the model's steps)."""

    page = forms.CharField(max_length=500)
    rating = forms.TypedChoiceField(choices=[(str(n), str(n)) for n in range(1, 6)], coerce=int)
    answer = forms.CharField(max_length=20, required=False)
    details = forms.CharField(max_length=200, required=False)
    submission = forms.UUIDField(required=False)
    final = forms.BooleanField(required=False)


class BookingChoiceForm(forms.Form):
    """Step one of the booking: the office, then the service it receives for."""

    office = forms.ModelChoiceField(
        queryset=Office.objects.none(), label=_("Ufficio"), empty_label=_("Scegli un ufficio"), to_field_name="slug"
    )
    service = forms.ModelChoiceField(
        queryset=Service.objects.none(),
        label=_("Servizio"),
        empty_label=_("Scegli un servizio"),
        to_field_name="slug",
    )

    def __init__(self, *args, offices, services, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["office"].queryset = offices
        self.fields["service"].queryset = services
        self.fields["office"].label_from_instance = lambda office: office.tr("name")
        self.fields["service"].label_from_instance = lambda service: service.tr("title")


class SlotChoiceField(forms.ModelChoiceField):
    """Each slot labelled by its hours; the booking page groups them by day under a legend."""

    def label_from_instance(self, slot):
        return "%s-%s" % (
            date_format(timezone.localtime(slot.starts_at), "H:i"),
            date_format(timezone.localtime(slot.ends_at), "H:i"),
        )


class BookingForm(forms.Form):
    """Step two: the slot and the applicant's data."""

    slot = SlotChoiceField(queryset=None, label=_("Giorno e orario"), widget=forms.RadioSelect, empty_label=None)
    first_name = forms.CharField(
        label=_("Nome"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "given-name"})
    )
    last_name = forms.CharField(
        label=_("Cognome"), max_length=100, widget=forms.TextInput(attrs={"autocomplete": "family-name"})
    )
    email = forms.EmailField(
        label=_("E-mail"),
        help_text=_("Riceverai qui la conferma, con il promemoria per il calendario e il link per annullare."),
        widget=forms.EmailInput(attrs={"autocomplete": "email"}),
    )
    phone = forms.CharField(
        label=_("Telefono (facoltativo)"),
        max_length=30,
        required=False,
        widget=forms.TextInput(attrs={"autocomplete": "tel", "inputmode": "tel"}),
    )
    message = forms.CharField(
        label=_("Motivo dell'appuntamento (facoltativo)"),
        max_length=500,
        required=False,
        help_text=_("Massimo 500 caratteri. Non indicare dati sulla salute: ne parlerai di persona."),
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    privacy = forms.BooleanField(
        label=_("Ho letto l'informativa sul trattamento dei dati personali"),
        error_messages={"required": _("Per prenotare devi dichiarare di aver letto l'informativa.")},
    )

    def __init__(self, *args, slots, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["slot"].queryset = slots
        self.fields["slot"].error_messages["invalid_choice"] = _(
            "L'orario scelto non è più disponibile: scegline un altro."
        )


WEEKDAYS = [
    (0, _("lunedì")),
    (1, _("martedì")),
    (2, _("mercoledì")),
    (3, _("giovedì")),
    (4, _("venerdì")),
    (5, _("sabato")),
]


class SlotSeriesForm(forms.Form):
    """Back office: publish a series of availability slots for an office."""

    office = forms.ModelChoiceField(queryset=Office.objects.filter(is_active=True), label=_("Ufficio"))
    first_day = forms.DateField(label=_("Dal giorno"), widget=forms.DateInput(attrs={"type": "date"}))
    last_day = forms.DateField(label=_("Al giorno"), widget=forms.DateInput(attrs={"type": "date"}))
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Giorni della settimana"), choices=WEEKDAYS, coerce=int, widget=forms.CheckboxSelectMultiple
    )
    start = forms.TimeField(label=_("Dalle ore"), widget=forms.TimeInput(attrs={"type": "time"}))
    end = forms.TimeField(label=_("Alle ore"), widget=forms.TimeInput(attrs={"type": "time"}))
    minutes = forms.IntegerField(
        label=_("Durata di ogni appuntamento (minuti)"), min_value=5, max_value=240, initial=30
    )
