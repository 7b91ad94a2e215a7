"""One view returning a constant page: the baseline of the page benchmark."""

from django.http import HttpRequest, HttpResponse
from django.urls import path

# A small but complete HTML document, built once at import: the view does no work at all.
_PAGE = (
    b'<!doctype html>\n<html lang="it"><head><meta charset="utf-8"><title>bench</title></head>'
    b"<body><p>Pagina costante per il benchmark.</p></body></html>\n"
)


def bare(request: HttpRequest) -> HttpResponse:
    return HttpResponse(_PAGE, content_type="text/html; charset=utf-8")


urlpatterns = [path("", bare, name="bare")]
