"""The sites framework's record of the portal, kept equal to SITE_URL.

django-allauth signs its e-mails with the current site ("Ciao da {{ current_site.name }}!",
then its domain); without django.contrib.sites it falls back to the host of the request, so a
sign-up e-mail greeted from "127.0.0.1:8000". The sitemap and the feeds use the same record
for their absolute links.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.management.color import no_style
from django.db import DEFAULT_DB_ALIAS, connections

SITE_NAME = "Housing Mix"


def site_domain() -> str:
    """The host (and port, if any) of SITE_URL."""
    return urlsplit(settings.SITE_URL).netloc


def site_sync(*, apps=None, using: str = DEFAULT_DB_ALIAS) -> None:
    """Create or update the site SITE_ID with SITE_URL's host and the portal's name.

    Called by the data migration (with its historical ``apps``) and after every ``migrate``
    (core.apps), so a change of SITE_URL reaches the record at the next deployment."""
    if apps is None:
        from django.apps import apps
    site_model = apps.get_model("sites", "Site")
    sites = site_model.objects.using(using)
    created = not sites.filter(pk=settings.SITE_ID).exists()
    sites.update_or_create(pk=settings.SITE_ID, defaults={"domain": site_domain(), "name": SITE_NAME})
    if created:
        # An explicit primary key leaves PostgreSQL's sequence behind (as in Django's own
        # create_default_site).
        connection = connections[using]
        statements = connection.ops.sequence_reset_sql(no_style(), [site_model])
        if statements:
            with connection.cursor() as cursor:
                for sql in statements:
                    cursor.execute(sql)
    # A historical model's save does not reach the sites framework's cache: clear it.
    from django.contrib.sites.models import Site

    Site.objects.clear_cache()


def site_sync_after_migrate(sender, *, apps=None, using: str = DEFAULT_DB_ALIAS, **kwargs) -> None:
    """post_migrate receiver (connected for the core app, which comes after django.contrib.sites,
    whose own receiver creates "example.com" on an empty table)."""
    site_sync(apps=apps, using=using)
