from django.conf import settings

from .demo import DEMO_IDENTITIES, DEMO_PASSWORD


def demo_identities(request):
    """The demo identities of this provider, shown on its pages (development only)."""
    return {
        "demo_identities": [i for i in DEMO_IDENTITIES if i["provider"] == settings.ROLE],
        "demo_password": DEMO_PASSWORD,
    }
