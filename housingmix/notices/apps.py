from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "housingmix.notices"
    label = "notices"
    verbose_name = _("Avvisi e FAQ")

    def ready(self):
        from auditlog.registry import auditlog

        from housingmix.core import audit, documents, outbox

        from . import services
        from .models import DocumentKind, FaqEntry, FaqTopic, Notice, NoticeDocument

        auditlog.register(Notice)
        auditlog.register(NoticeDocument)
        auditlog.register(FaqEntry)
        auditlog.register(FaqTopic)
        labels = dict(DocumentKind.choices)
        documents.register_kinds({kind: labels[kind] for kind in services.RENDER_JOBS})
        for kind, job_kind in services.RENDER_JOBS.items():
            outbox.register(job_kind, services.document_render_job_run, label=labels[kind])
        # Notices are public acts: their whole history is public.
        audit.register(
            {
                "notice.created": audit.Verb(_("Avviso creato in bozza")),
                "notice.updated": audit.Verb(_("Bozza modificata")),
                "notice.published": audit.Verb(_("Pubblicato"), public=True),
                "notice.amended": audit.Verb(_("Rettificato"), public=True),
                "notice.closed": audit.Verb(_("Chiuso"), public=True),
                "notice.withdrawn": audit.Verb(_("Ritirato"), public=True),
                "notice.archived": audit.Verb(_("Archiviato"), public=True),
                "notice.faq_changed": audit.Verb(_("FAQ aggiornate"), public=True),
                "notice.document_uploaded": audit.Verb(_("Documento caricato"), public=True),
                "notice.document_generated": audit.Verb(_("PDF generato"), public=True),
            }
        )
