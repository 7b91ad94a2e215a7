"""Exports: every export anybody takes is recorded (who, which data, filters, rows)."""

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from housingmix.core.uploads import RandomPath


class ExportStatus(models.TextChoices):
    PENDING = "pending", _("In preparazione")
    DONE = "done", _("Pronta")
    FAILED = "failed", _("Non riuscita")


class ExportJob(models.Model):
    """One export of a registered kind (``core.exports.registry``), with the filters as requested.

    Small ones are sent at once and keep no file; large ones are built by the worker (an outbox
    job), kept for the requester for ``EXPORT_RETENTION_DAYS`` and then deleted.
    """

    requested_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("richiesta da"), on_delete=models.CASCADE, related_name="+"
    )
    kind = models.CharField(_("dati"), max_length=40)
    fmt = models.CharField(_("formato"), max_length=4)
    query = models.TextField(_("filtri"), blank=True)
    status = models.CharField(_("stato"), max_length=10, choices=ExportStatus.choices, default=ExportStatus.PENDING)
    rows = models.PositiveIntegerField(_("righe"), null=True, blank=True)
    file = models.FileField(_("file"), upload_to=RandomPath("exports"), blank=True)
    filename = models.CharField(_("nome del file"), max_length=100, blank=True)
    created_at = models.DateTimeField(_("richiesta il"), default=timezone.now)
    done_at = models.DateTimeField(_("pronta il"), null=True, blank=True)

    class Meta:
        verbose_name = _("esportazione")
        verbose_name_plural = _("esportazioni")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["requested_by", "-created_at"], name="exportjob_requester"),
            models.Index(fields=["status", "created_at"], name="exportjob_status"),
        ]

    def __str__(self):
        return "%s %s" % (self.kind_label, self.created_at)

    @property
    def is_done(self) -> bool:
        return self.status == ExportStatus.DONE

    @property
    def is_downloadable(self) -> bool:
        return self.is_done and bool(self.file)

    @property
    def kind_label(self) -> str:
        from .registry import spec

        found = spec(self.kind)
        return str(found.label) if found else self.kind
