"""A repeat visit moves only the HTML: every static file a page uses is hashed and immutable."""

import re

import pytest

pytestmark = pytest.mark.django_db

STATIC_REF = re.compile(r'(?:href|src)="(/static/[^"#]+)')
JS_IMPORT = re.compile(r'(?:import|from)\s*"([^"]+)"')


def _assert_immutable(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert "immutable" in response["Cache-Control"], url
    return b"".join(response.streaming_content).decode("utf-8", "replace") if response.streaming else ""


def test_every_asset_of_the_home_page_is_hashed_and_immutable(client):
    page = client.get("/").content.decode()
    assets = set(STATIC_REF.findall(page))
    assert any(a.endswith(".css") for a in assets) and any(a.endswith(".js") for a in assets)
    for url in assets:
        assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), "not hashed: %s" % url
        body = _assert_immutable(client, url)
        if url.endswith(".js"):
            base = url.rsplit("/", 1)[0]
            for target in JS_IMPORT.findall(body):
                assert re.search(r"\.[0-9a-f]{12}\.js$", target), "module import not hashed: %s" % target
                resolved = "/".join((base + "/" + target).replace("/./", "/").split("/"))
                parts = []
                for part in resolved.split("/"):
                    if part == "..":
                        parts.pop()
                    else:
                        parts.append(part)
                _assert_immutable(client, "/".join(parts))


def test_static_files_are_served_compressed(client):
    page = client.get("/").content.decode()
    css = next(a for a in STATIC_REF.findall(page) if "bootstrap-italia" in a)
    response = client.get(css, HTTP_ACCEPT_ENCODING="br, gzip")
    assert response["Content-Encoding"] in ("br", "gzip")
