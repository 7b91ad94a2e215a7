"""Co-design (co-progettazione, D.Lgs. 117/2017 art. 55; DM 72/2021): the call, the ETS proposals,
the commission and its scores, the co-design table, the final project, the agreement and reports.

Every state change goes through ``core.workflow`` (transitions below name their ``rules``
permission); acts are numbered in the one protocol register and PDFs are core generated documents.
"""

import uuid
from decimal import Decimal

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from housingmix.core.models import TimeStampedModel
from housingmix.core.uploads import RandomPath

ZERO = Decimal("0")


def default_min_open_days() -> int:
    return settings.NOTICE_MIN_OPEN_DAYS.get("codesign", 20)


class ActionLine(models.TextChoices):
    """The four action lines of the Housing Mix programme."""

    INTERMEDIATION = "a", _("a) Intermediazione e supporto ai contratti di locazione o comodato")
    SERVICES = "b", _("b) Accompagnamento ai servizi del territorio, anche socio-sanitari")
    AUTONOMY = "c", _("c) Accompagnamento all'autonomia abitativa")
    COMMUNITY = "d", _("d) Azioni di comunità e scambio tra generazioni")


class ScoringMode(models.TextChoices):
    MEAN = "mean", _("Media dei punteggi dei componenti")
    JOINT = "joint", _("Punteggio collegiale concordato")


class CallStatus(models.TextChoices):
    DRAFT = "draft", _("Bozza")
    PUBLISHED = "published", _("Pubblicato")
    EVALUATION = "evaluation", _("In valutazione")
    RANKED = "ranked", _("Graduatoria pubblicata")


# The default grid of DOMAIN.md ("Co-design", step 3): total 100, admission threshold 60.
DEFAULT_GRID = [
    (_("Qualità della proposta progettuale"), 40),
    (_("Esperienza nel territorio"), 20),
    (_("Rete e partenariati"), 15),
    (_("Co-finanziamento"), 15),
    (_("Innovazione"), 10),
]
DEFAULT_THRESHOLD = Decimal("60")


class CodesignCall(TimeStampedModel):
    """The co-design side of an Avviso of kind co-design: objectives, resources, grid, commission."""

    notice = models.OneToOneField(
        "notices.Notice",
        verbose_name=_("avviso"),
        on_delete=models.PROTECT,
        related_name="codesign_call",
        limit_choices_to={"kind": "codesign"},
    )
    objectives = models.TextField(_("obiettivi"))
    requirements = models.TextField(_("requisiti di ammissione"))
    action_lines = models.JSONField(_("linee di azione"), default=list, blank=True)
    min_open_days = models.PositiveSmallIntegerField(
        _("durata minima di apertura (giorni)"), default=default_min_open_days, validators=[MinValueValidator(1)]
    )
    admission_threshold = models.DecimalField(
        _("soglia di ammissione"), max_digits=6, decimal_places=2, default=DEFAULT_THRESHOLD
    )
    scoring_mode = models.CharField(
        _("calcolo del punteggio"), max_length=10, choices=ScoringMode.choices, default=ScoringMode.MEAN
    )
    appeal_days = models.PositiveSmallIntegerField(_("termine per il ricorso (giorni)"), default=30)
    # Resources the public side puts in.
    units = models.ManyToManyField(
        "properties.RegistryEntry", verbose_name=_("alloggi del registro"), blank=True, related_name="codesign_calls"
    )
    staff_hours = models.PositiveIntegerField(_("ore di personale pubblico"), default=0)
    budget_eur = models.DecimalField(_("budget (euro)"), max_digits=12, decimal_places=2, default=ZERO)
    # The commission's appointment act.
    commission_act_number = models.CharField(_("numero dell'atto di nomina"), max_length=50, blank=True)
    commission_act_date = models.DateField(_("data dell'atto di nomina"), null=True, blank=True)
    commission_protocol = models.OneToOneField(
        "core.ProtocolEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    ranking_protocol = models.OneToOneField(
        "core.ProtocolEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    ranking_published_at = models.DateTimeField(_("graduatoria pubblicata il"), null=True, blank=True)
    status = FSMField(_("stato"), max_length=20, choices=CallStatus.choices, default=CallStatus.DRAFT, protected=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="codesign_calls_created"
    )

    class Meta:
        verbose_name = _("avviso di co-progettazione")
        verbose_name_plural = _("avvisi di co-progettazione")
        ordering = ["-pk"]
        indexes = [models.Index(fields=["status"])]  # the back office filters by state

    def __str__(self):
        return self.notice.title

    def get_absolute_url(self):
        return reverse("projects:call_detail", kwargs={"pk": self.pk})

    @property
    def max_points(self) -> Decimal:
        return sum((c.max_points for c in self.criteria.all()), ZERO)

    @property
    def appeal_deadline(self):
        if not self.ranking_published_at:
            return None
        return timezone.localdate(self.ranking_published_at) + timezone.timedelta(days=self.appeal_days)

    def window_problems(self) -> list[str]:
        """Why the notice's window is too short for this call (empty when it is long enough)."""
        notice = self.notice
        if notice.closes_at - notice.opens_at < timezone.timedelta(days=self.min_open_days):
            return [
                str(
                    _("Un avviso di co-progettazione deve restare aperto almeno %(days)s giorni.")
                    % {"days": self.min_open_days}
                )
            ]
        return []

    def has_grid(self) -> bool:
        return self.criteria.exists()

    @transition(
        field=status,
        source=CallStatus.DRAFT,
        target=CallStatus.PUBLISHED,
        conditions=[has_grid],
        permission="projects.manage_call",
    )
    def publish(self):
        pass

    @transition(
        field=status, source=CallStatus.PUBLISHED, target=CallStatus.EVALUATION, permission="projects.manage_call"
    )
    def start_evaluation(self):
        pass

    @transition(field=status, source=CallStatus.EVALUATION, target=CallStatus.RANKED, permission="projects.manage_call")
    def publish_ranking(self):
        self.ranking_published_at = timezone.now()


class Criterion(models.Model):
    """A criterion of the call's grid (``parent`` set: a sub-criterion, scored within its parent)."""

    call = models.ForeignKey(CodesignCall, on_delete=models.CASCADE, related_name="criteria")
    parent = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.CASCADE, related_name="children", verbose_name=_("criterio")
    )
    position = models.PositiveSmallIntegerField(_("ordine"))
    title = models.CharField(_("criterio"), max_length=200)
    max_points = models.DecimalField(
        _("punteggio massimo"), max_digits=6, decimal_places=2, validators=[MinValueValidator(Decimal("0.01"))]
    )

    class Meta:
        verbose_name = _("criterio di valutazione")
        verbose_name_plural = _("criteri di valutazione")
        ordering = ["call", "position", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "position"], name="criterion_unique_position")]

    def __str__(self):
        return self.title


class ProposalStatus(models.TextChoices):
    DRAFT = "draft", _("Bozza")
    SUBMITTED = "submitted", _("Presentata")
    ADMITTED = "admitted", _("Ammessa alla valutazione")
    NOT_ADMITTED = "not_admitted", _("Non ammessa")
    BELOW_THRESHOLD = "below_threshold", _("Esclusa: sotto la soglia")
    RANKED = "ranked", _("In graduatoria")


class Proposal(TimeStampedModel):
    """A proposal by an ETS, alone or as lead of a temporary grouping (ATS)."""

    reference = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    call = models.ForeignKey(CodesignCall, on_delete=models.PROTECT, related_name="proposals")
    organisation = models.ForeignKey(
        "accounts.Organisation", verbose_name=_("ente proponente"), on_delete=models.PROTECT, related_name="proposals"
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposals")
    is_grouping = models.BooleanField(_("in raggruppamento temporaneo (ATS)"), default=False)
    title = models.CharField(_("titolo della proposta"), max_length=200, blank=True)
    summary = models.TextField(_("sintesi"), blank=True)
    experience = models.TextField(_("esperienza nel territorio"), blank=True)
    # Requirement declarations (DPR 445/2000 art. 46-47).
    declares_runts = models.BooleanField(_("iscrizione al RUNTS"), default=False)
    declares_no_exclusion = models.BooleanField(_("assenza di cause di esclusione"), default=False)
    declares_truthful = models.BooleanField(_("veridicità delle dichiarazioni"), default=False)
    declarations_at = models.DateTimeField(null=True, blank=True, editable=False)
    status = FSMField(
        _("stato"), max_length=20, choices=ProposalStatus.choices, default=ProposalStatus.DRAFT, protected=True
    )
    submitted_at = models.DateTimeField(_("presentata il"), null=True, blank=True)
    protocol = models.OneToOneField(
        "core.ProtocolEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    package = models.JSONField(null=True, blank=True, editable=False)
    package_sha256 = models.CharField(max_length=64, blank=True)
    admissibility_reason = models.TextField(_("motivazione dell'ammissibilità"), blank=True)
    final_score = models.DecimalField(_("punteggio"), max_digits=7, decimal_places=2, null=True, blank=True)
    rank = models.PositiveIntegerField(_("posizione"), null=True, blank=True)
    exclusion_reason = models.TextField(_("motivo dell'esclusione"), blank=True)

    class Meta:
        verbose_name = _("proposta")
        verbose_name_plural = _("proposte")
        ordering = ["call", "pk"]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self):
        return self.title or str(self.organisation)

    def get_absolute_url(self):
        return reverse("projects:proposal_detail", kwargs={"pk": self.pk})

    @property
    def is_draft(self) -> bool:
        return self.status == ProposalStatus.DRAFT

    @property
    def lead_label(self) -> str:
        if self.is_grouping:
            return str(_("ATS con capofila %(lead)s") % {"lead": self.organisation.name})
        return self.organisation.name

    def members_confirmed(self) -> bool:
        return not self.members.filter(confirmed_at__isnull=True).exists()

    @transition(
        field=status,
        source=ProposalStatus.DRAFT,
        target=ProposalStatus.SUBMITTED,
        conditions=[members_confirmed],
        permission="projects.submit_proposal",
    )
    def submit(self):
        self.submitted_at = timezone.now()

    @transition(
        field=status,
        source=ProposalStatus.SUBMITTED,
        target=ProposalStatus.ADMITTED,
        permission="projects.check_admissibility",
    )
    def admit(self, note: str = ""):
        self.admissibility_reason = note

    @transition(
        field=status,
        source=ProposalStatus.SUBMITTED,
        target=ProposalStatus.NOT_ADMITTED,
        permission="projects.check_admissibility",
    )
    def refuse_admission(self, note: str):
        self.admissibility_reason = note

    @transition(
        field=status, source=ProposalStatus.ADMITTED, target=ProposalStatus.RANKED, permission="projects.manage_call"
    )
    def place(self, score: Decimal, rank: int):
        self.final_score, self.rank = score, rank

    @transition(
        field=status,
        source=ProposalStatus.ADMITTED,
        target=ProposalStatus.BELOW_THRESHOLD,
        permission="projects.manage_call",
    )
    def exclude_below_threshold(self, score: Decimal, note: str):
        self.final_score, self.exclusion_reason = score, note


class ProposalMember(models.Model):
    """An organisation in the proposal (the lead too); each confirms before submission."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="members")
    organisation = models.ForeignKey("accounts.Organisation", on_delete=models.PROTECT, related_name="+")
    role = models.CharField(_("ruolo nel raggruppamento"), max_length=200)
    is_lead = models.BooleanField(_("capofila"), default=False)
    confirmed_at = models.DateTimeField(_("adesione confermata il"), null=True, blank=True)
    confirmed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )

    class Meta:
        verbose_name = _("componente del raggruppamento")
        verbose_name_plural = _("componenti del raggruppamento")
        ordering = ["-is_lead", "pk"]
        constraints = [
            models.UniqueConstraint(fields=["proposal", "organisation"], name="proposalmember_unique"),
            models.UniqueConstraint(
                fields=["proposal"], condition=models.Q(is_lead=True), name="proposalmember_one_lead"
            ),
        ]

    def __str__(self):
        return str(self.organisation)


class ProposalAction(models.Model):
    """What the proposal does on one action line."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="actions")
    line = models.CharField(_("linea di azione"), max_length=1, choices=ActionLine.choices)
    activities = models.TextField(_("attività"))
    staff_hours = models.PositiveIntegerField(_("ore del personale"), default=0)
    volunteer_hours = models.PositiveIntegerField(_("ore dei volontari"), default=0)
    units_brought = models.PositiveIntegerField(_("alloggi messi a disposizione"), default=0)
    partners = models.TextField(_("partner"), blank=True)
    timeline = models.CharField(_("cronoprogramma"), max_length=300, blank=True)
    indicator = models.CharField(_("indicatore"), max_length=200, blank=True)
    baseline = models.CharField(_("valore di partenza"), max_length=50, blank=True)
    target = models.CharField(_("valore obiettivo"), max_length=50, blank=True)

    class Meta:
        verbose_name = _("azione della proposta")
        verbose_name_plural = _("azioni della proposta")
        ordering = ["proposal", "line", "pk"]
        constraints = [models.UniqueConstraint(fields=["proposal", "line"], name="proposalaction_one_per_line")]

    def __str__(self):
        return self.get_line_display()


class BudgetKind(models.TextChoices):
    HOUSING = "housing", _("Risorse abitative")
    HUMAN = "human", _("Risorse umane")
    ECONOMIC = "economic", _("Risorse economiche")
    INSTRUMENTAL = "instrumental", _("Risorse strumentali")


class BudgetLine(models.Model):
    """A line of the proposal's resource budget, split into public contribution and ETS co-financing."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="budget_lines")
    kind = models.CharField(_("tipo di risorsa"), max_length=20, choices=BudgetKind.choices)
    description = models.CharField(_("descrizione"), max_length=300)
    public_amount = models.DecimalField(
        _("contributo pubblico (euro)"),
        max_digits=12,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(0)],
    )
    ets_amount = models.DecimalField(
        _("co-finanziamento ETS (euro)"),
        max_digits=12,
        decimal_places=2,
        default=ZERO,
        validators=[MinValueValidator(0)],
    )

    class Meta:
        verbose_name = _("voce di budget")
        verbose_name_plural = _("voci di budget")
        ordering = ["proposal", "kind", "pk"]

    def __str__(self):
        return self.description

    @property
    def total(self) -> Decimal:
        return self.public_amount + self.ets_amount


class CommissionMember(models.Model):
    """A member appointed to the call's commission (by the act on the call)."""

    call = models.ForeignKey(CodesignCall, on_delete=models.CASCADE, related_name="commission")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="commission_seats")
    is_president = models.BooleanField(_("presidente"), default=False)
    appointed_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("componente della commissione")
        verbose_name_plural = _("componenti della commissione")
        ordering = ["call", "-is_president", "pk"]
        constraints = [models.UniqueConstraint(fields=["call", "user"], name="commissionmember_unique")]

    def __str__(self):
        return str(self.user)


class ConflictDeclaration(models.Model):
    """A member's declaration on one proposal (L. 241/1990 art. 6-bis), made before seeing it."""

    member = models.ForeignKey(CommissionMember, on_delete=models.CASCADE, related_name="declarations")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="conflict_declarations")
    has_conflict = models.BooleanField(_("conflitto di interessi"))
    note = models.TextField(_("note"), blank=True)
    declared_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("dichiarazione sul conflitto di interessi")
        verbose_name_plural = _("dichiarazioni sul conflitto di interessi")
        constraints = [models.UniqueConstraint(fields=["member", "proposal"], name="conflict_one_per_proposal")]

    def __str__(self):
        return "%s - %s" % (self.member, self.proposal_id)


class Score(models.Model):
    """One member's points on one criterion of one proposal, with the written reason."""

    member = models.ForeignKey(CommissionMember, on_delete=models.PROTECT, related_name="scores")
    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="scores")
    points = models.DecimalField(_("punti"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    reason = models.TextField(_("motivazione"))
    scored_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("punteggio")
        verbose_name_plural = _("punteggi")
        constraints = [
            models.UniqueConstraint(fields=["member", "proposal", "criterion"], name="score_one_per_criterion")
        ]

    def __str__(self):
        return "%s: %s" % (self.criterion, self.points)


class JointScore(models.Model):
    """The commission's agreed score on one criterion (calls with ``scoring_mode = joint``)."""

    proposal = models.ForeignKey(Proposal, on_delete=models.CASCADE, related_name="joint_scores")
    criterion = models.ForeignKey(Criterion, on_delete=models.PROTECT, related_name="+")
    points = models.DecimalField(_("punti"), max_digits=6, decimal_places=2, validators=[MinValueValidator(0)])
    reason = models.TextField(_("motivazione"))

    class Meta:
        verbose_name = _("punteggio collegiale")
        verbose_name_plural = _("punteggi collegiali")
        constraints = [models.UniqueConstraint(fields=["proposal", "criterion"], name="jointscore_unique")]

    def __str__(self):
        return "%s: %s" % (self.criterion, self.points)


class SessionStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Programmata")
    HELD = "held", _("Svolta")
    MINUTES_DRAFT = "minutes_draft", _("Verbale in bozza")
    MINUTES_APPROVED = "minutes_approved", _("Verbale approvato")
    CANCELLED = "cancelled", _("Annullata")


class TableSession(TimeStampedModel):
    """A session of the co-design table of a call."""

    call = models.ForeignKey(CodesignCall, on_delete=models.PROTECT, related_name="sessions")
    number = models.PositiveSmallIntegerField(_("numero"))
    starts_at = models.DateTimeField(_("data e ora"))
    place = models.CharField(_("luogo"), max_length=200, blank=True)
    online_link = models.URLField(_("collegamento online"), blank=True)
    agenda = models.TextField(_("ordine del giorno"))
    minutes = models.TextField(_("verbale"), blank=True)
    status = FSMField(
        _("stato"), max_length=20, choices=SessionStatus.choices, default=SessionStatus.SCHEDULED, protected=True
    )
    minutes_protocol = models.OneToOneField(
        "core.ProtocolEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    cancel_reason = models.TextField(_("motivo dell'annullamento"), blank=True)

    class Meta:
        verbose_name = _("seduta del tavolo")
        verbose_name_plural = _("sedute del tavolo")
        ordering = ["call", "number"]
        constraints = [models.UniqueConstraint(fields=["call", "number"], name="session_unique_number")]
        indexes = [models.Index(fields=["call", "status"])]

    def __str__(self):
        return str(_("Seduta n. %(number)s") % {"number": self.number})

    def get_absolute_url(self):
        return reverse("projects:session_detail", kwargs={"pk": self.pk})

    def all_approved(self) -> bool:
        return self.participants.exists() and not self.participants.filter(approved_at__isnull=True).exists()

    def has_minutes(self) -> bool:
        return bool(self.minutes.strip())

    @transition(
        field=status, source=SessionStatus.SCHEDULED, target=SessionStatus.HELD, permission="projects.run_table"
    )
    def hold(self):
        pass

    @transition(
        field=status,
        source=SessionStatus.HELD,
        target=SessionStatus.MINUTES_DRAFT,
        conditions=[has_minutes],
        permission="projects.run_table",
    )
    def draft_minutes(self):
        pass

    @transition(
        field=status,
        source=SessionStatus.MINUTES_DRAFT,
        target=SessionStatus.MINUTES_APPROVED,
        conditions=[all_approved],
        permission="projects.run_table",
    )
    def approve_minutes(self):
        pass

    @transition(
        field=status, source=SessionStatus.SCHEDULED, target=SessionStatus.CANCELLED, permission="projects.run_table"
    )
    def cancel(self, note: str):
        self.cancel_reason = note


class ParticipantSide(models.TextChoices):
    PUBLIC = "public", _("Parte pubblica")
    ETS = "ets", _("ETS selezionato")


class SessionParticipant(models.Model):
    session = models.ForeignKey(TableSession, on_delete=models.CASCADE, related_name="participants")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="table_seats")
    side = models.CharField(_("parte"), max_length=10, choices=ParticipantSide.choices)
    organisation = models.ForeignKey(
        "accounts.Organisation", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(_("verbale approvato il"), null=True, blank=True)

    class Meta:
        verbose_name = _("partecipante")
        verbose_name_plural = _("partecipanti")
        ordering = ["session", "side", "pk"]
        constraints = [models.UniqueConstraint(fields=["session", "user"], name="participant_unique")]

    def __str__(self):
        return str(self.user)


class FinalProject(TimeStampedModel):
    """The progetto definitivo the table produces from a selected proposal; its content is versioned."""

    call = models.ForeignKey(CodesignCall, on_delete=models.PROTECT, related_name="projects")
    proposal = models.OneToOneField(Proposal, on_delete=models.PROTECT, related_name="final_project")
    title = models.CharField(_("titolo"), max_length=200)

    class Meta:
        verbose_name = _("progetto definitivo")
        verbose_name_plural = _("progetti definitivi")
        ordering = ["call", "pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("projects:project_detail", kwargs={"pk": self.pk})

    @property
    def current(self):
        return self.versions.order_by("-number").first()


class FinalProjectVersion(models.Model):
    """One version of the final project's content (never edited: a change is a new version).

    ``lines``: [{line, activities, responsible, public_amount, ets_amount, indicator, target, schedule}].
    """

    project = models.ForeignKey(FinalProject, on_delete=models.CASCADE, related_name="versions")
    number = models.PositiveIntegerField(_("versione"))
    lines = models.JSONField(_("contenuto"))
    note = models.CharField(_("nota della versione"), max_length=300, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(default=timezone.now, editable=False)

    class Meta:
        verbose_name = _("versione del progetto definitivo")
        verbose_name_plural = _("versioni del progetto definitivo")
        ordering = ["project", "-number"]
        constraints = [models.UniqueConstraint(fields=["project", "number"], name="projectversion_unique")]

    def __str__(self):
        return "v%d" % self.number

    @property
    def public_total(self) -> Decimal:
        return sum((Decimal(line.get("public_amount") or 0) for line in self.lines), ZERO)

    @property
    def ets_total(self) -> Decimal:
        return sum((Decimal(line.get("ets_amount") or 0) for line in self.lines), ZERO)


class AgreementStatus(models.TextChoices):
    DRAFT = "draft", _("Bozza")
    SIGNED = "signed", _("Firmata")
    ACTIVE = "active", _("In corso")
    CLOSED = "closed", _("Conclusa")


class Agreement(TimeStampedModel):
    """The convenzione (L. 241/1990 art. 11) between the comune capofila and the ETS."""

    project = models.OneToOneField(FinalProject, on_delete=models.PROTECT, related_name="agreement")
    version = models.ForeignKey(FinalProjectVersion, on_delete=models.PROTECT, related_name="+")
    status = FSMField(
        _("stato"), max_length=10, choices=AgreementStatus.choices, default=AgreementStatus.DRAFT, protected=True
    )
    starts_on = models.DateField(_("inizio"))
    ends_on = models.DateField(_("fine"))
    signed_file = models.FileField(_("convenzione firmata"), upload_to=RandomPath("projects/agreements"), blank=True)
    signed_sha256 = models.CharField(max_length=64, blank=True)
    protocol = models.OneToOneField(
        "core.ProtocolEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("convenzione")
        verbose_name_plural = _("convenzioni")
        indexes = [models.Index(fields=["status"])]

    def __str__(self):
        return str(self.project)

    def get_absolute_url(self):
        return reverse("projects:project_detail", kwargs={"pk": self.project_id})

    def has_signed_file(self) -> bool:
        return bool(self.signed_file)

    @transition(
        field=status,
        source=AgreementStatus.DRAFT,
        target=AgreementStatus.SIGNED,
        conditions=[has_signed_file],
        permission="projects.manage_agreement",
    )
    def sign(self):
        pass

    @transition(
        field=status,
        source=AgreementStatus.SIGNED,
        target=AgreementStatus.ACTIVE,
        permission="projects.manage_agreement",
    )
    def activate(self):
        pass

    @transition(
        field=status,
        source=AgreementStatus.ACTIVE,
        target=AgreementStatus.CLOSED,
        permission="projects.manage_agreement",
    )
    def close(self):
        pass


class ReportStatus(models.TextChoices):
    DRAFT = "draft", _("Bozza")
    SUBMITTED = "submitted", _("Presentata")
    SENT_BACK = "sent_back", _("Rinviata per modifiche")
    APPROVED = "approved", _("Approvata")


class Report(TimeStampedModel):
    """A periodic report (rendicontazione) of the ETS of an active project."""

    project = models.ForeignKey(FinalProject, on_delete=models.PROTECT, related_name="reports")
    period_start = models.DateField(_("dal"))
    period_end = models.DateField(_("al"))
    activities = models.TextField(_("attività svolte"), blank=True)
    hours = models.PositiveIntegerField(_("ore svolte"), default=0)
    status = FSMField(
        _("stato"), max_length=10, choices=ReportStatus.choices, default=ReportStatus.DRAFT, protected=True
    )
    staff_notes = models.TextField(_("note dell'Ufficio di Piano"), blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    protocol = models.ForeignKey(
        "core.ProtocolEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("rendicontazione")
        verbose_name_plural = _("rendicontazioni")
        ordering = ["project", "-period_start", "-pk"]
        indexes = [models.Index(fields=["project", "status"])]

    def __str__(self):
        return str(_("Rendicontazione dal %(start)s al %(end)s") % {"start": self.period_start, "end": self.period_end})

    def get_absolute_url(self):
        return reverse("projects:report_detail", kwargs={"pk": self.pk})

    def has_content(self) -> bool:
        return bool(self.activities.strip())

    @transition(
        field=status,
        source=[ReportStatus.DRAFT, ReportStatus.SENT_BACK],
        target=ReportStatus.SUBMITTED,
        conditions=[has_content],
        permission="projects.edit_report",
    )
    def submit(self):
        pass

    @transition(
        field=status, source=ReportStatus.SUBMITTED, target=ReportStatus.SENT_BACK, permission="projects.review_report"
    )
    def send_back(self, notes: str):
        self.staff_notes = notes

    @transition(
        field=status, source=ReportStatus.SUBMITTED, target=ReportStatus.APPROVED, permission="projects.review_report"
    )
    def approve(self):
        pass


class ReportCost(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="costs")
    kind = models.CharField(_("tipo di risorsa"), max_length=20, choices=BudgetKind.choices)
    description = models.CharField(_("descrizione"), max_length=300)
    amount = models.DecimalField(
        _("importo (euro)"), max_digits=12, decimal_places=2, validators=[MinValueValidator(0)]
    )
    receipt = models.FileField(_("giustificativo"), upload_to=RandomPath("projects/receipts"), blank=True)
    receipt_sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        verbose_name = _("costo rendicontato")
        verbose_name_plural = _("costi rendicontati")
        ordering = ["report", "kind", "pk"]

    def __str__(self):
        return self.description


class ReportIndicator(models.Model):
    report = models.ForeignKey(Report, on_delete=models.CASCADE, related_name="indicators")
    line = models.CharField(_("linea di azione"), max_length=1, choices=ActionLine.choices)
    name = models.CharField(_("indicatore"), max_length=200)
    value = models.DecimalField(_("valore"), max_digits=12, decimal_places=2)

    class Meta:
        verbose_name = _("valore di indicatore")
        verbose_name_plural = _("valori di indicatori")
        ordering = ["report", "line", "pk"]

    def __str__(self):
        return self.name


class GeneratedKind(models.TextChoices):
    RECEIPT = "proposal_receipt", _("Ricevuta della proposta")
    SCORE_SHEET = "score_sheet", _("Scheda di valutazione")
    RANKING = "codesign_ranking", _("Graduatoria")
    MINUTES = "session_minutes", _("Verbale della seduta")
    AGREEMENT = "agreement", _("Convenzione")
