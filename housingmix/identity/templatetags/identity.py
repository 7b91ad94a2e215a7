import random

from django import template
from django.urls import reverse
from django.utils.http import urlencode

from .. import oidc

register = template.Library()


@register.inclusion_tag("identity/partials/_login_buttons.html", takes_context=True)
def identity_login_buttons(context, link=False):
    """The "Entra con SPID" and "Entra con CIE" buttons (from settings; no query).

    AgID's access-button rules: the SPID providers are listed in a random order on every
    page, so that none is favoured."""
    spid = [
        {"name": p.name, "url": "%s?%s" % (reverse("identity:spid"), urlencode({"provider": p.id}))}
        for p in oidc.providers("spid")
    ]
    random.shuffle(spid)
    cie = oidc.providers("cie")
    return {
        "spid_providers": spid,
        "cie_url": reverse("identity:cie") if cie else "",
        "link": link,
        "request": context.get("request"),
    }
