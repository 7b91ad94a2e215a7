"""Browser tests: headless Chromium (Debian's, Playwright cannot download its own here)
driving a live server that serves the collected, hashed static files through WhiteNoise,
as in production. Run ``manage.py collectstatic`` first (``make test`` does).
"""

import importlib
import io
import os
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connections
from playwright.sync_api import sync_playwright
from pytest_django.live_server_helper import LiveServer

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
ASYNC_UNSAFE = "DJANGO_ALLOW_ASYNC_UNSAFE"
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


class _Chromium:
    """One Playwright and one Chromium for the whole run of browser tests.

    While Playwright's sync API is started, its asyncio loop counts as running in the main
    thread, and Django refuses ORM calls ("SynchronousOnlyOperation") unless
    DJANGO_ALLOW_ASYNC_UNSAFE is set. So both live exactly as long as the browser tests:
    started by the first one, stopped after the last (see ``pytest_runtest_teardown``).
    Setting the variable for the whole session instead would leak it into the other tests
    and their subprocesses (``manage.py check --deploy`` fails with async.E001)."""

    def __init__(self):
        self._playwright = None
        self._browser = None
        self._previous_env = None

    def get(self):
        if self._browser is None:
            if not os.access(CHROMIUM, os.X_OK):
                pytest.fail("Chromium not found at %s: run `make browser-deps` (apt-get install chromium)." % CHROMIUM)
            self._previous_env = os.environ.get(ASYNC_UNSAFE)
            os.environ[ASYNC_UNSAFE] = "true"
            self._playwright = sync_playwright().start()
            self._browser = self._playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        return self._browser

    def stop(self):
        if self._playwright is None:
            return
        try:
            self._browser.close()
        finally:
            # While the loop ran, Django handed out other connection objects (stored per
            # context, not per thread): close them with the loop.
            connections.close_all()
            self._playwright.stop()
            self._playwright = self._browser = None
            if self._previous_env is None:
                os.environ.pop(ASYNC_UNSAFE, None)
            else:
                os.environ[ASYNC_UNSAFE] = self._previous_env


_chromium = _Chromium()


@pytest.hookimpl(trylast=True)
def pytest_runtest_teardown(item, nextitem):
    """After the test's fixtures are gone: stop the browser if no browser test follows."""
    if nextitem is None or "browser" not in getattr(nextitem, "fixturenames", ()):
        _chromium.stop()


def pytest_sessionfinish(session):
    _chromium.stop()


@pytest.fixture
def browser():
    return _chromium.get()


@pytest.fixture
def browser_language(request):
    """Language of the browser (Accept-Language, navigator.language): the test's ``language``
    parameter when it has one, else Italian."""
    callspec = getattr(request.node, "callspec", None)
    return callspec.params.get("language", "it") if callspec else "it"


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
    JS errors) and ``page.failed_responses`` (status >= 400 or network errors)."""
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
    # A request cut short by the next navigation (net::ERR_ABORTED) is not a failure of the page.
    page.on(
        "requestfailed",
        lambda request: (
            request.failure != "net::ERR_ABORTED" and page.failed_responses.append((request.failure, request.url))
        ),
    )
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


@pytest.fixture(autouse=True)
def _territory(transactional_db):
    """The Ambito and its comuni, as the migration creates them.

    Each transactional test ends by emptying every table; Django's post_migrate handlers
    bring back groups and permissions, but the rows of data migrations stay lost. The
    header and footer show the Ambito, so put it back (serialized_rollback would clash
    with the groups post_migrate recreates)."""
    from django.apps import apps

    migration = importlib.import_module("housingmix.territory.migrations.0002_ambito_lodi")
    migration.seed(apps, None)
