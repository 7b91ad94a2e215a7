from django.conf import settings
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from .models import NEGATIVE_ANSWERS, POSITIVE_ANSWERS

# Pages that carry the page-clarity rating: the home page, the first- and second-level pages of
# the model and the service sheets, as url names ("namespace:name"). Forms and the personal
# area do not: a rating there would be about a task, not about information.
FEEDBACK_PAGES = {
    "home",
    "notices:list",
    "notices:archive",
    "notices:detail",
    "notices:faq",
    "privacy",
    "accessibility",
    "legal_notes",
    "report",
}
FEEDBACK_NAMESPACES = {"portal"}
FEEDBACK_EXCLUDED = {"portal:booking", "portal:booking_done", "portal:booking_cancel", "portal:feedback"}

# Which item of the main menu a page belongs to (highlighted in the header).
NAV_SECTIONS = {
    "portal:management": "management",
    "portal:governing_bodies": "management",
    "portal:offices": "management",
    "portal:office": "management",
    "portal:bodies": "management",
    "portal:documents": "management",
    "portal:news": "news",
    "portal:news_list": "news",
    "portal:releases": "news",
    "portal:news_detail": "news",
    "notices": "news",
    "portal:services": "services",
    "portal:service_category": "services",
    "portal:service": "services",
    "portal:booking": "services",
    "portal:booking_done": "services",
    "portal:booking_cancel": "services",
    "portal:live": "live",
    "portal:places": "live",
    "portal:events": "live",
    "portal:event": "live",
}


def portal_model(request):
    """Flags of the municipal model for base.html: whether this page carries the rating
    component, and where the footer's accessibility statement link points."""
    match = getattr(request, "resolver_match", None)
    name = match.view_name if match else ""
    feedback = name not in FEEDBACK_EXCLUDED and (
        name in FEEDBACK_PAGES or (match is not None and match.namespace in FEEDBACK_NAMESPACES)
    )
    context = {
        "feedback_enabled": feedback,
        "accessibility_statement_url": settings.ACCESSIBILITY_STATEMENT_URL,
        "nav_section": NAV_SECTIONS.get(name) or NAV_SECTIONS.get(match.namespace if match else "", ""),
    }
    if name == "privacy":
        context["technical_cookies"] = technical_cookies()
        context["appointment_retention_days"] = settings.APPOINTMENT_RETENTION_DAYS
    if feedback:
        context["feedback_positive_answers"] = [(a.value, a.label) for a in POSITIVE_ANSWERS]
        context["feedback_negative_answers"] = [(a.value, a.label) for a in NEGATIVE_ANSWERS]
    return context


def technical_cookies() -> list[dict]:
    """The only cookies the portal sets, named as the settings name them (privacy notice)."""
    hours = settings.SESSION_COOKIE_AGE // 3600
    days = settings.CSRF_COOKIE_AGE // 86400
    return [
        {
            "name": settings.SESSION_COOKIE_NAME,
            "purpose": _("Mantiene l'accesso all'area personale e i passaggi di un modulo, come la prenotazione."),
            "duration": ngettext(
                "Fino alla chiusura del browser dopo l'accesso; al massimo %(hours)d ora negli altri casi",
                "Fino alla chiusura del browser dopo l'accesso; al massimo %(hours)d ore negli altri casi",
                hours,
            )
            % {"hours": hours},
        },
        {
            "name": settings.CSRF_COOKIE_NAME,
            "purpose": _("Protegge i moduli dall'invio da parte di altri siti (CSRF)."),
            "duration": ngettext("%(days)d giorno", "%(days)d giorni", days) % {"days": days},
        },
    ]
