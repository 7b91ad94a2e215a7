from django.urls import path
from django.utils.translation import gettext_lazy as _

from housingmix.core.caching import public_page

from . import feeds, views

app_name = "notices"

urlpatterns = [
    path(_("avvisi/"), views.notice_list, name="list"),
    path(_("avvisi/archivio/"), views.notice_archive, name="archive"),
    path(_("avvisi/feed/rss/"), public_page(feeds.NoticeRssFeed()), name="feed_rss"),
    path(_("avvisi/feed/atom/"), public_page(feeds.NoticeAtomFeed()), name="feed_atom"),
    path(_("avvisi/<slug:slug>/"), views.notice_detail, name="detail"),
    path(_("avvisi/<slug:slug>/partecipa/"), views.notice_participate, name="participate"),
    path(_("avvisi/<slug:slug>/versioni/<int:number>/"), views.notice_revision, name="revision"),
    path(_("documenti/<int:pk>/<str:filename>"), views.document_download, name="document"),
    path(_("documenti/pdf/<int:pk>/<str:filename>"), views.generated_download, name="generated"),
    path("faq/", views.faq, name="faq"),
]
