from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "portal"

urlpatterns = [
    path(_("amministrazione/"), views.management, name="management"),
    path(_("amministrazione/organi-di-governo/"), views.governing_bodies, name="governing_bodies"),
    path(_("amministrazione/uffici/"), views.offices, name="offices"),
    path(_("amministrazione/uffici/<slug:slug>/"), views.office, name="office"),
    path(_("amministrazione/enti/"), views.bodies, name="bodies"),
    path(_("amministrazione/documenti-e-dati/"), views.documents, name="documents"),
    path(_("novita/"), views.news_index, name="news"),
    path(_("novita/notizie/"), views.news_list, name="news_list"),
    path(_("novita/comunicati/"), views.releases, name="releases"),
    path(_("novita/<slug:slug>/"), views.news_detail, name="news_detail"),
    path(_("servizi/"), views.services_index, name="services"),
    path(_("servizi/categoria/<slug:category>/"), views.service_category, name="service_category"),
    path(_("servizi/<slug:slug>/"), views.service, name="service"),
    path(_("vivere/"), views.live, name="live"),
    path(_("vivere/luoghi/"), views.places, name="places"),
    path(_("vivere/eventi/"), views.events, name="events"),
    path(_("vivere/eventi/<slug:slug>/"), views.event, name="event"),
    path(_("argomenti/"), views.topics, name="topics"),
    path(_("argomenti/<slug:slug>/"), views.topic, name="topic"),
    path(_("prenota-appuntamento/"), views.booking, name="booking"),
    path(_("prenota-appuntamento/confermato/"), views.booking_done, name="booking_done"),
    path(_("prenota-appuntamento/annulla/<str:token>/"), views.booking_cancel, name="booking_cancel"),
    path(_("valutazione/"), views.feedback, name="feedback"),
]
