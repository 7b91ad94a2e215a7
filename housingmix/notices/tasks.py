"""Celery tasks for notices: thin, idempotent, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(
    bind=True, acks_late=True, autoretry_for=(Exception,), retry_backoff=10, retry_backoff_max=300, max_retries=5
)
def document_render_task(self, *, job_id: int) -> int | None:
    """Render the PDF of a DocumentJob; returns the new document's id, or None if nothing changed."""
    document = services.document_render(job_id=job_id)
    return document.pk if document else None


@shared_task(acks_late=True)
def document_jobs_sweep_task() -> int:
    """Re-send render jobs still pending (lost while the broker or worker was down)."""
    return services.document_jobs_resend_pending()


@shared_task(acks_late=True)
def notices_close_expired_task() -> int:
    """Close the notices whose deadline has passed."""
    return services.notices_close_expired()
