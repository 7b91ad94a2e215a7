from django.urls import path

from bench.bare_urls import bare
from housingmix.urls import handler400, handler403, handler404, handler500, urlpatterns  # noqa: F401

urlpatterns = [path("__bench_trivial__/", bare), *urlpatterns]
