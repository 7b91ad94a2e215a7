from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TerritoryConfig(AppConfig):
    name = "housingmix.territory"
    label = "territory"
    verbose_name = _("Territorio")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Ambito, Comune

        auditlog.register(Ambito)
        auditlog.register(Comune)
