"""core.middleware.CSPMiddleware: django-csp's policy headers, with the text built once from the
settings. Every response gets what django-csp's own middleware would give it."""

import pytest
from csp.constants import NONCE, SELF
from csp.decorators import csp_exempt, csp_update
from csp.exceptions import CSPNonceError
from csp.middleware import CSPMiddleware as LibraryCSPMiddleware
from django.http import HttpResponse
from django.test import RequestFactory

from housingmix.core.middleware import CSPMiddleware

HEADER = "Content-Security-Policy"
REPORT_ONLY = "Content-Security-Policy-Report-Only"


def plain(request):
    return HttpResponse("ok")


@csp_update({"img-src": ["https://tiles.example.org"]})
def updated(request):
    return HttpResponse("ok")


@csp_exempt()
def exempt(request):
    return HttpResponse("ok")


def with_nonce(request):
    return HttpResponse("<script nonce='%s'></script>" % request.csp_nonce)


def own_header(request):
    response = HttpResponse("ok")
    response[HEADER] = "sandbox"
    return response


def _directives(value: str | None) -> set[str] | None:
    # django-csp orders the directives as a set does: compare them, not the text.
    return None if value is None else {part.strip() for part in value.split(";") if part.strip()}


def _answer(middleware_class, view, path="/avvisi/"):
    request = RequestFactory().get(path)
    response = middleware_class(view)(request)
    return request, response


VIEWS = [plain, updated, exempt, own_header]


@pytest.mark.parametrize("view", VIEWS, ids=lambda view: view.__name__)
def test_the_headers_are_django_csps(view):
    _, ours = _answer(CSPMiddleware, view)
    _, theirs = _answer(LibraryCSPMiddleware, view)
    for header in (HEADER, REPORT_ONLY):
        assert _directives(ours.get(header)) == _directives(theirs.get(header)), header
    if view is plain:
        assert "default-src 'self'" in _directives(ours[HEADER])
        assert "frame-ancestors 'none'" in _directives(ours[HEADER])
    if view is updated:
        assert "img-src 'self' data: https://tiles.example.org" in _directives(ours[HEADER])


def test_settings_changed_are_read_again(settings):
    _answer(CSPMiddleware, plain)  # builds and keeps the settings' headers
    settings.CONTENT_SECURITY_POLICY = {"EXCLUDE_URL_PREFIXES": ["/admin-docs/"], "DIRECTIVES": {"default-src": [SELF]}}
    settings.CONTENT_SECURITY_POLICY_REPORT_ONLY = {"DIRECTIVES": {"script-src": [SELF], "report-uri": "/csp/"}}
    for path in ("/avvisi/", "/admin-docs/x/"):
        _, ours = _answer(CSPMiddleware, plain, path)
        _, theirs = _answer(LibraryCSPMiddleware, plain, path)
        assert ours.get(HEADER) == theirs.get(HEADER)
        assert _directives(ours.get(REPORT_ONLY)) == _directives(theirs.get(REPORT_ONLY))
    assert _answer(CSPMiddleware, plain)[1][HEADER] == "default-src 'self'"
    assert HEADER not in _answer(CSPMiddleware, plain, "/admin-docs/x/")[1]
    assert {"script-src 'self'", "report-uri /csp/"} <= _directives(_answer(CSPMiddleware, plain)[1][REPORT_ONLY])


def test_a_nonce_asked_for_goes_into_the_header(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": [SELF], "script-src": [SELF, NONCE]}}
    request, response = _answer(CSPMiddleware, with_nonce)
    nonce = request._csp_nonce
    assert nonce and ("'nonce-%s'" % nonce) in response[HEADER]
    assert nonce in response.content.decode()


@pytest.mark.parametrize("middleware_class", [CSPMiddleware, LibraryCSPMiddleware], ids=["ours", "django-csp"])
def test_a_nonce_asked_for_after_the_header_is_written_is_an_error(middleware_class):
    request, _ = _answer(middleware_class, plain)
    with pytest.raises(CSPNonceError):
        str(request.csp_nonce)


def test_django_debug_pages_keep_no_policy(settings):
    settings.DEBUG = True

    def missing(request):
        return HttpResponse("not found", status=404)

    assert HEADER not in _answer(CSPMiddleware, missing)[1]
    assert HEADER in _answer(CSPMiddleware, plain)[1]
