from django.core.management.base import BaseCommand

from housingmix.core.sites import site_domain, site_sync


class Command(BaseCommand):
    help = "Set the sites framework's record (allauth's e-mails, the sitemap) from SITE_URL; migrate does it too."

    def handle(self, *args, **options):
        site_sync()
        self.stdout.write("Site: %s" % site_domain())
