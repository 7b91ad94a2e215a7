from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "beneficiaries"

urlpatterns = [
    path("", views.household_list, name="list"),
    path(_("segnala/"), views.household_create, name="create"),
    path(_("cruscotto/"), views.dashboard, name="dashboard"),
    path(_("dati-aperti/"), views.open_data, name="open_data"),
    path(_("registrazioni-scadute/"), views.registrations_overdue, name="registrations_overdue"),
    path("<int:pk>/", views.household_detail, name="detail"),
    path(_("<int:pk>/progetto/<str:name>/"), views.plan_transition, name="plan_transition"),
    path(_("<int:pk>/obiettivi/"), views.goal_add, name="goal_add"),
    path(_("<int:pk>/coprogettazione/"), views.project_link, name="project_link"),
    path(_("<int:pk>/azioni/"), views.action_add, name="action_add"),
    path(_("<int:pk>/verifiche/"), views.review_add, name="review_add"),
    path(_("<int:pk>/esito/"), views.outcome_add, name="outcome_add"),
    path(_("<int:pk>/alloggi/"), views.units, name="units"),
    path(_("<int:pk>/alloggi/<int:entry_pk>/proponi/"), views.match_propose, name="match_propose"),
    path(_("<int:pk>/patto/"), views.pact_generate, name="pact_generate"),
    path(_("<int:pk>/patto.pdf"), views.pact_download, name="pact_download"),
    path(_("<int:pk>/patto-firmato/"), views.pact_upload, name="pact_upload"),
    path(_("<int:pk>/patto-firmato/scarica/"), views.signed_pact_download, name="signed_pact_download"),
    path(_("<int:pk>/cancella/"), views.household_erase, name="erase"),
    path(_("registro-dei-trattamenti/"), views.processing_record, name="processing_record"),
    path(_("<int:pk>/consultazioni/"), views.household_reads, name="reads"),
    path(_("<int:pk>/esporta.json"), views.household_export, name="export"),
    path(_("<int:pk>/esporta.pdf"), views.household_export_pdf, name="export_pdf"),
    path(_("abbinamenti/<int:pk>/"), views.match_decide, name="match_decide"),
    path(_("abbinamenti/<int:pk>/inserimento/"), views.placement_create, name="placement_create"),
    path(_("inserimenti/<int:pk>/registrazione/"), views.placement_register, name="placement_register"),
    path(_("inserimenti/<int:pk>/ingresso/"), views.placement_move_in, name="placement_move_in"),
]
