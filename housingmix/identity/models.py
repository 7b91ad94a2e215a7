"""Digital identities (SPID, CIE) linked to portal accounts, and their audit trail.

Only what the portal needs is kept: the verified codice fiscale, which provider and level
last vouched for it and when. No token, no other attribute (GDPR art. 5 c. 1 c)."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _


class ProviderKind(models.TextChoices):
    SPID = "spid", _("SPID")
    CIE = "cie", _("CIE")


class DigitalIdentity(models.Model):
    """A person's verified codice fiscale, bound to one account.

    Its existence is the fact that ``user.tax_code`` came from SPID or CIE and is fixed:
    forms must not let the person type another one (see selectors.verified_identity_for).
    """

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.CASCADE,
        related_name="digital_identity",
    )
    fiscal_code = models.CharField(_("codice fiscale verificato"), max_length=16, unique=True)
    first_verified_at = models.DateTimeField(_("prima verifica"))
    last_verified_at = models.DateTimeField(_("ultima verifica"))
    last_provider_kind = models.CharField(_("ultimo sistema"), max_length=8, choices=ProviderKind.choices)
    last_provider_id = models.URLField(_("ultimo gestore (entity id)"), max_length=255)
    last_provider_name = models.CharField(_("ultimo gestore"), max_length=120)
    last_level = models.PositiveSmallIntegerField(_("ultimo livello"))

    class Meta:
        verbose_name = _("identità digitale")
        verbose_name_plural = _("identità digitali")

    def __str__(self):
        return "%s (%s)" % (self.fiscal_code, self.get_last_provider_kind_display())


class IdentityEventKind(models.TextChoices):
    LOGIN = "login", _("Accesso")
    ACCOUNT_CREATED = "account_created", _("Account creato")
    LINKED = "linked", _("Collegamento all'account")
    LOGOUT = "logout", _("Uscita")


class IdentityEvent(models.Model):
    """One SPID/CIE login, link or logout: who, which provider, which level, when."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("utente"),
        on_delete=models.PROTECT,
        related_name="identity_events",
    )
    kind = models.CharField(_("evento"), max_length=20, choices=IdentityEventKind.choices)
    provider_kind = models.CharField(_("sistema"), max_length=8, choices=ProviderKind.choices)
    provider_id = models.URLField(_("gestore (entity id)"), max_length=255)
    provider_name = models.CharField(_("gestore"), max_length=120)
    level = models.PositiveSmallIntegerField(_("livello"), null=True, blank=True)
    created_at = models.DateTimeField(_("data e ora"), auto_now_add=True, db_index=True)

    class Meta:
        verbose_name = _("evento di identità digitale")
        verbose_name_plural = _("eventi di identità digitale")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return "%s %s %s" % (self.get_kind_display(), self.get_provider_kind_display(), self.created_at)
