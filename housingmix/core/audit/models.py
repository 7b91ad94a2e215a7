"""The business events: one row per transition or act, the history shown on pages."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _

# The read verbs registered when the history index was made (``core.audit.read_verbs()``): the
# history query excludes every read verb, so a read verb added later still lets PostgreSQL and
# SQLite use the index (the query's exclusion is then wider than the index's); removing one of
# these would not, and needs a new index.
HISTORY_INDEX_LEAVES_OUT = [
    "application.file_downloaded",
    "application.viewed",
    "household.export_viewed",
    "household.viewed",
]


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
        indexes = [
            models.Index(fields=["content_type", "object_id", "-created_at"]),
            # A history (core.audit.history) leaves the reads out; without this index a record
            # read a thousand times is scanned a thousand rows deep for its few business events.
            models.Index(
                fields=["content_type", "object_id", "-created_at"],
                condition=~models.Q(verb__in=HISTORY_INDEX_LEAVES_OUT),
                name="core_auditevent_history_idx",
            ),
        ]

    def __str__(self):
        return "%s %s" % (self.verb, self.created_at)
