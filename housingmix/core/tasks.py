"""Core's periodic tasks; the outbox's own tasks live in ``core.outbox.tasks``."""

from celery import shared_task

from .outbox.tasks import outbox_job_run_task, outbox_sweep_task  # noqa: F401 (registered with the worker)


@shared_task(acks_late=True)
def housekeeping_task() -> dict:
    """Delete expired export files and empty the bodies of old sent e-mails (both hold personal data)."""
    from .exports.services import exports_purge
    from .mail import emails_purge

    return {"exports": exports_purge(), "emails": emails_purge()}
