"""Requesting, sending, running and sweeping outbox jobs: one runner for every kind of work.

Each app registers a handler per kind in ``AppConfig.ready()``:

    outbox.register("applications.receipt", receipt_job_run, label=_("Ricevuta di presentazione"))

``request`` writes the job in the caller's transaction and sends it to the worker on commit.
``run`` (called by the one task, with the job's id only) runs the handler; a handler must be safe
to run twice, and may use ``step`` for a part that must never happen twice (an e-mail). Every
failure is counted (``attempts``, ``last_error``: the exception's class, never data); the job is
retried by the sweep with a growing delay, and after ``OUTBOX_MAX_ATTEMPTS`` it is marked failed,
logged as an error and shown in the back office, where "retry" sends it again.
"""

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models, transaction
from django.db.models import F
from django.utils import timezone

from .models import Job, JobStatus

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Handler:
    run: Callable[[Job], Any]
    label: Any = ""
    # Called (in a transaction) when the job is marked failed, e.g. to mark an export as failed.
    on_failed: Callable[[Job], None] | None = None


_HANDLERS: dict[str, Handler] = {}


def register(kind: str, run: Callable[[Job], Any], *, label: Any = "", on_failed=None) -> None:
    """Register the handler of ``kind`` (once; called from ``AppConfig.ready``)."""
    handler = Handler(run=run, label=label, on_failed=on_failed)
    if kind in _HANDLERS and _HANDLERS[kind].run is not run:
        raise ValueError("outbox kind %s registered twice" % kind)
    _HANDLERS[kind] = handler


def handlers() -> dict[str, Handler]:
    return dict(_HANDLERS)


def kind_label(kind: str) -> str:
    handler = _HANDLERS.get(kind)
    return str(handler.label) if handler and handler.label else kind


def _target_fields(target: models.Model | None) -> dict[str, Any]:
    if target is None:
        return {"target_type": None, "target_id": ""}
    return {"target_type": ContentType.objects.get_for_model(target), "target_id": str(target.pk)}


def request(kind: str, *, target: models.Model | None = None, data: dict | None = None, coalesce: bool = False) -> Job:
    """Write a pending job of ``kind`` in the caller's transaction and send it after commit.

    ``coalesce``: if a pending job of the same kind and target exists, move its request time on
    instead of adding one (a render under way then does not count as done for this newer request).
    Raises KeyError for a kind nobody registered (a typo must not become a job nobody runs).
    """
    if kind not in _HANDLERS:
        raise KeyError("no outbox handler for %s" % kind)
    fields = _target_fields(target)
    job = None
    now = timezone.now()
    if coalesce:
        job = Job.objects.filter(kind=kind, status=JobStatus.PENDING, **fields).order_by("pk").first()
        if job is not None:
            Job.objects.filter(pk=job.pk).update(requested_at=now, next_attempt_at=now)
    if job is None:
        job = Job.objects.create(kind=kind, data=data or {}, requested_at=now, next_attempt_at=now, **fields)
    job_id = job.pk
    transaction.on_commit(lambda: send(job_ids=[job_id]))
    return job


RUN_TASK = "housingmix.core.outbox.tasks.outbox_job_run_task"


def send(*, job_ids: list[int]) -> int:
    """Enqueue the jobs (the task carries the id only); a broker failure is logged (no data) and
    left to the sweep."""
    from celery import current_app

    task = current_app.tasks[RUN_TASK]  # by name: the tasks module imports this one
    sent = 0
    for job_id in job_ids:
        try:
            task.apply_async(kwargs={"job_id": job_id})
            sent += 1
        except Exception as error:  # broker down (or, in-process, the job failed): the row stays pending
            logger.warning("outbox job %s not sent (%s); the sweep will retry", job_id, type(error).__name__)
    return sent


def _backoff(attempts: int) -> timedelta:
    # 30 s, 1, 2, 4, 8 minutes… capped at one hour.
    return timedelta(seconds=min(30 * 2 ** max(attempts - 1, 0), 3600))


def _failed(job: Job, error: BaseException) -> bool:
    """Count a failure; return True if the job has now reached the cap and is marked failed."""
    with transaction.atomic():
        locked = Job.objects.select_for_update().filter(pk=job.pk, status=JobStatus.PENDING).first()
        if locked is None:
            return False
        locked.attempts += 1
        locked.last_error = type(error).__name__[:255]
        locked.next_attempt_at = timezone.now() + _backoff(locked.attempts)
        capped = locked.attempts >= settings.OUTBOX_MAX_ATTEMPTS
        if capped:
            locked.status = JobStatus.FAILED
        locked.save(update_fields=["attempts", "last_error", "next_attempt_at", "status"])
        if capped:
            handler = _HANDLERS.get(locked.kind)
            if handler and handler.on_failed:
                handler.on_failed(locked)
    if capped:
        logger.error(
            "outbox job %s (%s) failed after %s attempts (%s): marked failed",
            job.pk,
            job.kind,
            settings.OUTBOX_MAX_ATTEMPTS,
            type(error).__name__,
        )
    return capped


def run(*, job_id: int) -> Any:
    """Run one pending job with its handler and mark it done; returns the handler's result.

    A job already done, failed or unknown returns None without running. A handler's exception is
    counted on the job and raised again (the task logs it; the sweep retries later), unless the job
    has just reached the cap: then it is marked failed and None is returned.
    """
    job = Job.objects.filter(pk=job_id, status=JobStatus.PENDING).first()
    if job is None:
        return None
    requested_at = job.requested_at
    try:
        handler = _HANDLERS[job.kind]
        result = handler.run(job)
    except Exception as error:
        if _failed(job, error):
            return None
        raise
    # A newer request (coalesced: requested_at moved on) stays pending and runs again.
    Job.objects.filter(pk=job.pk, status=JobStatus.PENDING, requested_at__lte=requested_at).update(
        status=JobStatus.DONE, done_at=timezone.now(), attempts=F("attempts") + 1, last_error=""
    )
    return result


def _step(job: Job, name: str) -> Iterator[bool]:
    """Run a part of a job at most once, even with two runs at the same time.

    Yields True if the step still has to be done (the job row is locked meanwhile, so a
    concurrent run waits here and then finds it done), False if it was done already. The step
    is recorded only if the block ends without an error.
    """
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        todo = name not in (locked.steps or [])
        yield todo
        if todo:
            locked.steps = [*(locked.steps or []), name]
            locked.save(update_fields=["steps"])
            job.steps = locked.steps


# Wrapped, not decorated: mutation testing (`make mutation`) reaches the body.
step = contextlib.contextmanager(_step)


def sweep(*, older_than_seconds: int = 30, limit: int = 500) -> int:
    """Send again every pending job due for an attempt and requested more than
    ``older_than_seconds`` ago (lost while the broker or the worker was down, or failed before)."""
    now = timezone.now()
    ids = list(
        Job.objects.filter(
            status=JobStatus.PENDING,
            next_attempt_at__lte=now,
            requested_at__lte=now - timedelta(seconds=older_than_seconds),
        )
        .order_by("next_attempt_at", "pk")
        .values_list("pk", flat=True)[:limit]
    )
    return send(job_ids=ids)


def retry(*, job: Job, by=None) -> Job:
    """Send a failed (or stuck) job again from the back office: attempts start from zero."""
    from housingmix.core import audit

    # A `with` block, not the decorator: mutation testing (`make mutation`) reaches the body.
    with transaction.atomic():
        locked = Job.objects.select_for_update().get(pk=job.pk)
        if locked.status == JobStatus.DONE:
            return locked
        now = timezone.now()
        locked.status = JobStatus.PENDING
        locked.attempts = 0
        locked.next_attempt_at = now
        locked.save(update_fields=["status", "attempts", "next_attempt_at"])
        audit.record(target=locked, verb="outbox.retried", by=by, data={"kind": locked.kind})
        job_id = locked.pk
        transaction.on_commit(lambda: send(job_ids=[job_id]))
        return locked


def pending_kinds(target: models.Model, *, kinds: list[str]) -> set[str]:
    """Which of ``kinds`` have a job for ``target`` still to be done, in one query."""
    return set(
        Job.objects.filter(status=JobStatus.PENDING, kind__in=kinds, **_target_fields(target))
        .values_list("kind", flat=True)
        .distinct()
    )


def pending_for(target: models.Model, *, kinds: list[str] | None = None) -> bool:
    """True while a job for ``target`` (of ``kinds``) is still to be done (e.g. "receipt in preparation")."""
    queryset = Job.objects.filter(status=JobStatus.PENDING, **_target_fields(target))
    if kinds:
        queryset = queryset.filter(kind__in=kinds)
    return queryset.exists()
