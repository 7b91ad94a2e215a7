from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortalConfig(AppConfig):
    name = "housingmix.portal"
    label = "portal"
    verbose_name = _("Sito istituzionale (modello Comuni)")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import Appointment, AvailabilitySlot, Event, News, Office, Service, Topic

        for model in (Topic, Office, Service, News, Event, AvailabilitySlot):
            auditlog.register(model)
        # Appointments carry personal data: record who changed them, never the values.
        auditlog.register(Appointment, exclude_fields=["first_name", "last_name", "email", "phone", "message"])
