"""Households accompanied by the programme, their support plans, matches, placements, actions
and outcomes (DOMAIN.md, "Beneficiaries").

The most sensitive data the portal holds: health and disability of members are special
categories (GDPR art. 9), stored encrypted (``core.encryption``) and shown only to those
``rules.can_see_special`` allows; every read of a household is audited by the views.

The ETS of the household's project is, until the co-design app links projects, the managing
ETS organisation recorded on the household (``managing_organisation``).
"""

from datetime import date, timedelta

from dateutil.relativedelta import relativedelta
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from housingmix.accounts.models import OrganisationType
from housingmix.accounts.validators import normalise_code, validate_person_tax_code
from housingmix.core.encryption import EncryptedBooleanField, EncryptedTextField
from housingmix.core.models import TimeStampedModel
from housingmix.core.uploads import RandomPath
from projects.models import AgreementStatus

# The outbox job rendering the pact, and the kind of the generated document.
PACT_JOB = "beneficiaries.pact"
PACT_KIND = "beneficiaries_pact"

# Days within which a lease is registered with the tax agency (DPR 131/1986 art. 13).
REGISTRATION_DAYS = 30


class HousingSituation(models.TextChoices):
    EVICTION = "eviction", _("Sfratto in corso o eseguito")
    HOMELESS = "homeless", _("Senza dimora")
    OVERCROWDING = "overcrowding", _("Sovraffollamento")
    UNFIT = "unfit", _("Alloggio inadeguato o antigienico")
    LEAVING_CARE = "leaving_care", _("Uscita da comunità o percorso di tutela")
    VIOLENCE = "violence", _("Uscita da un percorso di violenza")
    TEMPORARY = "temporary", _("Ospitalità temporanea presso terzi")
    OTHER = "other", _("Altra situazione")


class IseeKind(models.TextChoices):
    ORDINARY = "ordinary", _("ISEE ordinario")
    CURRENT = "current", _("ISEE corrente")
    MINORS = "minors", _("ISEE per prestazioni rivolte a minorenni")
    SOCIO_HEALTH = "socio_health", _("ISEE sociosanitario")


class Relation(models.TextChoices):
    HEAD = "head", _("Intestatario")
    SPOUSE = "spouse", _("Coniuge o unito civilmente")
    PARTNER = "partner", _("Convivente")
    CHILD = "child", _("Figlio o figlia")
    PARENT = "parent", _("Genitore")
    SIBLING = "sibling", _("Fratello o sorella")
    OTHER = "other", _("Altro")


class Occupation(models.TextChoices):
    EMPLOYED = "employed", _("Lavoratore dipendente")
    SELF_EMPLOYED = "self_employed", _("Lavoratore autonomo")
    UNEMPLOYED = "unemployed", _("In cerca di occupazione")
    STUDENT = "student", _("Studente")
    RETIRED = "retired", _("Pensionato")
    HOMEMAKER = "homemaker", _("Casalingo o casalinga")
    NONE = "none", _("Non in età lavorativa")
    OTHER = "other", _("Altro")


class Household(TimeStampedModel):
    """A household (nucleo) referred by a social worker of a comune of the Ambito."""

    comune = models.ForeignKey(
        "territory.Comune", verbose_name=_("comune di residenza"), on_delete=models.PROTECT, related_name="+"
    )
    social_worker = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("assistente sociale di riferimento"),
        on_delete=models.PROTECT,
        related_name="referred_households",
    )
    # Stands for "the ETS of the household's project" until projects/ links a project.
    managing_organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("ETS che gestisce il progetto"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"type": OrganisationType.ETS},
        related_name="managed_households",
    )
    # The co-design project under which the ETS accompanies the household: its operators (of the
    # lead and of every ATS member) see the household's non-health data while the agreement is active.
    project = models.ForeignKey(
        "projects.FinalProject",
        verbose_name=_("progetto di co-progettazione"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        limit_choices_to={"agreement__status": AgreementStatus.ACTIVE},
        related_name="households",
        help_text=_("Il progetto in corso dell'ETS che accompagna il nucleo."),
    )
    contact_phone = models.CharField(_("telefono di contatto"), max_length=30, blank=True)
    contact_email = models.EmailField(_("e-mail di contatto"), blank=True)
    isee_value = models.DecimalField(_("valore ISEE (€)"), max_digits=10, decimal_places=2, null=True, blank=True)
    isee_kind = models.CharField(_("tipo di ISEE"), max_length=20, choices=IseeKind.choices, blank=True)
    dsu_date = models.DateField(_("data della DSU"), null=True, blank=True)
    dsu_expiry = models.DateField(_("scadenza della DSU"), null=True, blank=True)
    housing_situation = models.CharField(
        _("situazione abitativa attuale"), max_length=20, choices=HousingSituation.choices
    )
    housing_notes = models.TextField(_("note sulla situazione abitativa"), blank=True)
    needs = models.TextField(_("bisogni"), blank=True)
    monthly_budget = models.DecimalField(
        _("canone mensile sostenibile (€)"),
        max_digits=8,
        decimal_places=2,
        null=True,
        blank=True,
        help_text=_("La quota di canone che il nucleo può sostenere ogni mese."),
    )
    preferred_comuni = models.ManyToManyField(
        "territory.Comune", verbose_name=_("comuni preferiti"), blank=True, related_name="+"
    )
    referred_on = models.DateField(_("segnalato il"), default=timezone.localdate)
    closed_at = models.DateTimeField(_("chiuso il"), null=True, blank=True)
    pseudonymised_at = models.DateTimeField(_("pseudonimizzato il"), null=True, blank=True)

    class Meta:
        verbose_name = _("nucleo familiare")
        verbose_name_plural = _("nuclei familiari")
        ordering = ["-referred_on", "-pk"]
        indexes = [
            models.Index(fields=["-referred_on", "-id"], name="household_list_order"),
            models.Index(fields=["comune", "-referred_on"]),
            models.Index(fields=["closed_at"]),
        ]
        permissions = [("view_special_category", _("Può vedere i dati sanitari e di disabilità dei nuclei"))]

    def __str__(self):
        # A code, never a name: it appears in lists, audit labels and document titles.
        return self.code

    def get_absolute_url(self):
        return reverse("beneficiaries:detail", kwargs={"pk": self.pk})

    @property
    def code(self) -> str:
        return "N-%05d" % (self.pk or 0)

    @property
    def is_closed(self) -> bool:
        return self.closed_at is not None


def adult_born_by(today: date) -> date:
    """The latest birth date of someone who is of age on ``today``."""
    return today - relativedelta(years=18)


class Member(models.Model):
    household = models.ForeignKey(Household, verbose_name=_("nucleo"), on_delete=models.CASCADE, related_name="members")
    first_name = models.CharField(_("nome"), max_length=100)
    last_name = models.CharField(_("cognome"), max_length=100)
    tax_code = models.CharField(_("codice fiscale"), max_length=16, validators=[validate_person_tax_code])
    birth_date = models.DateField(_("data di nascita"))
    relation = models.CharField(_("relazione con l'intestatario"), max_length=20, choices=Relation.choices)
    occupation = models.CharField(_("condizione professionale"), max_length=20, choices=Occupation.choices)
    # Special categories (GDPR art. 9): encrypted at rest, shown only to those allowed.
    disability = EncryptedTextField(_("disabilità (descrizione, percentuale di invalidità)"), blank=True)
    health_notes = EncryptedTextField(_("note sanitarie"), blank=True)
    needs_step_free = EncryptedBooleanField(_("necessita di un accesso senza barriere architettoniche"))

    class Meta:
        verbose_name = _("componente")
        verbose_name_plural = _("componenti")
        ordering = ["household", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["household", "tax_code"], name="member_unique_tax_code_in_household")
        ]

    def __str__(self):
        return "%s %s" % (self.first_name, self.last_name)

    def save(self, *args, **kwargs):
        self.tax_code = normalise_code(self.tax_code)
        super().save(*args, **kwargs)

    def clean(self):
        from codicefiscale import codicefiscale

        code = normalise_code(self.tax_code)
        if self.birth_date and code and codicefiscale.is_valid(code):
            if codicefiscale.decode(code)["birthdate"].date() != self.birth_date:
                raise ValidationError(
                    {"birth_date": _("La data di nascita non corrisponde a quella del codice fiscale.")}
                )

    @property
    def is_minor(self) -> bool:
        return self.birth_date > adult_born_by(timezone.localdate())

    @property
    def has_special_category(self) -> bool:
        """Whether health or disability data is recorded (what everyone allowed to see the
        household may know, without its content)."""
        return bool(self.disability or self.health_notes or self.needs_step_free is not None)


class PlanStatus(models.TextChoices):
    REFERRED = "referred", _("Segnalato")
    ASSESSMENT = "assessment", _("In valutazione")
    PLAN_DRAFT = "plan_draft", _("Progetto in redazione")
    PACT_SIGNED = "pact_signed", _("Patto sottoscritto")
    PLACED = "placed", _("Inserito in alloggio")
    ACTIVE = "active", _("Progetto in corso")
    EXTENDED = "extended", _("Progetto prorogato")
    ENDED_POSITIVE = "ended_positive", _("Concluso con autonomia abitativa")
    ENDED_NEGATIVE = "ended_negative", _("Concluso senza autonomia")
    INTERRUPTED = "interrupted", _("Interrotto")


OPEN_PLAN_STATUSES = [
    PlanStatus.REFERRED,
    PlanStatus.ASSESSMENT,
    PlanStatus.PLAN_DRAFT,
    PlanStatus.PACT_SIGNED,
    PlanStatus.PLACED,
    PlanStatus.ACTIVE,
    PlanStatus.EXTENDED,
]
ENDED_PLAN_STATUSES = [PlanStatus.ENDED_POSITIVE, PlanStatus.ENDED_NEGATIVE, PlanStatus.INTERRUPTED]


class SupportPlan(TimeStampedModel):
    """The personalised plan (progetto personalizzato, D.Lgs. 147/2017 art. 6) and its pact."""

    household = models.OneToOneField(Household, verbose_name=_("nucleo"), on_delete=models.CASCADE, related_name="plan")
    status = FSMField(
        _("stato"),
        max_length=20,
        choices=PlanStatus.choices,
        default=PlanStatus.REFERRED,
        protected=True,
        db_index=True,
    )
    status_changed_on = models.DateField(_("stato dal"), default=timezone.localdate)
    status_reason = models.TextField(_("motivo dell'ultimo cambio di stato"), blank=True)
    supports = models.TextField(_("sostegni offerti"), blank=True)
    commitments = models.TextField(_("impegni del nucleo"), blank=True)
    duration_months = models.PositiveSmallIntegerField(_("durata (mesi)"), null=True, blank=True)
    review_every_months = models.PositiveSmallIntegerField(
        _("verifica ogni (mesi)"), default=3, help_text=_("Ogni quanti mesi si verifica il progetto.")
    )
    next_review_on = models.DateField(_("prossima verifica"), null=True, blank=True)
    review_reminded_on = models.DateField(_("promemoria della verifica inviato il"), null=True, blank=True)
    pact_signed_on = models.DateField(_("patto sottoscritto il"), null=True, blank=True)
    signed_pact = models.FileField(_("patto firmato"), upload_to=RandomPath("beneficiaries/pacts"), blank=True)
    signed_pact_sha256 = models.CharField(max_length=64, blank=True)
    started_on = models.DateField(_("avviato il"), null=True, blank=True)
    ended_on = models.DateField(_("concluso il"), null=True, blank=True)

    class Meta:
        verbose_name = _("progetto personalizzato")
        verbose_name_plural = _("progetti personalizzati")
        ordering = ["-pk"]

    def __str__(self):
        return _("Progetto del nucleo %(code)s") % {"code": self.household.code}

    def _moved(self, reason: str, when: date | None = None):
        self.status_changed_on = when or timezone.localdate()
        self.status_reason = reason

    @transition(
        field=status, source=PlanStatus.REFERRED, target=PlanStatus.ASSESSMENT, permission="beneficiaries.manage_plan"
    )
    def start_assessment(self, reason_text: str = ""):
        self._moved(reason_text)

    @transition(
        field=status,
        source=PlanStatus.ASSESSMENT,
        target=PlanStatus.PLAN_DRAFT,
        permission="beneficiaries.manage_plan",
    )
    def start_drafting(self, reason_text: str = ""):
        self._moved(reason_text)

    @transition(
        field=status,
        source=PlanStatus.PLAN_DRAFT,
        target=PlanStatus.PACT_SIGNED,
        permission="beneficiaries.manage_plan",
        conditions=[lambda plan: plan.goals.exists()],
    )
    def sign_pact(self, reason_text: str = "", signed_on: date | None = None):
        self.pact_signed_on = signed_on or timezone.localdate()
        self._moved(reason_text, self.pact_signed_on)

    @transition(
        field=status, source=PlanStatus.PACT_SIGNED, target=PlanStatus.PLACED, permission="beneficiaries.manage_plan"
    )
    def place(self, reason_text: str = ""):
        self._moved(reason_text)

    @transition(
        field=status, source=PlanStatus.PLACED, target=PlanStatus.ACTIVE, permission="beneficiaries.manage_plan"
    )
    def activate(self, reason_text: str = ""):
        self.started_on = timezone.localdate()
        self.next_review_on = self.started_on + relativedelta(months=self.review_every_months)
        self._moved(reason_text)

    @transition(
        field=status, source=PlanStatus.ACTIVE, target=PlanStatus.EXTENDED, permission="beneficiaries.manage_plan"
    )
    def extend(self, reason_text: str = "", months: int = 0):
        self.duration_months = (self.duration_months or 0) + months
        self._moved(reason_text)

    @transition(
        field=status,
        source=[PlanStatus.ACTIVE, PlanStatus.EXTENDED],
        target=PlanStatus.ENDED_POSITIVE,
        permission="beneficiaries.manage_plan",
    )
    def end_positive(self, reason_text: str = ""):
        self.ended_on = timezone.localdate()
        self._moved(reason_text)

    @transition(
        field=status,
        source=[PlanStatus.ACTIVE, PlanStatus.EXTENDED],
        target=PlanStatus.ENDED_NEGATIVE,
        permission="beneficiaries.manage_plan",
    )
    def end_negative(self, reason_text: str = ""):
        self.ended_on = timezone.localdate()
        self._moved(reason_text)

    @transition(
        field=status, source=OPEN_PLAN_STATUSES, target=PlanStatus.INTERRUPTED, permission="beneficiaries.manage_plan"
    )
    def interrupt(self, reason_text: str = ""):
        self.ended_on = timezone.localdate()
        self._moved(reason_text)

    @property
    def is_ended(self) -> bool:
        return self.status in ENDED_PLAN_STATUSES


class Goal(models.Model):
    plan = models.ForeignKey(SupportPlan, verbose_name=_("progetto"), on_delete=models.CASCADE, related_name="goals")
    description = models.CharField(_("obiettivo"), max_length=255)
    indicator = models.CharField(_("indicatore"), max_length=255)
    baseline = models.CharField(_("valore di partenza"), max_length=100)
    target = models.CharField(_("valore atteso"), max_length=100)
    due_on = models.DateField(_("entro il"))

    class Meta:
        verbose_name = _("obiettivo")
        verbose_name_plural = _("obiettivi")
        ordering = ["due_on", "pk"]

    def __str__(self):
        return self.description


class Review(models.Model):
    """A review of the plan (verifica), recorded against its goals."""

    plan = models.ForeignKey(SupportPlan, verbose_name=_("progetto"), on_delete=models.CASCADE, related_name="reviews")
    held_on = models.DateField(_("data della verifica"))
    notes = models.TextField(_("note"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("verifica")
        verbose_name_plural = _("verifiche")
        ordering = ["-held_on", "-pk"]

    def __str__(self):
        return str(self.held_on)


class GoalProgress(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="progress")
    goal = models.ForeignKey(Goal, on_delete=models.CASCADE, related_name="progress")
    value = models.CharField(_("valore rilevato"), max_length=100)
    reached = models.BooleanField(_("obiettivo raggiunto"), default=False)
    note = models.CharField(_("nota"), max_length=255, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["review", "goal"], name="goalprogress_once_per_review")]

    def __str__(self):
        return self.value


class MatchStatus(models.TextChoices):
    PROPOSED = "proposed", _("Proposto")
    ACCEPTED = "accepted", _("Accettato")
    DECLINED = "declined", _("Rifiutato")
    WITHDRAWN = "withdrawn", _("Ritirato")


class Decision(models.TextChoices):
    ACCEPTED = "accepted", _("Accetta")
    DECLINED = "declined", _("Rifiuta")


OPEN_MATCH_STATUSES = [MatchStatus.PROPOSED, MatchStatus.ACCEPTED]


class Match(TimeStampedModel):
    """A unit of the registry proposed to a household: accepted when both the owner (or the ETS
    managing the unit) and the social worker accept, declined as soon as one declines."""

    household = models.ForeignKey(Household, verbose_name=_("nucleo"), on_delete=models.CASCADE, related_name="matches")
    entry = models.ForeignKey(
        "properties.RegistryEntry", verbose_name=_("alloggio"), on_delete=models.PROTECT, related_name="matches"
    )
    status = FSMField(
        _("stato"), max_length=20, choices=MatchStatus.choices, default=MatchStatus.PROPOSED, protected=True
    )
    proposed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    reasons = models.JSONField(_("motivi dell'abbinamento"), default=list, blank=True)
    owner_decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    owner_reason = models.TextField(_("motivo del proprietario"), blank=True)
    owner_decided_at = models.DateTimeField(null=True, blank=True)
    worker_decision = models.CharField(max_length=10, choices=Decision.choices, blank=True)
    worker_reason = models.TextField(_("motivo dell'assistente sociale"), blank=True)
    worker_decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("abbinamento")
        verbose_name_plural = _("abbinamenti")
        ordering = ["-created_at", "-pk"]
        constraints = [
            # A unit is proposed to one household at a time.
            models.UniqueConstraint(
                fields=["entry"], condition=Q(status__in=OPEN_MATCH_STATUSES), name="match_one_open_per_unit"
            )
        ]

    def __str__(self):
        return "%s → %s" % (self.household.code, self.entry_id)

    @transition(field=status, source=MatchStatus.PROPOSED, target=MatchStatus.ACCEPTED)
    def accept(self):
        pass

    @transition(field=status, source=MatchStatus.PROPOSED, target=MatchStatus.DECLINED)
    def decline(self):
        pass

    @transition(field=status, source=[MatchStatus.PROPOSED, MatchStatus.ACCEPTED], target=MatchStatus.WITHDRAWN)
    def withdraw(self):
        pass


class ContractKind(models.TextChoices):
    LEASE_AGREED = "lease_agreed", _("Locazione a canone concordato (3+2 anni)")
    LEASE_TRANSITIONAL = "lease_transitional", _("Locazione transitoria (da 1 a 18 mesi)")
    FREE_LOAN = "free_loan", _("Comodato d'uso gratuito")
    CONCESSION = "concession", _("Concessione d'uso")
    ETS_HOSPITALITY = "ets_hospitality", _("Accordo di ospitalità dell'ETS")


# Contracts registered with the tax agency (a hospitality agreement of the ETS is not a lease).
REGISTERED_CONTRACTS = {ContractKind.LEASE_AGREED, ContractKind.LEASE_TRANSITIONAL, ContractKind.FREE_LOAN}


class PlacementStatus(models.TextChoices):
    SIGNED = "signed", _("Contratto sottoscritto")
    IN_USE = "in_use", _("Alloggio in uso")
    ENDED = "ended", _("Concluso")


class Placement(TimeStampedModel):
    """A household in a unit under a contract (DOMAIN.md, "Placement")."""

    household = models.ForeignKey(
        Household, verbose_name=_("nucleo"), on_delete=models.PROTECT, related_name="placements"
    )
    entry = models.ForeignKey(
        "properties.RegistryEntry", verbose_name=_("alloggio"), on_delete=models.PROTECT, related_name="placements"
    )
    match = models.OneToOneField(Match, null=True, blank=True, on_delete=models.PROTECT, related_name="placement")
    status = FSMField(
        _("stato"), max_length=20, choices=PlacementStatus.choices, default=PlacementStatus.SIGNED, protected=True
    )
    contract_kind = models.CharField(_("tipo di contratto"), max_length=20, choices=ContractKind.choices)
    signed_on = models.DateField(_("sottoscritto il"))
    start_on = models.DateField(_("inizio"))
    end_on = models.DateField(_("fine"))
    monthly_rent = models.DecimalField(_("canone mensile (€)"), max_digits=8, decimal_places=2, default=0)
    household_share = models.DecimalField(_("quota del nucleo (€)"), max_digits=8, decimal_places=2, default=0)
    contribution_share = models.DecimalField(
        _("contributo del programma (€)"), max_digits=8, decimal_places=2, default=0
    )
    deposit = models.DecimalField(_("deposito cauzionale (€)"), max_digits=8, decimal_places=2, default=0)
    house_rules_accepted = models.BooleanField(_("regolamento di convivenza accettato"), default=False)
    tax_registered_on = models.DateField(_("registrato all'Agenzia delle Entrate il"), null=True, blank=True)
    tax_registration_code = models.CharField(_("codice di registrazione"), max_length=40, blank=True)
    registration_reminded_on = models.DateField(null=True, blank=True)
    ended_on = models.DateField(_("concluso il"), null=True, blank=True)

    class Meta:
        verbose_name = _("inserimento")
        verbose_name_plural = _("inserimenti")
        ordering = ["-signed_on", "-pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["entry"],
                condition=Q(status__in=["signed", "in_use"]),
                name="placement_one_current_per_unit",
            ),
            models.CheckConstraint(
                condition=Q(household_share__gte=0) & Q(contribution_share__gte=0) & Q(deposit__gte=0),
                name="placement_amounts_not_negative",
            ),
        ]

    def __str__(self):
        return "%s (%s)" % (self.household.code, self.get_contract_kind_display())

    @property
    def registration_deadline(self) -> date | None:
        if self.contract_kind not in REGISTERED_CONTRACTS:
            return None
        return self.signed_on + timedelta(days=REGISTRATION_DAYS)

    @property
    def can_move_in(self) -> bool:
        return self.status == PlacementStatus.SIGNED

    @property
    def needs_registration(self) -> bool:
        return self.registration_deadline is not None and self.tax_registered_on is None

    def clean(self):
        errors = {}
        if self.start_on and self.end_on and self.end_on <= self.start_on:
            errors["end_on"] = _("La fine deve essere successiva all'inizio.")
        if self.start_on and self.end_on and self.contract_kind:
            months = relativedelta(self.end_on + timedelta(days=1), self.start_on)
            total = months.years * 12 + months.months + (1 if months.days else 0)
            if self.contract_kind == ContractKind.LEASE_TRANSITIONAL and not 1 <= total <= 18:
                errors["end_on"] = _("Una locazione transitoria dura da 1 a 18 mesi (L. 431/1998 art. 5).")
            if self.contract_kind == ContractKind.LEASE_AGREED and total < 36:
                errors["end_on"] = _("Una locazione a canone concordato dura almeno 3 anni (L. 431/1998 art. 2).")
        if self.monthly_rent is not None and self.household_share is not None and self.contribution_share is not None:
            if self.household_share + self.contribution_share != self.monthly_rent:
                errors["household_share"] = _("La quota del nucleo e il contributo devono sommare al canone mensile.")
        if self.tax_registered_on and self.signed_on and self.tax_registered_on < self.signed_on:
            errors["tax_registered_on"] = _("La registrazione non può precedere la sottoscrizione.")
        if self.tax_registered_on and not self.tax_registration_code:
            errors["tax_registration_code"] = _("Indica il codice di registrazione.")
        if errors:
            raise ValidationError(errors)

    @transition(field=status, source=PlacementStatus.SIGNED, target=PlacementStatus.IN_USE)
    def move_in(self):
        pass

    @transition(field=status, source=[PlacementStatus.SIGNED, PlacementStatus.IN_USE], target=PlacementStatus.ENDED)
    def end(self):
        self.ended_on = timezone.localdate()


class ActionLine(models.TextChoices):
    INTERMEDIATION = "intermediation", _("a) Intermediazione abitativa e contratti")
    SOCIAL_HEALTH = "social_health", _("b) Accompagnamento ai servizi socio-sanitari")
    AUTONOMY = "autonomy", _("c) Autonomia e cura della casa")
    COMMUNITY = "community", _("d) Comunità e vicinato")


class SupportAction(models.Model):
    plan = models.ForeignKey(SupportPlan, verbose_name=_("progetto"), on_delete=models.CASCADE, related_name="actions")
    line = models.CharField(_("linea d'azione"), max_length=20, choices=ActionLine.choices)
    done_on = models.DateField(_("data"))
    operator = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("operatore"), on_delete=models.PROTECT, related_name="+"
    )
    hours = models.DecimalField(_("ore"), max_digits=5, decimal_places=2)
    note = models.TextField(_("nota"), blank=True)

    class Meta:
        verbose_name = _("azione")
        verbose_name_plural = _("azioni")
        ordering = ["-done_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(hours__gt=0), name="supportaction_hours_positive")]

    def __str__(self):
        return "%s %s" % (self.get_line_display(), self.done_on)


class OutcomeKind(models.TextChoices):
    AUTONOMOUS = "autonomous", _("Autonomia abitativa (contratto a proprio nome)")
    PUBLIC_HOUSING = "public_housing", _("Alloggio di edilizia pubblica (SAP)")
    OTHER_HOUSING = "other_housing", _("Altra soluzione abitativa")
    EMERGENCY = "emergency", _("Ritorno all'emergenza abitativa")
    UNKNOWN = "unknown", _("Non noto")


class Outcome(models.Model):
    plan = models.OneToOneField(
        SupportPlan, verbose_name=_("progetto"), on_delete=models.CASCADE, related_name="outcome"
    )
    kind = models.CharField(_("esito"), max_length=20, choices=OutcomeKind.choices)
    recorded_on = models.DateField(_("registrato il"), default=timezone.localdate)
    note = models.TextField(_("nota"), blank=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")

    class Meta:
        verbose_name = _("esito")
        verbose_name_plural = _("esiti")

    def __str__(self):
        return self.get_kind_display()


FOLLOW_UP_MONTHS = (6, 12)


class FollowUp(models.Model):
    """A follow-up 6 or 12 months after the end (housing status, work, income change)."""

    outcome = models.ForeignKey(Outcome, on_delete=models.CASCADE, related_name="follow_ups")
    months = models.PositiveSmallIntegerField(_("mesi dalla conclusione"))
    due_on = models.DateField(_("da fare entro il"))
    done_on = models.DateField(_("fatto il"), null=True, blank=True)
    housing_status = models.CharField(_("situazione abitativa"), max_length=20, choices=OutcomeKind.choices, blank=True)
    working = models.BooleanField(_("almeno un componente lavora"), null=True, blank=True)
    income_change = models.CharField(_("variazione del reddito"), max_length=255, blank=True)
    note = models.TextField(_("nota"), blank=True)
    reminded_on = models.DateField(null=True, blank=True)

    class Meta:
        verbose_name = _("follow-up")
        verbose_name_plural = _("follow-up")
        ordering = ["due_on"]
        constraints = [models.UniqueConstraint(fields=["outcome", "months"], name="followup_once_per_term")]

    def __str__(self):
        return "%s +%s" % (self.outcome.plan.household.code, self.months)
