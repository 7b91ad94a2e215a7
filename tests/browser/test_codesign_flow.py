"""Co-design as its users live it: staff publish a call; two ETS submit proposals (one as a
grouping of two, whose partner confirms in the portal); two commission members declare and
score; the ranking appears on the public page; a table session is held and its minutes
approved; the agreement is generated, signed and uploaded; an ETS files a report that staff
send back once and then approve. axe on every page (0 serious/critical)."""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import timezone
from playwright.sync_api import expect

from housingmix.notices.models import Notice
from projects import services
from projects.models import AgreementStatus, CodesignCall, Proposal, ReportStatus, SessionStatus
from tests.accounts.factories import PASSWORD
from tests.accounts.two_factor_helpers import app_of
from tests.applications.conftest import pdf_upload
from tests.browser.conftest import LOCALES, TIMEOUT_MS
from tests.browser.helpers import assert_no_blocking_violations, second_factor, switch_to_english
from tests.projects.factories import codesign_call, commission_user, ets_operator, fill_proposal, staff_user

pytestmark = [pytest.mark.browser, pytest.mark.scenario, pytest.mark.django_db(transaction=True)]


def _verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _session(browser, live_server, user, contexts):
    context = browser.new_context(
        locale=LOCALES["it"], timezone_id="Europe/Rome", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    contexts.append(context)
    page = context.new_page()
    app_of(user)  # an app already enrolled: a second-factor account is asked for its code
    page.goto(live_server.url + reverse("account_login"))
    page.locator('main input[name="login"]').fill(user.email)
    page.locator('main input[name="password"]').fill(PASSWORD)
    page.locator('main form button[type="submit"]').first.click()
    page.wait_for_load_state("load")
    assert "/login" not in page.url, "login failed for %s" % user.email
    second_factor(page, user)
    return page


def _field(scope, label: str):
    """The control labelled exactly ``label`` (required fields add a "*")."""
    return scope.get_by_label(re.compile(r"^\s*%s\s*\*?\s*$" % re.escape(label)))


def _tick(page, control) -> None:
    """Tick as a person does: Bootstrap Italia draws the box on the label, over the input."""
    page.locator('label[for="%s"]' % control.get_attribute("id")).click()
    expect(control).to_be_checked()


def _go(page, live_server, name, **kwargs):
    response = page.goto(live_server.url + reverse("projects:%s" % name, kwargs=kwargs or None))
    assert response.status == 200, "%s answered %s" % (page.url, response.status)
    assert_no_blocking_violations(page)


def _ok(page):
    expect(page.locator(".alert-success").first).to_be_visible()
    assert_no_blocking_violations(page)


def test_codesign_from_call_to_approved_report(live_server, browser, screenshots_dir):
    staff = _verified(staff_user(first_name="Paola", last_name="Ufficio"))
    call = codesign_call(by=staff, publish=False)
    ets_a, org_a = ets_operator(name="Cooperativa Casa Aperta", first_name="Anna", last_name="Lead")
    ets_b, org_b = ets_operator(name="Associazione Ponti", first_name="Bruno", last_name="Capofila")
    partner, org_p = ets_operator(name="Fondazione Rete", first_name="Carla", last_name="Partner")
    members = [
        _verified(commission_user(first_name="Dario", last_name="Primo")),
        _verified(commission_user(first_name="Elena", last_name="Seconda")),
    ]
    for user in (ets_a, ets_b, partner):
        _verified(user)
    contexts = []
    try:
        # 1. Staff publish the call.
        staff_page = _session(browser, live_server, staff, contexts)
        _go(staff_page, live_server, "call_manage", pk=call.pk)
        staff_page.get_by_role("button", name="Pubblica l'avviso").click()
        _ok(staff_page)
        expect(staff_page.locator("main")).to_contain_text("Stato: Pubblicato")

        # 2. ETS A drafts step by step and submits.
        page_a = _session(browser, live_server, ets_a, contexts)
        _go(page_a, live_server, "proposal_list")
        page_a.get_by_role("link", name="Presenta una proposta").click()
        page_a.get_by_label("Ente proponente").select_option(label=org_a.name)
        page_a.get_by_role("button", name="Inizia la bozza").click()
        assert_no_blocking_violations(page_a)
        page_a.get_by_label("Titolo della proposta").fill("Casa Aperta per l'autonomia")
        page_a.get_by_label("Sintesi").fill("Accompagnamento all'autonomia di nuclei in transizione.")
        page_a.get_by_label("Esperienza nel territorio").fill("Dieci anni di servizi abitativi.")
        page_a.get_by_role("button", name="Salva e continua").click()
        assert_no_blocking_violations(page_a)
        for label in ["iscritto al RUNTS", "cause di esclusione", "quanto indicato è veritiero"]:
            _tick(page_a, page_a.get_by_label(label))
        page_a.get_by_role("button", name="Salva e continua").click()
        assert_no_blocking_violations(page_a)
        page_a.get_by_label("Linea di azione").select_option("c")
        _field(page_a, "Attività").fill("Tutoraggio domestico.")
        page_a.get_by_role("button", name="Salva la linea di azione").click()
        _ok(page_a)
        page_a.get_by_role("link", name="Avanti").click()
        page_a.get_by_label("Tipo di risorsa").select_option("human")
        page_a.get_by_label("Descrizione").fill("Educatori")
        page_a.get_by_label("Contributo pubblico (euro)").fill("8000")
        page_a.get_by_label("Co-finanziamento ETS (euro)").fill("2000")
        page_a.get_by_role("button", name="Aggiungi la voce").click()
        _ok(page_a)
        expect(page_a.locator("main")).to_contain_text("20,00%")
        page_a.get_by_role("link", name="Avanti").click()
        assert_no_blocking_violations(page_a)
        _tick(page_a, page_a.get_by_label("Confermo"))
        page_a.get_by_role("button", name="Presenta la proposta").click()
        _ok(page_a)
        proposal_a = Proposal.objects.get(organisation=org_a)
        expect(page_a.locator("main")).to_contain_text(proposal_a.protocol.display_number)
        expect(page_a.get_by_role("link", name="Scarica la ricevuta")).to_be_visible()

        # 3. ETS B as lead of a grouping: the partner confirms in the portal, then B submits.
        call = CodesignCall.objects.get(pk=call.pk)  # published through the page
        proposal_b = services.proposal_start(call=call, by=ets_b, organisation=org_b, is_grouping=True)
        fill_proposal(proposal_b, ets_b)
        services.proposal_member_add(proposal=proposal_b, by=ets_b, organisation=org_p, role="Mandante")
        page_p = _session(browser, live_server, partner, contexts)
        _go(page_p, live_server, "proposal_detail", pk=proposal_b.pk)
        page_p.get_by_role("button", name="Conferma l'adesione di Fondazione Rete").click()
        _ok(page_p)
        page_b = _session(browser, live_server, ets_b, contexts)
        _go(page_b, live_server, "proposal_step", pk=proposal_b.pk, step="summary")
        _tick(page_b, page_b.get_by_label("Confermo"))
        page_b.get_by_role("button", name="Presenta la proposta").click()
        _ok(page_b)

        # 4. The window closes; staff start the evaluation, admit both, appoint the commission.
        Notice.objects.filter(pk=call.notice_id).update(
            opens_at=timezone.now() - timedelta(days=40), closes_at=timezone.now() - timedelta(minutes=1)
        )
        _go(staff_page, live_server, "call_manage", pk=call.pk)
        staff_page.get_by_role("button", name="Avvia la valutazione").click()
        _ok(staff_page)
        for _ in range(2):
            staff_page.get_by_role("link", name="Verifica l'ammissibilità").first.click()
            assert_no_blocking_violations(staff_page)
            staff_page.get_by_label("Motivazione").fill("Requisiti verificati.")
            staff_page.get_by_role("button", name="Ammetti alla valutazione").click()
            _ok(staff_page)
        staff_page.get_by_label("Numero dell'atto di nomina").fill("55/2026")
        staff_page.get_by_label("Data dell'atto di nomina").fill("2026-03-01")
        staff_page.get_by_label("E-mail dei componenti").fill("\n".join(m.email for m in members))
        staff_page.get_by_role("button", name="Nomina la commissione").click()
        _ok(staff_page)

        # 5. Each member declares no conflict, then scores, for each proposal.
        grid = {0: [30, 15, 10, 10, 8], 1: [36, 18, 12, 12, 9]}
        for member in members:
            page_m = _session(browser, live_server, member, contexts)
            for _proposal in (0, 1):
                _go(page_m, live_server, "commission_home")
                page_m.get_by_role("link", name="Rendi la dichiarazione").first.click()
                assert_no_blocking_violations(page_m)
                _tick(page_m, page_m.get_by_label("Dichiaro l'assenza di conflitti di interessi"))
                page_m.get_by_role("button", name="Rendi la dichiarazione").click()
                _ok(page_m)
                heading = page_m.get_by_role("heading", level=1).inner_text()
                points = grid[0] if proposal_a.protocol.display_number in heading else grid[1]
                for field, value in zip(page_m.locator('input[name^="points_"]').all(), points, strict=True):
                    field.fill(str(value))
                for field in page_m.locator('textarea[name^="reason_"]').all():
                    field.fill("Motivazione del punteggio.")
                page_m.get_by_role("button", name="Registra la valutazione").click()
                _ok(page_m)

        # 6. Staff publish the ranking; it appears on the call's public page, in Italian and English.
        _go(staff_page, live_server, "call_manage", pk=call.pk)
        staff_page.get_by_role("button", name="Pubblica la graduatoria").click()
        _ok(staff_page)
        public = browser.new_context(locale=LOCALES["it"], viewport={"width": 1280, "height": 900})
        contexts.append(public)
        citizen = public.new_page()
        _go(citizen, live_server, "call_detail", pk=call.pk)
        ranking = citizen.locator("#graduatoria + p + div table")
        expect(ranking).to_contain_text("Associazione Ponti")
        expect(ranking).to_contain_text("Cooperativa Casa Aperta")
        expect(ranking).to_contain_text("87,00")
        expect(ranking).to_contain_text("73,00")
        citizen.screenshot(path=str(screenshots_dir / "codesign-ranking.png"), full_page=True)
        switch_to_english(citizen)  # the English strings arrive with the lead's merge of the catalogue
        expect(citizen.locator("main")).to_contain_text("Associazione Ponti")
        assert_no_blocking_violations(citizen)

        # 7. A table session is scheduled, held, its minutes written and approved by everyone.
        _go(staff_page, live_server, "session_create", pk=call.pk)
        staff_page.get_by_label("Data e ora").fill(
            (timezone.localtime() + timedelta(days=2)).strftime("%Y-%m-%dT10:00")
        )
        staff_page.get_by_label("Luogo").fill("Sala consiliare, Lodi")
        staff_page.get_by_label("Ordine del giorno").fill("Avvio del tavolo")
        staff_page.get_by_role("button", name="Convoca").click()
        _ok(staff_page)
        staff_page.get_by_role("button", name="Segna la seduta come svolta").click()
        _ok(staff_page)
        staff_page.get_by_label("Verbale").fill("Il tavolo condivide il cronoprogramma.")
        staff_page.get_by_role("button", name="Salva il verbale").click()
        _ok(staff_page)
        staff_page.get_by_role("button", name="Approvo il verbale").click()
        _ok(staff_page)
        session = CodesignCall.objects.get(pk=call.pk).sessions.get()
        for ets_page in (page_a, page_b):
            _go(ets_page, live_server, "session_detail", pk=session.pk)
            ets_page.get_by_role("button", name="Approvo il verbale").click()
            _ok(ets_page)
        assert CodesignCall.objects.get(pk=call.pk).sessions.get().status == SessionStatus.MINUTES_APPROVED

        # 8. Final project of the first in the ranking (B); agreement generated, signed, uploaded, started.
        _go(staff_page, live_server, "call_manage", pk=call.pk)
        staff_page.locator("tr", has_text="Associazione Ponti").get_by_role(
            "button", name="Avvia il progetto definitivo"
        ).click()
        assert_no_blocking_violations(staff_page)
        staff_page.get_by_label("Inizio").fill("2026-04-01")
        staff_page.get_by_label("Fine").fill("2027-03-31")
        staff_page.get_by_role("button", name="Genera la convenzione").click()
        _ok(staff_page)
        expect(staff_page.get_by_role("link", name="Scarica la convenzione da firmare")).to_be_visible()
        signed = pdf_upload("convenzione-firmata.pdf")
        staff_page.get_by_label("Convenzione firmata (PDF o P7M)").set_input_files(
            {"name": "convenzione-firmata.pdf", "mimeType": "application/pdf", "buffer": signed.read()}
        )
        staff_page.get_by_role("button", name="Carica la convenzione firmata").click()
        _ok(staff_page)
        staff_page.get_by_role("button", name="Avvia la convenzione").click()
        _ok(staff_page)
        project = Proposal.objects.get(organisation=org_b).final_project
        assert project.agreement.status == AgreementStatus.ACTIVE

        # 9. ETS B files a report; staff send it back once, then approve it.
        _go(page_b, live_server, "project_detail", pk=project.pk)
        _field(page_b, "Dal").fill("2026-04-01")
        _field(page_b, "Al").fill("2026-06-30")
        page_b.get_by_role("button", name="Avvia la rendicontazione").click()
        assert_no_blocking_violations(page_b)
        page_b.get_by_label("Attività svolte").fill("Tutoraggio a quattro nuclei.")
        page_b.get_by_label("Ore svolte").fill("40")
        page_b.get_by_role("button", name="Salva", exact=True).click()
        _ok(page_b)
        page_b.get_by_role("button", name="Presenta la rendicontazione").click()
        _ok(page_b)
        report = project.reports.get()
        _go(staff_page, live_server, "report_detail", pk=report.pk)
        staff_page.get_by_label("Che cosa va modificato").fill("Allegare il registro presenze.")
        staff_page.get_by_role("button", name="Rinvia per modifiche").click()
        _ok(staff_page)
        _go(page_b, live_server, "report_detail", pk=report.pk)
        expect(page_b.locator("main")).to_contain_text("Allegare il registro presenze.")
        page_b.get_by_role("button", name="Presenta la rendicontazione").click()
        _ok(page_b)
        _go(staff_page, live_server, "report_detail", pk=report.pk)
        staff_page.get_by_role("button", name="Approva", exact=True).click()
        _ok(staff_page)
        assert project.reports.get().status == ReportStatus.APPROVED
        staff_page.screenshot(path=str(screenshots_dir / "codesign-report-approved.png"), full_page=True)
    finally:
        for context in contexts:
            context.close()
