from django.conf import settings
from django.urls import path
from spid_cie_oidc.entity.urls import urlpatterns as entity_urlpatterns
from spid_cie_oidc.entity.views import entity_configuration, resolve_entity_statement
from spid_cie_oidc.provider.urls import urlpatterns as provider_urlpatterns

urlpatterns = []
if settings.ROLE == "spid":
    # The trust anchor lives at the root of the spid process.
    from spid_cie_oidc.authority.urls import urlpatterns as authority_urlpatterns

    urlpatterns += entity_urlpatterns + authority_urlpatterns
urlpatterns += provider_urlpatterns + [
    path("oidc/op/.well-known/openid-federation", entity_configuration, name="op_entity_configuration"),
    path("oidc/op/resolve", resolve_entity_statement, name="op_entity_resolve"),
]
