"""The outbox's two tasks: run one job (by id), sweep the pending ones."""

import logging

from celery import shared_task

from . import services

logger = logging.getLogger(__name__)


@shared_task(acks_late=True)
def outbox_job_run_task(*, job_id: int) -> bool:
    """Run one outbox job; True if it ran (or had nothing to do). Retries come from the sweep,
    with backoff and a cap; the failure is logged by class only, never with its message, which
    could carry an address or a name."""
    try:
        services.run(job_id=job_id)
    except Exception as error:
        logger.warning("outbox job %s failed (%s); the sweep will retry", job_id, type(error).__name__)
        return False
    return True


@shared_task(acks_late=True)
def outbox_sweep_task() -> int:
    """Send again the pending jobs that are due (lost while the broker or worker was down, or failed)."""
    return services.sweep()
