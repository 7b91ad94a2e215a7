from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _verbs():
    from housingmix.core.audit import Verb

    return {
        "codesign_call.created": Verb(_("Avviso di co-progettazione creato")),
        "codesign_call.grid_set": Verb(_("Griglia di valutazione impostata")),
        "codesign_call.published": Verb(_("Avviso di co-progettazione pubblicato"), public=True),
        "codesign_call.evaluation_started": Verb(_("Valutazione avviata")),
        "codesign_call.commission_appointed": Verb(_("Commissione nominata")),
        "codesign_call.ranking_published": Verb(_("Graduatoria pubblicata"), public=True),
        "proposal.started": Verb(_("Bozza della proposta avviata"), public=True),
        "proposal.member_added": Verb(_("Ente aggiunto al raggruppamento"), public=True),
        "proposal.member_confirmed": Verb(_("Adesione al raggruppamento confermata"), public=True),
        "proposal.submitted": Verb(_("Proposta presentata e protocollata"), public=True),
        "proposal.receipt_generated": Verb(_("Ricevuta generata"), public=True),
        "proposal.admitted": Verb(_("Proposta ammessa alla valutazione"), public=True),
        "proposal.not_admitted": Verb(_("Proposta non ammessa"), public=True),
        "proposal.conflict_declared": Verb(_("Dichiarazione sul conflitto di interessi")),
        "proposal.scored": Verb(_("Valutazione di un componente registrata")),
        "proposal.joint_scored": Verb(_("Punteggio collegiale registrato")),
        "proposal.ranked": Verb(_("Proposta in graduatoria"), public=True),
        "proposal.below_threshold": Verb(_("Proposta esclusa sotto la soglia"), public=True),
        "session.scheduled": Verb(_("Seduta convocata")),
        "session.moved": Verb(_("Seduta spostata")),
        "session.cancelled": Verb(_("Seduta annullata")),
        "session.held": Verb(_("Seduta svolta")),
        "session.minutes_drafted": Verb(_("Verbale in approvazione")),
        "session.minutes_edited": Verb(_("Verbale modificato")),
        "session.minutes_approved_by": Verb(_("Verbale approvato da un partecipante")),
        "session.minutes_approved": Verb(_("Verbale approvato")),
        "project.created": Verb(_("Progetto definitivo creato")),
        "project.versioned": Verb(_("Nuova versione del progetto definitivo")),
        "agreement.drafted": Verb(_("Convenzione predisposta")),
        "agreement.signed": Verb(_("Convenzione firmata e protocollata")),
        "agreement.activated": Verb(_("Convenzione avviata")),
        "agreement.closed": Verb(_("Convenzione conclusa")),
        "report.started": Verb(_("Rendicontazione avviata"), public=True),
        "report.indicators_recorded": Verb(_("Valori degli indicatori registrati"), public=True),
        "report.submitted": Verb(_("Rendicontazione presentata"), public=True),
        "report.sent_back": Verb(_("Rendicontazione rinviata per modifiche"), public=True),
        "report.approved": Verb(_("Rendicontazione approvata"), public=True),
    }


class ProjectsConfig(AppConfig):
    name = "projects"
    verbose_name = _("Co-progettazione")

    def ready(self):
        from housingmix.core import audit, documents, exports, outbox
        from housingmix.notices import panels as notice_panels

        from . import (
            exports as project_exports,
        )
        from . import (
            rules,  # noqa: F401 (registers the permissions)
            services,
        )
        from .models import GeneratedKind

        audit.register(_verbs())
        labels = dict(GeneratedKind.choices)
        documents.register_kinds(labels)
        outbox.register(services.RECEIPT_JOB, services.proposal_receipt_job_run, label=labels[GeneratedKind.RECEIPT])
        outbox.register(services.RANKING_JOB, services.ranking_job_run, label=labels[GeneratedKind.RANKING])
        outbox.register(services.MINUTES_JOB, services.minutes_job_run, label=labels[GeneratedKind.MINUTES])
        outbox.register(services.AGREEMENT_JOB, services.agreement_job_run, label=labels[GeneratedKind.AGREEMENT])
        from .panels import notice_ranking_panel

        notice_panels.register("projects.ranking", notice_ranking_panel)
        for spec in project_exports.SPECS:
            exports.register(spec)
