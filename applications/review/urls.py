from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "review"

urlpatterns = [
    path("", views.queue, name="queue"),
    path(_("esporta.<str:fmt>"), views.queue_export, name="queue_export"),
    path(_("cruscotto/"), views.dashboard, name="dashboard"),
    path(_("esportazioni/"), views.export_list, name="exports"),
    path(_("esportazioni/<int:pk>/"), views.export_download, name="export_download"),
    path("<uuid:ref>/", views.detail, name="detail"),
    path(_("<uuid:ref>/assegna/"), views.assign, name="assign"),
    path(_("<uuid:ref>/alloggi/<int:unit>/verifiche/"), views.checklist, name="checklist"),
    path(_("<uuid:ref>/note/"), views.note_add, name="note_add"),
    path(_("<uuid:ref>/proposta/"), views.propose, name="propose"),
    path(_("<uuid:ref>/richiesta-integrazione/"), views.info_request, name="info_request"),
    path(_("<uuid:ref>/riprendi/"), views.resume, name="resume"),
    path(_("<uuid:ref>/sopralluogo/"), views.site_visit, name="site_visit"),
    path(_("<uuid:ref>/sopralluogo/programma/"), views.visit_plan, name="visit_plan"),
    path(_("<uuid:ref>/preavviso-diniego/"), views.refusal_notice, name="refusal_notice"),
    path(_("<uuid:ref>/riapri/"), views.reconsider, name="reconsider"),
    path(_("<uuid:ref>/idonea/"), views.eligible, name="eligible"),
    path(_("<uuid:ref>/non-idonea/"), views.not_eligible, name="not_eligible"),
    path(_("<uuid:ref>/esiti/"), views.outcomes, name="outcomes"),
    path(_("<uuid:ref>/allegati/<int:pk>/"), views.attachment, name="attachment"),
    path(_("<uuid:ref>/foto-sopralluogo/<int:pk>/"), views.visit_photo, name="visit_photo"),
    path(_("<uuid:ref>/documenti/<int:pk>/"), views.document, name="document"),
    # The offerer's pages
    path(_("mie/<uuid:ref>/"), views.offerer_status, name="offerer_status"),
    path(_("mie/<uuid:ref>/integrazione/"), views.offerer_integration, name="offerer_integration"),
    path(_("mie/<uuid:ref>/osservazioni/"), views.offerer_observations, name="offerer_observations"),
    path(_("mie/<uuid:ref>/documenti/<int:pk>/"), views.offerer_document, name="offerer_document"),
    path(_("mie/<uuid:ref>/sopralluoghi/<int:pk>.ics"), views.offerer_visit_ics, name="offerer_visit_ics"),
]
