from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _verbs():
    from housingmix.core.audit import Verb

    return {
        "household.referred": Verb(_("Nucleo segnalato")),
        "household.updated": Verb(_("Dati del nucleo aggiornati")),
        "household.member_added": Verb(_("Componente aggiunto")),
        "household.pseudonymised": Verb(_("Nucleo pseudonimizzato")),
        "household.erased": Verb(_("Dati del nucleo cancellati")),
        "household.exported": Verb(_("Esportazione per diritto di accesso")),
        "household.project_linked": Verb(_("Progetto di co-progettazione collegato")),
        "plan.assessment_started": Verb(_("Valutazione avviata")),
        "plan.drafting_started": Verb(_("Redazione del progetto avviata")),
        "plan.pact_signed": Verb(_("Patto sottoscritto")),
        "plan.placed": Verb(_("Inserito in alloggio")),
        "plan.activated": Verb(_("Progetto avviato")),
        "plan.extended": Verb(_("Progetto prorogato")),
        "plan.ended_positive": Verb(_("Concluso con autonomia abitativa")),
        "plan.ended_negative": Verb(_("Concluso senza autonomia")),
        "plan.interrupted": Verb(_("Progetto interrotto")),
        "plan.goal_added": Verb(_("Obiettivo aggiunto")),
        "plan.reviewed": Verb(_("Verifica registrata")),
        "plan.review_reminded": Verb(_("Promemoria della verifica")),
        "plan.pact_uploaded": Verb(_("Patto firmato caricato")),
        "plan.pact_generated": Verb(_("Patto generato")),
        "plan.action_recorded": Verb(_("Azione registrata")),
        "plan.outcome_recorded": Verb(_("Esito registrato")),
        "plan.follow_up_reminded": Verb(_("Promemoria del follow-up")),
        "plan.follow_up_recorded": Verb(_("Follow-up registrato")),
        "match.proposed": Verb(_("Abbinamento proposto")),
        "match.decided": Verb(_("Decisione sull'abbinamento")),
        "match.accepted": Verb(_("Abbinamento accettato")),
        "match.declined": Verb(_("Abbinamento rifiutato")),
        "placement.created": Verb(_("Inserimento registrato")),
        "placement.registered": Verb(_("Contratto registrato all'Agenzia delle Entrate")),
        "placement.registration_reminded": Verb(_("Promemoria della registrazione del contratto")),
        "placement.moved_in": Verb(_("Ingresso nell'alloggio")),
        "placement.ended": Verb(_("Inserimento concluso")),
        # Reads of personal data: for the DPO, never part of a history.
        "household.viewed": Verb(_("Consultazione del nucleo"), is_read=True),
        "household.export_viewed": Verb(_("Esportazione dei dati consultata"), is_read=True),
    }


class BeneficiariesConfig(AppConfig):
    name = "beneficiaries"
    verbose_name = _("Beneficiari")

    def ready(self):
        from housingmix.core import audit, documents, outbox

        from . import (
            rules,  # noqa: F401 (registers the permissions)
            services,
        )

        audit.register(_verbs())
        documents.register_kinds({services.PACT_KIND: _("Patto del progetto personalizzato")})
        outbox.register(services.PACT_JOB, services.pact_job_run, label=_("Patto del progetto personalizzato"))
