from django.urls import path

from . import views

app_name = "identity"

urlpatterns = [
    path("spid/", views.begin, {"kind": "spid"}, name="spid"),
    path("cie/", views.begin, {"kind": "cie"}, name="cie"),
]
