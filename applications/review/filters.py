"""Filters of the review queue (django-filter); applied in ``review.selectors``."""

import django_filters
from django.contrib.auth.models import Group
from django.db.models import BooleanField, Exists, ExpressionWrapper, OuterRef, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from housingmix.accounts.models import User
from housingmix.accounts.roles import Role
from housingmix.core import choices
from housingmix.core.choices import CachedChoices
from housingmix.core.filters import freeze_choices
from housingmix.notices.models import Notice, NoticeKind
from housingmix.territory.models import Comune
from properties.filters import COMUNE_CHOICES
from properties.models import AvailabilityForm, HousingUnit

from ..models import OFFERER_TYPE_CHOICES, Application, ApplicationStatus, InfoRequest


def _reviewers():
    """Active staff and social workers (the assignable users)."""
    return (
        User.objects.filter(is_active=True, groups__name__in=[Role.SOCIAL_WORKER, Role.STAFF])
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def _notices():
    return Notice.objects.filter(kind=NoticeKind.INTEREST).order_by("-opens_at")


# The selects of the queue, built once (and again when a notice, a user or a role changes).
NOTICE_CHOICES = CachedChoices("review:notices", lambda: ((n.pk, str(n)) for n in _notices()), models=[Notice])
REVIEWER_FILTER_CHOICES = CachedChoices(
    "review:reviewers",
    lambda: ((u.pk, str(u)) for u in _reviewers()),
    models=[User, Group],
    relations=[User.groups.through],
)

REVIEW_STATUS_CHOICES = [(v, label) for v, label in ApplicationStatus.choices if v != ApplicationStatus.DRAFT]


def overdue_conditions() -> dict:
    """What makes a request overdue: still open, past its deadline (today, in Rome)."""
    return {"closed_at__isnull": True, "deadline__lt": timezone.localdate()}


def overdue_requests():
    """The open requests past their deadline of the outer manifestation (``OuterRef("pk")``);
    they count only while it waits for the integration: see ``is_overdue``."""
    return InfoRequest.objects.filter(application=OuterRef("pk"), **overdue_conditions())


def is_overdue():
    """True for a manifestation waiting for an integration whose deadline has passed.

    The state is the outer row's own column, not a join inside the subquery: with the join,
    PostgreSQL builds the whole set of overdue requests for every page of the queue (a hashed
    subplan, milliseconds at 10,000 manifestations) instead of one index lookup per row."""
    return ExpressionWrapper(
        Q(status=ApplicationStatus.INFO_REQUESTED) & Exists(overdue_requests()), output_field=BooleanField()
    )


class ReviewQueueFilter(django_filters.FilterSet):
    status = django_filters.ChoiceFilter(label=_("Stato"), choices=REVIEW_STATUS_CHOICES, empty_label=_("Tutti"))
    notice = django_filters.ModelChoiceFilter(label=_("Avviso"), queryset=Notice.objects.none(), empty_label=_("Tutti"))
    comune = django_filters.ModelChoiceFilter(
        label=_("Comune dell'alloggio"), queryset=Comune.objects.none(), method="filter_comune", empty_label=_("Tutti")
    )
    offerer_type = django_filters.ChoiceFilter(
        label=_("Tipo di offerente"), choices=OFFERER_TYPE_CHOICES, empty_label=_("Tutti")
    )
    availability_form = django_filters.ChoiceFilter(
        label=_("Forma di messa a disposizione"),
        choices=AvailabilityForm.choices,
        method="filter_form",
        empty_label=_("Tutte"),
    )
    assigned_to = django_filters.ModelChoiceFilter(
        label=_("Istruttore"), queryset=User.objects.none(), empty_label=_("Tutti")
    )
    overdue = django_filters.ChoiceFilter(
        label=_("Integrazioni scadute"),
        choices=[("yes", _("Solo con termine scaduto"))],
        method="filter_overdue",
        empty_label=_("Tutte"),
    )
    sort = django_filters.OrderingFilter(
        label=_("Ordina per"),
        fields=(
            ("submitted_at", "submitted"),
            ("protocol__number", "protocol"),
            ("offerer_name", "offerer"),
            ("status", "status"),
        ),
        # django-filter looks labels up by model field, not by URL parameter.
        field_labels={
            "submitted_at": _("Data di presentazione"),
            "protocol__number": _("Protocollo"),
            "offerer_name": _("Offerente"),
            "status": _("Stato"),
        },
        empty_label=_("Più recenti"),
    )

    class Meta:
        model = Application
        fields = ["status", "notice", "comune", "offerer_type", "availability_form", "assigned_to", "overdue"]

    def __init__(self, *args, reviewers=None, **kwargs):
        super().__init__(*args, **kwargs)
        # The querysets only validate a submitted value; the selects show the cached lists.
        self.filters["notice"].queryset = _notices()
        self.filters["comune"].queryset = Comune.objects.order_by("name")
        self.filters["assigned_to"].queryset = reviewers if reviewers is not None else _reviewers()
        notices, comuni, reviewers = choices.get_many(NOTICE_CHOICES, COMUNE_CHOICES, REVIEWER_FILTER_CHOICES)
        freeze_choices(self.form, notice=notices, comune=comuni, assigned_to=reviewers)

    def filter_comune(self, queryset, name, value):
        return queryset.filter(Exists(HousingUnit.objects.filter(application=OuterRef("pk"), comune=value)))

    def filter_form(self, queryset, name, value):
        return queryset.filter(Exists(HousingUnit.objects.filter(application=OuterRef("pk"), availability_form=value)))

    def filter_overdue(self, queryset, name, value):
        if value != "yes":
            return queryset
        return queryset.filter(status=ApplicationStatus.INFO_REQUESTED).filter(Exists(overdue_requests()))
