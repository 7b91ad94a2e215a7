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


CSS_URL = re.compile(r"url\(\s*['\"]?([^'\")]+)['\"]?\s*\)")


def test_files_a_stylesheet_loads_are_hashed_and_immutable_too(client):
    """Fonts and images named in url() of the pages' stylesheets: a repeat visit fetches none."""
    page = client.get("/").content.decode()
    checked = 0
    for css in (a for a in set(STATIC_REF.findall(page)) if a.endswith(".css")):
        body = _assert_immutable(client, css)
        base = css.rsplit("/", 1)[0]
        for target in set(CSS_URL.findall(body)):
            if target.startswith(("data:", "#", "http:", "https:")):
                continue
            path = target.split("#", 1)[0].split("?", 1)[0]
            parts = []
            for part in (path if path.startswith("/") else base + "/" + path).split("/"):
                if part == "..":
                    parts.pop()
                elif part != ".":
                    parts.append(part)
            url = "/".join(parts)
            if client.get(url).status_code == 404:
                continue  # a reference Bootstrap Italia ships without its file (manifest_strict = False)
            assert re.search(r"\.[0-9a-f]{12}\.\w+$", url), "not hashed: %s (in %s)" % (url, css)
            _assert_immutable(client, url)
            checked += 1
    assert checked, "no font or image checked"


def test_compressed_static_files_vary_on_accept_encoding(client):
    page = client.get("/").content.decode()
    js = next(a for a in STATIC_REF.findall(page) if a.endswith(".js"))
    plain = client.get(js)
    compressed = client.get(js, HTTP_ACCEPT_ENCODING="br")
    assert "Accept-Encoding" in compressed["Vary"]
    assert compressed["Content-Encoding"] == "br"
    assert int(compressed["Content-Length"]) < int(plain["Content-Length"])
