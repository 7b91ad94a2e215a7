from datetime import timedelta

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from housingmix.core.models import TimeStampedModel
from housingmix.core.uploads import RandomPath


class NoticeKind(models.TextChoices):
    INTEREST = "interest", _("Manifestazione di interesse per alloggi")
    CODESIGN = "codesign", _("Co-progettazione")
    OTHER = "other", _("Altro")


class NoticeStatus(models.TextChoices):
    DRAFT = "draft", _("Bozza")
    PUBLISHED = "published", _("Pubblicato")
    AMENDED = "amended", _("Rettificato")
    CLOSED = "closed", _("Chiuso")
    WITHDRAWN = "withdrawn", _("Ritirato")
    ARCHIVED = "archived", _("Archiviato")


# States in which a notice is visible to the public.
PUBLIC_STATUSES = [
    NoticeStatus.PUBLISHED,
    NoticeStatus.AMENDED,
    NoticeStatus.CLOSED,
    NoticeStatus.WITHDRAWN,
    NoticeStatus.ARCHIVED,
]
# States in which a notice may accept participation (also subject to its dates).
LIVE_STATUSES = [NoticeStatus.PUBLISHED, NoticeStatus.AMENDED]

# Fields whose change is an amendment (rettifica) once a notice is published.
CONTENT_FIELDS = [
    "title",
    "kind",
    "act_number",
    "act_date",
    "cig",
    "cup",
    "summary",
    "body",
    "opens_at",
    "closes_at",
    "rup",
    "contact_office",
    "contact_email",
    "contact_pec",
    "contact_phone",
]


class Notice(TimeStampedModel):
    """An Avviso: a public call (DOMAIN.md, "Avvisi")."""

    slug = models.SlugField(_("indirizzo breve"), max_length=120, unique=True)
    title = models.CharField(_("titolo"), max_length=255)
    kind = models.CharField(_("tipologia"), max_length=20, choices=NoticeKind.choices, db_index=True)
    act_number = models.CharField(_("numero della determina"), max_length=50)
    act_date = models.DateField(_("data della determina"))
    cig = models.CharField(_("CIG"), max_length=20, blank=True)
    cup = models.CharField(_("CUP"), max_length=20, blank=True)
    summary = models.TextField(_("sintesi"), max_length=1000)
    body = models.TextField(_("testo integrale"))
    opens_at = models.DateTimeField(_("apertura"), db_index=True)
    closes_at = models.DateTimeField(_("scadenza"), db_index=True)
    rup = models.CharField(_("responsabile del procedimento (RUP)"), max_length=200)
    contact_office = models.CharField(_("ufficio di riferimento"), max_length=200, blank=True)
    contact_email = models.EmailField(_("e-mail per informazioni"), blank=True)
    contact_pec = models.EmailField(_("PEC"), blank=True)
    contact_phone = models.CharField(_("telefono"), max_length=30, blank=True)
    status = FSMField(
        _("stato"),
        max_length=20,
        choices=NoticeStatus.choices,
        default=NoticeStatus.DRAFT,
        protected=True,
        db_index=True,
    )
    published_at = models.DateTimeField(_("pubblicato il"), null=True, blank=True, db_index=True)
    amended_at = models.DateTimeField(_("rettificato il"), null=True, blank=True)
    closed_at = models.DateTimeField(_("chiuso il"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("ritirato il"), null=True, blank=True)
    status_reason = models.TextField(_("motivo dell'ultimo cambio di stato"), blank=True)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("avviso")
        verbose_name_plural = _("avvisi")
        ordering = ["-opens_at", "-pk"]
        indexes = [models.Index(fields=["status", "-opens_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notices:detail", kwargs={"slug": self.slug})

    # --- Derived state (server clock, Europe/Rome) -----------------------------
    @property
    def is_public(self) -> bool:
        return self.status in PUBLIC_STATUSES

    @property
    def is_open(self) -> bool:
        now = timezone.now()
        return self.status in LIVE_STATUSES and self.opens_at <= now < self.closes_at

    @property
    def is_upcoming(self) -> bool:
        return self.status in LIVE_STATUSES and timezone.now() < self.opens_at

    @property
    def is_expired(self) -> bool:
        return self.status in LIVE_STATUSES and timezone.now() >= self.closes_at

    @property
    def days_left(self) -> int | None:
        if not self.is_open:
            return None
        return max((self.closes_at - timezone.now()).days, 0)

    @property
    def public_state(self) -> str:
        """What a citizen sees: open / upcoming / expired / the workflow state."""
        if self.is_open:
            return "open"
        if self.is_upcoming:
            return "upcoming"
        if self.is_expired:
            return "closed"
        return self.status

    # --- Workflow -----------------------------------------------------------
    def publication_problems(self) -> list[str]:
        """What prevents publication, as messages for staff (empty if the notice can go out)."""
        problems = []
        if not (self.title and self.summary and self.body and self.rup):
            problems.append(_("Titolo, sintesi, testo integrale e RUP sono obbligatori."))
        if self.opens_at and self.closes_at:
            minimum = settings.NOTICE_MIN_OPEN_DAYS.get(self.kind, settings.NOTICE_MIN_OPEN_DAYS["other"])
            if self.closes_at - self.opens_at < timedelta(days=minimum):
                problems.append(
                    _("Un avviso di questo tipo deve restare aperto almeno %(days)s giorni.") % {"days": minimum}
                )
        return problems

    def can_publish(self) -> bool:
        return not self.publication_problems()

    @transition(
        field=status,
        source=NoticeStatus.DRAFT,
        target=NoticeStatus.PUBLISHED,
        conditions=[can_publish],
        permission="notices.manage_workflow",
    )
    def publish(self):
        self.published_at = timezone.now()

    @transition(
        field=status,
        source=[NoticeStatus.PUBLISHED, NoticeStatus.AMENDED],
        target=NoticeStatus.AMENDED,
        permission="notices.manage_workflow",
    )
    def amend(self, reason: str):
        self.amended_at = timezone.now()
        self.status_reason = reason

    @transition(
        field=status,
        source=[NoticeStatus.PUBLISHED, NoticeStatus.AMENDED],
        target=NoticeStatus.CLOSED,
        permission="notices.manage_workflow",
    )
    def close(self):
        self.closed_at = timezone.now()

    @transition(
        field=status,
        source=[NoticeStatus.PUBLISHED, NoticeStatus.AMENDED, NoticeStatus.CLOSED],
        target=NoticeStatus.WITHDRAWN,
        permission="notices.manage_workflow",
    )
    def withdraw(self, motive: str):
        self.withdrawn_at = timezone.now()
        self.status_reason = motive

    @transition(
        field=status,
        source=[NoticeStatus.CLOSED, NoticeStatus.WITHDRAWN],
        target=NoticeStatus.ARCHIVED,
        permission="notices.manage_workflow",
    )
    def archive(self):
        pass


class NoticeRevision(models.Model):
    """The content of a notice as it stood before an amendment: stays public and dated."""

    notice = models.ForeignKey(Notice, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField(_("versione"))
    content = models.JSONField(_("contenuto"))
    valid_from = models.DateTimeField(_("in vigore dal"))
    valid_until = models.DateTimeField(_("sostituita il"))
    reason = models.TextField(_("motivo della rettifica"))

    class Meta:
        verbose_name = _("versione precedente")
        verbose_name_plural = _("versioni precedenti")
        ordering = ["notice", "number"]
        constraints = [models.UniqueConstraint(fields=["notice", "number"], name="noticerevision_unique_number")]

    def __str__(self):
        return "%s v%s" % (self.notice, self.number)


class DocumentKind(models.TextChoices):
    NOTICE_PDF = "notice_pdf", _("Testo dell'avviso (PDF)")
    FAQ_PDF = "faq_pdf", _("FAQ (PDF)")
    APPLICATION_FORM = "application_form", _("Modulo di domanda")
    ANNEX = "annex", _("Allegato")


GENERATED_KINDS = [DocumentKind.NOTICE_PDF, DocumentKind.FAQ_PDF]
# The outbox kinds that render them.
RENDER_JOBS = {DocumentKind.NOTICE_PDF: "notices.notice_pdf", DocumentKind.FAQ_PDF: "notices.faq_pdf"}


class NoticeDocument(models.Model):
    """One version of a document uploaded by staff for a notice (form, annex). The generated PDFs
    (the notice's text, the FAQ) are ``core.GeneratedDocument`` rows owned by the notice.

    Versions are never overwritten: a change makes a new row.
    """

    notice = models.ForeignKey(Notice, null=True, blank=True, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("tipo"), max_length=30, choices=DocumentKind.choices)
    title = models.CharField(_("titolo"), max_length=200)
    version = models.PositiveIntegerField(_("versione"))
    file = models.FileField(_("file"), upload_to=RandomPath("notices", private=False))
    filename = models.CharField(_("nome del file"), max_length=200)
    content_type = models.CharField(_("tipo di contenuto"), max_length=100)
    size = models.PositiveBigIntegerField(_("dimensione (byte)"))
    sha256 = models.CharField(_("impronta SHA-256"), max_length=64)
    created_at = models.DateTimeField(_("caricato il"), default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("documento")
        verbose_name_plural = _("documenti")
        ordering = ["kind", "title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["notice", "kind", "title", "version"], name="noticedocument_unique_version")
        ]
        indexes = [models.Index(fields=["notice", "kind", "-version"])]

    def __str__(self):
        return "%s v%s" % (self.title, self.version)

    def get_absolute_url(self):
        return reverse("notices:document", kwargs={"pk": self.pk, "filename": self.filename})


class FaqTopic(models.Model):
    name = models.CharField(_("argomento"), max_length=150, unique=True)
    order = models.PositiveIntegerField(_("ordine"), default=0)

    class Meta:
        verbose_name = _("argomento delle FAQ")
        verbose_name_plural = _("argomenti delle FAQ")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name


class FaqEntry(models.Model):
    """A question and its answer; without a notice it belongs to the programme's general FAQ."""

    notice = models.ForeignKey(
        Notice, verbose_name=_("avviso"), null=True, blank=True, on_delete=models.CASCADE, related_name="faq"
    )
    topic = models.ForeignKey(FaqTopic, verbose_name=_("argomento"), on_delete=models.PROTECT, related_name="entries")
    question = models.CharField(_("domanda"), max_length=500)
    answer = models.TextField(_("risposta"))
    order = models.PositiveIntegerField(_("ordine"), default=0)
    is_published = models.BooleanField(_("pubblicata"), default=True)
    published_at = models.DateTimeField(_("pubblicata il"), default=timezone.now)
    updated_at = models.DateTimeField(_("aggiornata il"), default=timezone.now, db_index=True)

    class Meta:
        verbose_name = _("FAQ")
        verbose_name_plural = _("FAQ")
        ordering = ["topic__order", "topic__name", "order", "pk"]
        indexes = [models.Index(fields=["notice", "is_published"])]

    def __str__(self):
        return self.question
