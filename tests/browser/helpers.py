"""Shared steps of the browser tests: open a page in a language, run axe, read the CSP."""

from axe_playwright_python.sync_playwright import Axe
from django.urls import reverse
from django.utils import translation
from playwright.sync_api import expect

BLOCKING_IMPACTS = ("serious", "critical")
CSP_CONSOLE_MARKERS = ("Content Security Policy", "Refused to")

_axe = Axe()


def url_for(live_server, name: str, language: str = "it", **kwargs) -> str:
    with translation.override(language):
        return live_server.url + reverse(name, kwargs=kwargs or None)


def switch_to_english(page):
    """Follow the header's language switch, as a visitor would; returns the English page's response."""
    with page.expect_navigation(wait_until="load") as navigation:
        page.locator('header a[hreflang="en"]').click()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    return navigation.value


def open_page(page, live_server, name: str, language: str, **kwargs):
    """Open the Italian page ``name``; for English, go there through the language switch.
    Returns the response of the page finally shown (fails on any non-200)."""
    response = page.goto(url_for(live_server, name, "it", **kwargs), wait_until="load")
    assert response.status == 200, "%s (it) answered %d" % (response.url, response.status)
    if language == "en":
        response = switch_to_english(page)
        assert response.status == 200, "%s (en) answered %d" % (response.url, response.status)
        assert page.url == url_for(live_server, name, "en", **kwargs), "language switch led to %s" % page.url
    return response


def blocking_violations(page) -> list[dict]:
    """axe-core violations that block users (impact serious or critical)."""
    results = _axe.run(page)
    return [v for v in results.response["violations"] if v["impact"] in BLOCKING_IMPACTS]


def describe_violations(violations: list[dict]) -> str:
    lines = []
    for violation in violations:
        targets = ", ".join(" ".join(node["target"]) for node in violation["nodes"][:5])
        more = " (+%d more)" % (len(violation["nodes"]) - 5) if len(violation["nodes"]) > 5 else ""
        lines.append("%s [%s] %s -> %s%s" % (violation["id"], violation["impact"], violation["help"], targets, more))
    return "\n".join(lines)


def assert_no_blocking_violations(page) -> None:
    violations = blocking_violations(page)
    assert not violations, "axe on %s:\n%s" % (page.url, describe_violations(violations))


def csp_directives(header: str) -> dict[str, list[str]]:
    directives = {}
    for part in header.split(";"):
        tokens = part.split()
        if tokens:
            directives[tokens[0].lower()] = tokens[1:]
    return directives


def csp_console_errors(page) -> list[str]:
    return [
        message["text"]
        for message in page.console_messages
        if message["type"] == "error" and any(marker in message["text"] for marker in CSP_CONSOLE_MARKERS)
    ]


def second_factor(page, user) -> None:
    """After the password, an account with the second factor gives the current code of its app (an
    app enrolled beforehand), as a person reads it off the phone. A code is good once: a second login
    in the same 30 seconds gives the next one (within django-otp's tolerance)."""
    from django_otp.oath import TOTP

    from tests.accounts.two_factor_helpers import app_of, code_of

    if reverse("accounts:two_factor") not in page.url:
        return
    app = type(app_of(user)).objects.get(pk=app_of(user).pk)
    now = TOTP(app.bin_key, app.step, app.t0, app.digits, app.drift).t()
    offset = max(0, app.last_t - now + 1) if app.last_t is not None else 0
    page.locator('main form input[name="token"]').fill(code_of(app, step_offset=offset))
    page.locator('main form button[type="submit"]').first.click()
    page.wait_for_load_state("load")
    assert reverse("accounts:two_factor") not in page.url, "second factor refused for %s" % user.email
