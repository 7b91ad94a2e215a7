import sys

from django.http import HttpResponseServerError
from django.shortcuts import redirect, render
from django.template import loader
from django.templatetags.static import static

from .caching import public_page
from .middleware import database_unavailable, service_unavailable_response


@public_page
def static_page(request, template):
    return render(request, template)


def bad_request(request, exception=None):
    return render(request, "errors/400.html", status=400)


def permission_denied(request, exception=None):
    return render(request, "errors/403.html", status=403)


def page_not_found(request, exception=None):
    return render(request, "errors/404.html", status=404)


def too_many_requests(request, exception=None):
    """429: django-allauth's rate limits (ROOT_URLCONF.handler429) and the portal's own forms."""
    return render(request, "errors/429.html", status=429)


def server_error(request):
    # A dropped database connection outside a view (a middleware reading the session or the
    # user) reaches this handler rather than DatabaseUnavailableMiddleware: the same 503.
    if database_unavailable(sys.exc_info()[1]):
        return service_unavailable_response()
    # No request context: the failure may come from a context processor or the database.
    return HttpResponseServerError(loader.get_template("errors/500.html").render())


def csrf_failure(request, reason=""):
    """A form sent after the session expired or from another tab: explain, in the portal's style."""
    return render(request, "errors/403_csrf.html", status=403)


def favicon(request):
    """Browsers ask for /favicon.ico on every page without an icon link (the admin, feeds)."""
    return redirect(static("img/favicon.svg"), permanent=True)
