from django.conf import settings
from django.utils.functional import SimpleLazyObject


def _ambito():
    from housingmix.territory.selectors import ambito_current

    return ambito_current()


def portal(request):
    """The Ambito shown in the header and footer, loaded only if a template uses it (cached)."""
    return {"portal_ambito": SimpleLazyObject(_ambito), "SITE_URL": settings.SITE_URL}
