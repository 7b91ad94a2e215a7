"""Communications of the review as tagged PDF/UA-1 in Italian: request for documents,
site visit report, preavviso di diniego and outcome letter.

Uses the shared WeasyPrint helpers (``housingmix.core.pdf``), so every
portal PDF has the same header, fonts and page numbers.
"""

from django.template.loader import render_to_string
from django.utils import translation
from django.utils.translation import gettext as _

from housingmix.core.pdf import PDF_LANGUAGE, pdf_context
from properties.fitness import unit_fit

from ..models import (
    Decision,
    DecisionKind,
    GeneratedKind,
    InfoRequest,
    SiteVisit,
    UnitOutcomeKind,
)
from .selectors import visit_checklists


def _title(kind: str, source) -> str:
    if kind == GeneratedKind.INFO_REQUEST:
        return _("Richiesta di integrazione documentale")
    if kind == GeneratedKind.SITE_VISIT_REPORT:
        return _("Verbale di sopralluogo")
    if kind == GeneratedKind.REFUSAL_NOTICE:
        return _("Preavviso di diniego")
    if source.kind == DecisionKind.ELIGIBLE:
        return _("Comunicazione di esito: manifestazione idonea")
    return _("Comunicazione di esito: manifestazione non idonea")


def _source(kind: str, source_id: int):
    if kind == GeneratedKind.INFO_REQUEST:
        return InfoRequest.objects.select_related("application__notice", "protocol").get(pk=source_id)
    if kind == GeneratedKind.SITE_VISIT_REPORT:
        return SiteVisit.objects.select_related("application__notice", "recorded_by").get(pk=source_id)
    return Decision.objects.select_related("application__notice", "protocol", "decided_by").get(pk=source_id)


def communication_html(*, kind: str, source_id: int) -> tuple[str, str, str]:
    """The HTML of a communication, its download file name and its title; same inputs, same HTML."""
    with translation.override(PDF_LANGUAGE):
        source = _source(kind, source_id)
        application = source.application
        title = _title(kind, source)
        units = list(application.units.select_related("comune").order_by("position", "pk"))
        context = pdf_context(
            title=title,
            kind=kind,
            source=source,
            application=application,
            units=units,
            eligible_units=list(source.units.order_by("position", "pk")) if isinstance(source, Decision) else [],
            unit_outcomes=list(source.unit_outcomes.select_related("unit__comune"))
            if isinstance(source, Decision)
            else [],
            UnitOutcomeKind=UnitOutcomeKind,
            fits=[(u, unit_fit(u)) for u in units],
            visit_checklists=visit_checklists(source.outcomes, units) if isinstance(source, SiteVisit) else [],
            visited_units=list(source.units.select_related("comune").order_by("position", "pk"))
            if isinstance(source, SiteVisit)
            else [],
            GeneratedKind=GeneratedKind,
            DecisionKind=DecisionKind,
        )
        html = render_to_string("review/pdf/communication.html", context)
    filename = "%s-%s.pdf" % (kind.replace("_", "-"), application.protocol.number if application.protocol_id else "")
    return html, filename, title
