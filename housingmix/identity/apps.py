from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class IdentityConfig(AppConfig):
    name = "housingmix.identity"
    label = "identity"
    verbose_name = _("Identità digitale (SPID e CIE)")

    def ready(self):
        from . import checks  # noqa: F401  (registers the system checks)
