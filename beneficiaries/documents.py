"""The pact (patto) of a support plan as a tagged PDF/UA-1, in Italian, to be signed.

Rendered only from the plan's data at the moment of the request: the same plan gives the same
HTML (and source hash), so a regeneration without changes adds no version.
"""

from django.template.loader import render_to_string
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from housingmix.core.pdf import PDF_LANGUAGE, pdf_context

from .models import SupportPlan


def pact_html(*, plan: SupportPlan) -> tuple[str, str]:
    """The pact's HTML and title (always in Italian)."""
    household = plan.household
    with translation.override(PDF_LANGUAGE):
        title = _("Patto per il progetto personalizzato - nucleo %(code)s") % {"code": household.code}
        html = render_to_string(
            "beneficiaries/pdf/pact.html",
            pdf_context(
                title=title,
                household=household,
                plan=plan,
                members=list(household.members.order_by("pk")),
                goals=list(plan.goals.all()),
                worker=household.social_worker,
            ),
        )
    return html, title


def pact_filename(*, plan: SupportPlan, version: int) -> str:
    base = "patto-%s" % plan.household.code.lower()
    return "%s%s.pdf" % (base, "" if version == 1 else "-v%d" % version)


def subject_access_html(*, household, officer, trail: list) -> tuple[str, str]:
    """The access-request report (GDPR art. 15) of one household: the data held, special
    categories included, and the audit trail of every access and change (always in Italian)."""
    plan = getattr(household, "plan", None)
    with translation.override(PDF_LANGUAGE):
        title = _("Diritto di accesso - nucleo %(code)s") % {"code": household.code}
        html = render_to_string(
            "beneficiaries/pdf/subject_access.html",
            pdf_context(
                title=title,
                household=household,
                plan=plan,
                members=list(household.members.order_by("pk")),
                goals=list(plan.goals.all()) if plan else [],
                actions=list(plan.actions.select_related("operator")) if plan else [],
                matches=list(household.matches.select_related("entry")),
                placements=list(household.placements.select_related("entry__unit")),
                trail=trail,
                officer=officer,
                generated_at=timezone.localtime(),
            ),
        )
    return html, title


def subject_access_filename(*, household) -> str:
    return "accesso-nucleo-%d.pdf" % household.pk
