"""The one outbox: jobs written with the act, run once, retried with backoff, capped, retried by hand."""

import logging
from datetime import timedelta

import pytest
from django.contrib.admin.sites import site
from django.db import transaction
from django.test import RequestFactory
from django.utils import timezone

from housingmix.core import outbox
from housingmix.core.outbox import Job, JobStatus
from housingmix.core.outbox import services as outbox_services
from tests.accounts.factories import UserFactory
from tests.notices.factories import NoticeFactory

pytestmark = pytest.mark.django_db

RUNS: list[int] = []


def _poison(job):
    raise ValueError("never works, with personal data: Mario Rossi RSSMRA80A01E648Q")


def _counting(job):
    RUNS.append(job.pk)
    return "done %s" % job.pk


@pytest.fixture(autouse=True)
def handlers():
    """Two test handlers beside the real ones (removed afterwards)."""
    RUNS.clear()
    outbox.register("tests.poison", _poison, label="Poison")
    outbox.register("tests.counting", _counting, label="Counting")
    yield
    outbox_services._HANDLERS.pop("tests.poison")
    outbox_services._HANDLERS.pop("tests.counting")


def _due(job: Job) -> None:
    """Move the job's next attempt to now (the sweep's backoff elapsed)."""
    Job.objects.filter(pk=job.pk).update(
        next_attempt_at=timezone.now(), requested_at=timezone.now() - timedelta(minutes=5)
    )


def test_job_is_written_with_the_act_and_runs_on_commit(django_capture_on_commit_callbacks):
    notice = NoticeFactory()
    with django_capture_on_commit_callbacks(execute=True):
        with transaction.atomic():
            job = outbox.request("tests.counting", target=notice, data={"n": 1})
            assert RUNS == []  # nothing runs before the commit
    job.refresh_from_db()
    assert RUNS == [job.pk]
    assert (job.status, job.attempts, job.target, job.data) == (JobStatus.DONE, 1, notice, {"n": 1})


def test_a_rolled_back_act_leaves_no_job():
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            outbox.request("tests.counting")
            raise RuntimeError("the act failed")
    assert not Job.objects.exists()


def test_unknown_kind_is_refused_at_request():
    with pytest.raises(KeyError):
        outbox.request("tests.typo")
    assert not Job.objects.exists()


def test_done_job_does_not_run_again():
    job = outbox.request("tests.counting")
    assert outbox.run(job_id=job.pk) == "done %s" % job.pk
    assert outbox.run(job_id=job.pk) is None
    assert RUNS == [job.pk]


def test_poison_job_stops_at_the_cap_and_shows_as_failed(settings, caplog):
    settings.OUTBOX_MAX_ATTEMPTS = 3
    job = outbox.request("tests.poison")
    for attempt in (1, 2):
        with pytest.raises(ValueError):
            outbox.run(job_id=job.pk)
        job.refresh_from_db()
        assert (job.status, job.attempts, job.last_error) == (JobStatus.PENDING, attempt, "ValueError")
        # Not due again at once: the sweep waits longer after each failure.
        assert job.next_attempt_at > timezone.now()
        assert outbox.sweep() == 0
        _due(job)
    with caplog.at_level(logging.ERROR, logger="housingmix.core.outbox.services"):
        assert outbox.run(job_id=job.pk) is None  # the third failure: capped, not raised
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.FAILED, 3)
    [record] = [r for r in caplog.records if r.levelno == logging.ERROR]
    assert "tests.poison" in record.getMessage() and "ValueError" in record.getMessage()
    assert "Rossi" not in caplog.text and "RSSMRA80A01E648Q" not in caplog.text
    assert "Rossi" not in job.last_error
    _due(job)
    assert outbox.sweep() == 0  # a failed job is never swept again
    assert outbox.run(job_id=job.pk) is None


def test_backoff_grows_with_each_attempt():
    delays = [outbox_services._backoff(n).total_seconds() for n in range(1, 9)]
    assert delays == [30, 60, 120, 240, 480, 960, 1920, 3600]


def test_sweep_sends_every_kind_of_pending_job_once_due():
    old = timezone.now() - timedelta(minutes=5)
    jobs = [outbox.request(kind) for kind in ("tests.counting", "tests.counting")]
    recent = outbox.request("tests.counting")
    Job.objects.filter(pk__in=[j.pk for j in jobs]).update(requested_at=old, next_attempt_at=old)
    assert outbox.sweep() == 2
    assert sorted(RUNS) == sorted(j.pk for j in jobs)
    assert Job.objects.get(pk=recent.pk).status == JobStatus.PENDING  # too recent: its own send is under way


def test_coalesced_request_moves_the_pending_job_on():
    notice = NoticeFactory()
    first = outbox.request("tests.counting", target=notice, coalesce=True)
    again = outbox.request("tests.counting", target=notice, coalesce=True)
    assert again.pk == first.pk and Job.objects.count() == 1
    other = outbox.request("tests.counting", target=NoticeFactory(), coalesce=True)
    assert other.pk != first.pk


def test_newer_request_during_a_run_keeps_the_job_pending():
    notice = NoticeFactory()
    job = outbox.request("tests.counting", target=notice, coalesce=True)

    def racing(j):
        # A newer request arrives while this run works (e.g. the notice was amended meanwhile).
        outbox.request("tests.counting", target=notice, coalesce=True)
        return "stale"

    outbox_services._HANDLERS["tests.counting"] = outbox_services.Handler(run=racing)
    try:
        outbox.run(job_id=job.pk)
    finally:
        outbox_services._HANDLERS["tests.counting"] = outbox_services.Handler(run=_counting)
    assert Job.objects.get(pk=job.pk).status == JobStatus.PENDING


def test_a_step_is_done_once_even_when_the_job_runs_again():
    job = outbox.request("tests.counting")
    done = []
    for _ in range(3):
        with outbox.step(job, "emailed") as todo:
            if todo:
                done.append(1)
    assert done == [1]
    assert Job.objects.get(pk=job.pk).steps == ["emailed"]


def test_a_failed_step_is_not_recorded():
    job = outbox.request("tests.counting")
    with pytest.raises(OSError):
        with outbox.step(job, "emailed") as todo:
            assert todo
            raise OSError("SMTP down")
    assert Job.objects.get(pk=job.pk).steps == []


def test_back_office_retry_sends_a_failed_job_again(settings, django_capture_on_commit_callbacks):
    settings.OUTBOX_MAX_ATTEMPTS = 1
    job = outbox.request("tests.counting")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, attempts=1, last_error="ValueError")
    admin = site._registry[Job]
    staff = UserFactory(staff=True, is_superuser=False)
    request = RequestFactory().post("/backoffice/core/job/")
    request.user = staff
    request._messages = type("M", (), {"add": lambda *a, **k: None})()
    with django_capture_on_commit_callbacks(execute=True):
        admin.retry(request, Job.objects.filter(pk=job.pk))
    job.refresh_from_db()
    assert (job.status, job.attempts) == (JobStatus.DONE, 1)
    assert RUNS == [job.pk]
    from housingmix.core.models import AuditEvent

    assert AuditEvent.objects.get(verb="outbox.retried").actor == staff


def test_failed_jobs_are_listed_in_the_back_office(login_staff):
    job = outbox.request("tests.poison")
    Job.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, attempts=8, last_error="ValueError")
    page = login_staff.get("/backoffice/core/job/?status__exact=failed")
    assert page.status_code == 200
    content = page.content.decode()
    assert "Poison" in content and "ValueError" in content


@pytest.fixture
def login_staff(client):
    staff = UserFactory(staff=True)
    client.force_login(staff, backend="housingmix.accounts.backends.AuthenticationBackend")
    return client


def test_every_beat_task_is_registered_with_the_worker():
    from django.conf import settings

    from housingmix.celery import app

    app.loader.import_default_modules()
    for entry in settings.CELERY_BEAT_SCHEDULE.values():
        assert entry["task"] in app.tasks, entry["task"]
