"""Outgoing e-mail goes through the outbox: a slow or failing SMTP server never breaks a page,
and no message body travels through the broker.

``email_queue(message)`` stores the message (``OutgoingEmail``) in the caller's transaction and
requests an outbox job with its id only; the worker loads it and sends it, once (the send is an
outbox ``step``). Generated documents are attached by reference (``documents=``), other
attachments (e.g. an ICS invitation) are stored with the message. Bodies of sent messages are
emptied after ``EMAIL_RETENTION_DAYS`` (the portal's own pages keep the communications).
"""

import base64
import logging
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage, EmailMultiAlternatives
from django.db import transaction
from django.utils import timezone

from . import outbox

logger = logging.getLogger(__name__)

JOB_KIND = "core.email"


@transaction.atomic
def email_queue(message: EmailMessage, *, documents=()):
    """Store ``message`` and queue it for the worker; returns the stored ``OutgoingEmail``.

    ``documents``: GeneratedDocuments to attach (read from storage when sending).
    """
    from .models import OutgoingEmail

    attachments = []
    for item in getattr(message, "attachments", []):
        name, content, mimetype = item if isinstance(item, tuple) else (item.filename, item.content, item.mimetype)
        raw = content.encode("utf-8") if isinstance(content, str) else bytes(content)
        attachments.append({"name": name, "mimetype": mimetype, "content": base64.b64encode(raw).decode("ascii")})
    for document in documents:
        attachments.append({"name": document.filename, "mimetype": document.content_type, "document": document.pk})
    email = OutgoingEmail.objects.create(
        to=list(message.to),
        cc=list(getattr(message, "cc", []) or []),
        from_email=message.from_email or settings.DEFAULT_FROM_EMAIL,
        subject=message.subject,
        body=message.body,
        alternatives=[[content, mimetype] for content, mimetype in getattr(message, "alternatives", [])],
        attachments=attachments,
    )
    outbox.request(JOB_KIND, target=email)
    return email


def _message(email) -> EmailMultiAlternatives:
    from .documents.models import GeneratedDocument

    message = EmailMultiAlternatives(
        subject=email.subject, body=email.body, from_email=email.from_email, to=email.to, cc=email.cc or None
    )
    for content, mimetype in email.alternatives or []:
        message.attach_alternative(content, mimetype)
    for item in email.attachments or []:
        if "document" in item:
            document = GeneratedDocument.objects.filter(pk=item["document"]).first()
            if document is None:
                continue
            with document.file.open("rb") as handle:
                message.attach(item["name"], handle.read(), item["mimetype"])
        else:
            message.attach(item["name"], base64.b64decode(item["content"]), item["mimetype"])
    return message


def email_job_run(job) -> bool:
    """Outbox handler: send the stored message once. Raises on SMTP errors (the sweep retries)."""
    from .models import OutgoingEmail

    email = OutgoingEmail.objects.filter(pk=job.target_id).first()
    if email is None or email.sent_at is not None:
        return False
    with outbox.step(job, "sent") as todo:
        if todo:
            _message(email).send()
            OutgoingEmail.objects.filter(pk=email.pk).update(sent_at=timezone.now())
    return True


def emails_purge(*, now=None) -> int:
    """Empty the bodies and attachments of messages sent more than ``EMAIL_RETENTION_DAYS`` ago."""
    from .models import OutgoingEmail

    now = now or timezone.now()
    return (
        OutgoingEmail.objects.filter(sent_at__lte=now - timedelta(days=settings.EMAIL_RETENTION_DAYS))
        .exclude(body="")
        .update(body="", alternatives=[], attachments=[])
    )
