from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PropertiesConfig(AppConfig):
    name = "properties"
    verbose_name = _("Alloggi")

    def ready(self):
        from housingmix.core import audit, exports

        from . import rules  # noqa: F401 (registers the permissions)
        from .exports import REGISTRY_EXPORT

        exports.register(REGISTRY_EXPORT)
        audit.register(
            {
                "registry.entry_created": audit.Verb(_("Alloggio inserito nel registro")),
                "registry.availability_changed": audit.Verb(_("Disponibilità dell'alloggio aggiornata")),
            }
        )
