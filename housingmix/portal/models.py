"""The Designers Italia municipal model for the Ambito's portal: topics, service sheets, news,
events, offices, page-clarity feedback and appointments with the offices.

Editorial content is kept in Italian and English side by side (``title`` / ``title_en``): the
English field may stay empty, and then the Italian text is shown, marked ``lang="it"``.
"""

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from housingmix.notices.models import NoticeKind


class Bilingual(models.Model):
    """Editorial fields come in pairs: ``name`` (Italian, required) and ``name_en`` (optional)."""

    class Meta:
        abstract = True

    def tr(self, field: str) -> str:
        """``field`` in the current language, falling back to Italian."""
        if (get_language() or "it").startswith("en"):
            english = getattr(self, field + "_en", "")
            if english:
                return english
        return getattr(self, field)

    def tr_is_fallback(self, field: str) -> bool:
        """True when an English page shows the Italian text of ``field``."""
        return (get_language() or "it").startswith("en") and not getattr(self, field + "_en", "")


class Vocabulary(models.TextChoices):
    MODEL = "model", _("Vocabolario controllato del modello Comuni")
    EUROVOC = "eurovoc", _("EuroVoc")
    OTHER = "other", _("Altro (argomento proprio)")


class Topic(Bilingual):
    """An argomento: the tag that ties notices, services, news and events together."""

    slug = models.SlugField(_("indirizzo breve"), max_length=80, unique=True)
    name = models.CharField(_("nome"), max_length=80, unique=True)
    name_en = models.CharField(_("nome (inglese)"), max_length=80, blank=True)
    description = models.TextField(_("descrizione"), max_length=600, blank=True)
    description_en = models.TextField(_("descrizione (inglese)"), max_length=600, blank=True)
    vocabulary = models.CharField(
        _("vocabolario"),
        max_length=10,
        choices=Vocabulary.choices,
        default=Vocabulary.MODEL,
        help_text=_(
            "Il modello chiede argomenti del suo vocabolario controllato o di EuroVoc: il nome deve coincidere "
            "con il termine del vocabolario."
        ),
    )
    notices = models.ManyToManyField(
        "notices.Notice", verbose_name=_("avvisi"), blank=True, related_name="portal_topics"
    )
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        verbose_name = _("argomento")
        verbose_name_plural = _("argomenti")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:topic", kwargs={"slug": self.slug})


class Office(Bilingual):
    """An office people can reach: the Ufficio di Piano, a comune's social service."""

    slug = models.SlugField(_("indirizzo breve"), max_length=80, unique=True)
    name = models.CharField(_("denominazione"), max_length=200)
    name_en = models.CharField(_("denominazione (inglese)"), max_length=200, blank=True)
    comune = models.ForeignKey(
        "territory.Comune", verbose_name=_("comune"), null=True, blank=True, on_delete=models.PROTECT
    )
    description = models.TextField(_("di cosa si occupa"), blank=True)
    description_en = models.TextField(_("di cosa si occupa (inglese)"), blank=True)
    street_address = models.CharField(_("indirizzo"), max_length=200)
    postcode = models.CharField(_("CAP"), max_length=5)
    city = models.CharField(_("località"), max_length=100)
    email = models.EmailField(_("e-mail"), blank=True)
    pec = models.EmailField(_("PEC"), blank=True)
    phone = models.CharField(_("telefono"), max_length=30, blank=True)
    opening_hours = models.TextField(_("orari di apertura"), blank=True)
    opening_hours_en = models.TextField(_("orari di apertura (inglese)"), blank=True)
    is_active = models.BooleanField(_("attivo"), default=True)
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        verbose_name = _("ufficio")
        verbose_name_plural = _("uffici")
        ordering = ["order", "name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("portal:office", kwargs={"slug": self.slug})


class ServiceCategory(models.TextChoices):
    """The service categories of the municipal model (second-level pages of "Servizi")."""

    REGISTRY = "anagrafe-e-stato-civile", _("Anagrafe e stato civile")
    CULTURE = "cultura-e-tempo-libero", _("Cultura e tempo libero")
    WORK = "vita-lavorativa", _("Vita lavorativa")
    BUSINESS = "imprese-e-commercio", _("Imprese e commercio")
    PROCUREMENT = "appalti-pubblici", _("Appalti pubblici")
    PLANNING = "catasto-e-urbanistica", _("Catasto e urbanistica")
    TOURISM = "turismo", _("Turismo")
    MOBILITY = "mobilita-e-trasporti", _("Mobilità e trasporti")
    EDUCATION = "educazione-e-formazione", _("Educazione e formazione")
    JUSTICE = "giustizia-e-sicurezza-pubblica", _("Giustizia e sicurezza pubblica")
    TAXES = "tributi-finanze-e-contravvenzioni", _("Tributi, finanze e contravvenzioni")
    ENVIRONMENT = "ambiente", _("Ambiente")
    WELFARE = "salute-benessere-e-assistenza", _("Salute, benessere e assistenza")
    PERMITS = "autorizzazioni", _("Autorizzazioni")
    AGRICULTURE = "agricoltura-e-pesca", _("Agricoltura e pesca")


class AudienceType(models.TextChoices):
    CITIZENS = "citizens", _("Cittadini")
    ORGANISATIONS = "organisations", _("Enti e organizzazioni")
    ALL = "all", _("Cittadini, enti e organizzazioni")


class OnlineAccess(models.TextChoices):
    NONE = "", _("Nessun servizio online")
    NOTICE = "notice", _("Il modulo online dell'avviso aperto")
    REPORT = "report", _("La pagina per segnalare un disservizio")
    BOOKING = "booking", _("La prenotazione di un appuntamento")


class Service(Bilingual):
    """A service sheet (scheda servizio) with the sections of the model, in the model's order."""

    slug = models.SlugField(_("indirizzo breve"), max_length=100, unique=True)
    title = models.CharField(_("titolo"), max_length=160)
    title_en = models.CharField(_("titolo (inglese)"), max_length=160, blank=True)
    summary = models.CharField(_("descrizione breve"), max_length=300)
    summary_en = models.CharField(_("descrizione breve (inglese)"), max_length=300, blank=True)
    category = models.CharField(_("categoria"), max_length=40, choices=ServiceCategory.choices)
    audience_type = models.CharField(
        _("destinatari (metadati)"), max_length=20, choices=AudienceType.choices, default=AudienceType.ALL
    )
    addressed = models.TextField(_("a chi è rivolto"))
    addressed_en = models.TextField(_("a chi è rivolto (inglese)"), blank=True)
    description = models.TextField(_("descrizione"), blank=True)
    description_en = models.TextField(_("descrizione (inglese)"), blank=True)
    how_to = models.TextField(_("come fare"))
    how_to_en = models.TextField(_("come fare (inglese)"), blank=True)
    needed = models.TextField(_("cosa serve"))
    needed_en = models.TextField(_("cosa serve (inglese)"), blank=True)
    obtained = models.TextField(_("cosa si ottiene"))
    obtained_en = models.TextField(_("cosa si ottiene (inglese)"), blank=True)
    deadlines = models.TextField(_("tempi e scadenze"))
    deadlines_en = models.TextField(_("tempi e scadenze (inglese)"), blank=True)
    cost = models.TextField(_("quanto costa"), default="Il servizio è gratuito.")
    cost_en = models.TextField(_("quanto costa (inglese)"), blank=True, default="The service is free of charge.")
    access = models.TextField(_("accedi al servizio"))
    access_en = models.TextField(_("accedi al servizio (inglese)"), blank=True)
    online_access = models.CharField(
        _("servizio online"), max_length=10, choices=OnlineAccess.choices, blank=True, default=OnlineAccess.NONE
    )
    notice_kind = models.CharField(
        _("tipologia di avviso"),
        max_length=20,
        choices=NoticeKind.choices,
        blank=True,
        help_text=_(
            "Per il servizio online di un avviso: il pulsante porta al modulo dell'avviso aperto di questo tipo."
        ),
    )
    notice = models.ForeignKey(
        "notices.Notice",
        verbose_name=_("avviso"),
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="portal_services",
        help_text=_("Facoltativo: un avviso preciso; se vuoto vale l'avviso aperto più recente della tipologia."),
    )
    bookable = models.BooleanField(
        _("prenotabile"), default=False, help_text=_("Si può prenotare un appuntamento per questo servizio.")
    )
    booking_offices = models.ManyToManyField(
        Office, verbose_name=_("uffici che ricevono su appuntamento"), blank=True, related_name="bookable_services"
    )
    more_info = models.TextField(_("ulteriori informazioni"), blank=True)
    more_info_en = models.TextField(_("ulteriori informazioni (inglese)"), blank=True)
    conditions = models.TextField(_("condizioni di servizio"))
    conditions_en = models.TextField(_("condizioni di servizio (inglese)"), blank=True)
    office = models.ForeignKey(
        Office, verbose_name=_("ufficio di riferimento (contatti)"), on_delete=models.PROTECT, related_name="services"
    )
    topics = models.ManyToManyField(Topic, verbose_name=_("argomenti"), related_name="services")
    is_published = models.BooleanField(_("pubblicato"), default=False)
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)
    created_at = models.DateTimeField(_("creato il"), auto_now_add=True)
    updated_at = models.DateTimeField(_("aggiornato il"), auto_now=True)

    class Meta:
        verbose_name = _("scheda servizio")
        verbose_name_plural = _("schede servizio")
        ordering = ["order", "title"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("portal:service", kwargs={"slug": self.slug})


class ServiceMilestone(Bilingual):
    """A step of "Tempi e scadenze": e.g. "Esito dell'istruttoria" / "entro 30 giorni"."""

    service = models.ForeignKey(Service, on_delete=models.CASCADE, related_name="milestones")
    label = models.CharField(_("fase"), max_length=160)
    label_en = models.CharField(_("fase (inglese)"), max_length=160, blank=True)
    when = models.CharField(_("quando"), max_length=120)
    when_en = models.CharField(_("quando (inglese)"), max_length=120, blank=True)
    order = models.PositiveSmallIntegerField(_("ordine"), default=0)

    class Meta:
        verbose_name = _("fase")
        verbose_name_plural = _("tempi e scadenze")
        ordering = ["order", "pk"]

    def __str__(self):
        return self.label


class NewsKind(models.TextChoices):
    NEWS = "news", _("Notizia")
    RELEASE = "release", _("Comunicato")


class News(Bilingual):
    """A notizia or a comunicato (the model's "Novità", beside the Avvisi)."""

    slug = models.SlugField(_("indirizzo breve"), max_length=120, unique=True)
    kind = models.CharField(_("tipologia"), max_length=10, choices=NewsKind.choices, default=NewsKind.NEWS)
    title = models.CharField(_("titolo"), max_length=200)
    title_en = models.CharField(_("titolo (inglese)"), max_length=200, blank=True)
    summary = models.CharField(_("sintesi"), max_length=400)
    summary_en = models.CharField(_("sintesi (inglese)"), max_length=400, blank=True)
    body = models.TextField(_("testo"))
    body_en = models.TextField(_("testo (inglese)"), blank=True)
    published_at = models.DateTimeField(_("data di pubblicazione"), default=timezone.now, db_index=True)
    is_published = models.BooleanField(_("pubblicata"), default=False)
    topics = models.ManyToManyField(Topic, verbose_name=_("argomenti"), blank=True, related_name="news")

    class Meta:
        verbose_name = _("notizia o comunicato")
        verbose_name_plural = _("notizie e comunicati")
        ordering = ["-published_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("portal:news_detail", kwargs={"slug": self.slug})


class Event(Bilingual):
    """A public event of the programme (information sessions, meetings with the territory)."""

    slug = models.SlugField(_("indirizzo breve"), max_length=120, unique=True)
    title = models.CharField(_("titolo"), max_length=200)
    title_en = models.CharField(_("titolo (inglese)"), max_length=200, blank=True)
    summary = models.CharField(_("sintesi"), max_length=400)
    summary_en = models.CharField(_("sintesi (inglese)"), max_length=400, blank=True)
    body = models.TextField(_("descrizione"))
    body_en = models.TextField(_("descrizione (inglese)"), blank=True)
    starts_at = models.DateTimeField(_("inizio"), db_index=True)
    ends_at = models.DateTimeField(_("fine"))
    office = models.ForeignKey(Office, verbose_name=_("luogo"), null=True, blank=True, on_delete=models.SET_NULL)
    location = models.CharField(_("luogo (se non è un ufficio)"), max_length=200, blank=True)
    location_en = models.CharField(_("luogo (inglese)"), max_length=200, blank=True)
    is_published = models.BooleanField(_("pubblicato"), default=False)
    topics = models.ManyToManyField(Topic, verbose_name=_("argomenti"), blank=True, related_name="events")

    class Meta:
        verbose_name = _("evento")
        verbose_name_plural = _("eventi")
        ordering = ["starts_at", "pk"]
        constraints = [
            models.CheckConstraint(condition=Q(ends_at__gte=models.F("starts_at")), name="event_ends_after_start")
        ]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("portal:event", kwargs={"slug": self.slug})


class FeedbackAnswer(models.TextChoices):
    """The follow-up answers of the model's rating component (positive for 4-5 stars, negative for 1-3)."""

    CLEAR = "clear", _("Le indicazioni erano chiare")
    COMPLETE = "complete", _("Le indicazioni erano complete")
    ON_TRACK = "on-track", _("Capivo sempre che stavo procedendo correttamente")
    NO_TECH = "no-tech", _("Non ho avuto problemi tecnici")
    OTHER_POSITIVE = "other-positive", _("Altro")
    UNCLEAR = "unclear", _("A volte le indicazioni non erano chiare")
    INCOMPLETE = "incomplete", _("A volte le indicazioni non erano complete")
    LOST = "lost", _("A volte non capivo se stavo procedendo correttamente")
    TECH = "tech", _("Ho avuto problemi tecnici")
    OTHER_NEGATIVE = "other-negative", _("Altro")


POSITIVE_ANSWERS = [
    FeedbackAnswer.CLEAR,
    FeedbackAnswer.COMPLETE,
    FeedbackAnswer.ON_TRACK,
    FeedbackAnswer.NO_TECH,
    FeedbackAnswer.OTHER_POSITIVE,
]
NEGATIVE_ANSWERS = [
    FeedbackAnswer.UNCLEAR,
    FeedbackAnswer.INCOMPLETE,
    FeedbackAnswer.LOST,
    FeedbackAnswer.TECH,
    FeedbackAnswer.OTHER_NEGATIVE,
]
# Ratings above this are positive (the model: 1-3 ask where the difficulties were).
POSITIVE_THRESHOLD = 3


class Feedback(models.Model):
    """One answer to "Quanto sono chiare le informazioni su questa pagina?".

    Holds no personal data: no account, no address, no browser details, the day only; the
    free text is stripped of e-mail addresses, phone numbers and codici fiscali."""

    page = models.CharField(_("pagina"), max_length=200, db_index=True)
    rating = models.PositiveSmallIntegerField(_("valutazione"))
    answer = models.CharField(_("risposta"), max_length=20, choices=FeedbackAnswer.choices, blank=True)
    details = models.CharField(_("dettagli"), max_length=200, blank=True)
    language = models.CharField(_("lingua"), max_length=5)
    created_on = models.DateField(_("data"), default=timezone.localdate)
    submission = models.UUIDField(_("identificativo dell'invio"), unique=True)

    class Meta:
        verbose_name = _("valutazione di una pagina")
        verbose_name_plural = _("valutazioni delle pagine")
        ordering = ["-created_on", "-pk"]
        constraints = [models.CheckConstraint(condition=Q(rating__gte=1, rating__lte=5), name="feedback_rating_1_5")]

    def __str__(self):
        return "%s: %d" % (self.page, self.rating)


class AvailabilitySlot(models.Model):
    """A published slot of an office's availability; one appointment at most."""

    office = models.ForeignKey(Office, verbose_name=_("ufficio"), on_delete=models.PROTECT, related_name="slots")
    starts_at = models.DateTimeField(_("inizio"), db_index=True)
    ends_at = models.DateTimeField(_("fine"))
    is_published = models.BooleanField(_("pubblicata"), default=True)

    class Meta:
        verbose_name = _("disponibilità")
        verbose_name_plural = _("disponibilità")
        ordering = ["starts_at", "office"]
        constraints = [
            models.UniqueConstraint(fields=["office", "starts_at"], name="slot_unique_start_per_office"),
            models.CheckConstraint(condition=Q(ends_at__gt=models.F("starts_at")), name="slot_ends_after_start"),
        ]

    def __str__(self):
        return "%s, %s" % (self.office, timezone.localtime(self.starts_at).strftime("%d/%m/%Y %H:%M"))

    @property
    def local_day(self):
        return timezone.localdate(self.starts_at)


class AppointmentStatus(models.TextChoices):
    BOOKED = "booked", _("Prenotato")
    CANCELLED = "cancelled", _("Annullato")


class Appointment(models.Model):
    """A booking of a slot for a service. The cancellation link carries a random token; only
    its SHA-256 is stored, so neither the link nor the database reveals the other."""

    slot = models.ForeignKey(
        AvailabilitySlot, verbose_name=_("disponibilità"), on_delete=models.PROTECT, related_name="appointments"
    )
    service = models.ForeignKey(Service, verbose_name=_("servizio"), on_delete=models.PROTECT, related_name="+")
    status = models.CharField(
        _("stato"), max_length=10, choices=AppointmentStatus.choices, default=AppointmentStatus.BOOKED
    )
    first_name = models.CharField(_("nome"), max_length=100)
    last_name = models.CharField(_("cognome"), max_length=100)
    email = models.EmailField(_("e-mail"))
    phone = models.CharField(_("telefono"), max_length=30, blank=True)
    message = models.TextField(_("motivo dell'appuntamento"), max_length=500, blank=True)
    language = models.CharField(_("lingua"), max_length=5, default="it")
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    cancel_token_sha256 = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("prenotato il"), auto_now_add=True)
    cancelled_at = models.DateTimeField(_("annullato il"), null=True, blank=True)
    anonymised_at = models.DateTimeField(_("dati personali cancellati il"), null=True, blank=True)

    class Meta:
        verbose_name = _("appuntamento")
        verbose_name_plural = _("appuntamenti")
        ordering = ["slot__starts_at"]
        constraints = [
            # The database itself refuses a second live booking of one slot.
            models.UniqueConstraint(
                fields=["slot"], condition=Q(status="booked"), name="appointment_one_booking_per_slot"
            )
        ]

    def __str__(self):
        return "%s %s, %s" % (self.first_name, self.last_name, self.slot)
