"""The protocol register as submissions use it: number format, gapless yearly sequence,
append-only, concurrency. (The register's own tests, shared by every app, are in tests/core.)"""

import re
import threading
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.db import DatabaseError, connection, connections, transaction
from django.utils import timezone

from applications import services
from applications.models import RECEIPT_JOB, Application, ApplicationStatus
from housingmix.core import outbox
from housingmix.core.outbox import Job
from housingmix.core.protocol import ProtocolCounter, ProtocolEntry, entries_for
from tests.applications.factories import ApplicationFactory
from tests.celery_helpers import broker
from tests.notices.factories import NoticeFactory

ROME = ZoneInfo("Europe/Rome")


def _last(year: int) -> int:
    return ProtocolCounter.objects.filter(year=year).values_list("last_number", flat=True).first() or 0


def _submit(application) -> Application:
    return services.application_submit(application=application, by=application.created_by)


def _status(application) -> str:
    return Application.objects.values_list("status", flat=True).get(pk=application.pk)


@pytest.fixture
def fail_after_registration(monkeypatch):
    """Make the submission of the given applications fail after the protocol registration, inside the
    transaction (when the receipt job is requested, the last step)."""
    failing = set()
    original = outbox.request

    def flaky(kind, *, target=None, **kwargs):
        if kind == RECEIPT_JOB and target is not None and target.pk in failing:
            raise RuntimeError("simulated failure after the protocol registration")
        return original(kind, target=target, **kwargs)

    monkeypatch.setattr(services.outbox, "request", flaky)
    return failing


@pytest.mark.django_db
def test_number_has_seven_digits_and_the_year():
    submitted = _submit(ApplicationFactory(complete=True))
    entry = submitted.protocol
    year = timezone.localtime(entry.registered_at).year
    assert entry.year == year
    assert re.fullmatch(r"\d{7}/\d{4}", entry.display_number)
    assert entry.display_number == "%07d/%d" % (entry.number, year) == submitted.protocol_number


@pytest.mark.django_db
def test_numbers_follow_each_other_within_the_year():
    notice = NoticeFactory(published=True)
    applications = [ApplicationFactory(complete=True, notice=notice) for _ in range(3)]
    year = timezone.localdate().year
    start = _last(year)
    entries = [_submit(a).protocol for a in applications]
    assert [e.number for e in entries] == [start + 1, start + 2, start + 3]
    assert entries[0].registered_at <= entries[1].registered_at <= entries[2].registered_at


@pytest.mark.django_db
def test_failed_submission_leaves_no_gap(fail_after_registration):
    notice = NoticeFactory(published=True)
    failing, next_one = (
        ApplicationFactory(complete=True, notice=notice),
        ApplicationFactory(complete=True, notice=notice),
    )
    year = timezone.localdate().year
    start = _last(year)
    fail_after_registration.add(failing.pk)
    with pytest.raises(RuntimeError):
        _submit(failing)
    assert _status(failing) == ApplicationStatus.DRAFT
    assert not entries_for(failing).exists()
    assert not Job.objects.filter(target_id=str(failing.pk), kind=RECEIPT_JOB).exists()
    assert _last(year) == start
    assert _submit(next_one).protocol.number == start + 1


@pytest.mark.django_db
def test_year_boundary_restarts_the_sequence():
    notice = NoticeFactory(
        published=True, opens_at=datetime(2026, 11, 1, tzinfo=ROME), closes_at=datetime(2027, 1, 31, tzinfo=ROME)
    )
    late, last, first, second = [ApplicationFactory(complete=True, notice=notice) for _ in range(4)]
    with time_machine.travel(datetime(2026, 12, 31, 23, 58, tzinfo=ROME), tick=False):
        start = _last(2026)
        assert _submit(late).protocol.display_number == "%07d/2026" % (start + 1)
    with time_machine.travel(datetime(2026, 12, 31, 23, 59, tzinfo=ROME), tick=False):
        entry = _submit(last).protocol
        assert (entry.year, entry.number) == (2026, start + 2)
        assert timezone.localtime(entry.registered_at).strftime("%d/%m/%Y %H:%M") == "31/12/2026 23:59"
    with time_machine.travel(datetime(2027, 1, 1, 0, 0, 30, tzinfo=ROME), tick=False):
        entry = _submit(first).protocol
        assert entry.display_number == "0000001/2027"
        # 00:00:30 in Rome is still 31 December in UTC: the year is the Italian one.
        assert entry.registered_at.astimezone(ZoneInfo("UTC")).year == 2026
    with time_machine.travel(datetime(2027, 1, 1, 9, 0, tzinfo=ROME), tick=False):
        assert _submit(second).protocol.display_number == "0000002/2027"
    assert _last(2026) == start + 2 and _last(2027) == 2


# --- Append-only -----------------------------------------------------------------------


@pytest.fixture
def entry(db):
    return _submit(ApplicationFactory(complete=True)).protocol


def _unchanged(entry) -> bool:
    row = ProtocolEntry.objects.get(pk=entry.pk)
    return (row.number, row.subject, row.sha256) == (entry.number, entry.subject, entry.sha256)


@pytest.mark.django_db
def test_register_refuses_orm_updates_and_deletes(entry):
    entry.subject = "Oggetto cambiato"
    with pytest.raises(ValidationError):
        entry.save()
    with pytest.raises(ValidationError):
        entry.delete()
    with pytest.raises(ValidationError):
        ProtocolEntry.objects.filter(pk=entry.pk).update(subject="Oggetto cambiato")
    with pytest.raises(ValidationError):
        ProtocolEntry.objects.filter(pk=entry.pk).delete()
    entry.subject = ProtocolEntry.objects.get(pk=entry.pk).subject
    assert _unchanged(entry)


@pytest.mark.django_db
def test_database_refuses_a_raw_update_of_the_register(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("UPDATE core_protocolentry SET subject = %s WHERE id = %s", ["Cambiato", entry.pk])
    assert _unchanged(entry)


# Only PostgreSQL has the DELETE trigger: Django empties SQLite test databases with DELETE
# (core/protocol/triggers.py; on SQLite the model refuses deletes). `make test` runs this on the
# PostgreSQL leg only; a targeted run on SQLite skips it.
@pytest.mark.postgres_only
@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL only: the DELETE trigger")
@pytest.mark.django_db
def test_database_refuses_a_raw_delete_of_the_register(entry):
    with pytest.raises(DatabaseError, match="append-only"):
        with transaction.atomic(), connection.cursor() as cursor:
            cursor.execute("DELETE FROM core_protocolentry WHERE id = %s", [entry.pk])
    assert _unchanged(entry)


# --- Concurrency (row locks on PostgreSQL, immediate transactions on SQLite) ------------------------------------------------------------


def _in_threads(calls) -> tuple[list, list]:
    """Run the callables at the same moment, each in its own thread and database connection."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def work(i, call):
        try:
            barrier.wait(timeout=30)
            results[i] = call()
        except Exception as error:
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=work, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not any(thread.is_alive() for thread in threads), "a submission hung"
    return results, errors


def _ready(count: int) -> list[Application]:
    notice = NoticeFactory(published=True)
    applications = [ApplicationFactory(complete=True, notice=notice) for _ in range(count)]
    for application in applications:
        assert application.created_by.pk  # loaded here, not in the threads
    return applications


@pytest.mark.django_db(transaction=True)
def test_simultaneous_submissions_get_distinct_gapless_numbers():
    applications = _ready(16)
    year = timezone.localdate().year
    start = _last(year)
    # An in-memory broker: jobs are queued, never run (the receipts are not what is tested here).
    with broker("memory://"):
        results, errors = _in_threads([lambda a=a: _submit(a) for a in applications])
    assert errors == []
    entries = sorted(ProtocolEntry.objects.filter(year=year), key=lambda e: e.number)
    assert [e.number for e in entries] == list(range(start + 1, start + 17))
    assert {int(e.record_id) for e in entries} == {a.pk for a in applications}
    assert {r.protocol_id for r in results} == {e.pk for e in entries}
    # Numbers are given in time order: a higher number never has an earlier time.
    assert [e.registered_at for e in entries] == sorted(e.registered_at for e in entries)
    assert Job.objects.filter(kind=RECEIPT_JOB).count() == 16


@pytest.mark.django_db(transaction=True)
def test_failed_simultaneous_submissions_leave_no_gap(fail_after_registration):
    applications = _ready(12)
    failing = applications[1::3]
    fail_after_registration.update(a.pk for a in failing)
    year = timezone.localdate().year
    start = _last(year)
    with broker("memory://"):
        _results, errors = _in_threads([lambda a=a: _submit(a) for a in applications])
    assert len(errors) == len(failing) and all(isinstance(e, RuntimeError) for e in errors)
    numbers = sorted(ProtocolEntry.objects.filter(year=year).values_list("number", flat=True))
    assert numbers == list(range(start + 1, start + 1 + len(applications) - len(failing)))
    assert _last(year) == numbers[-1]
    for application in failing:
        assert _status(application) == ApplicationStatus.DRAFT
    assert not ProtocolEntry.objects.filter(record_id__in=[str(a.pk) for a in failing]).exists()


@pytest.mark.django_db(transaction=True)
def test_double_submit_from_simultaneous_requests_gives_one_number():
    [application] = _ready(1)
    with broker("memory://"):
        results, errors = _in_threads([lambda: _submit(application) for _ in range(6)])
    assert errors == []
    assert len({r.protocol_id for r in results}) == 1
    assert entries_for(application).count() == 1
    assert Job.objects.filter(target_id=str(application.pk), kind=RECEIPT_JOB).count() == 1
    assert _status(application) == ApplicationStatus.SUBMITTED
