from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from .selectors import notice_list_public


class NoticeSitemap(Sitemap):
    changefreq = "weekly"
    i18n = True

    def items(self):
        return notice_list_public()

    def lastmod(self, item):
        return item.updated_at


class StaticSitemap(Sitemap):
    changefreq = "monthly"
    i18n = True

    def items(self):
        return ["home", "notices:list", "notices:archive", "notices:faq", "privacy", "accessibility", "legal_notes"]

    def location(self, item):
        return reverse(item)
