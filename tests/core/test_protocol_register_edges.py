"""Edges of the protocol register that mutation testing showed unpinned (issue 18): the time
read under the counter's lock, a registration that waited across midnight of 31 December,
the recipient cut to its field, an act about no record."""

from datetime import UTC, datetime

import pytest
from django.db import transaction

from housingmix.core import protocol
from housingmix.core.protocol import services

pytestmark = pytest.mark.django_db


def _register(**kwargs):
    defaults = {"direction": protocol.OUTGOING, "sender": "Ufficio", "recipient": "Offerente", "subject": "Atto"}
    with transaction.atomic():
        return protocol.register(sha256="0" * 64, **{**defaults, **kwargs})


@pytest.fixture
def clock(monkeypatch):
    """The register's clock reads the given instants one after the other (the first before the
    counter is locked, the second once it is)."""

    def set_readings(*instants):
        readings = iter(instants)
        monkeypatch.setattr(services.timezone, "now", lambda: next(readings))

    return set_readings


def test_the_time_is_read_once_the_counter_is_locked(clock):
    before, after = datetime(2026, 6, 1, 9, 0, 0, tzinfo=UTC), datetime(2026, 6, 1, 9, 0, 3, tzinfo=UTC)
    clock(before, after)
    entry = _register()
    assert entry.registered_at == after and entry.year == 2026


def test_a_registration_that_waited_across_midnight_keeps_its_year_and_time(clock):
    # 23:59:59 in Rome on 31 December, then the lock is granted at 00:00:01 of the new year.
    started, granted = datetime(2026, 12, 31, 22, 59, 59, tzinfo=UTC), datetime(2026, 12, 31, 23, 0, 1, tzinfo=UTC)
    clock(started, granted)
    entry = _register()
    assert entry.year == 2026
    assert entry.registered_at == started


def test_the_year_is_rome_s_not_utc(clock):
    # 23:30 UTC on 31 December is already 00:30 of 1 January in Rome.
    moment = datetime(2026, 12, 31, 23, 30, tzinfo=UTC)
    clock(moment, moment)
    entry = _register()
    assert (entry.year, entry.number) == (2027, 1)


def test_recipient_is_cut_to_its_field_and_an_act_about_nothing_has_no_record():
    entry = _register(recipient="r" * 300, record=None)
    assert len(entry.recipient) == 255
    assert entry.record_type is None and entry.record_id == ""


def test_refusals_say_what_is_wrong():
    with pytest.raises(ValueError, match="^unknown protocol direction$"):
        _register(direction="sideways")


@pytest.mark.django_db(transaction=True)
def test_outside_a_transaction_the_refusal_says_so():
    with pytest.raises(RuntimeError, match="^protocol.register must run inside a transaction$"):
        protocol.register(direction=protocol.INCOMING, sender="x", recipient="y", subject="z", sha256="0" * 64)


def test_entries_of_a_record_only_theirs_in_year_then_number_order(clock):
    from tests.notices.factories import NoticeFactory

    notice, other = NoticeFactory(), NoticeFactory()
    moments = [
        datetime(2030, 3, 1, 10, tzinfo=UTC),  # 2030 no. 1
        datetime(2030, 3, 2, 10, tzinfo=UTC),  # 2030 no. 2 (the other notice)
        datetime(2030, 3, 3, 10, tzinfo=UTC),  # 2030 no. 3
        datetime(2031, 1, 5, 10, tzinfo=UTC),  # 2031 no. 1: a lower number, a later year
    ]
    clock(*[m for m in moments for _twice in (1, 2)])
    first = _register(record=notice)
    _register(record=other)
    third = _register(record=notice)
    next_year = _register(record=notice)
    assert [(e.year, e.number) for e in (first, third, next_year)] == [(2030, 1), (2030, 3), (2031, 1)]
    assert list(protocol.entries_for(notice)) == [first, third, next_year]
