"""Accessibility of the public pages, in Italian and in English (reached through the language switch)."""

import pytest
from playwright.sync_api import expect

from tests.browser.helpers import assert_no_blocking_violations, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PAGES = ["home", "account_login", "account_signup", "privacy", "accessibility"]
# The other pages every footer links to.
FOOTER_PAGES = ["legal_notes", "report", "notices:faq", "notices:archive"]
LANGUAGES = ["it", "en"]
HOME_DATA_ELEMENTS = [
    "main-navigation",
    "personal-area-login",
    "privacy-policy-link",
    "accessibility-link",
    "legal-notes",
    "faq",
    "report-inefficiency",
]


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.parametrize("name", PAGES + FOOTER_PAGES)
def test_page_has_no_serious_accessibility_violations(live_server, page, open_notice, name, language):
    open_page(page, live_server, name, language)

    expect(page.locator("html")).to_have_attribute("lang", language)
    expect(page.locator("main#main-container")).to_be_visible()
    assert_no_blocking_violations(page)


@pytest.mark.parametrize("language", LANGUAGES)
def test_home_exposes_the_data_elements_of_the_agid_model(live_server, page, open_notice, language):
    open_page(page, live_server, "home", language)

    for element in HOME_DATA_ELEMENTS:
        expect(page.locator('[data-element="%s"]' % element).first, element).to_be_visible()
    # The links among them lead to working pages.
    for link in page.locator("a[data-element]").all():
        href = link.get_attribute("href")
        response = page.request.get(href if href.startswith("http") else live_server.url + href)
        assert response.status == 200, "%s (%s) answered %d" % (
            link.get_attribute("data-element"),
            href,
            response.status,
        )


def test_first_tab_focuses_the_skip_link(live_server, page, open_notice):
    open_page(page, live_server, "home", "it")

    page.keyboard.press("Tab")

    skip_link = page.get_by_role("link", name="Vai al contenuto principale")
    expect(skip_link).to_be_focused()
    box = skip_link.bounding_box()
    assert box["width"] > 1 and box["height"] > 1, "the focused skip link must become visible, got %r" % box
    page.keyboard.press("Enter")
    expect(page).to_have_url(live_server.url + "/#main-container")


def test_first_tab_focuses_the_skip_link_in_english(live_server, page, open_notice):
    open_page(page, live_server, "home", "en")

    page.keyboard.press("Tab")

    expect(page.locator(".skiplink a").first).to_be_focused()
    expect(page.locator(".skiplink a").first).to_have_attribute("href", "#main-container")
