from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NoticesConfig(AppConfig):
    name = "housingmix.notices"
    label = "notices"
    verbose_name = _("Avvisi e FAQ")

    def ready(self):
        from auditlog.registry import auditlog

        from .models import FaqEntry, FaqTopic, Notice, NoticeDocument

        auditlog.register(Notice)
        auditlog.register(NoticeDocument)
        auditlog.register(FaqEntry)
        auditlog.register(FaqTopic)
