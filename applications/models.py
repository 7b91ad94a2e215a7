"""Manifestations of interest, their attachments and the protocol register.

DOMAIN.md, "Manifestations of interest and units": a draft can be saved at any step;
what is required is checked at submission (``applications.completeness``); once
submitted the content is frozen and protocolled.
"""

import uuid

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from housingmix.accounts.models import OrganisationType
from housingmix.core.models import TimeStampedModel
from housingmix.core.uploads import RandomPath


class ApplicationStatus(models.TextChoices):
    DRAFT = "draft", _("Bozza")
    SUBMITTED = "submitted", _("Presentata")
    UNDER_REVIEW = "under_review", _("In istruttoria")
    INFO_REQUESTED = "info_requested", _("Integrazione richiesta")
    SITE_VISIT = "site_visit", _("Sopralluogo")
    ELIGIBLE = "eligible", _("Idonea")
    NOTICE_OF_REFUSAL = "notice_of_refusal", _("Preavviso di diniego")
    NOT_ELIGIBLE = "not_eligible", _("Non idonea")
    IN_CO_DESIGN = "in_co_design", _("In co-progettazione")
    MATCHED = "matched", _("Abbinata")
    CONTRACT_SIGNED = "contract_signed", _("Contratto firmato")
    IN_USE = "in_use", _("In uso")
    ENDED = "ended", _("Conclusa")
    WITHDRAWN = "withdrawn", _("Ritirata")


# The offerer may withdraw until a contract is signed (DOMAIN.md, "States").
WITHDRAWABLE_STATUSES = [
    ApplicationStatus.SUBMITTED,
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.INFO_REQUESTED,
    ApplicationStatus.SITE_VISIT,
    ApplicationStatus.ELIGIBLE,
    ApplicationStatus.NOTICE_OF_REFUSAL,
    ApplicationStatus.IN_CO_DESIGN,
    ApplicationStatus.MATCHED,
]


# States in which the review is open: checklist, notes and reassignment are possible.
OPEN_REVIEW_STATUSES = [
    ApplicationStatus.UNDER_REVIEW,
    ApplicationStatus.INFO_REQUESTED,
    ApplicationStatus.SITE_VISIT,
    ApplicationStatus.NOTICE_OF_REFUSAL,
]


# Who offers: a private citizen, or an organisation of one of the types of DOMAIN.md.
PERSON_OFFERER = "person"
OFFERER_TYPE_CHOICES = [(PERSON_OFFERER, _("Privato cittadino (persona fisica)")), *OrganisationType.choices]


class SignatoryRole(models.TextChoices):
    OWNER = "owner", _("Proprietario o titolare del diritto sull'alloggio")
    LEGAL_REPRESENTATIVE = "legal_representative", _("Legale rappresentante")
    DELEGATE = "delegate", _("Delegato con procura")


class IdDocumentType(models.TextChoices):
    ID_CARD = "id_card", _("Carta d'identità")
    PASSPORT = "passport", _("Passaporto")
    DRIVING_LICENCE = "driving_licence", _("Patente di guida")


class SignatureMode(models.TextChoices):
    # CAD art. 65: valid electronic submissions.
    AUTHENTICATED = "authenticated", _("Invio dall'area personale, con copia del documento d'identità")
    DIGITAL_SIGNATURE = "digital_signature", _("Firma digitale del riepilogo (file P7M o PDF firmato)")
    # CAD art. 65 c. 1 b: submitted after authentication with SPID or CIE, no copy of an ID needed.
    DIGITAL_IDENTITY = (
        "digital_identity",
        _("Invio dall'area personale con l'identità digitale (SPID o CIE) con cui sei entrato"),
    )


class Application(TimeStampedModel):
    """A manifestazione di interesse for one Avviso, offering one or more units."""

    reference = models.UUIDField(_("riferimento"), default=uuid.uuid4, unique=True, editable=False)
    notice = models.ForeignKey(
        "notices.Notice", verbose_name=_("avviso"), on_delete=models.PROTECT, related_name="applications"
    )
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("compilata da"), on_delete=models.PROTECT, related_name="applications"
    )
    organisation = models.ForeignKey(
        "accounts.Organisation",
        verbose_name=_("ente offerente"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="applications",
    )
    status = FSMField(
        _("stato"),
        max_length=20,
        choices=ApplicationStatus.choices,
        default=ApplicationStatus.DRAFT,
        protected=True,
        db_index=True,
    )
    # Offerer (for an organisation, copied from its record and editable in the draft)
    offerer_type = models.CharField(_("tipo di offerente"), max_length=30, choices=OFFERER_TYPE_CHOICES, blank=True)
    offerer_name = models.CharField(_("denominazione o nome e cognome"), max_length=255, blank=True)
    offerer_tax_code = models.CharField(_("codice fiscale dell'offerente"), max_length=16, blank=True)
    offerer_vat_number = models.CharField(_("partita IVA"), max_length=11, blank=True)
    offerer_runts_number = models.CharField(_("numero di iscrizione RUNTS"), max_length=10, blank=True)
    offerer_address = models.CharField(_("indirizzo (sede legale o residenza)"), max_length=255, blank=True)
    offerer_postcode = models.CharField(_("CAP"), max_length=5, blank=True)
    offerer_city = models.CharField(_("comune"), max_length=120, blank=True)
    offerer_province = models.CharField(_("provincia"), max_length=2, blank=True)
    # Signatory
    signatory_first_name = models.CharField(_("nome del firmatario"), max_length=150, blank=True)
    signatory_last_name = models.CharField(_("cognome del firmatario"), max_length=150, blank=True)
    signatory_tax_code = models.CharField(_("codice fiscale del firmatario"), max_length=16, blank=True)
    signatory_role = models.CharField(_("in qualità di"), max_length=30, choices=SignatoryRole.choices, blank=True)
    id_document_type = models.CharField(
        _("documento d'identità"), max_length=20, choices=IdDocumentType.choices, blank=True
    )
    id_document_number = models.CharField(_("numero del documento"), max_length=30, blank=True)
    id_document_expiry = models.DateField(_("scadenza del documento"), null=True, blank=True)
    # Contacts
    email = models.EmailField(_("e-mail per le comunicazioni"), blank=True)
    pec = models.EmailField(_("PEC"), blank=True)
    phone = models.CharField(_("telefono"), max_length=30, blank=True)
    # Declarations (DPR 445/2000 art. 46-47; art. 71 and 76)
    declares_truthful = models.BooleanField(default=False)
    declares_title = models.BooleanField(default=False)
    accepts_checks = models.BooleanField(default=False)
    accepts_terms = models.BooleanField(default=False)
    privacy_read = models.BooleanField(default=False)
    signature_mode = models.CharField(
        _("modalità di sottoscrizione"), max_length=30, choices=SignatureMode.choices, blank=True
    )
    declarations_at = models.DateTimeField(_("dichiarazioni rese il"), null=True, blank=True)
    # Submission
    submitted_at = models.DateTimeField(_("presentata il"), null=True, blank=True, db_index=True)
    protocol = models.OneToOneField(
        "core.ProtocolEntry",
        verbose_name=_("protocollo di presentazione"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        editable=False,
    )
    package = models.JSONField(_("contenuto presentato"), null=True, blank=True, editable=False)
    package_sha256 = models.CharField(_("impronta SHA-256 del contenuto"), max_length=64, blank=True)
    withdrawn_at = models.DateTimeField(_("ritirata il"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("motivo del ritiro"), blank=True)
    # Review (istruttoria)
    assigned_to = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name=_("istruttore"),
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="assigned_applications",
    )
    assigned_at = models.DateTimeField(_("assegnata il"), null=True, blank=True)
    decided_at = models.DateTimeField(_("decisa il"), null=True, blank=True)

    class Meta:
        verbose_name = _("manifestazione di interesse")
        verbose_name_plural = _("manifestazioni di interesse")
        ordering = ["-created_at", "-pk"]
        indexes = [
            models.Index(fields=["created_by", "-created_at"]),
            models.Index(fields=["organisation", "-created_at"]),
            models.Index(fields=["notice", "status"]),
            models.Index(fields=["status", "-submitted_at"]),
            models.Index(fields=["assigned_to", "status"]),
            # The review queue's other filter and sort (issue 13): offerer type, offerer name.
            models.Index(fields=["offerer_type", "-submitted_at"], name="application_offerer_type"),
            models.Index(fields=["offerer_name"], name="application_offerer_name"),
        ]

    def __str__(self):
        if self.protocol_number:
            return _("Manifestazione prot. %(number)s") % {"number": self.protocol_number}
        return _("Bozza di manifestazione del %(date)s") % {
            "date": timezone.localtime(self.created_at).strftime("%d/%m/%Y")
        }

    def get_absolute_url(self):
        return reverse("applications:detail", kwargs={"ref": self.reference})

    @property
    def is_draft(self) -> bool:
        return self.status == ApplicationStatus.DRAFT

    @property
    def protocol_number(self) -> str:
        return self.protocol.display_number if self.protocol_id else ""

    @property
    def comune_names(self) -> list[str]:
        """The comuni of the units, each once (uses ``unit_list`` when a selector prefetched it)."""
        units = getattr(self, "unit_list", None)
        if units is None:
            units = self.units.select_related("comune")
        names: list[str] = []
        for unit in units:
            if unit.comune_id and unit.comune.name not in names:
                names.append(unit.comune.name)
        return names

    @property
    def is_person(self) -> bool:
        return self.offerer_type == PERSON_OFFERER

    # --- Workflow (submission and withdrawal; the review adds its own transitions) ---
    @transition(
        field=status,
        source=ApplicationStatus.DRAFT,
        target=ApplicationStatus.SUBMITTED,
        permission="applications.submit",
    )
    def submit(self, when=None):
        self.submitted_at = when or timezone.now()

    @transition(
        field=status,
        source=WITHDRAWABLE_STATUSES,
        target=ApplicationStatus.WITHDRAWN,
        permission="applications.withdraw_application",
    )
    def withdraw(self, motive: str):
        self.withdrawn_at = timezone.now()
        self.withdrawal_reason = motive

    # --- Review (istruttoria): DOMAIN.md, "States". Services check the permissions. ---
    @transition(
        field=status,
        source=ApplicationStatus.SUBMITTED,
        target=ApplicationStatus.UNDER_REVIEW,
        permission="applications.assign_reviewer",
    )
    def start_review(self, reviewer):
        self.assigned_to = reviewer
        self.assigned_at = timezone.now()

    @transition(
        field=status,
        source=ApplicationStatus.UNDER_REVIEW,
        target=ApplicationStatus.INFO_REQUESTED,
        permission="applications.review",
    )
    def request_info(self):
        pass

    @transition(
        field=status,
        source=ApplicationStatus.INFO_REQUESTED,
        target=ApplicationStatus.UNDER_REVIEW,
        permission="applications.answer_request",
    )
    def answer_info_request(self):
        pass

    @transition(
        field=status,
        source=ApplicationStatus.INFO_REQUESTED,
        target=ApplicationStatus.UNDER_REVIEW,
        permission="applications.review",
    )
    def resume_review(self):
        pass

    @transition(
        field=status,
        source=ApplicationStatus.UNDER_REVIEW,
        target=ApplicationStatus.SITE_VISIT,
        permission="applications.review",
    )
    def start_site_visit(self):
        pass

    @transition(
        field=status,
        source=ApplicationStatus.SITE_VISIT,
        target=ApplicationStatus.ELIGIBLE,
        permission="applications.decide",
    )
    def declare_eligible(self):
        self.decided_at = timezone.now()

    @transition(
        field=status,
        source=[ApplicationStatus.UNDER_REVIEW, ApplicationStatus.SITE_VISIT],
        target=ApplicationStatus.NOTICE_OF_REFUSAL,
        permission="applications.decide",
    )
    def notify_refusal(self):
        pass

    @transition(
        field=status,
        source=ApplicationStatus.NOTICE_OF_REFUSAL,
        target=ApplicationStatus.UNDER_REVIEW,
        permission="applications.decide",
    )
    def reconsider(self):
        pass

    @transition(
        field=status,
        source=ApplicationStatus.NOTICE_OF_REFUSAL,
        target=ApplicationStatus.NOT_ELIGIBLE,
        permission="applications.decide",
    )
    def declare_not_eligible(self):
        self.decided_at = timezone.now()

    @transition(
        field=status,
        source=ApplicationStatus.NOTICE_OF_REFUSAL,
        target=ApplicationStatus.ELIGIBLE,
        permission="applications.decide",
    )
    def declare_eligible_after_notice(self):
        """The final act after a preavviso when at least one unit is eligible."""
        self.decided_at = timezone.now()


class AttachmentKind(models.TextChoices):
    ID_DOCUMENT = "id_document", _("Documento d'identità del firmatario")
    CADASTRAL_SURVEY = "cadastral_survey", _("Visura catastale")
    FLOOR_PLAN = "floor_plan", _("Planimetria")
    APE = "ape", _("Attestato di prestazione energetica (APE)")
    CONFORMITY = "conformity", _("Certificati di conformità degli impianti")
    TITLE_DEED = "title_deed", _("Titolo che dà diritto a offrire l'alloggio")
    PHOTO = "photo", _("Fotografia")
    PROXY = "proxy", _("Procura")
    STATUTE = "statute", _("Statuto")
    RUNTS_RECORD = "runts_record", _("Estratto di iscrizione al RUNTS")
    SIGNED_SUMMARY = "signed_summary", _("Riepilogo firmato digitalmente")
    OTHER = "other", _("Altro documento")


# Kinds that describe one unit; without a unit, such a file covers every unit.
UNIT_KINDS = {
    AttachmentKind.CADASTRAL_SURVEY,
    AttachmentKind.FLOOR_PLAN,
    AttachmentKind.APE,
    AttachmentKind.CONFORMITY,
    AttachmentKind.TITLE_DEED,
    AttachmentKind.PHOTO,
}


class Attachment(models.Model):
    """A file filed with a manifestation. Filed files are never changed or deleted; a later
    document (``is_integration``) is added beside them."""

    application = models.ForeignKey(
        Application, verbose_name=_("manifestazione"), on_delete=models.CASCADE, related_name="attachments"
    )
    unit = models.ForeignKey(
        "properties.HousingUnit",
        verbose_name=_("alloggio"),
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="attachments",
        help_text=_("Lascia vuoto se il documento riguarda tutti gli alloggi."),
    )
    kind = models.CharField(_("tipo di documento"), max_length=30, choices=AttachmentKind.choices)
    description = models.CharField(_("descrizione"), max_length=200, blank=True)
    file = models.FileField(_("file"), upload_to=RandomPath("applications"))
    thumbnail = models.FileField(_("miniatura"), upload_to=RandomPath("thumbnails", ".jpg"), blank=True)
    filename = models.CharField(_("nome del file"), max_length=200)
    content_type = models.CharField(_("tipo di contenuto"), max_length=100)
    size = models.PositiveBigIntegerField(_("dimensione (byte)"))
    sha256 = models.CharField(_("impronta SHA-256"), max_length=64)
    is_integration = models.BooleanField(_("integrazione successiva"), default=False)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(_("caricato il"), default=timezone.now)

    class Meta:
        verbose_name = _("allegato")
        verbose_name_plural = _("allegati")
        ordering = ["application", "kind", "created_at", "pk"]
        indexes = [models.Index(fields=["application", "kind"])]

    def __str__(self):
        return "%s (%s)" % (self.get_kind_display(), self.filename)

    def get_absolute_url(self):
        return reverse(
            "applications:attachment",
            kwargs={"ref": self.application.reference, "pk": self.pk, "filename": self.filename},
        )

    @property
    def is_image(self) -> bool:
        return self.content_type in ("image/jpeg", "image/png")


# The outbox job that renders and e-mails the receipt of a submission.
RECEIPT_JOB = "applications.receipt"


class GeneratedKind(models.TextChoices):
    RECEIPT = "receipt", _("Ricevuta di presentazione")
    INFO_REQUEST = "info_request", _("Richiesta di integrazione documentale")
    SITE_VISIT_REPORT = "site_visit_report", _("Verbale di sopralluogo")
    REFUSAL_NOTICE = "refusal_notice", _("Preavviso di diniego")
    DECISION = "decision", _("Comunicazione dell'esito")


# --- Review (istruttoria) ---------------------------------------------------------


class CheckItem(models.TextChoices):
    """The review checklist of each unit (DOMAIN.md, "Review (istruttoria) checklist")."""

    ADMISSIBILITY = "admissibility", _("Ammissibilità (avviso aperto, offerente ammesso, dichiarazioni)")
    DOCUMENTS = "documents", _("Documentazione completa")
    IN_AMBITO = "in_ambito", _("Alloggio nel territorio dell'Ambito")
    HABITABILITY = "habitability", _("Agibilità e impianti")
    CONDITION = "condition", _("Stato di manutenzione e lavori necessari")
    FITNESS = "fitness", _("Idoneità per i destinatari (superficie per occupante)")
    COSTS = "costs", _("Costi")


class CheckOutcome(models.TextChoices):
    OK = "ok", _("Conforme")
    MISSING = "missing", _("Mancante")
    NOT_OK = "not_ok", _("Non conforme")


class ReviewCheck(models.Model):
    """One checklist item of one unit, as last recorded by a reviewer (the changes are audited)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="review_checks")
    unit = models.ForeignKey("properties.HousingUnit", on_delete=models.CASCADE, related_name="review_checks")
    item = models.CharField(_("verifica"), max_length=20, choices=CheckItem.choices)
    outcome = models.CharField(_("esito"), max_length=10, choices=CheckOutcome.choices, blank=True)
    note = models.TextField(_("nota"), blank=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(_("aggiornata il"), default=timezone.now)

    class Meta:
        verbose_name = _("verifica istruttoria")
        verbose_name_plural = _("verifiche istruttorie")
        ordering = ["unit", "item"]
        constraints = [models.UniqueConstraint(fields=["unit", "item"], name="reviewcheck_unique_unit_item")]

    def __str__(self):
        return "%s: %s" % (self.get_item_display(), self.get_outcome_display())


class InternalNote(models.Model):
    """A reviewer's note on a manifestation: never shown to the offerer."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="internal_notes")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    text = models.TextField(_("nota interna"))
    created_at = models.DateTimeField(_("scritta il"), default=timezone.now)

    class Meta:
        verbose_name = _("nota interna")
        verbose_name_plural = _("note interne")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return "%s %s" % (self.application_id, self.created_at)


class InfoRequest(models.Model):
    """A soccorso istruttorio: what is missing, by when; answered by an integrazione."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="info_requests")
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    items = models.TextField(_("documenti o chiarimenti richiesti"))
    deadline = models.DateField(_("termine per rispondere"))
    created_at = models.DateTimeField(_("richiesta il"), default=timezone.now)
    protocol = models.OneToOneField(
        "core.ProtocolEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )
    answered_at = models.DateTimeField(_("risposta il"), null=True, blank=True)
    closed_at = models.DateTimeField(_("chiusa il"), null=True, blank=True)
    reminded_at = models.DateTimeField(_("sollecito all'istruttore il"), null=True, blank=True)

    class Meta:
        verbose_name = _("richiesta di integrazione")
        verbose_name_plural = _("richieste di integrazione")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["closed_at", "deadline"])]

    def __str__(self):
        return "%s %s" % (self.application_id, self.deadline)

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def is_overdue(self) -> bool:
        return self.is_open and self.deadline < timezone.localdate()


class ReplyKind(models.TextChoices):
    INTEGRATION = "integration", _("Integrazione documentale")
    OBSERVATIONS = "observations", _("Osservazioni al preavviso di diniego")


class OffererReply(models.Model):
    """What the offerer filed in answer to a request or a preavviso: protocolled on arrival."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="replies")
    kind = models.CharField(_("tipo"), max_length=20, choices=ReplyKind.choices)
    info_request = models.ForeignKey(
        InfoRequest, null=True, blank=True, on_delete=models.PROTECT, related_name="replies"
    )
    decision = models.ForeignKey("Decision", null=True, blank=True, on_delete=models.PROTECT, related_name="replies")
    text = models.TextField(_("testo"), blank=True)
    attachments = models.ManyToManyField(Attachment, blank=True, related_name="+")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("presentata il"), default=timezone.now)
    protocol = models.OneToOneField("core.ProtocolEntry", on_delete=models.PROTECT, related_name="+", editable=False)

    class Meta:
        verbose_name = _("risposta dell'offerente")
        verbose_name_plural = _("risposte dell'offerente")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.protocol.display_number


class VisitCheckItem(models.TextChoices):
    """What a sopralluogo checks in each unit visited: the fitness of the unit as it is found
    (DOMAIN.md, "habitability and systems, condition and works needed"), item by item."""

    ACCESS = "access", _("Accesso e accessibilità")
    SYSTEMS = "systems", _("Impianti (elettrico, gas, idrico, riscaldamento)")
    SAFETY = "safety", _("Sicurezza")
    HABITABILITY = "habitability", _("Abitabilità e stato di manutenzione")
    FURNITURE = "furniture", _("Arredi e dotazioni")
    NOTES = "notes", _("Altre osservazioni")


# The items with an outcome; NOTES carries a note only.
VISIT_CHECKED_ITEMS = [item for item in VisitCheckItem if item != VisitCheckItem.NOTES]


class SiteVisitPlan(models.Model):
    """A planned sopralluogo: date and time, the units to visit; the offerer is told in advance
    (e-mail with an iCalendar attachment, and their area)."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="visit_plans")
    units = models.ManyToManyField("properties.HousingUnit", related_name="+", verbose_name=_("alloggi da visitare"))
    starts_at = models.DateTimeField(_("data e ora del sopralluogo"))
    duration_minutes = models.PositiveSmallIntegerField(_("durata prevista (minuti)"), default=60)
    notes = models.TextField(_("indicazioni per l'offerente"), blank=True)
    planned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("programmato il"), default=timezone.now)

    class Meta:
        verbose_name = _("sopralluogo programmato")
        verbose_name_plural = _("sopralluoghi programmati")
        ordering = ["-starts_at", "-pk"]

    def __str__(self):
        return "%s %s" % (self.application_id, self.starts_at.isoformat())


class SiteVisit(models.Model):
    """A sopralluogo: when, who attended, the checklist of each unit visited and photos.

    ``outcomes`` holds one row per unit and item, ``{"unit": pk, "item": VisitCheckItem,
    "outcome": CheckOutcome or "", "note": str}``; rows recorded before the per-unit checklist
    have no "unit" and cover the whole visit."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="site_visits")
    visit_date = models.DateField(_("data del sopralluogo"))
    units = models.ManyToManyField(
        "properties.HousingUnit", blank=True, related_name="+", verbose_name=_("alloggi visitati")
    )
    attendees = models.TextField(_("presenti"))
    outcomes = models.JSONField(_("esiti"), default=list, blank=True)
    summary = models.TextField(_("esito complessivo"), blank=True)
    recorded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    created_at = models.DateTimeField(_("registrato il"), default=timezone.now)
    protocol = models.OneToOneField(
        "core.ProtocolEntry", null=True, blank=True, on_delete=models.PROTECT, related_name="+", editable=False
    )

    class Meta:
        verbose_name = _("sopralluogo")
        verbose_name_plural = _("sopralluoghi")
        ordering = ["-visit_date", "-pk"]

    def __str__(self):
        return "%s %s" % (self.application_id, self.visit_date)


class SiteVisitPhoto(models.Model):
    visit = models.ForeignKey(SiteVisit, on_delete=models.CASCADE, related_name="photos")
    file = models.FileField(_("fotografia"), upload_to=RandomPath("visits"))
    content_type = models.CharField(max_length=100)
    sha256 = models.CharField(max_length=64)
    caption = models.CharField(_("didascalia"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("fotografia del sopralluogo")
        verbose_name_plural = _("fotografie del sopralluogo")
        ordering = ["pk"]

    def __str__(self):
        return self.caption or str(self.pk)


class DecisionKind(models.TextChoices):
    REFUSAL_NOTICE = "refusal_notice", _("Preavviso di diniego")
    ELIGIBLE = "eligible", _("Idonea")
    NOT_ELIGIBLE = "not_eligible", _("Non idonea")


class Decision(models.Model):
    """A decision on a manifestation, with its reasons and outgoing protocol number."""

    application = models.ForeignKey(Application, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(_("tipo"), max_length=20, choices=DecisionKind.choices)
    reasons = models.TextField(_("motivazione"))
    units = models.ManyToManyField("properties.HousingUnit", blank=True, related_name="+")
    reply_deadline = models.DateField(_("termine per le osservazioni"), null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    decided_at = models.DateTimeField(_("decisa il"), default=timezone.now)
    protocol = models.OneToOneField("core.ProtocolEntry", on_delete=models.PROTECT, related_name="+", editable=False)

    class Meta:
        verbose_name = _("decisione")
        verbose_name_plural = _("decisioni")
        ordering = ["-decided_at", "-pk"]

    def __str__(self):
        return "%s %s" % (self.get_kind_display(), self.protocol.display_number)


class UnitOutcomeKind(models.TextChoices):
    ELIGIBLE = "eligible", _("Idoneo")
    REFUSAL_NOTICE = "refusal_notice", _("Preavviso di diniego")
    NOT_ELIGIBLE = "not_eligible", _("Non idoneo")


class UnitOutcome(models.Model):
    """The outcome of one unit in one act (Decision): every act lists every unit of the
    manifestation, so no unit is ever left without an outcome the offerer can read."""

    decision = models.ForeignKey(Decision, on_delete=models.CASCADE, related_name="unit_outcomes")
    unit = models.ForeignKey("properties.HousingUnit", on_delete=models.CASCADE, related_name="review_outcomes")
    outcome = models.CharField(_("esito"), max_length=20, choices=UnitOutcomeKind.choices)
    reasons = models.TextField(_("motivazione"), blank=True)
    carried = models.BooleanField(_("esito di un atto precedente"), default=False)

    class Meta:
        verbose_name = _("esito dell'alloggio")
        verbose_name_plural = _("esiti degli alloggi")
        ordering = ["decision", "unit__position", "unit__pk"]
        constraints = [models.UniqueConstraint(fields=["decision", "unit"], name="unit_outcome_once_per_act")]

    def __str__(self):
        return "%s: %s" % (self.unit_id, self.get_outcome_display())


class CommunicationRead(models.Model):
    """When a person first opened a communication (a generated letter) of their manifestation:
    the inbox marks the others as unread."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    document = models.ForeignKey("core.GeneratedDocument", on_delete=models.CASCADE, related_name="+")
    read_at = models.DateTimeField(_("letta il"), default=timezone.now)

    class Meta:
        verbose_name = _("comunicazione letta")
        verbose_name_plural = _("comunicazioni lette")
        constraints = [models.UniqueConstraint(fields=["user", "document"], name="communication_read_once")]

    def __str__(self):
        return "%s: %s" % (self.user_id, self.document_id)
