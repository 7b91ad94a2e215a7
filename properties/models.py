"""Housing units offered in a manifestation of interest (DOMAIN.md, "Manifestations of interest and units").

Every field may be empty while the manifestation is a draft: what is required is
checked at submission (``applications/completeness.py``), so a draft can be saved at any step.
"""

from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from housingmix.core.models import TimeStampedModel


class CadastralCategory(models.TextChoices):
    # Residential categories of the Catasto fabbricati (A/10, offices, is not housing).
    A1 = "A/1", _("A/1 - abitazione di tipo signorile")
    A2 = "A/2", _("A/2 - abitazione di tipo civile")
    A3 = "A/3", _("A/3 - abitazione di tipo economico")
    A4 = "A/4", _("A/4 - abitazione di tipo popolare")
    A5 = "A/5", _("A/5 - abitazione di tipo ultrapopolare")
    A6 = "A/6", _("A/6 - abitazione di tipo rurale")
    A7 = "A/7", _("A/7 - abitazione in villini")
    A8 = "A/8", _("A/8 - abitazione in ville")
    A9 = "A/9", _("A/9 - castelli, palazzi di eminenti pregi")
    A11 = "A/11", _("A/11 - abitazioni e alloggi tipici dei luoghi")


class Heating(models.TextChoices):
    AUTONOMOUS = "autonomous", _("Autonomo")
    CENTRAL = "central", _("Centralizzato")
    DISTRICT = "district", _("Teleriscaldamento")
    HEAT_PUMP = "heat_pump", _("Pompa di calore")
    OTHER = "other", _("Altro")
    NONE = "none", _("Assente")


class EnergyClass(models.TextChoices):
    A4 = "A4", "A4"
    A3 = "A3", "A3"
    A2 = "A2", "A2"
    A1 = "A1", "A1"
    B = "B", "B"
    C = "C", "C"
    D = "D", "D"
    E = "E", "E"
    F = "F", "F"
    G = "G", "G"


class Furnishing(models.TextChoices):
    FURNISHED = "furnished", _("Arredato")
    PARTLY = "partly", _("Parzialmente arredato")
    UNFURNISHED = "unfurnished", _("Non arredato")


class Condition(models.TextChoices):
    GOOD = "good", _("Buono, abitabile subito")
    SMALL_WORKS = "small_works", _("Richiede piccoli interventi")
    MAJOR_WORKS = "major_works", _("Richiede lavori importanti")


WORKS_CONDITIONS = {Condition.SMALL_WORKS, Condition.MAJOR_WORKS}


class Occupancy(models.TextChoices):
    FREE = "free", _("Libero")
    OCCUPIED = "occupied", _("Occupato")


class AvailabilityForm(models.TextChoices):
    LEASE_AGREED = "lease_agreed", _("Locazione a canone concordato (3+2 anni)")
    LEASE_TRANSITIONAL = "lease_transitional", _("Locazione transitoria (da 1 a 18 mesi)")
    FREE_LOAN = "free_loan", _("Comodato d'uso gratuito")
    CONCESSION = "concession", _("Concessione d'uso (enti pubblici)")
    TRANSFER = "transfer", _("Conferimento al patrimonio di edilizia pubblica (almeno 8 anni)")


# Forms for which a rent is asked (the others are free of charge or set by the public side).
RENT_FORMS = {AvailabilityForm.LEASE_AGREED, AvailabilityForm.LEASE_TRANSITIONAL}
# Duration in months allowed by each form (L. 431/1998 for leases; DOMAIN.md for transfers).
DURATION_LIMITS = {
    AvailabilityForm.LEASE_AGREED: (36, None),
    AvailabilityForm.LEASE_TRANSITIONAL: (1, 18),
    AvailabilityForm.FREE_LOAN: (1, None),
    AvailabilityForm.CONCESSION: (1, None),
    AvailabilityForm.TRANSFER: (96, None),
}


class Target(models.TextChoices):
    FAMILIES = "families", _("Famiglie con minori")
    SINGLES = "singles", _("Adulti soli")
    ELDERLY = "elderly", _("Anziani")
    DISABILITY = "disability", _("Persone con disabilità")
    CARE_LEAVERS = "care_leavers", _("Giovani in uscita da percorsi di tutela")
    WOMEN_VIOLENCE = "women_violence", _("Donne in uscita da percorsi di violenza")
    ANY = "any", _("Nessuna preferenza")


class Guarantee(models.TextChoices):
    RENT_FUND = "rent_fund", _("Fondo di garanzia per il canone")
    INSURANCE = "insurance", _("Copertura assicurativa")
    RENOVATION = "renovation", _("Contributo per la ristrutturazione")


class HousingUnit(TimeStampedModel):
    """A unit offered in a manifestation: location, cadastral data, features and offer terms."""

    application = models.ForeignKey(
        "applications.Application", verbose_name=_("manifestazione"), on_delete=models.CASCADE, related_name="units"
    )
    position = models.PositiveSmallIntegerField(_("numero d'ordine"), default=1)
    label = models.CharField(
        _("nome breve"), max_length=80, blank=True, help_text=_("Per riconoscerlo, es. «Bilocale primo piano».")
    )
    # Address
    street = models.CharField(_("via o piazza"), max_length=200, blank=True)
    street_number = models.CharField(_("numero civico"), max_length=10, blank=True)
    staircase = models.CharField(_("scala"), max_length=10, blank=True)
    flat_number = models.CharField(_("interno"), max_length=10, blank=True)
    comune = models.ForeignKey(
        "territory.Comune", verbose_name=_("comune"), null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    postcode = models.CharField(_("CAP"), max_length=5, blank=True)
    # Cadastral data
    cadastral_section = models.CharField(_("sezione"), max_length=3, blank=True)
    cadastral_sheet = models.CharField(_("foglio"), max_length=4, blank=True)
    cadastral_parcel = models.CharField(_("particella"), max_length=5, blank=True)
    cadastral_sub = models.CharField(_("subalterno"), max_length=4, blank=True)
    cadastral_category = models.CharField(
        _("categoria catastale"), max_length=4, choices=CadastralCategory.choices, blank=True
    )
    cadastral_class = models.CharField(_("classe"), max_length=2, blank=True)
    cadastral_income = models.DecimalField(_("rendita catastale (€)"), max_digits=10, decimal_places=2, null=True)
    # Size and features
    surface_m2 = models.DecimalField(_("superficie (m²)"), max_digits=7, decimal_places=2, null=True)
    rooms = models.DecimalField(_("vani catastali"), max_digits=4, decimal_places=1, null=True)
    bedrooms = models.PositiveSmallIntegerField(_("camere da letto"), null=True)
    bathrooms = models.PositiveSmallIntegerField(_("bagni"), null=True)
    beds = models.PositiveSmallIntegerField(_("posti letto"), null=True)
    floor = models.SmallIntegerField(
        _("piano"), null=True, help_text=_("0 per il piano terra, -1 per il seminterrato.")
    )
    has_lift = models.BooleanField(_("ascensore"), null=True)
    step_free = models.BooleanField(_("accesso senza barriere architettoniche"), null=True)
    accessibility_notes = models.TextField(_("altre caratteristiche di accessibilità"), blank=True)
    heating = models.CharField(_("riscaldamento"), max_length=20, choices=Heating.choices, blank=True)
    energy_class = models.CharField(_("classe energetica"), max_length=2, choices=EnergyClass.choices, blank=True)
    ape_code = models.CharField(_("codice APE"), max_length=40, blank=True)
    ape_expiry = models.DateField(_("scadenza APE"), null=True)
    furnishing = models.CharField(_("arredamento"), max_length=20, choices=Furnishing.choices, blank=True)
    condition = models.CharField(_("stato di manutenzione"), max_length=20, choices=Condition.choices, blank=True)
    works_description = models.TextField(_("lavori necessari"), blank=True)
    works_cost = models.DecimalField(_("costo stimato dei lavori (€)"), max_digits=10, decimal_places=2, null=True)
    has_habitability = models.BooleanField(_("certificato di agibilità"), null=True)
    electric_compliant = models.BooleanField(_("impianto elettrico conforme"), null=True)
    gas_compliant = models.BooleanField(_("impianto gas conforme (o assente)"), null=True)
    occupancy = models.CharField(_("occupazione"), max_length=10, choices=Occupancy.choices, blank=True)
    free_from = models.DateField(_("libero dal"), null=True)
    shared_spaces = models.TextField(_("spazi comuni (per il co-housing)"), blank=True)
    condo_fees_month = models.DecimalField(
        _("spese condominiali mensili (€)"), max_digits=8, decimal_places=2, null=True
    )
    # Offer terms
    availability_form = models.CharField(
        _("forma di messa a disposizione"), max_length=20, choices=AvailabilityForm.choices, blank=True, db_index=True
    )
    monthly_rent = models.DecimalField(_("canone mensile proposto (€)"), max_digits=8, decimal_places=2, null=True)
    available_from = models.DateField(_("disponibile dal"), null=True)
    duration_months = models.PositiveSmallIntegerField(_("durata (mesi)"), null=True)
    renewable = models.BooleanField(_("rinnovabile"), null=True)
    targets = models.JSONField(_("destinatari preferiti"), default=list, blank=True)
    co_housing = models.BooleanField(_("disponibile per il co-housing"), null=True)
    guarantees = models.JSONField(_("garanzie o incentivi richiesti"), default=list, blank=True)
    terms_notes = models.TextField(_("altre condizioni"), blank=True)

    class Meta:
        verbose_name = _("alloggio")
        verbose_name_plural = _("alloggi")
        ordering = ["application", "position", "pk"]
        indexes = [models.Index(fields=["comune", "availability_form"])]

    def __str__(self):
        return self.display_name

    def get_absolute_url(self):
        return reverse("applications:unit_data", kwargs={"ref": self.application.reference, "unit": self.pk})

    @property
    def address(self) -> str:
        parts = [" ".join(p for p in [self.street, self.street_number] if p)]
        if self.staircase:
            parts.append(_("scala %s") % self.staircase)
        if self.flat_number:
            parts.append(_("interno %s") % self.flat_number)
        return ", ".join(p for p in parts if p)

    @property
    def display_name(self) -> str:
        if self.label:
            return self.label
        if self.street:
            return self.address
        return _("Alloggio %(n)s") % {"n": self.position}

    def get_targets_display(self) -> list[str]:
        labels = dict(Target.choices)
        return [labels.get(t, t) for t in self.targets]

    def get_guarantees_display(self) -> list[str]:
        labels = dict(Guarantee.choices)
        return [labels.get(g, g) for g in self.guarantees]


class UnitAvailability(models.TextChoices):
    """Where a registry unit stands in the programme (beneficiaries/ moves it along)."""

    AVAILABLE = "available", _("Disponibile")
    MATCHED = "matched", _("Abbinato a un nucleo")
    CONTRACT_SIGNED = "contract_signed", _("Contratto sottoscritto")
    IN_USE = "in_use", _("In uso")
    ENDED = "ended", _("Inserimento concluso, di nuovo disponibile")


# Availabilities in which the unit can be proposed to a household.
PROPOSABLE = {UnitAvailability.AVAILABLE, UnitAvailability.ENDED}


class RegistryEntry(TimeStampedModel):
    """A unit in the registry of available housing (DOMAIN.md): created when it is declared eligible.

    Availability is copied from the filed offer at that moment, so later reading does not
    depend on the frozen manifestation and staff can keep it up to date.
    """

    unit = models.OneToOneField(
        HousingUnit, verbose_name=_("alloggio"), on_delete=models.PROTECT, related_name="registry_entry"
    )
    application = models.ForeignKey(
        "applications.Application", verbose_name=_("manifestazione"), on_delete=models.PROTECT, related_name="+"
    )
    comune = models.ForeignKey("territory.Comune", verbose_name=_("comune"), on_delete=models.PROTECT, related_name="+")
    available_from = models.DateField(_("disponibile dal"), null=True, blank=True)
    available_until = models.DateField(_("disponibile fino al"), null=True, blank=True)
    availability_form = models.CharField(
        _("forma di messa a disposizione"), max_length=20, choices=AvailabilityForm.choices, blank=True
    )
    monthly_rent = models.DecimalField(_("canone mensile (€)"), max_digits=8, decimal_places=2, null=True, blank=True)
    beds = models.PositiveSmallIntegerField(_("posti letto"), null=True, blank=True)
    surface_m2 = models.DecimalField(_("superficie (m²)"), max_digits=7, decimal_places=2, null=True, blank=True)
    step_free = models.BooleanField(_("accesso senza barriere architettoniche"), default=False)
    co_housing = models.BooleanField(_("disponibile per il co-housing"), default=False)
    is_available = models.BooleanField(_("disponibile"), default=True, db_index=True)
    availability = models.CharField(
        _("stato nel programma"), max_length=20, choices=UnitAvailability.choices, default=UnitAvailability.AVAILABLE
    )

    class Meta:
        verbose_name = _("alloggio del registro")
        verbose_name_plural = _("registro degli alloggi")
        # Soonest available first, read straight from an index: ordering by the comune's name
        # (a join) made every page sort the whole registry. The comune is a filter.
        ordering = ["available_from", "pk"]
        indexes = [
            models.Index(fields=["is_available", "comune"]),
            models.Index(fields=["is_available", "available_from", "id"], name="registry_available_order"),
            # The registry's other filters and sorts (issue 13), each under "available".
            models.Index(fields=["is_available", "availability_form"], name="registry_available_form"),
            models.Index(fields=["is_available", "beds"], name="registry_available_beds"),
            models.Index(fields=["is_available", "monthly_rent"], name="registry_available_rent"),
            models.Index(
                fields=["is_available", "available_from"],
                condition=models.Q(step_free=True),
                name="registry_step_free",
            ),
        ]

    def __str__(self):
        return str(self.unit)

    def get_absolute_url(self):
        return reverse("registry:detail", kwargs={"pk": self.pk})
