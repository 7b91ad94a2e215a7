"""Registering in the protocol: the next number of the year, in the caller's transaction."""

from datetime import datetime

from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F, QuerySet
from django.utils import timezone

from .models import ProtocolCounter, ProtocolDirection, ProtocolEntry

INCOMING = ProtocolDirection.INCOMING
OUTGOING = ProtocolDirection.OUTGOING


def register(
    *,
    direction: str,
    sender: str,
    recipient: str,
    subject: str,
    sha256: str,
    record: models.Model | None = None,
    when: datetime | None = None,
) -> ProtocolEntry:
    """Register an act: the next number of the current year (Europe/Rome), gapless.

    Must run inside the caller's transaction (RuntimeError otherwise): the year's counter row
    stays locked until commit, so concurrent registrations queue, numbers follow registration
    times, and a rollback gives the number back. ``record`` is the object the act is about.
    """
    if direction not in ProtocolDirection.values:
        raise ValueError("unknown protocol direction")
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("protocol.register must run inside a transaction")
    rome = timezone.get_default_timezone()  # the year of the register is Italian legal time, not the request's
    started = when or timezone.now()
    year = timezone.localtime(started, rome).year
    ProtocolCounter.objects.bulk_create([ProtocolCounter(year=year, last_number=0)], ignore_conflicts=True)
    ProtocolCounter.objects.filter(year=year).update(last_number=F("last_number") + 1)
    number = ProtocolCounter.objects.values_list("last_number", flat=True).get(year=year)
    if when is None:
        # Read once the counter is locked, so a higher number never has an earlier time; a
        # registration that waited for the lock across midnight of 31 December keeps its year.
        when = timezone.now()
        if timezone.localtime(when, rome).year != year:
            when = started
    return ProtocolEntry.objects.create(
        year=year,
        number=number,
        registered_at=when,
        direction=direction,
        sender=sender[:255],
        recipient=recipient[:255],
        subject=subject[:500],
        sha256=sha256,
        record_type=ContentType.objects.get_for_model(record) if record is not None else None,
        record_id=str(record.pk) if record is not None else "",
    )


def entries_for(record: models.Model) -> QuerySet[ProtocolEntry]:
    """Every registration about ``record``, in number order."""
    return ProtocolEntry.objects.filter(
        record_type=ContentType.objects.get_for_model(record), record_id=str(record.pk)
    ).order_by("year", "number")
