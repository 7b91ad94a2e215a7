"""Celery tasks for manifestations: thin, idempotent, safe to run twice."""

from celery import shared_task

from . import services


@shared_task(
    bind=True, acks_late=True, autoretry_for=(Exception,), retry_backoff=10, retry_backoff_max=300, max_retries=8
)
def document_job_run_task(self, *, job_id: int) -> int | None:
    """Run one outbox job (receipt PDF, then its e-mail); returns the document id, None if already done."""
    document = services.document_job_run(job_id=job_id)
    return document.pk if document else None


@shared_task(acks_late=True)
def document_jobs_sweep_task() -> int:
    """Re-send jobs still pending (lost while the broker or worker was down)."""
    return services.document_jobs_resend_pending()


@shared_task(
    bind=True, acks_late=True, autoretry_for=(Exception,), retry_backoff=10, retry_backoff_max=300, max_retries=8
)
def review_document_job_run_task(self, *, job_id: int) -> int | None:
    """Render one review communication (request, visit report, preavviso, outcome); None if already done."""
    from . import review

    document = review.review_document_job_run(job_id=job_id)
    return document.pk if document else None


@shared_task(acks_late=True)
def review_document_jobs_sweep_task() -> int:
    """Re-send review communications still pending."""
    from . import review

    return review.review_jobs_resend_pending()


@shared_task(acks_late=True)
def info_requests_remind_overdue_task() -> int:
    """Flag overdue requests for documents and remind their reviewers (once each)."""
    from . import review

    return review.info_requests_remind_overdue()


@shared_task(
    bind=True, acks_late=True, autoretry_for=(Exception,), retry_backoff=10, retry_backoff_max=300, max_retries=5
)
def export_job_run_task(self, *, job_id: int) -> int | None:
    """Build one large export (CSV or XLSX); returns the job id, None if it was already done."""
    job = services.export_job_run(job_id=job_id)
    return job.pk if job else None


@shared_task(acks_late=True)
def export_jobs_sweep_task() -> int:
    """Re-send pending exports and delete expired export files."""
    return services.export_jobs_sweep()
