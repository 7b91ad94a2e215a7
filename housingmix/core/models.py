from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)
    updated_at = models.DateTimeField(_("aggiornato il"), auto_now=True)

    class Meta:
        abstract = True


class AuditEvent(models.Model):
    """One business event (a workflow transition, a publication): the history shown on pages.

    Field-level changes and reads of personal data are kept by django-auditlog instead.
    """

    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("autore"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    verb = models.CharField(_("evento"), max_length=80)
    content_type = models.ForeignKey(ContentType, on_delete=models.CASCADE, related_name="+")
    object_id = models.CharField(max_length=64)
    target = GenericForeignKey("content_type", "object_id")
    from_state = models.CharField(_("da"), max_length=40, blank=True)
    to_state = models.CharField(_("a"), max_length=40, blank=True)
    reason = models.TextField(_("motivo"), blank=True)
    data = models.JSONField(_("dati"), default=dict, blank=True)
    created_at = models.DateTimeField(_("quando"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("evento registrato")
        verbose_name_plural = _("eventi registrati")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id", "-created_at"])]

    def __str__(self):
        return "%s %s" % (self.verb, self.created_at)


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
from .documents.models import GeneratedDocument  # noqa: E402, F401
from .exports.models import ExportJob  # noqa: E402, F401
from .outbox.models import Job  # noqa: E402, F401
from .protocol.models import ProtocolCounter, ProtocolEntry  # noqa: E402, F401
