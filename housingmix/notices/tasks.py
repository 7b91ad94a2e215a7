"""Celery tasks for notices: thin, idempotent, safe to run twice.

The PDFs are outbox jobs (``housingmix.core.outbox``), run by core's task.
"""

from celery import shared_task

from . import services


@shared_task(acks_late=True)
def notices_close_expired_task() -> int:
    """Close the notices whose deadline has passed."""
    return services.notices_close_expired()
