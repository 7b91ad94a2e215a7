"""Reads of the municipal model's pages, with their joins done here."""

from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db.models import Avg, Count, Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils import timezone

from housingmix.notices import selectors as notice_selectors
from housingmix.notices.models import Notice
from housingmix.territory.selectors import ambito_current

from .models import (
    Appointment,
    AppointmentStatus,
    AvailabilitySlot,
    Event,
    Feedback,
    News,
    Office,
    OnlineAccess,
    Service,
    ServiceCategory,
    Topic,
)

# A slot can be booked until this long before it starts, so the office sees it in its agenda.
BOOKING_LEAD_TIME = timedelta(hours=2)


# --- Services -----------------------------------------------------------------------------
def service_list_published() -> QuerySet[Service]:
    return Service.objects.filter(is_published=True).select_related("office").order_by("order", "title")


def service_categories_in_use() -> list[dict]:
    """The model's categories that have at least one published service, in the model's order."""
    counts = {
        row["category"]: row["n"]
        for row in service_list_published().order_by().values("category").annotate(n=Count("pk"))
    }
    return [
        {"value": value, "label": label, "count": counts[value]}
        for value, label in ServiceCategory.choices
        if value in counts
    ]


def service_list_by_category(*, category: str) -> QuerySet[Service]:
    return service_list_published().filter(category=category)


def service_get_published(*, slug: str) -> Service | None:
    return (
        service_list_published().prefetch_related("topics", "milestones", "booking_offices").filter(slug=slug).first()
    )


@dataclass
class ServiceAccess:
    """Where a service sheet's "Accedi al servizio" leads, resolved now (the open notice)."""

    notice: Notice | None
    online_url: str
    is_active: bool
    booking_url: str


def _service_notice(service: Service) -> Notice | None:
    if service.notice_id and service.notice.is_public:
        return service.notice
    if service.notice_kind:
        open_notice = notice_selectors.notice_list_open().filter(kind=service.notice_kind).order_by("-opens_at").first()
        if open_notice is not None:
            return open_notice
        return notice_selectors.notice_list_public().filter(kind=service.notice_kind).first()
    return None


def service_access(*, service: Service) -> ServiceAccess:
    """The online way in (the notice's form only while it is open), the booking, the state."""
    notice = _service_notice(service)
    online_url = ""
    is_active = True
    if service.online_access == OnlineAccess.NOTICE:
        is_active = notice is not None and notice.is_open
        if is_active:
            online_url = reverse("notices:participate", kwargs={"slug": notice.slug})
    elif service.online_access == OnlineAccess.REPORT:
        online_url = reverse("report")
    elif service.online_access == OnlineAccess.BOOKING:
        online_url = reverse("portal:booking")
    booking_url = ""
    if service.bookable:
        booking_url = "%s?service=%s" % (reverse("portal:booking"), service.slug)
    return ServiceAccess(notice=notice, online_url=online_url, is_active=is_active, booking_url=booking_url)


def service_calendar(*, service: Service, notice: Notice | None) -> list[dict]:
    """The "Tempi e scadenze" list: the call's dates when there is one, then the sheet's steps."""
    steps = []
    if notice is not None:
        steps.append({"date": timezone.localtime(notice.opens_at), "label": "opens", "milestone": None})
        steps.append({"date": timezone.localtime(notice.closes_at), "label": "closes", "milestone": None})
    steps.extend({"date": None, "label": "", "milestone": m} for m in service.milestones.all())
    return steps


def service_documents(*, notice: Notice | None) -> list:
    """The latest version of each document of the service's call (the conditions of service)."""
    if notice is None:
        return []
    return [series["latest"] for series in notice_selectors.notice_documents(notice=notice)]


def service_metadata(*, service: Service, access: ServiceAccess, page_url: str) -> dict:
    """schema.org GovernmentService, as the model's metadata for a service sheet."""
    ambito = ambito_current()
    office = service.office
    return {
        "@context": "https://schema.org",
        "@type": "GovernmentService",
        "name": service.tr("title"),
        "description": service.tr("summary"),
        "serviceType": service.get_category_display(),
        "serviceOperator": {"@type": "GovernmentOrganization", "name": ambito.name if ambito else office.name},
        "areaServed": {"@type": "AdministrativeArea", "name": ambito.name if ambito else office.city},
        "audience": {"@type": "Audience", "audienceType": service.get_audience_type_display()},
        "availableChannel": {
            "@type": "ServiceChannel",
            "name": service.tr("title"),
            "serviceUrl": settings.SITE_URL + (access.online_url or access.booking_url or page_url),
            "serviceLocation": {
                "@type": "Place",
                "name": office.tr("name"),
                "address": {
                    "@type": "PostalAddress",
                    "streetAddress": office.street_address,
                    "postalCode": office.postcode,
                    "addressLocality": office.city,
                },
            },
        },
    }


# --- Topics, news, events, offices ----------------------------------------------------------
def topic_list() -> QuerySet[Topic]:
    return Topic.objects.order_by("order", "name")


def topic_get(*, slug: str) -> Topic | None:
    return Topic.objects.filter(slug=slug).first()


def topic_content(*, topic: Topic) -> dict:
    """What is tagged with ``topic`` and public: notices, services, news, events."""
    return {
        "notices": list(notice_selectors.notice_list_public().filter(portal_topics=topic)[:20]),
        "services": list(service_list_published().filter(topics=topic)),
        "news": list(news_list_published().filter(topics=topic)[:20]),
        "events": list(event_list_published().filter(topics=topic)[:20]),
    }


def news_list_published(*, kind: str | None = None) -> QuerySet[News]:
    queryset = News.objects.filter(is_published=True, published_at__lte=timezone.now())
    if kind:
        queryset = queryset.filter(kind=kind)
    return queryset.order_by("-published_at", "-pk")


def news_get_published(*, slug: str) -> News | None:
    return news_list_published().prefetch_related("topics").filter(slug=slug).first()


def event_list_published() -> QuerySet[Event]:
    return Event.objects.filter(is_published=True).select_related("office")


def event_list_upcoming() -> QuerySet[Event]:
    return event_list_published().filter(ends_at__gte=timezone.now()).order_by("starts_at")


def event_list_past() -> QuerySet[Event]:
    return event_list_published().filter(ends_at__lt=timezone.now()).order_by("-starts_at")


def event_get_published(*, slug: str) -> Event | None:
    return event_list_published().prefetch_related("topics").filter(slug=slug).first()


def office_list_active() -> QuerySet[Office]:
    return Office.objects.filter(is_active=True).select_related("comune").order_by("order", "name")


def office_get_active(*, slug: str) -> Office | None:
    return (
        office_list_active()
        .prefetch_related(Prefetch("services", queryset=service_list_published()))
        .filter(slug=slug)
        .first()
    )


def public_acts() -> list[dict]:
    """Documenti e dati: each public notice with its act and the latest version of its documents."""
    acts = []
    for notice in notice_selectors.notice_list_public()[:30]:
        acts.append({"notice": notice, "documents": service_documents(notice=notice)})
    return acts


# --- Booking --------------------------------------------------------------------------------
def booking_offices() -> QuerySet[Office]:
    """Active offices that receive by appointment for at least one published service."""
    return (
        office_list_active().filter(bookable_services__is_published=True, bookable_services__bookable=True).distinct()
    )


def booking_services(*, office: Office | None) -> QuerySet[Service]:
    queryset = service_list_published().filter(bookable=True)
    if office is not None:
        queryset = queryset.filter(booking_offices=office)
    return queryset.distinct()


def slots_free(*, office: Office) -> QuerySet[AvailabilitySlot]:
    """Published, future, not yet booked slots of ``office`` in the booking window."""
    now = timezone.now()
    booked = Appointment.objects.filter(slot=OuterRef("pk"), status=AppointmentStatus.BOOKED)
    return (
        AvailabilitySlot.objects.filter(
            office=office,
            is_published=True,
            starts_at__gte=now + BOOKING_LEAD_TIME,
            starts_at__lt=now + timedelta(weeks=settings.BOOKING_WEEKS_AHEAD),
        )
        .exclude(Exists(booked))
        .order_by("starts_at")
    )


def agenda(*, office: Office | None = None, day=None) -> QuerySet[Appointment]:
    """The staff's agenda: live appointments from ``day`` (today by default) on."""
    day = day or timezone.localdate()
    queryset = Appointment.objects.filter(
        status=AppointmentStatus.BOOKED, slot__starts_at__date__gte=day
    ).select_related("slot__office", "service")
    if office is not None:
        queryset = queryset.filter(slot__office=office)
    return queryset.order_by("slot__starts_at")


# --- Feedback -------------------------------------------------------------------------------
def feedback_results() -> list[dict]:
    """Per page: how many ratings, their mean, how many of each value and the answers chosen."""
    rows = (
        Feedback.objects.values("page")
        .annotate(
            count=Count("pk"),
            mean=Avg("rating"),
            **{"r%d" % value: Count("pk", filter=Q(rating=value)) for value in range(1, 6)},
        )
        .order_by("-count", "page")
    )
    answers = {}
    for page, answer, count in (
        Feedback.objects.exclude(answer="").values_list("page", "answer").annotate(n=Count("pk")).order_by("-n")
    ):
        answers.setdefault(page, []).append((answer, count))
    return [
        {
            "page": row["page"],
            "count": row["count"],
            "mean": row["mean"],
            "distribution": [row["r%d" % value] for value in range(1, 6)],
            "answers": answers.get(row["page"], []),
        }
        for row in rows
    ]
