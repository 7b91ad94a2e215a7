from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)
    updated_at = models.DateTimeField(_("aggiornato il"), auto_now=True)

    class Meta:
        abstract = True


class OutgoingEmail(models.Model):
    """An e-mail waiting for (or past) its send by the worker: stored so the broker carries only
    its id. Bodies are emptied after ``EMAIL_RETENTION_DAYS``."""

    to = models.JSONField(_("destinatari"), default=list)
    cc = models.JSONField(_("copia a"), default=list, blank=True)
    from_email = models.CharField(_("mittente"), max_length=255)
    subject = models.CharField(_("oggetto"), max_length=998)
    body = models.TextField(_("testo"), blank=True)
    alternatives = models.JSONField(default=list, blank=True)
    attachments = models.JSONField(_("allegati"), default=list, blank=True)
    created_at = models.DateTimeField(_("creata il"), auto_now_add=True)
    sent_at = models.DateTimeField(_("inviata il"), null=True, blank=True, db_index=True)

    class Meta:
        verbose_name = _("e-mail in uscita")
        verbose_name_plural = _("e-mail in uscita")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return "#%s" % self.pk


# The models of core's subpackages, registered with the app.
from .audit.models import AuditEvent  # noqa: E402, F401
from .documents.models import GeneratedDocument  # noqa: E402, F401
from .exports.models import ExportJob  # noqa: E402, F401
from .outbox.models import Job  # noqa: E402, F401
from .protocol.models import ProtocolCounter, ProtocolEntry  # noqa: E402, F401
