"""The one protocol register of the office: one yearly sequence for every kind of act, append-only
below the ORM on both databases (its triggers survive migrations)."""

from types import SimpleNamespace

import pytest
from django.db import DatabaseError, connection, transaction

from housingmix.core import protocol
from housingmix.core.protocol import ProtocolEntry, entries_for, triggers
from tests.accounts.factories import UserFactory
from tests.notices.factories import NoticeFactory

pytestmark = pytest.mark.django_db


def _register(record, **kwargs):
    defaults = {"direction": protocol.INCOMING, "sender": "Mittente", "recipient": "RUP", "subject": "Oggetto"}
    with transaction.atomic():
        return protocol.register(record=record, sha256="0" * 64, **{**defaults, **kwargs})


def test_acts_about_different_records_share_one_gapless_sequence():
    notice, user = NoticeFactory(), UserFactory()
    first = _register(notice, subject="Avviso")
    second = _register(user, direction=protocol.OUTGOING, subject="Comunicazione")
    third = _register(None, subject="Atto senza pratica")
    assert [e.number for e in (first, second, third)] == [first.number, first.number + 1, first.number + 2]
    assert first.year == second.year == third.year
    assert ProtocolEntry.objects.get(pk=first.pk).record == notice
    assert ProtocolEntry.objects.get(pk=second.pk).record == user
    assert ProtocolEntry.objects.get(pk=third.pk).record is None
    assert list(entries_for(notice)) == [first]
    assert second.direction == protocol.OUTGOING


@pytest.mark.django_db(transaction=True)
def test_registering_outside_a_transaction_is_refused():
    with pytest.raises(RuntimeError):
        protocol.register(
            direction=protocol.INCOMING, sender="x", recipient="y", subject="z", sha256="0" * 64, record=None
        )
    assert not ProtocolEntry.objects.exists()


def test_unknown_direction_is_refused():
    with pytest.raises(ValueError), transaction.atomic():
        protocol.register(direction="sideways", sender="x", recipient="y", subject="z", sha256="0" * 64)


def test_long_texts_are_cut_to_the_register_fields():
    entry = _register(None, sender="m" * 400, subject="o" * 900)
    assert len(entry.sender) == 255 and len(entry.subject) == 500


def test_append_only_triggers_are_in_force_after_migrate():
    assert triggers.installed(connection)


def test_database_refuses_a_raw_update_whatever_the_record():
    entry = _register(NoticeFactory())
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE core_protocolentry SET subject = %s WHERE id = %s", ["Cambiato", entry.pk])
    assert ProtocolEntry.objects.get(pk=entry.pk).subject == "Oggetto"


def test_trigger_installation_is_idempotent():
    triggers.install(connection)
    triggers.install(connection)
    assert triggers.installed(connection)


def test_migrating_back_lifts_the_guard_and_forward_restores_it():
    """The migration's two directions (``forward``/``reverse`` take the schema editor's connection):
    back, the register can be updated below the ORM; forward again, it cannot."""
    entry = _register(None)
    editor = SimpleNamespace(connection=connection)  # what RunPython hands the two functions
    triggers.reverse(None, editor)
    assert not triggers.installed(connection)
    with connection.cursor() as cursor:
        cursor.execute("UPDATE core_protocolentry SET subject = %s WHERE id = %s", ["Cambiato", entry.pk])
    assert ProtocolEntry.objects.get(pk=entry.pk).subject == "Cambiato"
    triggers.forward(None, editor)
    assert triggers.installed(connection)
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE core_protocolentry SET subject = %s WHERE id = %s", ["Di nuovo", entry.pk])


def test_back_office_shows_the_register_read_only(client):
    staff = UserFactory(staff=True)
    entry = _register(NoticeFactory(), subject="Manifestazione di interesse")
    client.force_login(staff, backend="housingmix.accounts.backends.AuthenticationBackend")
    page = client.get("/backoffice/core/protocolentry/")
    assert page.status_code == 200 and entry.display_number in page.content.decode()
    assert client.get("/backoffice/core/protocolentry/add/").status_code == 403
    change = client.post("/backoffice/core/protocolentry/%d/change/" % entry.pk, {"subject": "Cambiato"})
    assert change.status_code in (200, 403)
    assert ProtocolEntry.objects.get(pk=entry.pk).subject == "Manifestazione di interesse"
