from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.contrib.sitemaps.views import sitemap
from django.urls import include, path
from django.utils.translation import gettext_lazy as _
from django.views.generic import TemplateView
from spid_cie_oidc.entity.views import entity_configuration, openid_connect_jwks_uri, openid_connect_signed_jwks_uri

from housingmix.core import views as core_views
from housingmix.core.caching import public_page
from housingmix.identity import views as identity_views
from housingmix.notices.sitemaps import NoticeSitemap, StaticSitemap
from housingmix.portal import views as portal_views

sitemaps = {"static": StaticSitemap, "notices": NoticeSitemap}

urlpatterns = [
    path("backoffice/", admin.site.urls),
    path("sitemap.xml", public_page(sitemap), {"sitemaps": sitemaps}, name="django.contrib.sitemaps.views.sitemap"),
    path("robots.txt", public_page(TemplateView.as_view(template_name="robots.txt", content_type="text/plain"))),
    path("favicon.ico", core_views.favicon),
    # SPID/CIE federation endpoints: fixed protocol addresses, outside the language prefix.
    path(".well-known/openid-federation", entity_configuration, name="identity_entity_configuration"),
    path("oidc/rp/callback", identity_views.callback, name="identity_callback"),
    path("oidc/rp/<str:metadata_type>/jwks.json", openid_connect_jwks_uri, name="oidc_connect_jwks_uri"),
    path("oidc/rp/<str:metadata_type>/jwks.jose", openid_connect_signed_jwks_uri, name="oidc_connect_signed_jwks_uri"),
]

urlpatterns += i18n_patterns(
    path("", portal_views.home, name="home"),
    path("", include("housingmix.notices.urls")),
    path(_("area-personale/manifestazioni/"), include("applications.urls")),
    path(_("area-personale/"), include("housingmix.accounts.urls")),
    path(_("account/"), include("allauth.urls")),
    path(_("identita-digitale/"), include("housingmix.identity.urls")),
    path(_("istruttoria/"), include("applications.review.urls")),
    path(_("registro-alloggi/"), include("properties.urls")),
    path(_("coprogettazione/"), include("projects.urls")),
    path(_("beneficiari/"), include("beneficiaries.urls")),
    path(_("privacy/"), core_views.static_page, {"template": "pages/privacy.html"}, name="privacy"),
    path(_("accessibilita/"), core_views.static_page, {"template": "pages/accessibility.html"}, name="accessibility"),
    path(_("note-legali/"), core_views.static_page, {"template": "pages/legal_notes.html"}, name="legal_notes"),
    path(_("segnala-disservizio/"), core_views.static_page, {"template": "pages/report.html"}, name="report"),
    path("", include("housingmix.portal.urls")),
    prefix_default_language=False,
)

handler400 = "housingmix.core.views.bad_request"
handler403 = "housingmix.core.views.permission_denied"
handler404 = "housingmix.core.views.page_not_found"
# Read by django-allauth when one of its rate limits is hit.
handler429 = "housingmix.core.views.too_many_requests"
handler500 = "housingmix.core.views.server_error"
