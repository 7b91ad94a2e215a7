from django.urls import path
from django.utils.translation import gettext_lazy as _

from . import views

app_name = "accounts"

urlpatterns = [
    path("", views.personal_area, name="area"),
    path("organizzazioni/nuova/", views.organisation_create, name="organisation_create"),
    path("organizzazioni/<int:pk>/", views.organisation_detail, name="organisation_detail"),
    path(_("verifica-in-due-passaggi/"), views.two_factor, name="two_factor"),
]
