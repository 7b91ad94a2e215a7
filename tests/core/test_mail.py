"""E-mails leave through the outbox: stored with the act, sent once by the worker, and never carried
by the broker (the message on Redis holds the job's id, not the body or the addresses)."""

import json

import pytest
import redis
from django.core import mail
from django.core.mail import EmailMessage
from django.db import transaction

from housingmix.core import outbox
from housingmix.core.mail import email_queue
from housingmix.core.models import OutgoingEmail
from housingmix.core.outbox import Job, JobStatus
from tests.celery_helpers import broker, redis_test_url


@pytest.mark.django_db(transaction=True)
def test_the_broker_carries_the_job_id_never_the_message():
    queue = "tests-mail-%s" % id(object())
    client = redis.Redis.from_url(redis_test_url())
    client.delete(queue)
    try:
        with broker(redis_test_url(), queue=queue), transaction.atomic():
            email_queue(
                EmailMessage(
                    subject="Esito della manifestazione di Mario Rossi",
                    body="Gentile Mario Rossi, codice fiscale RSSMRA80A01E648Q …",
                    to=["mario.rossi@example.org"],
                )
            )
        raw = b"".join(client.lrange(queue, 0, -1))
        assert raw, "nothing was queued"
        job = Job.objects.get(kind="core.email")
        message = json.loads(client.lrange(queue, 0, 0)[0])
        assert message["headers"]["task"] == "housingmix.core.outbox.tasks.outbox_job_run_task"
        for secret in (b"Rossi", b"RSSMRA80A01E648Q", b"mario.rossi@example.org", b"Esito"):
            assert secret not in raw
        import base64

        body = json.loads(base64.b64decode(message["body"]))
        assert body == [[], {"job_id": job.pk}, {"callbacks": None, "errbacks": None, "chain": None, "chord": None}]
    finally:
        client.delete(queue)


@pytest.mark.django_db
def test_the_stored_message_is_sent_once_with_its_attachments(django_capture_on_commit_callbacks):
    message = EmailMessage(subject="Appuntamento", body="Il suo appuntamento", to=["a@example.org"])
    message.attach("invito.ics", "BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "text/calendar")
    with django_capture_on_commit_callbacks(execute=True):
        stored = email_queue(message)
    assert len(mail.outbox) == 1
    [(name, content, mimetype)] = mail.outbox[0].attachments
    assert (name, mimetype) == ("invito.ics", "text/calendar")
    assert b"VCALENDAR" in (content if isinstance(content, bytes) else content.encode())
    stored.refresh_from_db()
    assert stored.sent_at is not None
    job = Job.objects.get(kind="core.email")
    assert job.status == JobStatus.DONE
    Job.objects.filter(pk=job.pk).update(status=JobStatus.PENDING)
    outbox.run(job_id=job.pk)
    assert len(mail.outbox) == 1  # sent_at and the job's step stop a second send


@pytest.mark.django_db
def test_old_bodies_are_emptied(settings):
    from datetime import timedelta

    from django.utils import timezone

    from housingmix.core.mail import emails_purge

    old = OutgoingEmail.objects.create(to=["a@example.org"], from_email="x", subject="s", body="dati personali")
    OutgoingEmail.objects.filter(pk=old.pk).update(
        sent_at=timezone.now() - timedelta(days=settings.EMAIL_RETENTION_DAYS + 1)
    )
    unsent = OutgoingEmail.objects.create(to=["b@example.org"], from_email="x", subject="s", body="in coda")
    assert emails_purge() == 1
    old.refresh_from_db()
    unsent.refresh_from_db()
    assert old.body == "" and unsent.body == "in coda"
