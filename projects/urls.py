from django.urls import path
from django.utils.translation import gettext_lazy as _

from housingmix.core.caching import public_page

from . import views

app_name = "projects"

urlpatterns = [
    path(_("avvisi/<int:pk>/"), public_page(views.call_public), name="call_detail"),
    path(_("avvisi/<int:pk>/graduatoria/<int:doc>/"), views.ranking_pdf, name="ranking_pdf"),
    path(_("gestione/"), views.call_list, name="call_list"),
    path(_("gestione/nuovo/"), views.call_create, name="call_create"),
    path(_("gestione/<int:pk>/"), views.call_manage, name="call_manage"),
    path(_("gestione/<int:pk>/azione/<slug:action>/"), views.call_action, name="call_action"),
    path(_("gestione/<int:pk>/commissione/"), views.commission_appoint, name="commission_appoint"),
    path(_("gestione/<int:pk>/sedute/nuova/"), views.session_create, name="session_create"),
    path(_("gestione/rendicontazioni/"), views.report_list, name="report_list"),
    path(_("gestione/esporta/<slug:kind>/<slug:fmt>/"), views.export, name="export"),
    path(_("proposte/"), views.proposal_list, name="proposal_list"),
    path(_("proposte/nuova/<int:call>/"), views.proposal_start, name="proposal_start"),
    path(_("proposte/<int:pk>/"), views.proposal_detail, name="proposal_detail"),
    path(_("proposte/<int:pk>/passo/<slug:step>/"), views.proposal_step, name="proposal_step"),
    path(_("proposte/<int:pk>/adesione/<int:member>/"), views.member_confirm, name="member_confirm"),
    path(_("proposte/<int:pk>/documenti/<int:doc>/"), views.proposal_document, name="proposal_document"),
    path(_("proposte/<int:pk>/ammissibilita/"), views.proposal_admissibility, name="proposal_admissibility"),
    path(_("proposte/<int:pk>/progetto/"), views.project_create, name="project_create"),
    path(_("commissione/"), views.commission_home, name="commission_home"),
    path(_("commissione/<int:pk>/dichiarazione/"), views.conflict_declare, name="conflict_declare"),
    path(_("commissione/<int:pk>/valutazione/"), views.score, name="score"),
    path(_("sedute/<int:pk>/"), views.session_detail, name="session_detail"),
    path(_("sedute/<int:pk>/sposta/"), views.session_move, name="session_move"),
    path(_("sedute/<int:pk>/annulla/"), views.session_cancel, name="session_cancel"),
    path(_("sedute/<int:pk>/verbale/<int:doc>/"), views.session_document, name="session_document"),
    path(_("progetti/<int:pk>/"), views.project_detail, name="project_detail"),
    path(_("progetti/<int:pk>/convenzione/<slug:action>/"), views.agreement_action, name="agreement_action"),
    path(_("progetti/<int:pk>/convenzione/documenti/<int:doc>/"), views.agreement_document, name="agreement_document"),
    path(_("progetti/<int:pk>/rendicontazioni/nuova/"), views.report_create, name="report_create"),
    path(_("rendicontazioni/<int:pk>/"), views.report_detail, name="report_detail"),
]
