from django.contrib.auth.models import AbstractUser, BaseUserManager
from django.db import models
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from housingmix.core.models import TimeStampedModel

from .roles import BACK_OFFICE_ROLES, Role
from .validators import (
    normalise_code,
    validate_body_tax_code,
    validate_person_tax_code,
    validate_runts_number,
    validate_vat_number,
)


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An e-mail address is required")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class OffererKind(models.TextChoices):
    PERSON = "person", _("Privato cittadino (persona fisica)")
    ORGANISATION = "organisation", _("Per conto di un ente o un'organizzazione")


class User(AbstractUser):
    """A portal account: login by e-mail; roles are groups (see roles.Role)."""

    username = None
    email = models.EmailField(_("indirizzo e-mail"), unique=True)
    tax_code = models.CharField(_("codice fiscale"), max_length=16, blank=True, validators=[validate_person_tax_code])
    phone = models.CharField(_("telefono"), max_length=30, blank=True)
    offerer_kind = models.CharField(_("partecipa come"), max_length=20, choices=OffererKind.choices, blank=True)
    comune = models.ForeignKey(
        "territory.Comune",
        verbose_name=_("comune di servizio"),
        help_text=_("Per gli assistenti sociali: il comune da cui dipendono."),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="staff_users",
    )

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS = []

    objects = UserManager()

    class Meta:
        verbose_name = _("utente")
        verbose_name_plural = _("utenti")
        ordering = ["last_name", "first_name", "email"]

    def __str__(self):
        return self.get_full_name() or self.email

    def save(self, *args, **kwargs):
        self.email = (self.email or "").strip().lower()
        self.tax_code = normalise_code(self.tax_code)
        super().save(*args, **kwargs)

    def has_role(self, role: str) -> bool:
        """True if the user holds ``role``; group names are cached per instance (and in the shared
        cache, see role_cache)."""
        if not self.is_active:
            return False
        if not hasattr(self, "_role_cache"):
            from .role_cache import role_names

            self._role_cache = role_names(self)
        return role in self._role_cache

    @property
    def roles(self) -> list[str]:
        return [Role(r).label for r in Role.values if self.has_role(r)]

    @property
    def is_back_office(self) -> bool:
        return self.is_superuser or any(self.has_role(r) for r in BACK_OFFICE_ROLES)


class OrganisationType(models.TextChoices):
    COMUNE = "comune", _("Comune")
    PUBLIC_BODY = "public_body", _("Altro ente pubblico")
    ETS = "ets", _("Ente del Terzo settore (ETS)")
    ATS = "ats", _("ATS - Agenzia di Tutela della Salute")
    ASST = "asst", _("ASST - Azienda Socio-Sanitaria Territoriale")
    ALER = "aler", _("ALER - Azienda Lombarda Edilizia Residenziale")
    CHURCH = "church", _("Diocesi o parrocchia (Chiesa locale)")
    RELIGIOUS_INSTITUTE = "religious_institute", _("Congregazione o istituto religioso")
    SECULAR_INSTITUTE = "secular_institute", _("Istituto secolare")
    PRIVATE_BODY = "private_body", _("Altro soggetto privato (impresa, fondazione)")


# Types that take part through a "ramo ETS" or are ETS: a RUNTS number is asked.
RUNTS_TYPES = {OrganisationType.ETS}


class Organisation(TimeStampedModel):
    """A body that offers units or applies to co-design calls (DOMAIN.md, "Organisations")."""

    type = models.CharField(_("tipologia"), max_length=30, choices=OrganisationType.choices, db_index=True)
    name = models.CharField(_("denominazione"), max_length=255)
    legal_form = models.CharField(_("forma giuridica"), max_length=120, blank=True)
    tax_code = models.CharField(_("codice fiscale"), max_length=16, unique=True, validators=[validate_body_tax_code])
    vat_number = models.CharField(_("partita IVA"), max_length=13, blank=True, validators=[validate_vat_number])
    pec = models.EmailField(_("PEC"), blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    phone = models.CharField(_("telefono"), max_length=30, blank=True)
    address = models.CharField(_("sede legale: indirizzo"), max_length=255)
    postcode = models.CharField(_("sede legale: CAP"), max_length=5)
    city = models.CharField(_("sede legale: comune"), max_length=120)
    province = models.CharField(_("sede legale: provincia"), max_length=2)
    runts_number = models.CharField(
        _("numero di iscrizione RUNTS"),
        max_length=10,
        blank=True,
        validators=[validate_runts_number],
        help_text=_("Obbligatorio per gli ETS; gli enti religiosi indicano quello del ramo ETS, se presente."),
    )
    members = models.ManyToManyField("accounts.User", through="Membership", related_name="organisations")

    class Meta:
        verbose_name = _("organizzazione")
        verbose_name_plural = _("organizzazioni")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        self.tax_code = normalise_code(self.tax_code)
        self.vat_number = normalise_code(self.vat_number).removeprefix("IT")
        self.province = (self.province or "").upper()
        super().save(*args, **kwargs)

    def get_absolute_url(self):
        return reverse("accounts:organisation_detail", kwargs={"pk": self.pk})

    def clean(self):
        from django.core.exceptions import ValidationError

        if self.type in RUNTS_TYPES and not self.runts_number:
            raise ValidationError({"runts_number": _("Per un ETS il numero di iscrizione al RUNTS è obbligatorio.")})


class MembershipRole(models.TextChoices):
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legale rappresentante")
    DELEGATE = "delegate", _("Delegato con procura")


def proxy_upload_to(instance, filename):
    import uuid

    return "private/proxies/%s.pdf" % uuid.uuid4().hex


class Membership(TimeStampedModel):
    user = models.ForeignKey(
        "accounts.User", verbose_name=_("utente"), on_delete=models.CASCADE, related_name="memberships"
    )
    organisation = models.ForeignKey(
        Organisation, verbose_name=_("organizzazione"), on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(_("ruolo"), max_length=30, choices=MembershipRole.choices)
    office = models.CharField(_("carica"), max_length=120, blank=True, help_text=_("Es. presidente, direttore."))
    proxy_document = models.FileField(
        _("procura"), upload_to=proxy_upload_to, blank=True, help_text=_("Obbligatoria per i delegati (PDF).")
    )

    class Meta:
        verbose_name = _("appartenenza")
        verbose_name_plural = _("appartenenze")
        constraints = [models.UniqueConstraint(fields=["user", "organisation"], name="membership_unique_user_org")]

    def __str__(self):
        return "%s - %s" % (self.user, self.organisation)
