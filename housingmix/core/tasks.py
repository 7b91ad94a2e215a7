from celery import shared_task

from .mail import email_send_now


@shared_task(acks_late=True, autoretry_for=(OSError,), retry_backoff=30, retry_backoff_max=600, max_retries=8)
def email_send_task(*, data: dict) -> None:
    """Send one serialised e-mail (see core.mail); retried while the SMTP server is unreachable."""
    email_send_now(data)
