"""The programme as its new users live it: a social worker refers a household and drafts the
plan; staff find fitting units with their reasons and propose one; the owner and the worker
accept; a lease is recorded and registered; the ETS operator logs an action without seeing
health data; a review happens; the plan ends positive and the 6-month follow-up is reminded.
Axe on every page, Italian, and the household page in English too."""

from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.urls import reverse
from django.utils import translation

from beneficiaries import services
from beneficiaries.models import FollowUp, Household, Placement, PlanStatus, SupportPlan
from housingmix.core.models import OutgoingEmail
from tests.accounts.factories import PASSWORD
from tests.accounts.two_factor_helpers import app_of
from tests.beneficiaries import factories as f
from tests.browser.conftest import LOCALES, TIMEOUT_MS
from tests.browser.helpers import assert_no_blocking_violations, second_factor

pytestmark = [pytest.mark.browser, pytest.mark.scenario, pytest.mark.django_db(transaction=True)]


def _verified(user):
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _session(browser, live_server, user, language="it"):
    context = browser.new_context(
        locale=LOCALES[language], timezone_id="Europe/Rome", viewport={"width": 1280, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    page = context.new_page()
    app_of(user)  # an app already enrolled: a second-factor account is asked for its code
    page.goto(live_server.url + reverse("account_login"))
    page.locator('main input[name="login"]').fill(user.email)
    page.locator('main input[name="password"]').fill(PASSWORD)
    page.locator('main form button[type="submit"]').first.click()
    page.wait_for_load_state("load")
    assert "/login" not in page.url, "login failed for %s" % user.email
    second_factor(page, user)
    return context, page


def _click(page, text):
    page.get_by_role("button", name=text).first.click()
    page.wait_for_load_state("load")


def test_household_from_referral_to_follow_up(live_server, browser):
    organisation = f.ets()
    worker = _verified(f.worker(first_name="Sara", last_name="Neri"))
    staff = _verified(f.staff())
    operator = _verified(f.ets_operator(organisation))
    entry = f.registry_entry()
    owner = _verified(entry.application.created_by)
    head = f.member_data(0)
    contexts = []
    try:
        # 1. The social worker refers the household.
        context, page = _session(browser, live_server, worker)
        contexts.append(context)
        page.goto(live_server.url + reverse("beneficiaries:create"))
        assert_no_blocking_violations(page)
        page.select_option("#id_housing_situation", "eviction")
        page.fill("#id_monthly_budget", "350")
        page.select_option("#id_managing_organisation", str(organisation.pk))
        page.fill("#id_members-0-first_name", head["first_name"])
        page.fill("#id_members-0-last_name", head["last_name"])
        page.fill("#id_members-0-tax_code", head["tax_code"])
        page.fill("#id_members-0-birth_date", head["birth_date"].isoformat())
        page.select_option("#id_members-0-relation", head["relation"])
        page.select_option("#id_members-0-occupation", head["occupation"])
        page.fill("#id_members-0-disability", f.DISABILITY)
        page.select_option("#id_members-0-needs_step_free", "1")
        _click(page, "Segnala il nucleo")
        household = Household.objects.get()
        assert page.url.endswith(household.get_absolute_url())
        assert "sclerosi" in page.content()
        assert_no_blocking_violations(page)
        # 2. Drafts the plan: assessment, drafting, a goal, the pact signed.
        _click(page, "Avvia la valutazione")
        _click(page, "Avvia la redazione del progetto")
        page.get_by_text("Aggiungi un obiettivo").click()
        page.fill("#id_description", "Lavoro stabile")
        page.fill("#id_indicator", "Contratto di lavoro")
        page.fill("#id_baseline", "no")
        page.fill("#id_target", "sì")
        page.fill("#id_due_on", "2027-09-30")
        _click(page, "Aggiungi l'obiettivo")
        _click(page, "Registra la firma del patto")
        assert SupportPlan.objects.get(household=household).status == PlanStatus.PACT_SIGNED
        # The worker sees the fitting units with their reasons.
        page.goto(live_server.url + reverse("beneficiaries:units", args=[household.pk]))
        assert "m² per 1 persone" in page.content() or "posti letto" in page.content()
        assert_no_blocking_violations(page)

        # 3. Staff propose the unit.
        context, staff_page = _session(browser, live_server, staff)
        contexts.append(context)
        staff_page.goto(live_server.url + reverse("beneficiaries:units", args=[household.pk]))
        _click(staff_page, "Proponi l'alloggio al nucleo")
        match = household.matches.get()
        assert "sclerosi" not in staff_page.content()  # staff without the permission

        # 4. The owner accepts, then the worker.
        context, owner_page = _session(browser, live_server, owner)
        contexts.append(context)
        owner_page.goto(live_server.url + reverse("beneficiaries:match_decide", args=[match.pk]))
        assert_no_blocking_violations(owner_page)
        owner_page.locator('label[for="id_decision_0"]').click()
        _click(owner_page, "Invia la decisione")
        page.goto(live_server.url + reverse("beneficiaries:match_decide", args=[match.pk]))
        page.locator('label[for="id_decision_0"]').click()
        _click(page, "Invia la decisione")
        page.get_by_role("link", name="Registra il contratto").click()
        page.wait_for_load_state("load")
        assert_no_blocking_violations(page)
        page.select_option("#id_contract_kind", "lease_transitional")
        page.fill("#id_signed_on", "2026-12-01")
        page.fill("#id_start_on", "2026-12-15")
        page.fill("#id_end_on", "2027-12-14")
        page.fill("#id_monthly_rent", "320")
        page.fill("#id_household_share", "120")
        page.fill("#id_contribution_share", "200")
        page.fill("#id_deposit", "640")
        _click(page, "Registra il contratto")
        placement = household.placements.get()
        page.get_by_role("link", name="Annota la registrazione").click()
        page.wait_for_load_state("load")
        page.fill("#id_registered_on", "2026-12-10")
        page.fill("#id_code", "TRX26T000001")
        _click(page, "Annota la registrazione")
        _click(page, "Registra l'ingresso nell'alloggio")
        placement = Placement.objects.get(pk=placement.pk)
        assert placement.tax_registration_code == "TRX26T000001"
        assert SupportPlan.objects.get(household=household).status == PlanStatus.ACTIVE

        # 5. The ETS operator logs an action and never sees the health data.
        context, ets_page = _session(browser, live_server, operator)
        contexts.append(context)
        ets_page.goto(live_server.url + household.get_absolute_url())
        assert "sclerosi" not in ets_page.content() and "Presenti, riservati" in ets_page.content()
        ets_page.get_by_text("Registra un'azione").click()
        ets_page.select_option("#id_line", "autonomy")
        ets_page.fill("#id_done_on", "2026-12-20")
        ets_page.fill("#id_hours", "2")
        _click(ets_page, "Registra l'azione")
        assert household.plan.actions.get().operator == operator
        assert_no_blocking_violations(ets_page)

        # 6. A review, then the plan ends positive.
        page.goto(live_server.url + household.get_absolute_url())
        page.get_by_text("Registra una verifica").click()
        page.fill("#id_held_on", "2027-03-01")
        goal = household.plan.goals.get()
        page.fill("#id_goal_%d_value" % goal.pk, "sì")
        page.locator('label[for="id_goal_%d_reached"]' % goal.pk).click()
        _click(page, "Registra la verifica")
        page.fill("#id_reason", "Contratto a proprio nome")
        _click(page, "Concludi: autonomia abitativa raggiunta")
        page.select_option("#id_kind", "autonomous")
        _click(page, "Registra l'esito")
        assert FollowUp.objects.filter(outcome__plan__household=household).count() == 2
        assert_no_blocking_violations(page)

        # 7. The household page in English passes axe too.
        context, en_page = _session(browser, live_server, worker, language="en")
        contexts.append(context)
        with translation.override("en"):
            en_url = live_server.url + reverse("beneficiaries:detail", args=[household.pk])
        en_page.goto(en_url)
        assert en_page.locator("html").get_attribute("lang").startswith("en")
        assert_no_blocking_violations(en_page)
    finally:
        for context in contexts:
            context.close()

    # 8. Six months later the follow-up is reminded.
    follow_up = FollowUp.objects.get(outcome__plan__household=household, months=6)
    with time_machine.travel(
        datetime.combine(follow_up.due_on, datetime.min.time(), ZoneInfo("Europe/Rome")), tick=False
    ):
        assert services.follow_ups_remind_due() == 1
    assert OutgoingEmail.objects.filter(to=[worker.email], subject__contains="6 mesi").exists()
