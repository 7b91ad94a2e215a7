"""Browser tests: headless Chromium (Debian's, Playwright cannot download its own here)
driving a live server that serves the collected, hashed static files through WhiteNoise,
as in production. Run ``manage.py collectstatic`` first (``make test`` does).
"""

import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

# Playwright's sync API keeps an asyncio loop running in the main thread, so Django
# would refuse ORM calls made by the tests ("SynchronousOnlyOperation").
os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"

REPO_ROOT = Path(__file__).resolve().parents[2]
SCREENSHOTS_DIR = REPO_ROOT / "test-artifacts" / "screenshots"
CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-dev-shm-usage",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
LOCALES = {"it": "it-IT", "en": "en-GB"}
TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def live_server(request):
    """pytest-django's live server, minus its static files handler.

    The stock handler looks files up through the finders, which do not know the hashed
    names the manifest storage puts in the pages; here WhiteNoise serves them from
    STATIC_ROOT, exactly as in production."""
    if not (Path(settings.STATIC_ROOT) / "staticfiles.json").exists():
        pytest.fail("Static files are not collected: run `.venv/bin/python manage.py collectstatic --noinput` first.")
    addr = request.config.getvalue("liveserver") or os.getenv("DJANGO_LIVE_TEST_SERVER_ADDRESS") or "localhost"
    server = LiveServer(addr, start=False)
    server.thread.static_handler = lambda app: app
    server.start()
    yield server
    server.stop()


@pytest.fixture(scope="session")
def playwright_session():
    with sync_playwright() as playwright:
        yield playwright


@pytest.fixture(scope="session")
def browser(playwright_session):
    if not os.access(CHROMIUM, os.X_OK):
        pytest.fail("Chromium not found at %s: run `make browser-deps` (apt-get install chromium)." % CHROMIUM)
    browser = playwright_session.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
    yield browser
    browser.close()


@pytest.fixture
def browser_language():
    """Language of the browser (Accept-Language, navigator.language); parametrize to change it."""
    return "it"


@pytest.fixture
def context(browser, browser_language):
    context = browser.new_context(
        locale=LOCALES[browser_language],
        timezone_id="Europe/Rome",
        viewport={"width": 1280, "height": 900},
        accept_downloads=True,
    )
    context.set_default_timeout(TIMEOUT_MS)
    yield context
    context.close()


@pytest.fixture
def page(context):
    """A fresh page that records what the browser reports, for assertions:
    ``page.console_messages`` (dicts with type, text, url), ``page.page_errors`` (uncaught
    JS errors) and ``page.failed_responses`` (status >= 400 or network failures)."""
    page = context.new_page()
    page.console_messages = []
    page.page_errors = []
    page.failed_responses = []
    page.on(
        "console",
        lambda msg: page.console_messages.append({"type": msg.type, "text": msg.text, "url": msg.location.get("url")}),
    )
    page.on("pageerror", lambda error: page.page_errors.append(str(error)))
    page.on(
        "response",
        lambda response: response.status >= 400 and page.failed_responses.append((response.status, response.url)),
    )
    page.on("requestfailed", lambda request: page.failed_responses.append((request.failure, request.url)))
    yield page
    page.close()


@pytest.fixture
def seeded_portal(transactional_db):
    """The demo data of ``make run``: users, the open Avviso with its FAQ and PDFs, the programme FAQ."""
    from django.core.management import call_command

    from housingmix.notices.models import Notice

    call_command("seed_demo", stdout=io.StringIO())
    return Notice.objects.get(slug="housing-mix-manifestazione-di-interesse-alloggi-2026")


@pytest.fixture
def screenshots_dir():
    SCREENSHOTS_DIR.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS_DIR


@pytest.fixture
def open_notice(transactional_db):
    """A cheap published, open notice with one FAQ (no PDFs): enough to fill the home page."""
    from tests.notices.factories import FaqEntryFactory, NoticeFactory

    notice = NoticeFactory(published=True)
    FaqEntryFactory(notice=notice)
    return notice
