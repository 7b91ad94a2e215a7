"""Writes on the unit registry (the catalogue of available housing)."""

from datetime import timedelta

from dateutil.relativedelta import relativedelta
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from housingmix.core import audit

from .models import HousingUnit, RegistryEntry


@transaction.atomic
def registry_entry_create(*, unit: HousingUnit, by=None) -> RegistryEntry:
    """Put an eligible unit in the registry, with its availability copied from the filed offer
    (so the registry does not depend on the frozen manifestation and staff can keep it current).

    Idempotent: a unit already in the registry returns its entry. Raises ValidationError for a
    unit without a comune (the registry is by comune).
    """
    existing = RegistryEntry.objects.filter(unit=unit).first()
    if existing is not None:
        return existing
    if unit.comune_id is None:
        raise ValidationError({"units": _("Un alloggio senza comune non può entrare nel registro.")})
    until = None
    if unit.available_from and unit.duration_months:
        # A term of N months from 1 March ends on the last day before 1 March N months later.
        until = unit.available_from + relativedelta(months=unit.duration_months) - timedelta(days=1)
    entry = RegistryEntry.objects.create(
        unit=unit,
        application_id=unit.application_id,
        comune_id=unit.comune_id,
        available_from=unit.available_from,
        available_until=until,
        availability_form=unit.availability_form,
        monthly_rent=unit.monthly_rent,
        beds=unit.beds,
        surface_m2=unit.surface_m2,
        step_free=bool(unit.step_free),
        co_housing=bool(unit.co_housing),
    )
    audit.record(target=entry, verb="registry.entry_created", by=by, data={"unit": unit.pk})
    return entry


def registry_availability_set(*, entry: RegistryEntry, availability: str, by=None, data: dict | None = None) -> None:
    """Move a registry unit to ``availability`` (UnitAvailability), keeping ``is_available`` in
    step (only a unit that can be proposed is listed as available); audited. Call it inside the
    transaction of the change that causes it (a match, a contract, a move-in, an end)."""
    from .models import PROPOSABLE

    previous = entry.availability
    entry.availability = availability
    entry.is_available = availability in PROPOSABLE
    RegistryEntry.objects.filter(pk=entry.pk).update(availability=availability, is_available=entry.is_available)
    audit.record(
        target=entry,
        verb="registry.availability_changed",
        by=by,
        from_state=previous,
        to_state=availability,
        data=data,
    )
