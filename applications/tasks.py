"""Celery tasks of manifestations: thin, idempotent, safe to run twice.

Receipts and communications are outbox jobs (``housingmix.core.outbox``), run by core's task.
"""

from celery import shared_task

from .review import services as review


@shared_task(acks_late=True)
def info_requests_remind_overdue_task() -> int:
    """Flag overdue requests for documents and remind their reviewers (once each)."""
    return review.info_requests_remind_overdue()
