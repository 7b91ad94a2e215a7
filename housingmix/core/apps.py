from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "housingmix.core"
    label = "core"
    verbose_name = _("Nucleo del portale")

    def ready(self):
        from django.db.models.signals import post_migrate

        from .sites import site_sync_after_migrate

        post_migrate.connect(site_sync_after_migrate, sender=self, dispatch_uid="core_site_sync")
