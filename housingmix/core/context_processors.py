from django.conf import settings
from django.utils.functional import SimpleLazyObject


def _ambito():
    from housingmix.territory.selectors import ambito_current

    from .fragments import local_cache

    return ambito_current(using=local_cache())


def portal(request):
    """The Ambito shown in the header and footer, loaded only if a template uses it: from the
    process's own cache (core/fragments.py), read from the database at most every five minutes as
    with the shared cache, with no round trip to that on every page."""
    return {"portal_ambito": SimpleLazyObject(_ambito), "SITE_URL": settings.SITE_URL}
