from django.conf import settings
from django.core.cache import cache

from .models import Ambito, Comune


def ambito_current(*, using=None) -> Ambito | None:
    """The Ambito this portal serves (``PORTAL_AMBITO_CODE``), cached for five minutes (in the
    default cache, or in ``using``: the page chrome keeps it in the process's own cache)."""
    store = cache if using is None else using
    key = "territory:ambito:%s" % settings.PORTAL_AMBITO_CODE
    ambito = store.get(key)
    if ambito is None:
        ambito = Ambito.objects.filter(code=settings.PORTAL_AMBITO_CODE).first() or Ambito.objects.first()
        if ambito is not None:
            store.set(key, ambito, 300)
    return ambito


def comune_list(*, ambito: Ambito):
    return Comune.objects.filter(ambito=ambito).order_by("name")
