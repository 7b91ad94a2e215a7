from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemoConfig(AppConfig):
    """Demo and benchmark data (``seed_demo``, ``seed_bench``): the top layer, importing every app
    below it and imported by none."""

    name = "demo"
    verbose_name = _("Dati dimostrativi")
