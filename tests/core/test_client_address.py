"""The client address every layer sees (core.middleware.ClientAddressMiddleware)."""

import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.http import HttpResponse
from django.test import RequestFactory

from housingmix.core.middleware import ClientAddressMiddleware, forwarded_client_address


@pytest.mark.parametrize(
    ("header", "proxies", "expected"),
    [
        ("203.0.113.5", 1, "203.0.113.5"),
        ("6.6.6.6, 203.0.113.5", 1, "203.0.113.5"),  # the left entry was typed by the client
        ("6.6.6.6, 203.0.113.5, 10.0.0.3", 2, "203.0.113.5"),  # a CDN, then nginx
        (" 2001:db8::1 ", 1, "2001:db8::1"),
        ("203.0.113.5", 2, None),  # fewer entries than proxies: the chain is not what was set up
        ("not-an-address", 1, None),
        ("", 1, None),
    ],
)
def test_forwarded_client_address_takes_the_entry_the_trusted_proxy_wrote(header, proxies, expected):
    assert forwarded_client_address(header, proxies=proxies) == expected


def _seen_by_the_view(**meta):
    seen = {}

    def view(request):
        seen.update(request.META)
        return HttpResponse()

    ClientAddressMiddleware(view)(RequestFactory().get("/", **meta))
    return seen


def test_behind_the_proxy_remote_addr_is_the_client_and_the_header_is_gone(settings):
    settings.TRUSTED_PROXY_COUNT = 1

    meta = _seen_by_the_view(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.5")

    assert meta["REMOTE_ADDR"] == "203.0.113.5"
    assert "HTTP_X_FORWARDED_FOR" not in meta  # auditlog would record its left-most, typed entry


def test_behind_the_proxy_an_unusable_header_leaves_the_proxy_address(settings, caplog):
    settings.TRUSTED_PROXY_COUNT = 1

    meta = _seen_by_the_view(REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="unknown")

    assert meta["REMOTE_ADDR"] == "10.0.0.2"
    assert "Unusable X-Forwarded-For" in caplog.text


def test_without_a_proxy_x_forwarded_for_is_dropped(settings):
    settings.TRUSTED_PROXY_COUNT = 0

    meta = _seen_by_the_view(REMOTE_ADDR="203.0.113.5", HTTP_X_FORWARDED_FOR="6.6.6.6")

    assert meta["REMOTE_ADDR"] == "203.0.113.5"
    assert "HTTP_X_FORWARDED_FOR" not in meta


def test_trusted_proxy_count_follows_django_behind_proxy():
    def count(**env):
        result = subprocess.run(
            [sys.executable, "-c", "from django.conf import settings; print(settings.TRUSTED_PROXY_COUNT)"],
            env={**os.environ, "DJANGO_SETTINGS_MODULE": "housingmix.settings", **env},
            cwd=Path(__file__).resolve().parents[2],
            capture_output=True,
            text=True,
            check=True,
        )
        return int(result.stdout.strip())

    assert count(DJANGO_BEHIND_PROXY="false") == 0
    assert count(DJANGO_BEHIND_PROXY="true") == 1
    assert count(DJANGO_BEHIND_PROXY="true", DJANGO_TRUSTED_PROXY_COUNT="2") == 2
