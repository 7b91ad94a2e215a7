"""Writes on the units of a draft manifestation (add, edit, duplicate, remove)."""

from typing import Any

from django.db import transaction
from django.db.models import Max

from applications.models import Application
from applications.services import delete_files, ensure_editable
from housingmix.accounts.models import User
from housingmix.core import audit

from .models import HousingUnit

# Fields copied when a unit is duplicated (everything describing the unit and the offer).
COPY_EXCLUDE = {"id", "application", "position", "created_at", "updated_at"}


def _next_position(application: Application) -> int:
    return (application.units.aggregate(p=Max("position"))["p"] or 0) + 1


@transaction.atomic
def unit_add(*, application: Application, by: User) -> HousingUnit:
    """Add an empty unit at the end of a draft."""
    ensure_editable(application=application, by=by)
    unit = HousingUnit.objects.create(application=application, position=_next_position(application))
    audit.record(target=application, verb="application.unit_added", by=by, data={"unit": unit.pk})
    return unit


@transaction.atomic
def unit_update(*, unit: HousingUnit, by: User, fields: dict[str, Any]) -> HousingUnit:
    """Save the given fields of a unit in a draft (partial: a draft may be incomplete)."""
    ensure_editable(application=unit.application, by=by)
    for name, value in fields.items():
        field = HousingUnit._meta.get_field(name)
        if value is None and not field.null:
            value = [] if name in ("targets", "guarantees") else ""
        setattr(unit, name, value)
    unit.save()
    return unit


@transaction.atomic
def unit_duplicate(*, unit: HousingUnit, by: User) -> HousingUnit:
    """Copy a unit's data and terms into a new unit (photos and documents are not copied)."""
    application = unit.application
    ensure_editable(application=application, by=by)
    copy = HousingUnit(application=application, position=_next_position(application))
    for field in HousingUnit._meta.concrete_fields:
        if field.name not in COPY_EXCLUDE:
            setattr(copy, field.attname, getattr(unit, field.attname))
    copy.label = ("%s (2)" % unit.label)[:80] if unit.label else ""
    copy.flat_number = ""
    copy.cadastral_sub = ""
    copy.save()
    audit.record(target=application, verb="application.unit_duplicated", by=by, data={"from": unit.pk, "unit": copy.pk})
    return copy


@transaction.atomic
def unit_remove(*, unit: HousingUnit, by: User) -> None:
    """Remove a unit and its photos and documents from a draft."""
    application = unit.application
    ensure_editable(application=application, by=by)
    names = []
    for attachment in unit.attachments.all():
        names.append(attachment.file.name)
        if attachment.thumbnail:
            names.append(attachment.thumbnail.name)
    audit.record(target=application, verb="application.unit_removed", by=by, data={"unit": unit.pk})
    unit.delete()
    # Keep the numbering 1..n so "Alloggio 2" stays meaningful.
    for position, remaining in enumerate(application.units.order_by("position", "pk"), start=1):
        if remaining.position != position:
            HousingUnit.objects.filter(pk=remaining.pk).update(position=position)
    transaction.on_commit(lambda: delete_files(names))
