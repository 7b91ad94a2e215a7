"""The outbox's bookkeeping where a wrong row or a lost hook would go unnoticed: a failure is
counted on its own job only, never on a job already finished; at the cap the kind's ``on_failed``
hook runs and one error line names the job; the sweep's due time, order and batch; the kind's
label; a handler registered twice; the audit of a back-office retry."""

import logging
from datetime import UTC, datetime, timedelta

import pytest
import time_machine
from django.utils import timezone

from housingmix.core import outbox
from housingmix.core.models import AuditEvent
from housingmix.core.outbox import Job, JobStatus
from housingmix.core.outbox import services as outbox_services
from tests.accounts.factories import UserFactory

pytestmark = pytest.mark.django_db

SENT: list[int] = []
FAILED: list[tuple[int, str]] = []


class BrokenMailServerError(Exception):
    pass


def _broken(job):
    raise BrokenMailServerError("smtp.example.org refused mario.rossi@example.org")


def _record(job):
    SENT.append(job.pk)


def _on_failed(job):
    FAILED.append((job.pk, job.status))


@pytest.fixture(autouse=True)
def kinds():
    SENT.clear()
    FAILED.clear()
    outbox.register("mut18.broken", _broken, label="Invio rotto", on_failed=_on_failed)
    outbox.register("mut18.record", _record)
    yield
    for kind in ("mut18.broken", "mut18.record"):
        outbox_services._HANDLERS.pop(kind)


def test_a_failure_is_counted_on_its_own_job_only():
    job = outbox.request("mut18.broken")
    other = outbox.request("mut18.broken")  # newer: the first of the default order (newest first)
    with pytest.raises(BrokenMailServerError):
        outbox.run(job_id=job.pk)
    assert Job.objects.get(pk=job.pk).attempts == 1
    assert (Job.objects.get(pk=other.pk).attempts, Job.objects.get(pk=other.pk).last_error) == (0, "")


def test_a_run_failing_after_another_finished_the_job_leaves_it_finished_and_raises():
    def finished_meanwhile(job):
        Job.objects.filter(pk=job.pk).update(status=JobStatus.DONE)
        raise BrokenMailServerError("late")

    outbox_services._HANDLERS["mut18.record"] = outbox_services.Handler(run=finished_meanwhile)
    job = outbox.request("mut18.record")
    with pytest.raises(BrokenMailServerError):
        outbox.run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.attempts, job.last_error) == (JobStatus.DONE, 0, "")


def test_the_error_kept_is_the_class_name_cut_to_the_field():
    long_error = type("E" * 300, (Exception,), {})

    def fails(job):
        raise long_error()

    outbox_services._HANDLERS["mut18.record"] = outbox_services.Handler(run=fails)
    job = outbox.request("mut18.record")
    with pytest.raises(long_error):
        outbox.run(job_id=job.pk)
    assert Job.objects.get(pk=job.pk).last_error == "E" * 255


def test_at_the_cap_the_kind_s_hook_runs_on_the_failed_job_and_one_error_names_it(settings, caplog):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    job = outbox.request("mut18.broken")
    with caplog.at_level(logging.ERROR, logger="housingmix.core.outbox.services"):
        assert outbox.run(job_id=job.pk) is None
    assert FAILED == [(job.pk, JobStatus.FAILED)]
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert record.getMessage() == (
        "outbox job %s (mut18.broken) failed after 1 attempts (BrokenMailServerError): marked failed" % job.pk
    )
    assert "rossi" not in caplog.text


def test_before_the_cap_the_hook_does_not_run(settings):
    settings.OUTBOX_MAX_ATTEMPTS = 2
    job = outbox.request("mut18.broken")
    with pytest.raises(BrokenMailServerError):
        outbox.run(job_id=job.pk)
    assert FAILED == []


def test_a_kind_is_shown_by_its_label_or_else_by_its_name():
    assert outbox.kind_label("mut18.broken") == "Invio rotto"
    assert outbox.kind_label("mut18.record") == "mut18.record"
    assert outbox.kind_label("mut18.nobody") == "mut18.nobody"


def test_a_kind_registered_twice_with_another_handler_is_refused_the_same_one_is_not():
    outbox.register("mut18.record", _record)
    with pytest.raises(ValueError, match=r"^outbox kind mut18\.record registered twice$"):
        outbox.register("mut18.record", _broken)
    assert outbox.handlers()["mut18.record"].run is _record
    assert outbox.handlers()["mut18.broken"].on_failed is _on_failed


def test_the_sweep_sends_a_job_thirty_seconds_after_its_request():
    start = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(start, tick=False):
        job = outbox.request("mut18.record")
    with time_machine.travel(start + timedelta(seconds=29), tick=False):
        assert outbox.sweep() == 0
    with time_machine.travel(start + timedelta(seconds=30), tick=False):
        assert outbox.sweep() == 1
    assert SENT == [job.pk]


def test_the_sweep_sends_the_longest_waiting_first_and_at_most_its_batch():
    old = timezone.now() - timedelta(minutes=10)
    later, earlier = outbox.request("mut18.record"), outbox.request("mut18.record")
    Job.objects.filter(pk=later.pk).update(requested_at=old, next_attempt_at=old + timedelta(minutes=2))
    Job.objects.filter(pk=earlier.pk).update(requested_at=old, next_attempt_at=old)
    assert outbox.sweep(limit=1) == 1
    assert SENT == [earlier.pk]
    assert outbox.sweep(limit=1) == 1
    assert SENT == [earlier.pk, later.pk]


def test_the_sweep_sends_five_hundred_jobs_at_a_time():
    old = timezone.now() - timedelta(minutes=10)
    Job.objects.bulk_create(
        [Job(kind="mut18.record", data={}, requested_at=old, next_attempt_at=old) for _ in range(501)]
    )
    assert outbox.sweep() == 500
    assert Job.objects.filter(status=JobStatus.PENDING).count() == 1


def test_a_back_office_retry_is_audited_with_the_kind():
    staff = UserFactory(staff=True)
    job = outbox.request("mut18.broken")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, attempts=8)
    outbox.retry(job=job, by=staff)
    event = AuditEvent.objects.get(verb="outbox.retried")
    assert (event.actor, event.data) == (staff, {"kind": "mut18.broken"})
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.PENDING, 0)


def test_what_is_still_pending_for_a_record_by_kind():
    from tests.notices.factories import NoticeFactory

    notice, other = NoticeFactory(), NoticeFactory()
    outbox.request("mut18.record", target=notice)
    outbox.request("mut18.record", target=notice)
    done = outbox.request("mut18.broken", target=notice)
    outbox.request("mut18.broken", target=other)
    assert outbox.pending_kinds(notice, kinds=["mut18.record", "mut18.broken"]) == {"mut18.record", "mut18.broken"}
    Job.objects.filter(pk=done.pk).update(status=JobStatus.DONE)
    assert outbox.pending_kinds(notice, kinds=["mut18.record", "mut18.broken"]) == {"mut18.record"}
    assert outbox.pending_kinds(notice, kinds=["mut18.broken"]) == set()
    assert outbox.pending_kinds(other, kinds=["mut18.broken"]) == {"mut18.broken"}
    assert outbox.pending_for(notice) and outbox.pending_for(notice, kinds=["mut18.record"])
    assert not outbox.pending_for(notice, kinds=["mut18.broken"])
    Job.objects.filter(target_id=str(notice.pk), kind="mut18.record").update(status=JobStatus.FAILED)
    assert not outbox.pending_for(notice) and outbox.pending_kinds(notice, kinds=["mut18.record"]) == set()


def test_a_new_job_is_due_at_its_request_time_and_one_about_nothing_names_no_target():
    job = outbox.request("mut18.record")
    assert job.requested_at == job.next_attempt_at
    row = Job.objects.get(pk=job.pk)
    assert (row.target_type, row.target_id, row.data) == (None, "", {})


def test_an_unknown_kind_is_refused_by_name():
    with pytest.raises(KeyError, match=r"^'no outbox handler for mut18\.typo'$"):
        outbox.request("mut18.typo")


def test_coalescing_joins_only_a_pending_job_of_the_same_kind_and_makes_it_due_now():
    from tests.notices.factories import NoticeFactory

    notice = NoticeFactory()
    other_kind = outbox.request("mut18.broken", target=notice)
    finished = outbox.request("mut18.record", target=notice)
    Job.objects.filter(pk=finished.pk).update(status=JobStatus.DONE)
    pending = outbox.request("mut18.record", target=notice, coalesce=True)
    assert pending.pk not in (other_kind.pk, finished.pk)
    later = timezone.now() + timedelta(hours=1)
    Job.objects.filter(pk=pending.pk).update(next_attempt_at=later)  # waiting for its backoff
    with time_machine.travel(timezone.now() + timedelta(minutes=1), tick=False):
        again = outbox.request("mut18.record", target=notice, coalesce=True)
        now = timezone.now()
    row = Job.objects.get(pk=pending.pk)
    assert again.pk == pending.pk and (row.requested_at, row.next_attempt_at) == (now, now)


def test_a_job_the_broker_refuses_stays_pending_and_is_logged_without_data(monkeypatch, caplog):
    from celery import current_app

    task = current_app.tasks[outbox_services.RUN_TASK]

    def refuse(**kwargs):
        raise ConnectionRefusedError("redis://user:secret@broker")

    monkeypatch.setattr(task, "apply_async", refuse)
    job = outbox.request("mut18.record")
    with caplog.at_level(logging.WARNING, logger="housingmix.core.outbox.services"):
        assert outbox_services.send(job_ids=[job.pk]) == 0
    assert [r.getMessage() for r in caplog.records] == [
        "outbox job %s not sent (ConnectionRefusedError); the sweep will retry" % job.pk
    ]
    assert Job.objects.get(pk=job.pk).status == JobStatus.PENDING


def test_a_job_run_after_a_failure_is_done_at_its_time_with_the_error_cleared():
    job = outbox.request("mut18.broken")
    with pytest.raises(BrokenMailServerError):
        outbox.run(job_id=job.pk)
    outbox_services._HANDLERS["mut18.broken"] = outbox_services.Handler(run=_record, on_failed=_on_failed)
    moment = datetime(2027, 3, 1, 9, 0, tzinfo=UTC)
    with time_machine.travel(moment, tick=False):
        outbox.run(job_id=job.pk)
    job.refresh_from_db()
    assert (job.status, job.done_at, job.attempts, job.last_error) == (JobStatus.DONE, moment, 2, "")


def test_a_job_marked_failed_while_it_ran_is_not_turned_done():
    def capped_meanwhile(job):
        Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED)
        return "late"

    outbox_services._HANDLERS["mut18.record"] = outbox_services.Handler(run=capped_meanwhile)
    job = outbox.request("mut18.record")
    outbox.run(job_id=job.pk)
    assert Job.objects.get(pk=job.pk).status == JobStatus.FAILED


def test_steps_are_kept_one_after_the_other_on_the_row_and_on_the_job_in_hand():
    job = outbox.request("mut18.record")
    for name in ("rendered", "emailed"):
        with outbox.step(job, name) as todo:
            assert todo
    assert job.steps == ["rendered", "emailed"]
    assert Job.objects.get(pk=job.pk).steps == ["rendered", "emailed"]
