"""Issue 11, item 12: the review page is laid out for the work: the summary and the units come
first (left, and first in reading order), the actions stay at hand in a sticky side panel
while the reviewer scrolls through the data; strict CSP kept, axe clean. The owner's pages
touched by the issue (status with per-unit outcomes, inbox) are axe clean too."""

import pytest
from django.urls import reverse
from playwright.sync_api import expect

from tests.accounts.factories import UserFactory
from tests.browser.helpers import assert_no_blocking_violations
from tests.browser.test_review_flow import _session, _verified

pytestmark = [pytest.mark.browser, pytest.mark.scenario, pytest.mark.django_db(transaction=True)]


def test_review_page_reads_first_and_acts_second(live_server, browser):
    from tests.applications.factories import ApplicationFactory

    staff = _verified(UserFactory(staff=True, first_name="Paolo", last_name="Ufficio"))
    application = ApplicationFactory(site_visit=True, units=2, lifecycle__reviewer=staff)
    _verified(application.created_by)
    context, page = _session(browser, live_server, staff)
    try:
        page.goto(live_server.url + reverse("review:detail", kwargs={"ref": application.reference}))
        summary = page.get_by_role("heading", name="Sintesi degli alloggi")
        units = page.get_by_role("heading", name="Alloggi e verifiche")
        act = page.get_by_role("heading", name="Esito di ogni alloggio")
        expect(summary).to_be_visible()
        # Reading order: summary and units before the actions.
        headings = page.locator("main h2, main h3").all_inner_texts()
        assert headings.index("Sintesi degli alloggi") < headings.index("Esito di ogni alloggio")
        assert headings.index("Alloggi e verifiche") < headings.index("Esito di ogni alloggio")
        # Side by side: the data on the left, the actions on the right.
        assert summary.bounding_box()["x"] < act.bounding_box()["x"]
        # Scrolled down to the units' checklists, the action panel is still in view.
        page.locator("#cronologia").scroll_into_view_if_needed()
        expect(units).not_to_be_in_viewport()
        expect(page.locator(".review-actions")).to_be_in_viewport()
        assert_no_blocking_violations(page)

        owner_context, owner = _session(browser, live_server, application.created_by)
        try:
            owner.goto(live_server.url + reverse("review:offerer_status", kwargs={"ref": application.reference}))
            expect(owner.get_by_role("heading", name="I tuoi alloggi e il loro esito")).to_be_visible()
            assert_no_blocking_violations(owner)
            owner.locator("header details.user-menu summary").click()
            owner.get_by_role("link", name="Le tue comunicazioni").click()
            expect(owner.get_by_role("heading", level=1)).to_have_text("Le tue comunicazioni")
            expect(owner.locator("#inbox tbody tr").first).to_contain_text("Da leggere")
            assert_no_blocking_violations(owner)
        finally:
            owner_context.close()
    finally:
        context.close()
