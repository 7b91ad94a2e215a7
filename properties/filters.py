"""Filters of the unit registry (django-filter); applied in ``properties.selectors``."""

import django_filters
from django import forms
from django.utils.translation import gettext_lazy as _

from housingmix.core.choices import CachedChoices
from housingmix.core.filters import freeze_choices
from housingmix.territory.models import Comune

from .models import AvailabilityForm, RegistryEntry

# The comuni of the selects (registry and review queue): 60 rows that change once in years.
COMUNE_CHOICES = CachedChoices(
    "comuni", lambda: Comune.objects.order_by("name").values_list("pk", "name"), models=[Comune]
)


class RegistryFilter(django_filters.FilterSet):
    comune = django_filters.ModelChoiceFilter(label=_("Comune"), queryset=Comune.objects.none(), empty_label=_("Tutti"))
    availability_form = django_filters.ChoiceFilter(
        label=_("Forma di messa a disposizione"), choices=AvailabilityForm.choices, empty_label=_("Tutte")
    )
    min_beds = django_filters.NumberFilter(label=_("Posti letto almeno"), field_name="beds", lookup_expr="gte")
    step_free = django_filters.ChoiceFilter(
        label=_("Accessibilità"),
        choices=[("yes", _("Solo senza barriere architettoniche"))],
        method="filter_step_free",
        empty_label=_("Tutti"),
    )
    available_by = django_filters.DateFilter(
        label=_("Disponibile entro il"),
        field_name="available_from",
        lookup_expr="lte",
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    sort = django_filters.OrderingFilter(
        label=_("Ordina per"),
        fields=(("comune__name", "comune"), ("available_from", "from"), ("monthly_rent", "rent"), ("beds", "beds")),
        # django-filter looks labels up by model field, not by URL parameter.
        field_labels={
            "comune__name": _("Comune"),
            "available_from": _("Disponibilità"),
            "monthly_rent": _("Canone"),
            "beds": _("Posti letto"),
        },
        empty_label=_("Disponibilità"),
    )

    class Meta:
        model = RegistryEntry
        fields = ["comune", "availability_form", "min_beds", "step_free", "available_by"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.filters["comune"].queryset = Comune.objects.order_by("name")
        freeze_choices(self.form, comune=COMUNE_CHOICES.get())

    def filter_step_free(self, queryset, name, value):
        return queryset.filter(step_free=True) if value == "yes" else queryset
