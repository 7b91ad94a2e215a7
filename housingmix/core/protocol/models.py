"""Models of the protocol register: the yearly counter and the append-only entries."""

from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProtocolCounter(models.Model):
    """The last number given in a year: locked and incremented in the registering transaction,
    so a rolled-back registration gives its number back and the sequence has no gaps."""

    year = models.PositiveSmallIntegerField(primary_key=True)
    last_number = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("contatore del protocollo")
        verbose_name_plural = _("contatori del protocollo")

    def __str__(self):
        return "%s: %s" % (self.year, self.last_number)


class ProtocolDirection(models.TextChoices):
    INCOMING = "in", _("In entrata")
    OUTGOING = "out", _("In uscita")


class ProtocolEntryQuerySet(models.QuerySet):
    """Bulk updates and deletes are refused like single ones: the register only grows."""

    def update(self, **kwargs):
        raise ValidationError(_("Il registro di protocollo non può essere modificato."))

    def delete(self):
        raise ValidationError(_("Il registro di protocollo non può essere modificato."))


class ProtocolEntry(models.Model):
    """One registration (DPR 445/2000 art. 53): number, time, direction, sender, recipient,
    subject and the SHA-256 of what was registered, plus the record it is about (any model).

    Append-only: updates and deletes are refused here and, below the ORM, by database triggers
    (``core/protocol/triggers.py``).
    """

    year = models.PositiveSmallIntegerField(_("anno"))
    number = models.PositiveIntegerField(_("numero"))
    registered_at = models.DateTimeField(_("data e ora di registrazione"))
    direction = models.CharField(_("verso"), max_length=3, choices=ProtocolDirection.choices)
    sender = models.CharField(_("mittente"), max_length=255)
    recipient = models.CharField(_("destinatario"), max_length=255)
    subject = models.CharField(_("oggetto"), max_length=500)
    sha256 = models.CharField(_("impronta SHA-256"), max_length=64)
    record_type = models.ForeignKey(
        ContentType,
        verbose_name=_("tipo di pratica"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    record_id = models.CharField(_("pratica"), max_length=64, blank=True)
    record = GenericForeignKey("record_type", "record_id")

    objects = ProtocolEntryQuerySet.as_manager()

    class Meta:
        verbose_name = _("registrazione di protocollo")
        verbose_name_plural = _("registro di protocollo")
        ordering = ["-year", "-number"]
        constraints = [models.UniqueConstraint(fields=["year", "number"], name="core_protocolentry_unique_year_number")]
        indexes = [models.Index(fields=["record_type", "record_id"], name="protocolentry_record")]

    def __str__(self):
        return self.display_number

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise ValidationError(_("Il registro di protocollo non può essere modificato."))
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise ValidationError(_("Il registro di protocollo non può essere modificato."))

    @property
    def display_number(self) -> str:
        return "%07d/%d" % (self.number, self.year)
