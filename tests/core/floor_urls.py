"""Constant views for the request-floor tests: one that reads nothing, one that writes an audited
row, one that counts the save receivers, two that say how long they may be kept (one of them
reading the session). Mounted in front of the portal's own URLs (tests/core/test_request_floor.py)."""

from django.db.models.signals import pre_save
from django.http import HttpResponse
from django.urls import path
from django.utils.cache import patch_cache_control
from django.views.decorators.csrf import csrf_exempt

from housingmix.notices.models import FaqTopic
from housingmix.urls import urlpatterns as portal_urlpatterns


def constant(request):
    return HttpResponse(b"<!doctype html><title>floor</title><p>ok</p>")


def kept_a_minute(request):
    response = constant(request)
    patch_cache_control(response, max_age=60)
    return response


def kept_a_minute_reading_the_session(request):
    request.session.get("seen")
    return kept_a_minute(request)


def receivers(request):
    return HttpResponse(str(len(pre_save.receivers)).encode())


@csrf_exempt
def write_audited(request):
    FaqTopic.objects.create(name="Argomento %s" % request.POST["n"])
    return HttpResponse(b"ok")


urlpatterns = [
    path("__floor__/", constant),
    path("__floor_write__/", write_audited),
    path("__floor_minute__/", kept_a_minute),
    path("__floor_receivers__/", receivers),
    path("__floor_minute_session__/", kept_a_minute_reading_the_session),
    *portal_urlpatterns,
]
