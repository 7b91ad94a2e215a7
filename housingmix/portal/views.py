"""Pages of the municipal model: Amministrazione, Novità, Servizi, Vivere l'Ambito, Argomenti,
the service sheets, the appointment booking and the page-clarity rating."""

import uuid

from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.core.validators import slug_re
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_POST

from housingmix.core.caching import public_page
from housingmix.core.views import permission_denied, too_many_requests
from housingmix.notices import selectors as notice_selectors
from housingmix.territory.selectors import ambito_current, comune_list

from . import selectors, services
from .forms import BookingChoiceForm, BookingForm, FeedbackForm
from .models import NEGATIVE_ANSWERS, POSITIVE_ANSWERS, POSITIVE_THRESHOLD, AppointmentStatus, NewsKind, ServiceCategory
from .ratelimit import rate_limit_hit

PAGE_SIZE = 12
BOOKING_SESSION_KEY = "portal_booking_done"


def _page(request, queryset):
    return Paginator(queryset, PAGE_SIZE).get_page(request.GET.get("page"))


# --- Home -------------------------------------------------------------------------------------
@public_page
def home(request):
    """The home page (template of the notices app): open calls, services, topics, the programme."""
    return render(
        request,
        "notices/home.html",
        {
            "open_notices": notice_selectors.notice_list_open()[:6],
            "services": selectors.service_list_published()[:3],
            "topics": selectors.topic_list()[:6],
        },
    )


# --- Amministrazione ------------------------------------------------------------------------
@public_page
def management(request):
    return render(request, "portal/management.html", {"offices": selectors.office_list_active()[:3]})


@public_page
def governing_bodies(request):
    return render(request, "portal/governing_bodies.html")


@public_page
def offices(request):
    return render(request, "portal/office_list.html", {"offices": selectors.office_list_active()})


@public_page
def office(request, slug):
    item = selectors.office_get_active(slug=slug)
    if item is None:
        raise Http404
    return render(request, "portal/office_detail.html", {"office": item})


@public_page
def bodies(request):
    ambito = ambito_current()
    comuni = comune_list(ambito=ambito) if ambito else []
    return render(request, "portal/bodies.html", {"comuni": comuni})


@public_page
def documents(request):
    return render(
        request,
        "portal/documents.html",
        {"acts": selectors.public_acts(), "faq_documents": notice_selectors.notice_documents(notice=None)},
    )


# --- Novità ---------------------------------------------------------------------------------
@public_page
def news_index(request):
    return render(
        request,
        "portal/news_index.html",
        {
            "latest_news": selectors.news_list_published(kind=NewsKind.NEWS)[:3],
            "latest_releases": selectors.news_list_published(kind=NewsKind.RELEASE)[:3],
            "open_notices": notice_selectors.notice_list_open()[:3],
        },
    )


def _news_list(request, kind, template):
    return render(request, template, {"page_obj": _page(request, selectors.news_list_published(kind=kind))})


@public_page
def news_list(request):
    return _news_list(request, NewsKind.NEWS, "portal/news_list.html")


@public_page
def releases(request):
    return _news_list(request, NewsKind.RELEASE, "portal/release_list.html")


@public_page
def news_detail(request, slug):
    item = selectors.news_get_published(slug=slug)
    if item is None:
        raise Http404
    return render(request, "portal/news_detail.html", {"item": item, "is_release": item.kind == NewsKind.RELEASE})


# --- Servizi --------------------------------------------------------------------------------
@public_page
def services_index(request):
    return render(
        request,
        "portal/services_index.html",
        {"categories": selectors.service_categories_in_use(), "services": selectors.service_list_published()},
    )


@public_page
def service_category(request, category):
    if category not in ServiceCategory.values:
        raise Http404
    return render(
        request,
        "portal/service_category.html",
        {
            "category": ServiceCategory(category),
            "services": selectors.service_list_by_category(category=category),
        },
    )


@public_page
def service(request, slug):
    item = selectors.service_get_published(slug=slug)
    if item is None:
        raise Http404
    access = selectors.service_access(service=item)
    return render(
        request,
        "portal/service_detail.html",
        {
            "service": item,
            "access": access,
            "category": ServiceCategory(item.category),
            "calendar": selectors.service_calendar(service=item, notice=access.notice),
            "documents": selectors.service_documents(notice=access.notice),
            "metadata": selectors.service_metadata(service=item, access=access, page_url=request.path),
        },
    )


# --- Vivere l'Ambito ------------------------------------------------------------------------
@public_page
def live(request):
    return render(
        request,
        "portal/live.html",
        {"events": selectors.event_list_upcoming()[:3], "offices": selectors.office_list_active()[:3]},
    )


@public_page
def places(request):
    return render(request, "portal/places.html", {"offices": selectors.office_list_active()})


@public_page
def events(request):
    return render(
        request,
        "portal/event_list.html",
        {"upcoming": selectors.event_list_upcoming(), "past": selectors.event_list_past()[:12]},
    )


@public_page
def event(request, slug):
    item = selectors.event_get_published(slug=slug)
    if item is None:
        raise Http404
    return render(request, "portal/event_detail.html", {"event": item})


# --- Argomenti ------------------------------------------------------------------------------
@public_page
def topics(request):
    return render(request, "portal/topic_list.html", {"topics": selectors.topic_list()})


@public_page
def topic(request, slug):
    item = selectors.topic_get(slug=slug)
    if item is None:
        raise Http404
    return render(request, "portal/topic_detail.html", {"topic": item, **selectors.topic_content(topic=item)})


# --- Page-clarity rating --------------------------------------------------------------------
def _same_origin(request) -> bool:
    """The rating is posted from the portal's own (cached, token-less) pages: instead of a
    CSRF token, refuse what a browser marks as coming from another site."""
    origin = request.headers.get("Origin")
    if origin:
        allowed = {"%s://%s" % (request.scheme, request.get_host()), *settings.CSRF_TRUSTED_ORIGINS}
        return origin in allowed
    fetch_site = request.headers.get("Sec-Fetch-Site")
    if fetch_site:
        return fetch_site in ("same-origin", "none")
    return True


def _safe_page(value: str) -> str:
    """The rated page, as a local path only (it is shown as a link back)."""
    value = (value or "/").split("?", 1)[0]
    return value if value.startswith("/") and not value.startswith("//") else "/"


def _feedback_followup(request, data, status=200, error=""):
    rating = data["rating"]
    positive = rating > POSITIVE_THRESHOLD
    return render(
        request,
        "portal/feedback_followup.html",
        {
            "page": _safe_page(data["page"]),
            "rating": rating,
            "positive": positive,
            "answers": POSITIVE_ANSWERS if positive else NEGATIVE_ANSWERS,
            "submission": data.get("submission") or uuid.uuid4(),
            "error": error,
        },
        status=status,
    )


@csrf_exempt  # see _same_origin: the form sits on pages cached for every visitor
@require_POST
def feedback(request):
    """Store a page rating. With the ES module the whole rating arrives at once (JSON reply);
    without JavaScript, the first post brings the stars and the follow-up is asked on a page."""
    wants_json = "application/json" in request.headers.get("Accept", "")
    if not _same_origin(request):
        return permission_denied(request)
    if rate_limit_hit(request, scope="feedback", limit=settings.FEEDBACK_RATE_LIMIT_PER_HOUR):
        if wants_json:
            return JsonResponse({"ok": False, "error": _("Troppe valutazioni inviate: riprova più tardi.")}, status=429)
        return too_many_requests(request)
    form = FeedbackForm(request.POST)
    if not form.is_valid():
        if wants_json:
            return JsonResponse({"ok": False, "error": _("Scegli una valutazione da 1 a 5 stelle.")}, status=400)
        messages.error(request, _("Scegli una valutazione da 1 a 5 stelle."))
        return redirect(_safe_page(request.POST.get("page", "/")))
    data = form.cleaned_data
    if not data["final"] and not wants_json:
        return _feedback_followup(request, data)
    try:
        services.feedback_record(
            page=data["page"],
            rating=data["rating"],
            answer=data["answer"],
            details=data["details"],
            language=get_language() or "it",
            submission=data["submission"] or uuid.uuid4(),
        )
    except ValidationError as error:
        if wants_json:
            return JsonResponse({"ok": False, "error": " ".join(error.messages)}, status=400)
        return _feedback_followup(request, data, status=400, error=" ".join(error.messages))
    if wants_json:
        return JsonResponse({"ok": True})
    return render(request, "portal/feedback_thanks.html", {"page": _safe_page(data["page"])})


# --- Appointments ---------------------------------------------------------------------------
def _slug_or_empty(value: str) -> str:
    return value if slug_re.fullmatch(value) else ""


def booking(request):
    """Book an appointment: office and service first (GET), then a free slot and one's data."""
    source = request.POST if request.method == "POST" else request.GET
    offices = selectors.booking_offices()
    # Only well-formed slugs reach the database (a NUL byte or markup is simply no choice).
    office_slug = _slug_or_empty(source.get("office", ""))
    service_slug = _slug_or_empty(source.get("service", ""))
    # From a service sheet only the service is known: its office, when it has one only.
    if service_slug and not office_slug:
        candidates = list(offices.filter(bookable_services__slug=service_slug)[:2])
        if len(candidates) == 1:
            office_slug = candidates[0].slug
    selected_office = offices.filter(slug=office_slug).first() if office_slug else None
    choice = BookingChoiceForm(
        {"office": office_slug, "service": service_slug} if (office_slug or service_slug) else None,
        offices=offices,
        services=selectors.booking_services(office=selected_office),
    )
    form = None
    if choice.is_bound and choice.is_valid():
        office = choice.cleaned_data["office"]
        chosen_service = choice.cleaned_data["service"]
        slots = selectors.slots_free(office=office)
        if request.method == "POST":
            if rate_limit_hit(request, scope="booking", limit=settings.BOOKING_RATE_LIMIT_PER_HOUR):
                return too_many_requests(request)
            form = BookingForm(request.POST, slots=slots)
            if form.is_valid():
                data = form.cleaned_data
                try:
                    appointment, _token = services.appointment_book(
                        slot_id=data["slot"].pk,
                        service=chosen_service,
                        first_name=data["first_name"],
                        last_name=data["last_name"],
                        email=data["email"],
                        phone=data["phone"],
                        message=data["message"],
                        language=get_language() or "it",
                        user=request.user,
                    )
                except services.SlotUnavailable:
                    messages.error(
                        request, _("L'orario scelto è stato appena prenotato da un'altra persona: scegline un altro.")
                    )
                    form = BookingForm(initial=_initial(request, data), slots=selectors.slots_free(office=office))
                else:
                    request.session[BOOKING_SESSION_KEY] = appointment.pk
                    return redirect("portal:booking_done")
        else:
            form = BookingForm(initial=_initial(request, {}), slots=slots)
    response = render(
        request,
        "portal/booking.html",
        {"choice": choice, "form": form, "offices": offices, "retention_days": settings.APPOINTMENT_RETENTION_DAYS},
    )
    patch_cache_control(response, private=True, no_store=True)
    return response


def _initial(request, data):
    initial = {key: data.get(key, "") for key in ("first_name", "last_name", "email", "phone", "message")}
    user = request.user
    if user.is_authenticated:
        initial["first_name"] = initial["first_name"] or user.first_name
        initial["last_name"] = initial["last_name"] or user.last_name
        initial["email"] = initial["email"] or user.email
    return initial


def booking_done(request):
    appointment_id = request.session.get(BOOKING_SESSION_KEY)
    appointment = (
        selectors.agenda(day=timezone.localdate()).filter(pk=appointment_id).first() if appointment_id else None
    )
    if appointment is None:
        return redirect("portal:booking")
    response = render(request, "portal/booking_done.html", {"appointment": appointment})
    patch_cache_control(response, private=True, no_store=True)
    return response


def booking_cancel(request, token):
    """The e-mail's link: shows the appointment, and cancels it on confirmation (POST)."""
    appointment = services.appointment_get_by_token(token=token)
    if appointment is None:
        raise Http404
    is_past = appointment.slot.starts_at <= timezone.now()
    cancelled_now = False
    if request.method == "POST" and not is_past and appointment.status == AppointmentStatus.BOOKED:
        appointment = services.appointment_cancel(appointment=appointment, by=request.user)
        cancelled_now = True
    response = render(
        request,
        "portal/booking_cancel.html",
        {
            "appointment": appointment,
            "is_past": is_past,
            "cancelled_now": cancelled_now,
            "booking_url": reverse("portal:booking"),
        },
    )
    patch_cache_control(response, private=True, no_store=True)
    return response
