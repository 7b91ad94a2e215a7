"""The outbox: work to do after an act (render a PDF, send an e-mail, build an export).

A job row is written in the same transaction as the act that needs it, so nothing is lost when
the broker or the worker is down: the task only carries the job's id, and the periodic sweep
sends again what is still pending.
"""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class JobStatus(models.TextChoices):
    PENDING = "pending", _("Da eseguire")
    DONE = "done", _("Eseguita")
    FAILED = "failed", _("Non riuscita")


class Job(models.Model):
    """One unit of deferred work, run by the handler registered for its ``kind``."""

    kind = models.CharField(_("tipo"), max_length=60)
    target_type = models.ForeignKey(
        ContentType,
        verbose_name=_("tipo di oggetto"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    target_id = models.CharField(_("oggetto"), max_length=64, blank=True)
    target = GenericForeignKey("target_type", "target_id")
    # Ids and flags only: never personal data (it is visible in the back office and in logs).
    data = models.JSONField(_("parametri"), default=dict, blank=True)
    status = models.CharField(_("stato"), max_length=10, choices=JobStatus.choices, default=JobStatus.PENDING)
    requested_at = models.DateTimeField(_("richiesta il"), default=timezone.now)
    next_attempt_at = models.DateTimeField(_("prossimo tentativo"), default=timezone.now)
    done_at = models.DateTimeField(_("eseguita il"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("tentativi"), default=0)
    last_error = models.CharField(_("ultimo errore"), max_length=255, blank=True)
    # Names of the steps already done (e.g. "emailed"), so a retry never repeats one.
    steps = models.JSONField(_("passaggi eseguiti"), default=list, blank=True)

    class Meta:
        verbose_name = _("lavorazione in coda")
        verbose_name_plural = _("lavorazioni in coda")
        ordering = ["-requested_at", "-pk"]
        indexes = [
            models.Index(fields=["status", "next_attempt_at"], name="outbox_job_due"),
            models.Index(fields=["target_type", "target_id", "kind"], name="outbox_job_target"),
        ]

    def __str__(self):
        return "%s #%s" % (self.kind, self.pk)

    @property
    def is_pending(self) -> bool:
        return self.status == JobStatus.PENDING
