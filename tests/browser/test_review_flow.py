"""The review as its users live it: staff assign, the social worker asks for a document,
the offerer uploads it, the social worker records the site visit and declares the unit
eligible, the unit appears in the registry and the offerer downloads the decision PDF."""

import io

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from applications.models import Application, ApplicationStatus
from tests.accounts.factories import PASSWORD, UserFactory
from tests.accounts.two_factor_helpers import app_of, code_of
from tests.browser.conftest import CHROMIUM_ARGS, LOCALES, TIMEOUT_MS  # noqa: F401
from tests.browser.helpers import assert_no_blocking_violations

pytestmark = [pytest.mark.browser, pytest.mark.scenario, pytest.mark.django_db(transaction=True)]


def _verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _session(browser, live_server, user):
    """A browser context of its own for ``user``, logged in through the login form."""
    context = browser.new_context(
        locale=LOCALES["it"], timezone_id="Europe/Rome", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    app = app_of(user)  # an app already enrolled: the login asks for its code
    page.goto(live_server.url + reverse("account_login"))
    page.locator('main input[name="login"]').fill(user.email)
    page.locator('main input[name="password"]').fill(PASSWORD)
    page.locator('main form button[type="submit"]').first.click()
    page.wait_for_load_state("load")
    assert "/login" not in page.url, "login failed for %s" % user.email
    if reverse("accounts:two_factor") in page.url:  # staff and social workers: the second factor
        page.get_by_label("Codice").fill(code_of(app))
        page.get_by_role("button", name="Verifica").click()
        page.wait_for_load_state("load")
        assert reverse("accounts:two_factor") not in page.url, "second factor refused for %s" % user.email
    return context, page


def _shot(page, screenshots_dir, name):
    page.screenshot(path=str(screenshots_dir / ("review-%s.png" % name)), full_page=True)


def test_review_from_assignment_to_registry_and_decision_pdf(live_server, browser, screenshots_dir):
    from tests.applications.conftest import pdf_upload
    from tests.applications.factories import ApplicationFactory, social_worker

    staff = _verified(UserFactory(staff=True, first_name="Paolo", last_name="Ufficio"))
    reviewer = _verified(social_worker("Lodi", first_name="Sara", last_name="Neri"))
    application = ApplicationFactory(submitted=True, units=1, offerer_name="Giulia Verdi")
    _verified(application.created_by)
    unit = application.units.get()
    detail_url = live_server.url + reverse("review:detail", kwargs={"ref": application.reference})
    offerer_url = live_server.url + reverse("review:offerer_status", kwargs={"ref": application.reference})
    contexts = []
    try:
        # 1. Staff open the queue and assign the manifestation to Sara Neri.
        context, staff_page = _session(browser, live_server, staff)
        contexts.append(context)
        staff_page.goto(live_server.url + reverse("review:queue"))
        expect(staff_page.get_by_role("heading", level=1)).to_contain_text("Istruttoria")
        assert_no_blocking_violations(staff_page)
        staff_page.get_by_role("link", name=application.protocol_number).click()
        expect(staff_page.locator("#stato-manifestazione")).to_have_text("Presentata")
        assert_no_blocking_violations(staff_page)
        staff_page.locator("#form-assegna").locator("xpath=..").get_by_label("Istruttore").select_option(
            label="Sara Neri (Lodi)"
        )
        staff_page.get_by_role("button", name="Assegna", exact=True).click()
        expect(staff_page.locator("#stato-manifestazione")).to_have_text("In istruttoria")
        _shot(staff_page, screenshots_dir, "1-assigned")

        # 2. The social worker asks for the floor plan.
        context, worker = _session(browser, live_server, reviewer)
        contexts.append(context)
        worker.goto(live_server.url + reverse("review:queue"))
        assert_no_blocking_violations(worker)
        worker.get_by_role("link", name=application.protocol_number).click()
        assert_no_blocking_violations(worker)
        worker.get_by_label("Documenti o chiarimenti richiesti").fill("Planimetria catastale aggiornata")
        worker.get_by_role("button", name="Invia la richiesta").click()
        expect(worker.locator("#stato-manifestazione")).to_have_text("Integrazione richiesta")

        # 3. The offerer sees the request in their area and uploads the document.
        context, offerer = _session(browser, live_server, application.created_by)
        contexts.append(context)
        offerer.goto(offerer_url)
        expect(offerer.locator("#richiesta-aperta ~ p").first).to_have_text("Planimetria catastale aggiornata")
        assert_no_blocking_violations(offerer)
        offerer.get_by_label("Testo").fill("Allego la planimetria richiesta.")
        offerer.get_by_label("Tipo del primo documento").select_option("floor_plan")
        upload = pdf_upload("planimetria.pdf")
        offerer.get_by_label("Primo documento (PDF, JPEG, PNG o P7M)").set_input_files(
            {"name": "planimetria.pdf", "mimeType": "application/pdf", "buffer": upload.read()}
        )
        offerer.get_by_role("button", name="Invia l'integrazione").click()
        expect(offerer.locator("#stato-manifestazione")).to_have_text("In istruttoria")
        expect(offerer.locator("#risposte ~ ul li").first).to_contain_text("planimetria.pdf")
        assert_no_blocking_violations(offerer)
        _shot(offerer, screenshots_dir, "2-integration")

        # 4. The social worker records the site visit and proposes the outcome; staff decide.
        worker.goto(detail_url)
        expect(worker.get_by_role("link", name="Planimetria", exact=False).first).to_be_visible()
        worker.locator("#id_visit-visit_date").fill(timezone.localdate().isoformat())
        worker.locator("#id_visit-attendees").fill("Sara Neri, Giulia Verdi")
        worker.locator("#id_visit-outcome_%d_habitability" % unit.pk).select_option("ok")
        worker.get_by_role("button", name="Registra il sopralluogo").click()
        expect(worker.locator("#stato-manifestazione")).to_have_text("Sopralluogo")
        assert_no_blocking_violations(worker)
        expect(worker.get_by_role("button", name="Registra gli esiti e invia la comunicazione")).to_have_count(0)
        worker.locator("#id_proposal-outcome").select_option("eligible")
        worker.locator("#id_proposal-reasons").fill("Requisiti verificati in sopralluogo.")
        worker.get_by_role("button", name="Registra la proposta").click()
        expect(worker.locator(".alert-success")).to_contain_text("Proposta di esito registrata")
        staff_page.goto(detail_url)
        expect(staff_page.get_by_text("Proposta dell'istruttore")).to_be_visible()
        assert_no_blocking_violations(staff_page)
        # The decision is per unit: the select starts on a neutral "Scegli…".
        expect(staff_page.locator("#id_outcomes-outcome_%d" % unit.pk)).to_have_value("")
        staff_page.locator("#id_outcomes-outcome_%d" % unit.pk).select_option("eligible")
        staff_page.locator("#id_outcomes-reasons").fill("Requisiti verificati in sopralluogo.")
        staff_page.get_by_role("button", name="Registra gli esiti e invia la comunicazione").click()
        expect(staff_page.locator("#stato-manifestazione")).to_have_text("Idonea")
        _shot(staff_page, screenshots_dir, "3-eligible")
        assert Application.objects.get(pk=application.pk).status == ApplicationStatus.ELIGIBLE

        # 5. The unit is in the registry.
        staff_page.goto(live_server.url + reverse("registry:list"))
        expect(staff_page.get_by_role("link", name=unit.display_name)).to_be_visible()
        assert_no_blocking_violations(staff_page)
        staff_page.get_by_role("link", name=unit.display_name).click()
        expect(staff_page.get_by_role("heading", level=1)).to_have_text(unit.display_name)
        assert_no_blocking_violations(staff_page)
        staff_page.goto(live_server.url + reverse("review:dashboard"))
        assert_no_blocking_violations(staff_page)
        _shot(staff_page, screenshots_dir, "4-dashboard")

        # 6. The offerer downloads the decision PDF.
        offerer.goto(offerer_url)
        link = offerer.get_by_role("link", name="Comunicazione dell'esito", exact=False)
        expect(link).to_be_visible()
        assert_no_blocking_violations(offerer)
        response = offerer.request.get(live_server.url + link.get_attribute("href"))
        assert response.status == 200 and response.headers["content-type"] == "application/pdf"
        text = " ".join(page.extract_text() for page in PdfReader(io.BytesIO(response.body())).pages)
        decision = Application.objects.get(pk=application.pk).decisions.get(kind="eligible")
        assert "idonea" in text and decision.protocol.display_number in text
    finally:
        for context in contexts:
            context.close()
