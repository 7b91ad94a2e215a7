from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


def _verbs():
    from housingmix.core.audit import Verb

    # public=True: the offerer sees it in their history; the rest is the internal review trail.
    return {
        "application.started": Verb(_("Bozza avviata"), public=True),
        "application.draft_deleted": Verb(_("Bozza eliminata")),
        "application.submitted": Verb(_("Presentata e protocollata"), public=True),
        "application.withdrawn": Verb(_("Ritirata"), public=True),
        "application.receipt_generated": Verb(_("Ricevuta generata"), public=True),
        "application.receipt_emailed": Verb(_("Ricevuta inviata per e-mail"), public=True),
        "application.unit_added": Verb(_("Alloggio aggiunto alla bozza")),
        "application.unit_duplicated": Verb(_("Alloggio duplicato nella bozza")),
        "application.unit_removed": Verb(_("Alloggio tolto dalla bozza")),
        "application.attachment_added": Verb(_("Documento caricato")),
        "application.attachment_removed": Verb(_("Documento tolto dalla bozza")),
        "application.review_started": Verb(_("Istruttoria avviata"), public=True),
        "application.reassigned": Verb(_("Istruttoria riassegnata")),
        "application.info_requested": Verb(_("Richiesta di integrazione"), public=True),
        "application.site_visit_planned": Verb(_("Sopralluogo programmato"), public=True),
        "application.info_answered": Verb(_("Integrazione presentata"), public=True),
        "application.review_resumed": Verb(_("Istruttoria ripresa"), public=True),
        "application.info_request_overdue": Verb(_("Termine dell'integrazione scaduto")),
        "application.site_visit_started": Verb(_("Sopralluogo"), public=True),
        "application.site_visit_recorded": Verb(_("Sopralluogo registrato")),
        "application.checks_recorded": Verb(_("Verifiche registrate")),
        "application.note_added": Verb(_("Nota interna")),
        "application.outcome_proposed": Verb(_("Esito proposto dall'istruttore")),
        "application.refusal_notified": Verb(_("Preavviso di diniego"), public=True),
        "application.observations_filed": Verb(_("Osservazioni presentate"), public=True),
        "application.reconsidered": Verb(_("Istruttoria riaperta"), public=True),
        "application.declared_eligible": Verb(_("Dichiarata idonea"), public=True),
        "application.declared_not_eligible": Verb(_("Dichiarata non idonea"), public=True),
        # Reads of personal data: for the DPO, never part of a history.
        "application.viewed": Verb(_("Consultazione"), is_read=True),
        "application.file_downloaded": Verb(_("Documento scaricato"), is_read=True),
    }


class ApplicationsConfig(AppConfig):
    name = "applications"
    verbose_name = _("Manifestazioni di interesse")

    def ready(self):
        from housingmix.core import audit, documents, exports, outbox

        from . import (
            rules,  # noqa: F401 (registers the permissions)
            services,
        )
        from .models import GeneratedKind
        from .review import exports as review_exports
        from .review import services as review

        audit.register(_verbs())
        labels = dict(GeneratedKind.choices)
        documents.register_kinds(labels)
        outbox.register(services.RECEIPT_JOB, services.receipt_job_run, label=labels[GeneratedKind.RECEIPT])
        for kind, job_kind in review.COMMUNICATION_JOBS.items():
            outbox.register(job_kind, review.communication_job_run, label=labels[kind])
        exports.register(review_exports.QUEUE_EXPORT)
