from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


def _protocol_triggers(sender, using="default", **kwargs):
    """SQLite drops triggers when a migration rebuilds a table: put the register's back."""
    from django.db import connections

    from .protocol import triggers

    triggers.install(connections[using])


class CoreConfig(AppConfig):
    name = "housingmix.core"
    label = "core"
    verbose_name = _("Nucleo del portale")

    def ready(self):
        from . import (
            audit,
            encryption,  # noqa: F401 (registers its system checks)
            fragments,  # noqa: F401 (empties the chrome's cache when a setting changes)
            mail,
            outbox,
            tasks,  # noqa: F401 (the outbox sends its task by name: register it in every process)
        )
        from .exports import services as export_services

        outbox.register(mail.JOB_KIND, mail.email_job_run, label=_("Invio di e-mail"))
        outbox.register(
            export_services.JOB_KIND,
            export_services.export_job_run,
            label=_("Esportazione"),
            on_failed=export_services.export_job_failed,
        )
        audit.register(
            {
                "outbox.retried": audit.Verb(_("Lavorazione riavviata dal back office")),
                "export.requested": audit.Verb(_("Esportazione richiesta")),
            }
        )
        from .sites import site_sync_after_migrate

        post_migrate.connect(_protocol_triggers, sender=self)
        post_migrate.connect(site_sync_after_migrate, sender=self, dispatch_uid="core_site_sync")
