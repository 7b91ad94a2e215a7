"""Outgoing e-mail goes through Celery, so a slow or failing SMTP server never breaks a page."""

import base64
import logging

from django.core.mail import EmailMultiAlternatives

logger = logging.getLogger(__name__)


def email_serialise(message: EmailMultiAlternatives) -> dict:
    return {
        "subject": message.subject,
        "body": message.body,
        "from_email": message.from_email,
        "to": list(message.to),
        "alternatives": [[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        # Attachments travel as base64 (the task's payload is JSON), e.g. an appointment's ICS.
        "attachments": [
            [name, base64.b64encode(content if isinstance(content, bytes) else content.encode()).decode(), mimetype]
            for name, content, mimetype in message.attachments
        ],
    }


def email_send_now(data: dict) -> None:
    """Send a serialised message; raises on SMTP errors (the task retries)."""
    message = EmailMultiAlternatives(
        subject=data["subject"], body=data["body"], from_email=data["from_email"], to=data["to"]
    )
    for content, mimetype in data.get("alternatives", []):
        message.attach_alternative(content, mimetype)
    for name, content, mimetype in data.get("attachments", []):
        message.attach(name, base64.b64decode(content), mimetype)
    message.send()


def email_queue(message: EmailMultiAlternatives) -> None:
    """Queue ``message`` for the worker; if the broker is down, try to send it at once.

    Never raises: a failure is logged (without addresses) and the user can ask again
    (e.g. "send the verification e-mail again").
    """
    from .tasks import email_send_task

    data = email_serialise(message)
    try:
        email_send_task.apply_async(kwargs={"data": data})
        return
    except Exception as error:  # broker unreachable
        logger.warning("e-mail not queued (%s); sending directly", type(error).__name__)
    try:
        email_send_now(data)
    except Exception as error:  # SMTP unreachable too
        logger.error("e-mail not sent (%s)", type(error).__name__)
