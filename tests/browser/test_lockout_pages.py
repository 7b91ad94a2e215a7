"""The pages a refused login shows: readable, in Italian, accessible."""

import re

import pytest
from axes.models import AccessAttempt
from django.conf import settings
from django.utils import timezone
from playwright.sync_api import expect

from tests.browser.helpers import assert_no_blocking_violations, open_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _try_login(page):
    # Required fields add a "*" to their label.
    page.get_by_label(re.compile(r"^\s*Email\s*\*?\s*$")).fill("lucia.verdi@example.org")
    page.get_by_label(re.compile(r"^\s*Password\s*\*?\s*$")).fill("una-password-qualsiasi")
    page.locator("main form button[type=submit]").click()


def test_an_address_that_sprayed_many_accounts_sees_why_it_is_stopped(live_server, page, screenshots_dir):
    # Failed logins for many accounts from this browser's address, as a password spray leaves them.
    for n in range(settings.AXES_ADDRESS_FAILURE_LIMIT):
        AccessAttempt.objects.create(
            username="persona%d@example.org" % n,
            ip_address="127.0.0.1",
            user_agent="test",
            get_data="",
            post_data="",
            http_accept="",
            path_info="/account/login/",
            failures_since_start=1,
            attempt_time=timezone.now(),
        )
    open_page(page, live_server, "account_login", "it")

    _try_login(page)

    heading = page.get_by_role("heading", level=1)
    expect(heading).to_have_text("Accesso temporaneamente bloccato")
    expect(page.locator("main")).to_contain_text("anche per account diversi")
    assert_no_blocking_violations(page)
    page.screenshot(path=str(screenshots_dir / "lockout-address.png"), full_page=True)


def test_too_many_requests_page_is_in_italian(live_server, page, settings, screenshots_dir):
    settings.ACCOUNT_RATE_LIMITS = {"login_failed": False, "login": "1/m/ip"}
    open_page(page, live_server, "account_login", "it")
    _try_login(page)
    page.go_back()

    _try_login(page)

    expect(page.get_by_role("heading", level=1)).to_have_text("Troppe richieste")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    assert_no_blocking_violations(page)
    page.screenshot(path=str(screenshots_dir / "too-many-requests.png"), full_page=True)
