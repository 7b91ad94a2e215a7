from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.views.decorators.cache import never_cache

from . import views

app_name = "applications"

urlpatterns = [
    path("", views.application_list, name="list"),
    path(_("comunicazioni/"), views.inbox, name="inbox"),
    path(_("nuova/<slug:slug>/"), views.application_start, name="start"),
    path("<uuid:ref>/", views.application_detail, name="detail"),
    path(_("<uuid:ref>/offerente/"), views.step_offerer, name="offerer"),
    path(_("<uuid:ref>/alloggi/"), views.step_units, name="units"),
    path(_("<uuid:ref>/alloggi/<int:unit>/dati/"), views.step_unit_data, name="unit_data"),
    path(_("<uuid:ref>/alloggi/<int:unit>/condizioni/"), views.step_unit_terms, name="unit_terms"),
    path(_("<uuid:ref>/alloggi/<int:unit>/duplica/"), views.unit_duplicate, name="unit_duplicate"),
    path(_("<uuid:ref>/alloggi/<int:unit>/elimina/"), views.unit_remove, name="unit_remove"),
    path(_("<uuid:ref>/alloggi/<int:unit>/foto/"), views.unit_photo, name="unit_photo"),
    path(_("<uuid:ref>/allegati/"), views.step_attachments, name="attachments"),
    path(_("<uuid:ref>/allegati/<int:pk>/elimina/"), views.attachment_remove, name="attachment_remove"),
    path(_("<uuid:ref>/allegati/<int:pk>/miniatura/"), views.attachment_thumbnail, name="thumbnail"),
    path(_("<uuid:ref>/allegati/<int:pk>/<str:filename>"), views.attachment_download, name="attachment"),
    path(_("<uuid:ref>/dichiarazioni/"), views.step_declarations, name="declarations"),
    path(_("<uuid:ref>/riepilogo/"), views.step_summary, name="summary"),
    path(_("<uuid:ref>/ritira/"), views.application_withdraw, name="withdraw"),
    path(_("<uuid:ref>/elimina/"), views.application_delete, name="delete"),
    path(_("<uuid:ref>/documenti/<int:pk>/"), views.generated_download, name="generated"),
]

# Every page here shows an offerer's personal data: never kept by browsers or proxies.
for pattern in urlpatterns:
    pattern.callback = never_cache(pattern.callback)
