"""A visitor who had the list of notices open sees a notice published meanwhile on the next click:
the browser keeps the page but revalidates it (core.caching.public_page)."""

import pytest
from playwright.sync_api import expect

from housingmix.notices import services
from tests.accounts.factories import UserFactory
from tests.browser.helpers import open_page, url_for
from tests.notices.factories import NoticeFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_notice_published_after_the_list_was_opened_shows_on_the_next_click(live_server, page, open_notice):
    list_url = url_for(live_server, "notices:list")
    requests = []
    page.on("request", lambda request: request.url == list_url and requests.append(request.all_headers()))

    open_page(page, live_server, "notices:list", "it")
    main = page.locator("main")
    expect(main.get_by_role("link", name=open_notice.title)).to_be_visible()
    expect(main.get_by_text("Avviso pubblicato mentre la lista era aperta")).to_have_count(0)

    # Published by the office while the visitor reads (the service invalidates on commit).
    services.notice_publish(
        notice=NoticeFactory(title="Avviso pubblicato mentre la lista era aperta"), by=UserFactory(staff=True)
    )
    # Back to the list as a visitor goes: "Novità" in the main menu, then its "Avvisi" section.
    page.locator('[data-element="main-navigation"]').get_by_role("link", name="Novità").click()
    main.locator('[data-element="news-category-link"]').get_by_text("Avvisi", exact=True).first.click()

    expect(main.get_by_role("link", name="Avviso pubblicato mentre la lista era aperta")).to_be_visible()
    # The browser had stored the page and asked whether it changed, rather than showing it as it was.
    assert "if-none-match" in requests[-1]
