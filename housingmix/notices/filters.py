import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from housingmix.core.filters import freeze_choices

from .models import LIVE_STATUSES, Notice, NoticeKind, NoticeStatus

STATE_CHOICES = [
    ("open", _("Aperto")),
    ("upcoming", _("Di prossima apertura")),
    ("closed", _("Chiuso")),
    ("withdrawn", _("Ritirato")),
    ("archived", _("Archiviato")),
]


class NoticeFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Cerca nel testo"), method="filter_text", widget=forms.TextInput(attrs={"type": "search"})
    )
    kind = django_filters.ChoiceFilter(label=_("Tipologia"), choices=NoticeKind.choices, empty_label=_("Tutte"))
    state = django_filters.ChoiceFilter(
        label=_("Stato"), choices=STATE_CHOICES, method="filter_state", empty_label=_("Tutti")
    )
    year = django_filters.ChoiceFilter(label=_("Anno"), choices=[], method="filter_year", empty_label=_("Tutti"))

    class Meta:
        model = Notice
        fields = ["q", "kind", "state", "year"]

    def __init__(self, *args, years=(), **kwargs):
        """``years``: the years with public notices (from the selector: the data, not import time)."""
        super().__init__(*args, **kwargs)
        self.filters["year"].extra["choices"] = [(y, str(y)) for y in years]
        freeze_choices(self.form)

    def filter_text(self, queryset, name, value):
        value = value.strip()[:200]
        if not value:
            return queryset
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value) | Q(act_number__icontains=value))

    def filter_state(self, queryset, name, value):
        now = timezone.now()
        if value == "open":
            return queryset.filter(status__in=LIVE_STATUSES, opens_at__lte=now, closes_at__gt=now)
        if value == "upcoming":
            return queryset.filter(status__in=LIVE_STATUSES, opens_at__gt=now)
        if value == "closed":
            return queryset.filter(Q(status=NoticeStatus.CLOSED) | Q(status__in=LIVE_STATUSES, closes_at__lte=now))
        return queryset.filter(status=value)

    def filter_year(self, queryset, name, value):
        return queryset.filter(opens_at__year=int(value))
