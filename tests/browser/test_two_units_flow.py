"""Issue 11, acceptance: the whole flow of an owner who offers two units. The social worker
records the site visit with a checklist per unit; the Ufficio di Piano declares one unit eligible
and gives the other a preavviso di diniego (L. 241/1990 art. 10-bis), whose reasons the visit's
findings drafted; the owner answers with observations in the portal; the final decision follows.
The owner sees each unit's outcome, and every letter names both units with theirs, read back
from the PDFs. axe finds nothing serious or critical on any page visited."""

import io

import pytest
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect
from pypdf import PdfReader

from applications.models import Application, ApplicationStatus
from applications.review import services as review
from tests.accounts.factories import UserFactory
from tests.browser.helpers import assert_no_blocking_violations
from tests.browser.test_review_flow import _session, _verified

pytestmark = [pytest.mark.browser, pytest.mark.scenario, pytest.mark.django_db(transaction=True)]


def _pdf_text(page, live_server, link) -> str:
    """The text of the PDF behind ``link``, downloaded with the page's own session."""
    response = page.request.get(live_server.url + link.get_attribute("href"))
    assert response.status == 200 and response.headers["content-type"] == "application/pdf"
    return " ".join(" ".join(p.extract_text().split()) for p in PdfReader(io.BytesIO(response.body())).pages)


def _checked(page):
    assert_no_blocking_violations(page)
    return page


def test_two_units_one_eligible_one_refused_after_observations(live_server, browser, screenshots_dir):
    from tests.applications.factories import ApplicationFactory, social_worker

    staff = _verified(UserFactory(staff=True, first_name="Paolo", last_name="Ufficio"))
    worker_user = _verified(social_worker("Lodi", first_name="Sara", last_name="Neri"))
    # The owner's offer of two units and its assignment are not what this test is about:
    # built by factory and service (the wizard and the queue have their own browser tests).
    application = ApplicationFactory(submitted=True, units=2, offerer_name="Giulia Verdi")
    owner_user = _verified(application.created_by)
    review.review_assign(application=application, reviewer=worker_user, by=staff)
    good, bad = application.units.order_by("position", "pk")
    detail_url = live_server.url + reverse("review:detail", kwargs={"ref": application.reference})
    owner_url = live_server.url + reverse("review:offerer_status", kwargs={"ref": application.reference})
    contexts = []
    try:
        # 1. The social worker visits both units: the second has no electrical certificate.
        context, worker = _session(browser, live_server, worker_user)
        contexts.append(context)
        worker.goto(live_server.url + reverse("review:queue"))
        _checked(worker).get_by_role("link", name=application.protocol_number).click()
        expect(worker.locator("#stato-manifestazione")).to_have_text("In istruttoria")
        _checked(worker)
        worker.locator("#id_visit-visit_date").fill(timezone.localdate().isoformat())
        worker.locator("#id_visit-attendees").fill("Sara Neri, Giulia Verdi")
        for item in ("access", "systems", "safety", "habitability", "furniture"):
            worker.locator("#id_visit-outcome_%d_%s" % (good.pk, item)).select_option("ok")
        worker.get_by_label("Altre osservazioni: %s" % good.display_name).fill("Arredato, subito abitabile")
        worker.locator("#id_visit-outcome_%d_access" % bad.pk).select_option("ok")
        worker.locator("#id_visit-outcome_%d_systems" % bad.pk).select_option("not_ok")
        worker.get_by_label("Nota: Impianti (elettrico, gas, idrico, riscaldamento), %s" % bad.display_name).fill(
            "Manca la dichiarazione di conformità dell'impianto elettrico"
        )
        worker.get_by_role("button", name="Registra il sopralluogo").click()
        expect(worker.locator("#stato-manifestazione")).to_have_text("Sopralluogo")
        visits = worker.locator("#sopralluoghi ~ div")
        expect(visits.locator("caption", has_text=bad.display_name)).to_be_visible()
        expect(visits.locator("table", has_text=bad.display_name)).to_contain_text("Non conforme")
        worker.screenshot(path=str(screenshots_dir / "two-units-1-visit.png"), full_page=True)
        report = worker.get_by_role("link", name="Verbale di sopralluogo", exact=False)
        text = _pdf_text(_checked(worker), live_server, report)
        checks = text.split("Esito delle verifiche", 1)[1]
        assert good.display_name in checks and "Arredato, subito abitabile" in checks.split(bad.display_name)[0]
        second = checks.split(bad.display_name)[1]
        assert "Non conforme" in second and "Manca la dichiarazione di conformità" in second

        # 2. The Ufficio di Piano decides each unit; the visit's findings drafted the second's reasons.
        context, office = _session(browser, live_server, staff)
        contexts.append(context)
        office.goto(detail_url)
        _checked(office)
        expect(office.locator("#id_outcomes-reasons_%d" % bad.pk)).to_have_value(
            "Sopralluogo del %s:\nImpianti (elettrico, gas, idrico, riscaldamento): non conforme "
            "(Manca la dichiarazione di conformità dell'impianto elettrico)" % timezone.localdate().strftime("%d/%m/%Y")
        )
        expect(office.locator("#id_outcomes-reasons_%d" % good.pk)).to_have_value("")
        office.screenshot(path=str(screenshots_dir / "two-units-2-decide.png"), full_page=True)
        office.locator("#id_outcomes-outcome_%d" % good.pk).select_option("eligible")
        office.locator("#id_outcomes-outcome_%d" % bad.pk).select_option("refusal_notice")
        office.locator("#id_outcomes-reasons").fill("Esito dell'istruttoria e del sopralluogo.")
        office.get_by_role("button", name="Registra gli esiti e invia la comunicazione").click()
        expect(office.locator("#stato-manifestazione")).to_have_text("Preavviso di diniego")
        _checked(office)

        # 3. The owner reads each unit's outcome and answers the preavviso with observations.
        context, owner = _session(browser, live_server, owner_user)
        contexts.append(context)
        owner.goto(owner_url)
        expect(owner.locator("#esito-alloggio-%d" % good.pk)).to_contain_text("Idoneo")
        expect(owner.locator("#esito-alloggio-%d" % bad.pk)).to_contain_text("Preavviso di diniego")
        notice = owner.get_by_role("link", name="Scarica: Preavviso di diniego", exact=False)
        text = _pdf_text(_checked(owner), live_server, notice)
        assert "art. 10-bis" in text
        assert good.display_name in text and bad.display_name in text
        assert "Idoneo" in text and "Manca la dichiarazione di conformità" in text
        owner.locator("#form-osservazioni-titolo").locator("xpath=..").get_by_label("Testo").fill(
            "L'impianto è a norma: la dichiarazione è stata rilasciata nel 2019 e la allego."
        )
        owner.get_by_role("button", name="Invia le osservazioni").click()
        expect(owner.locator("#risposte")).to_be_visible()
        _checked(owner)

        # 4. The Ufficio di Piano reads the observations and takes the final decision on the second unit.
        office.goto(detail_url)
        expect(office.locator("#richieste").locator("xpath=..")).to_contain_text("la dichiarazione è stata rilasciata")
        _checked(office)
        expect(office.locator("#id_outcomes-outcome_%d" % good.pk)).to_have_count(0)  # already decided
        office.locator("#id_outcomes-outcome_%d" % bad.pk).select_option("not_eligible")
        office.locator("#id_outcomes-reasons_%d" % bad.pk).fill(
            "La dichiarazione allegata riguarda un altro immobile: l'impianto resta non certificato."
        )
        office.locator("#id_outcomes-reasons").fill("Decisione dopo le osservazioni dell'offerente.")
        office.get_by_role("button", name="Registra gli esiti e invia la comunicazione").click()
        expect(office.locator("#stato-manifestazione")).to_have_text("Idonea")
        _checked(office)
        assert Application.objects.get(pk=application.pk).status == ApplicationStatus.ELIGIBLE

        # 5. The owner sees both outcomes, in their area, their inbox and the decision letter.
        owner.goto(owner_url)
        expect(owner.locator("#esito-alloggio-%d" % good.pk)).to_contain_text("Idoneo")
        expect(owner.locator("#esito-alloggio-%d" % bad.pk)).to_contain_text("Non idoneo")
        decision = owner.get_by_role("link", name="Scarica: Comunicazione dell'esito", exact=False)
        text = _pdf_text(_checked(owner), live_server, decision)
        assert good.display_name in text and bad.display_name in text
        assert "Idoneo (esito già comunicato)" in text
        assert "Non idoneo" in text and "riguarda un altro immobile" in text
        owner.screenshot(path=str(screenshots_dir / "two-units-3-owner.png"), full_page=True)
        owner.goto(live_server.url + reverse("applications:inbox"))
        expect(owner.get_by_role("link", name="Comunicazione di esito: manifestazione idonea")).to_be_visible()
        expect(owner.get_by_role("link", name="Preavviso di diniego", exact=True)).to_be_visible()
        _checked(owner)
    finally:
        for context in contexts:
            context.close()
