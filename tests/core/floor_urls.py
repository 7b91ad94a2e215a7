"""Two constant views for the request-floor tests: one that reads nothing, one that writes an
audited row. Mounted in front of the portal's own URLs (tests/core/test_request_floor.py)."""

from django.http import HttpResponse
from django.urls import path
from django.views.decorators.csrf import csrf_exempt

from housingmix.notices.models import FaqTopic
from housingmix.urls import urlpatterns as portal_urlpatterns


def constant(request):
    return HttpResponse(b"<!doctype html><title>floor</title><p>ok</p>")


@csrf_exempt
def write_audited(request):
    FaqTopic.objects.create(name="Argomento %s" % request.POST["n"])
    return HttpResponse(b"ok")


urlpatterns = [path("__floor__/", constant), path("__floor_write__/", write_audited), *portal_urlpatterns]
