from django.contrib.syndication.views import Feed
from django.urls import reverse_lazy
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext_lazy as _

from .selectors import notice_list_public


class NoticeRssFeed(Feed):
    title = _("Housing Mix - Avvisi pubblici")
    link = reverse_lazy("notices:list")
    description = _("Gli avvisi pubblicati dall'Ambito per il programma Housing Mix.")

    def items(self):
        return notice_list_public()[:30]

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return item.summary

    def item_pubdate(self, item):
        return item.published_at

    def item_updateddate(self, item):
        return item.amended_at or item.published_at


class NoticeAtomFeed(NoticeRssFeed):
    feed_type = Atom1Feed
    subtitle = NoticeRssFeed.description
