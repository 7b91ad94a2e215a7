"""The pages run under a strict Content-Security-Policy and still load their scripts and fonts."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import csp_console_errors, csp_directives, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["home", "account_login", "account_signup", "privacy", "accessibility"]
LANGUAGES = ["it", "en"]
FONT_PATH = "/static/fonts/Titillium_Web/"

LOADED_TITILLIUM_FACES = """async () => {
  await document.fonts.ready;
  return [...document.fonts]
    .filter((face) => face.family.replace(/["']/g, "") === "Titillium Web" && face.status === "loaded")
    .map((face) => face.weight + " " + face.style);
}"""


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES)
def test_page_runs_under_a_strict_csp(live_server, page, open_notice, name, language):
    response = open_page(page, live_server, name, language)
    page.wait_for_load_state("networkidle")

    header = response.headers.get("content-security-policy")
    assert header, "no Content-Security-Policy header on %s" % page.url
    directives = csp_directives(header)
    script_src = directives.get("script-src", directives.get("default-src"))
    assert script_src, "no script-src (nor default-src) in %r" % header
    assert "'unsafe-inline'" not in script_src, header
    assert csp_console_errors(page) == []
    assert page.page_errors == []
    assert page.failed_responses == []


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_renders_in_titillium_web(live_server, page, open_notice, screenshots_dir, language):
    with page.expect_response(lambda r: FONT_PATH in r.url) as font_response:
        open_page(page, live_server, "home", language)
    page.wait_for_load_state("networkidle")

    assert font_response.value.status == 200
    assert page.evaluate(LOADED_TITILLIUM_FACES), "no Titillium Web face loaded"
    body_font = page.evaluate("getComputedStyle(document.body).fontFamily")
    assert body_font.replace('"', "").startswith("Titillium Web"), body_font
    expect(page.locator("h1")).to_be_visible()
    path = screenshots_dir / ("home-%s.png" % language)
    page.screenshot(path=str(path), full_page=True)
    assert path.stat().st_size > 10_000
