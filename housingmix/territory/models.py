from django.db import models
from django.utils.translation import gettext_lazy as _


class Ambito(models.Model):
    """An Ambito territoriale: the district of comuni that runs the programme."""

    code = models.SlugField(_("codice"), unique=True)
    name = models.CharField(_("denominazione"), max_length=200)
    office_name = models.CharField(_("ufficio"), max_length=200, default="Ufficio di Piano")
    address = models.CharField(_("indirizzo"), max_length=255, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    pec = models.EmailField(_("PEC"), blank=True)
    phone = models.CharField(_("telefono"), max_length=30, blank=True)
    # Who signs the review's acts, and the appeal information every decision states
    # (L. 241/1990 art. 3 c. 4): configurable per Ambito.
    signatory_name = models.CharField(_("firmatario degli atti"), max_length=200, blank=True)
    signatory_role = models.CharField(
        _("qualifica del firmatario"), max_length=200, default="Responsabile dell'Ufficio di Piano"
    )
    appeal_authority = models.CharField(
        _("autorità per il ricorso giurisdizionale"),
        max_length=255,
        default="Tribunale Amministrativo Regionale (TAR) per la Lombardia",
    )
    appeal_days = models.PositiveSmallIntegerField(_("giorni per il ricorso al TAR"), default=60)
    extraordinary_appeal_days = models.PositiveSmallIntegerField(
        _("giorni per il ricorso straordinario al Presidente della Repubblica"), default=120
    )

    class Meta:
        verbose_name = _("ambito territoriale")
        verbose_name_plural = _("ambiti territoriali")
        ordering = ["name"]

    def __str__(self):
        return self.name

    @property
    def capofila(self):
        return self.comuni.filter(is_capofila=True).first()


class Comune(models.Model):
    ambito = models.ForeignKey(Ambito, verbose_name=_("ambito"), on_delete=models.PROTECT, related_name="comuni")
    name = models.CharField(_("denominazione"), max_length=120)
    istat_code = models.CharField(_("codice ISTAT"), max_length=6, unique=True)
    cadastral_code = models.CharField(_("codice catastale"), max_length=4, unique=True)
    province = models.CharField(_("provincia"), max_length=2)
    postcodes = models.JSONField(_("CAP"), default=list)
    is_capofila = models.BooleanField(_("comune capofila"), default=False)

    class Meta:
        verbose_name = _("comune")
        verbose_name_plural = _("comuni")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["ambito"], condition=models.Q(is_capofila=True), name="comune_one_capofila_per_ambito"
            )
        ]

    def __str__(self):
        return self.name
