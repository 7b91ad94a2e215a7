"""Stand-in routes with the names the applications code reverses, used only while the
offerer views are not routed in ``housingmix.urls`` (see conftest.py)."""

from django.http import HttpResponseNotFound
from django.urls import include, path

from housingmix.urls import urlpatterns as project_urlpatterns


def _not_routed(request, **kwargs):
    return HttpResponseNotFound()


_names = [
    ("", "list"),
    ("<uuid:ref>/", "detail"),
    ("<uuid:ref>/offerente/", "offerer"),
    ("<uuid:ref>/alloggi/", "units"),
    ("<uuid:ref>/alloggi/<int:unit>/", "unit_data"),
    ("<uuid:ref>/alloggi/<int:unit>/condizioni/", "unit_terms"),
    ("<uuid:ref>/allegati/", "attachments"),
    ("<uuid:ref>/allegati/<int:pk>/<str:filename>", "attachment"),
    ("<uuid:ref>/dichiarazioni/", "declarations"),
    ("<uuid:ref>/riepilogo/", "summary"),
    ("<uuid:ref>/documenti/<int:pk>/", "generated"),
]

urlpatterns = [
    *project_urlpatterns,
    path("manifestazioni/", include(([path(route, _not_routed, name=name) for route, name in _names], "applications"))),
]
