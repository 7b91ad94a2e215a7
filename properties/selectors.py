"""Reads of the unit registry (the catalogue of available housing)."""

from django.db.models import QuerySet

from .filters import RegistryFilter
from .models import RegistryEntry


def registry_base() -> QuerySet[RegistryEntry]:
    """Available units with unit, comune and the manifestation's protocol in one query."""
    return RegistryEntry.objects.filter(is_available=True).select_related("unit", "comune", "application__protocol")


def registry_filterset(*, data) -> RegistryFilter:
    """The registry with the request's filters applied (``.qs``)."""
    return RegistryFilter(data=data, queryset=registry_base())


def registry_entry_get(*, pk: int) -> RegistryEntry | None:
    return (
        RegistryEntry.objects.select_related("unit", "comune", "application__protocol", "application__notice")
        .filter(pk=pk)
        .first()
    )
