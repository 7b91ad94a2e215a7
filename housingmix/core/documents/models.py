"""Documents the portal generates (notices' PDFs, receipts, letters, minutes, agreements…)."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from housingmix.core.uploads import RandomPath

from .kinds import kind_label


class GeneratedDocument(models.Model):
    """One version of a generated document, owned by any record (a notice, a manifestation…).

    Versions are never overwritten: the same source (``source_hash`` of the HTML it was rendered
    from) gives the same version back; a changed source gives a new version. ``source_id`` is the
    object rendered when it is not the owner itself (a decision, a request, a visit).
    """

    owner_type = models.ForeignKey(
        ContentType,
        verbose_name=_("tipo di pratica"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    owner_id = models.CharField(_("pratica"), max_length=64, blank=True)
    owner = GenericForeignKey("owner_type", "owner_id")
    kind = models.CharField(_("tipo"), max_length=40)
    source_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(_("versione"), default=1)
    title = models.CharField(_("titolo"), max_length=255, blank=True)
    file = models.FileField(_("file"), upload_to=RandomPath("generated", ".pdf"))
    filename = models.CharField(_("nome del file"), max_length=200)
    content_type = models.CharField(_("tipo di contenuto"), max_length=100, default="application/pdf")
    size = models.PositiveBigIntegerField(_("dimensione (byte)"))
    sha256 = models.CharField(_("impronta SHA-256"), max_length=64)
    source_hash = models.CharField(_("impronta del contenuto sorgente"), max_length=64)
    created_at = models.DateTimeField(_("generato il"), default=timezone.now)

    class Meta:
        verbose_name = _("documento generato")
        verbose_name_plural = _("documenti generati")
        ordering = ["kind", "-version", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["owner_type", "owner_id", "kind", "version"], name="generateddocument_unique_owner_version"
            )
        ]
        indexes = [models.Index(fields=["owner_type", "owner_id", "kind", "-version"], name="generateddoc_owner")]

    def __str__(self):
        return "%s v%s" % (self.title or self.kind_label, self.version)

    @property
    def kind_label(self) -> str:
        """The kind as people read it (registered by the app that generates it)."""
        return kind_label(self.kind)
