"""The steps of the proposal draft (core.drafts.Step)."""

from django.utils.translation import gettext_lazy as _

from housingmix.core.drafts import Step

STEPS = [
    Step("body", _("Ente e proposta"), "projects:proposal_step"),
    Step("declarations", _("Dichiarazioni"), "projects:proposal_step"),
    Step("actions", _("Linee di azione"), "projects:proposal_step"),
    Step("budget", _("Budget delle risorse"), "projects:proposal_step"),
    Step("summary", _("Riepilogo e invio"), "projects:proposal_step"),
]
STEP_SLUGS = [step.slug for step in STEPS]
