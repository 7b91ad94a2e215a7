"""The protocol register under conditions the other files do not set: a time zone other than
Rome active in the thread (the register's year and time stay Italian legal time), and a call
outside any transaction (refused before it touches the database)."""

from datetime import UTC, datetime

import pytest
from django.db import transaction
from django.utils import timezone

from housingmix.core import protocol
from housingmix.core.protocol import services


def _register():
    with transaction.atomic():
        return protocol.register(
            direction=protocol.INCOMING, sender="Offerente", recipient="Ufficio", subject="Atto", sha256="ab" * 32
        )


@pytest.fixture
def clock(monkeypatch):
    def set_readings(*instants):
        readings = iter(instants)
        monkeypatch.setattr(services.timezone, "now", lambda: next(readings))

    return set_readings


@pytest.mark.django_db
def test_the_year_is_rome_s_whatever_time_zone_is_active(clock):
    moment = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)  # already 1 January 2027 in Rome
    clock(moment, moment)
    with timezone.override("UTC"):
        entry = _register()
    assert (entry.year, entry.number, entry.registered_at) == (2027, 1, moment)
    assert (entry.direction, entry.sender, entry.recipient, entry.subject) == (
        "in",
        "Offerente",
        "Ufficio",
        "Atto",
    )
    assert entry.sha256 == "ab" * 32


@pytest.mark.django_db
def test_a_wait_across_rome_s_midnight_keeps_its_year_whatever_time_zone_is_active(clock):
    # 23:59:59 of 31 December in Rome, the lock granted at 00:00:01 of 1 January in Rome: in UTC
    # both are still 31 December, so only Rome's calendar tells that the year changed meanwhile.
    started, granted = datetime(2026, 12, 31, 22, 59, 59, tzinfo=UTC), datetime(2026, 12, 31, 23, 0, 1, tzinfo=UTC)
    clock(started, granted)
    with timezone.override("UTC"):
        entry = _register()
    assert (entry.year, entry.registered_at) == (2026, started)


def test_without_a_transaction_the_register_refuses_before_touching_the_database():
    # Not named "outside a transaction": `make mutation` leaves those (transactional) tests out.
    # No database access in this test: the refusal comes first.
    with pytest.raises(RuntimeError, match="^protocol.register must run inside a transaction$"):
        protocol.register(direction=protocol.INCOMING, sender="x", recipient="y", subject="z", sha256="0" * 64)
