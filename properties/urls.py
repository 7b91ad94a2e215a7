from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "registry"

urlpatterns = [
    path("", views.registry_list, name="list"),
    path(_("esporta.<str:fmt>"), views.registry_export, name="export"),
    path("<int:pk>/", views.registry_detail, name="detail"),
]
