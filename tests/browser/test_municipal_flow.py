"""A citizen on the municipal model's pages: home → Servizi → a service sheet → the Avviso's form;
a rating on the sheet; an appointment booked and cancelled. And the header's user menu."""

import re
from pathlib import Path

import pytest
from django.core import mail
from playwright.sync_api import expect

from housingmix.portal.models import Appointment, AppointmentStatus, Feedback
from tests.accounts.factories import PASSWORD, UserFactory
from tests.browser.helpers import (
    assert_no_blocking_violations,
    blocking_violations,
    csp_console_errors,
    describe_violations,
    open_page,
    url_for,
)
from tests.browser.test_offerer_flow import field

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SHEET = "Mettere a disposizione un alloggio"
CANCEL_LINK = re.compile(r"http://\S+?(/prenota-appuntamento/annulla/[\w-]+/)")


def installed_bootstrap_italia_version() -> str:
    import bootstrap_italia_template

    css = Path(bootstrap_italia_template.__file__).parent / "static" / "css" / "bootstrap-italia.min.css"
    return re.search(r"--bootstrap-italia-version:\s*['\"]([\d.]+)['\"]", css.read_text()).group(1)


@pytest.mark.scenario
def test_citizen_finds_the_sheet_enters_the_form_rates_and_books(live_server, page, seeded_portal, screenshots_dir):
    notice = seeded_portal

    # Home → "Servizi" in the main menu.
    open_page(page, live_server, "home", "it")
    version = page.evaluate("window.BOOTSTRAP_ITALIA_VERSION")
    assert version == installed_bootstrap_italia_version()
    assert int(version.split(".")[0]) >= 2
    page.locator('[data-element="main-navigation"]').get_by_role("link", name="Servizi", exact=True).click()
    expect(page).to_have_url(url_for(live_server, "portal:services"))
    assert_no_blocking_violations(page)
    page.screenshot(path=str(screenshots_dir / "portal-services.png"), full_page=True)

    # The sheet, then straight into the open Avviso's participation page.
    page.locator('[data-element="service-link"]', has_text=SHEET).click()
    expect(page.locator('[data-element="service-title"]')).to_have_text(SHEET)
    sheet_url = page.url
    assert_no_blocking_violations(page)
    page.screenshot(path=str(screenshots_dir / "portal-service-sheet.png"), full_page=True)
    page.locator('[data-element="service-online-access"]').click()
    expect(page).to_have_url(url_for(live_server, "notices:participate", slug=notice.slug))

    # A rating on the sheet: the follow-up question matches the stars, as the model's check clicks them.
    page.goto(sheet_url)
    feedback = page.locator('[data-element="feedback"]')
    positive = page.locator('[data-element="feedback-rating-positive"]')
    negative = page.locator('[data-element="feedback-rating-negative"]')
    expect(positive).to_be_hidden()
    for stars in range(1, 6):
        page.locator('[data-element="feedback-rate-%d"]' % stars).click()
        if stars > 3:
            expect(positive).to_be_visible()
            expect(negative).to_be_hidden()
        else:
            expect(negative).to_be_visible()
            expect(positive).to_be_hidden()
    page.locator('[data-element="feedback-rate-4"]').click()
    # Bootstrap Italia draws radios and checkboxes on their labels: people click the label.
    positive.locator("label", has_text="Le indicazioni erano complete").click()
    assert_no_blocking_violations(page)
    feedback.get_by_role("button", name="Avanti").click()
    page.locator('[data-element="feedback-input-text"]').fill("Chiaro, grazie")
    feedback.get_by_role("button", name="Avanti").click()
    expect(feedback.get_by_text("Grazie, il tuo parere ci aiuterà a migliorare il servizio!")).to_be_visible()
    stored = Feedback.objects.get()
    assert (stored.page, stored.rating, stored.answer, stored.details) == (
        "/servizi/mettere-a-disposizione-un-alloggio/",
        4,
        "complete",
        "Chiaro, grazie",
    )

    # An appointment from the sheet: the office is chosen for us, a free slot, our data.
    page.locator('[data-element="service-booking-access"]').click()
    expect(page.get_by_label("Servizio")).to_have_value("mettere-a-disposizione-un-alloggio")
    first_day = page.locator("fieldset.slot-day").first
    expect(first_day.locator("legend")).not_to_be_empty()
    first_day.locator('input[name="slot"] + label').first.click()
    page.get_by_role("textbox", name=re.compile(r"^\s*Nome")).fill("Lucia")
    page.get_by_role("textbox", name=re.compile(r"^\s*Cognome")).fill("Verdi")
    page.get_by_role("textbox", name=re.compile(r"^\s*E-mail")).fill("lucia.verdi@example.org")
    page.locator("label", has_text="Ho letto l'informativa sul trattamento dei dati personali").click()
    assert_no_blocking_violations(page)
    page.screenshot(path=str(screenshots_dir / "portal-booking.png"), full_page=True)
    page.get_by_role("button", name="Conferma la prenotazione").click()
    expect(page.get_by_role("heading", name="Appuntamento prenotato")).to_be_visible()
    assert_no_blocking_violations(page)
    appointment = Appointment.objects.get()
    assert appointment.status == AppointmentStatus.BOOKED
    confirmation = next(m for m in mail.outbox if m.to == ["lucia.verdi@example.org"])
    assert confirmation.attachments[0][2] == "text/calendar"

    # ...and cancelled from the e-mail's link.
    page.goto(live_server.url + CANCEL_LINK.search(confirmation.body).group(1))
    assert_no_blocking_violations(page)
    page.get_by_role("button", name="Annulla l'appuntamento").click()
    expect(page.get_by_text("L'appuntamento è stato annullato.")).to_be_visible()
    appointment.refresh_from_db()
    assert appointment.status == AppointmentStatus.CANCELLED
    assert not page.page_errors and not csp_console_errors(page)


MODEL_PAGES = ["portal:management", "portal:news", "portal:services", "portal:live", "portal:topics", "portal:booking"]


def test_model_pages_have_no_serious_accessibility_violations(live_server, page, seeded_portal):
    """Each page of the model, in Italian and in English, on one seeded portal (seeding it per page
    cost four seconds each): every page is checked and every failure reported together."""
    failures = []
    for name in MODEL_PAGES:
        for language in ("it", "en"):
            open_page(page, live_server, name, language)
            if page.locator("html").get_attribute("lang") != language:
                failures.append(
                    "%s (%s): html lang is %r" % (name, language, page.locator("html").get_attribute("lang"))
                )
            violations = blocking_violations(page)
            if violations:
                failures.append("axe on %s:\n%s" % (page.url, describe_violations(violations)))
    assert not failures, "\n".join(failures)
    assert not csp_console_errors(page)


@pytest.mark.scenario
def test_rating_works_without_javascript(live_server, browser, seeded_portal):
    context = browser.new_context(java_script_enabled=False, locale="it-IT")
    page = context.new_page()
    try:
        page.goto(url_for(live_server, "portal:services"))
        page.locator('label[data-element="feedback-rate-2"]').click()
        page.locator('[data-element="feedback"]').get_by_role("button", name="Invia").click()
        expect(page.get_by_role("heading", name="Valuta la pagina")).to_be_visible()
        page.locator("label", has_text="Ho avuto problemi tecnici").click()
        page.get_by_role("button", name="Invia").click()
        expect(page.get_by_text("Grazie, il tuo parere ci aiuterà a migliorare il servizio!")).to_be_visible()
    finally:
        context.close()
    stored = Feedback.objects.get()
    assert (stored.page, stored.rating, stored.answer) == ("/servizi/", 2, "tech")


@pytest.mark.scenario
def test_logged_in_user_finds_the_menu_on_every_page_and_logs_out(live_server, page, seeded_portal, screenshots_dir):
    UserFactory(email="lucia.verdi@example.org", first_name="Lucia", last_name="Verdi")
    from allauth.account.models import EmailAddress

    EmailAddress.objects.create(
        user_id=UserFactory._meta.model.objects.get(email="lucia.verdi@example.org").pk,
        email="lucia.verdi@example.org",
        verified=True,
        primary=True,
    )
    open_page(page, live_server, "account_login", "it")
    field(page, "Email").fill("lucia.verdi@example.org")
    field(page, "Password").fill(PASSWORD)
    page.locator("main form button[type=submit]").click()
    expect(page).to_have_url(url_for(live_server, "accounts:area"))

    for name in ("home", "portal:services", "notices:list"):
        page.goto(url_for(live_server, name))
        menu = page.locator("header details.user-menu")
        expect(menu.locator("summary")).to_contain_text("Lucia Verdi")
        menu.locator("summary").click()
        expect(menu.get_by_role("link", name="Area personale")).to_be_visible()
        expect(menu.get_by_role("link", name="Le tue comunicazioni")).to_be_visible()
        expect(menu.get_by_role("button", name="Esci")).to_be_visible()
        assert_no_blocking_violations(page)
        page.keyboard.press("Escape")
        expect(menu.get_by_role("link", name="Area personale")).to_be_hidden()
    page.screenshot(path=str(screenshots_dir / "portal-user-menu.png"))

    page.locator("header details.user-menu summary").click()
    page.locator("header").get_by_role("button", name="Esci").click()
    expect(page.locator('header [data-element="personal-area-login"]')).to_be_visible()
