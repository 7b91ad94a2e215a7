import os
from pathlib import Path

import pytest

DATABASE_FIXTURES = {
    "db",
    "transactional_db",
    "django_db_reset_sequences",
    "django_db_serialized_rollback",
    "live_server",
}


def _redis_database_per_worker():
    """With pytest-xdist (``-n``), the worker processes of one leg each get a Redis database of
    their own from REDIS_TEST_DBS (one number per worker, e.g. ``15,12``): tests flush theirs (the
    outage tests' cache) and must not empty the queue another worker's Celery test is reading."""
    import os

    worker = os.environ.get("PYTEST_XDIST_WORKER", "")
    databases = [db for db in os.environ.get("REDIS_TEST_DBS", "").split(",") if db.strip()]
    if not (worker.startswith("gw") and databases):
        return
    index = int(worker[2:])
    if index >= len(databases):
        raise pytest.UsageError("REDIS_TEST_DBS names %d databases for worker %s" % (len(databases), worker))
    base = os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15").rsplit("/", 1)[0]
    os.environ["REDIS_TEST_URL"] = "%s/%s" % (base, databases[index].strip())


def _name_the_template(config) -> None:
    """In the controller of an xdist run: the template its workers clone (see django_db_setup);
    they are started after this and inherit the environment."""
    template = _template_name(config)
    if template:
        os.environ[TEMPLATE_ENV] = template


def pytest_configure(config):
    _redis_database_per_worker()
    _name_the_template(config)
    # The SQLite test database and the screenshots live here (see settings: TEST NAME).
    (Path(__file__).parent / "test-artifacts").mkdir(exist_ok=True)
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("postgresql"):
        # A test database needs no durability: a commit does not wait for the disk (each flush of
        # a transactional test commits fifty times). Same semantics otherwise; production keeps
        # the server's setting.
        options = database.setdefault("OPTIONS", {})
        options["options"] = (options.get("options", "") + " -c synchronous_commit=off").strip()
        _empty_postgres_tables_with_delete()
    elif database["ENGINE"].endswith("sqlite3"):
        # Likewise on SQLite: a commit does not wait for the disk (no fsync; a few milliseconds
        # each on these machines, and migrating the test database commits hundreds of times).
        options = database.setdefault("OPTIONS", {})
        options["init_command"] = ";".join(filter(None, [options.get("init_command", ""), "PRAGMA synchronous=OFF"]))


def _empty_postgres_tables_with_delete():
    """A transactional test (browser, worker, concurrency) ends with Django's flush: on PostgreSQL a
    TRUNCATE of the 160 tables, which creates new files for each table and index: about four
    seconds a test. The test tables hold a few rows: DELETE empties them in a fraction of that,
    with triggers (the register's append-only guard) and foreign-key checks off for that one
    transaction (``session_replication_role = replica``, the test database's owner is a
    superuser). Same end state (sequences are not reset by either); production never flushes."""
    from django.db.backends.postgresql.operations import DatabaseOperations

    truncate = DatabaseOperations.sql_flush

    def sql_flush(self, style, tables, *, reset_sequences=False, allow_cascade=False):
        if reset_sequences or not tables:
            return truncate(self, style, tables, reset_sequences=reset_sequences, allow_cascade=allow_cascade)
        return ["SET LOCAL session_replication_role = replica"] + [
            "DELETE FROM %s" % self.quote_name(table) for table in tables
        ]

    DatabaseOperations.sql_flush = sql_flush


def _uses_the_database(item) -> bool:
    return item.get_closest_marker("django_db") is not None or bool(DATABASE_FIXTURES & set(item.fixturenames))


def _only_on_postgres(item) -> bool:
    """Run by the PostgreSQL leg alone: the browser scenarios and the PostgreSQL-only tests."""
    return item.get_closest_marker("scenario") is not None or item.get_closest_marker("postgres_only") is not None


def _on_this_leg(item, leg: str) -> bool:
    browser = item.get_closest_marker("browser") is not None
    scenario = item.get_closest_marker("scenario") is not None
    if item.get_closest_marker("postgres_only") is not None:
        return leg == "postgres"
    if leg == "postgres":
        if browser:
            return scenario
        return _uses_the_database(item)
    return not (browser and scenario)


def pytest_collection_modifyitems(config, items):
    """`make test` runs two legs side by side (TEST_LEG=sqlite, TEST_LEG=postgres) and each test
    once or twice, as its answer can differ with the database engine:
    - a test that uses the database runs on both legs;
    - one that never touches it (validators, catalogues, subprocesses with their own SQLite file,
      the Makefile) gives the same answer on both and runs once, on the SQLite leg;
    - browser tests run once: the end-to-end scenarios of each kind of user (marked ``scenario``)
      on PostgreSQL, the production database; the page checks (axe, CSP, fonts, language
      switch) on SQLite.
    Coverage is the two legs' measurements combined: each test measured on one leg (the SQLite
    one, unless it runs only on PostgreSQL). Without TEST_LEG (a targeted run) or with
    TEST_LEG=all every selected test runs."""
    import os

    _mutation_selection(config, items)
    leg = os.environ.get("TEST_LEG", "all")
    if leg not in ("sqlite", "postgres"):
        return
    kept, elsewhere = [], []
    for item in items:
        (kept if _on_this_leg(item, leg) else elsewhere).append(item)
        if leg == "postgres" and not _only_on_postgres(item):
            # Its lines are measured on the SQLite leg, where it runs too: measuring them again
            # here (the tracer makes a test take 60 % longer) adds next to nothing to the combined
            # figure. pytest-cov's own marker pauses coverage while the test runs (its fixtures
            # stay measured); what only this leg runs (the scenarios, the PostgreSQL-only tests)
            # is measured in full.
            item.add_marker(pytest.mark.no_cover)
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = kept


def _mutation_selection(config, items):
    """Under `make mutation` (mutmut names the mutant in MUTANT_UNDER_TEST), keep of the tests
    that reach the mutated function only the focused files of its module
    ([tool.housingmix.mutation.tests] in pyproject.toml): a mutant costs a second, not the
    dozens of tests that pass through an upload or a transition on their way elsewhere."""
    import os
    import re
    import tomllib

    match = re.match(r"^(?P<module>.+?)\.x[_ǁ].*__mutmut_\d+$", os.environ.get("MUTANT_UNDER_TEST", ""))
    if match is None:
        return
    data = tomllib.loads((Path(__file__).parent / "pyproject.toml").read_text(encoding="utf-8"))
    files = data["tool"]["housingmix"]["mutation"]["tests"].get(match["module"])
    if files is None:
        return
    kept, elsewhere = [], []
    for item in items:
        (kept if item.nodeid.split("::", 1)[0] in files else elsewhere).append(item)
    if elsewhere:
        config.hook.pytest_deselected(items=elsewhere)
        items[:] = kept


TEMPLATE_ENV = "HOUSINGMIX_TEST_DB_TEMPLATE"


def _template_name(config) -> str | None:
    """The test database every worker of this run clones (xdist: ``-n``), named by the controller
    before it starts them; None for a run without workers or one that reuses its database."""
    if hasattr(config, "workerinput") or not config.getoption("numprocesses", None):
        return None
    if config.getoption("reuse_db", False) or config.getoption("nomigrations", False):
        return None
    from django.conf import settings

    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3"):
        return str(Path(__file__).parent / "test-artifacts" / ("test-db-template-%d.sqlite3" % os.getpid()))
    return "test_%s_template" % database["NAME"]


@pytest.fixture(scope="session")
def django_db_setup(request, django_test_environment, django_db_blocker, django_db_modify_db_settings):
    """The test database, migrated once per run and cloned by each xdist worker.

    Migrating the test database (170 migrations with their data: comuni, roles, permissions) took
    each worker 35-45 s of a run on these two cores, twice per leg. The first worker to need a
    database migrates the template (the others wait on a file lock), then every worker clones it:
    ``CREATE DATABASE ... TEMPLATE`` on PostgreSQL, a file copy on SQLite (Django's own
    ``clone_test_db``, what its parallel test runner does). The controller drops the template at
    the end. A run without workers, or with ``--reuse-db``, sets up as pytest-django does."""
    from django.db import connections
    from django.test.utils import setup_databases, teardown_databases
    from pytest_django.fixtures import _get_databases_for_setup

    verbosity = request.config.option.verbose
    template = os.environ.get(TEMPLATE_ENV)
    worker = getattr(request.config, "workerinput", {}).get("workerid")
    aliases, serialized_aliases = _get_databases_for_setup(request.session.items)
    if not (template and worker) or aliases - {"default"} or serialized_aliases:
        keepdb = request.config.getoption("reuse_db", False) and not request.config.getoption("create_db", False)
        with django_db_blocker.unblock():
            config = setup_databases(
                verbosity=verbosity,
                interactive=False,
                aliases=aliases,
                serialized_aliases=serialized_aliases,
                keepdb=keepdb,
            )
        yield
        if not keepdb:
            with django_db_blocker.unblock():
                teardown_databases(config, verbosity=verbosity)
        return
    import fcntl

    connection = connections["default"]
    original_name = connection.settings_dict["NAME"]
    built, lock_file = _template_files(template)
    with django_db_blocker.unblock(), open(lock_file, "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        connection.settings_dict["TEST"]["NAME"] = template
        if built.exists():
            connection.settings_dict["NAME"] = template
        else:
            connection.creation.create_test_db(verbosity=verbosity, autoclobber=True, serialize=False)
            built.touch()
        connection.close()  # everything committed is in the file (SQLite) or not in use (PostgreSQL)
        connection.creation.clone_test_db(suffix=worker, verbosity=verbosity, autoclobber=True)
        clone = connection.creation.get_test_db_clone_settings(worker)["NAME"]
        from django.conf import settings

        settings.DATABASES["default"]["NAME"] = connection.settings_dict["NAME"] = clone
        connection.settings_dict["TEST"]["NAME"] = clone
        connection.close()
    yield
    with django_db_blocker.unblock():
        connection.creation.destroy_test_db(original_name, verbosity=verbosity)


def _template_files(template: str) -> tuple[Path, Path]:
    """The marker that the template is migrated, and the lock the workers take to build it."""
    folder = Path(__file__).parent / "test-artifacts"
    return folder / (Path(template).name + ".built"), folder / (Path(template).name + ".lock")


def _drop_template(config) -> None:
    template = os.environ.pop(TEMPLATE_ENV, None)
    if not template or hasattr(config, "workerinput"):
        return
    from django.db import connection
    from pytest_django.plugin import blocking_manager_key

    for leftover in _template_files(template):
        leftover.unlink(missing_ok=True)
    if connection.vendor == "sqlite":
        Path(template).unlink(missing_ok=True)
        return
    with config.stash[blocking_manager_key].unblock(), connection.creation._nodb_cursor() as cursor:
        cursor.execute("DROP DATABASE IF EXISTS %s" % connection.ops.quote_name(template))


def pytest_unconfigure(config):
    _drop_template(config)


def pytest_report_header(config):
    import os

    leg = os.environ.get("TEST_LEG")
    if leg == "postgres":
        return "PostgreSQL leg: the tests that use the database and the browser scenarios (the rest: SQLite leg)."
    if leg == "sqlite":
        return "SQLite leg: every test but the browser scenarios (those: PostgreSQL leg)."
    return None


@pytest.fixture(autouse=True)
def _media_root(settings, tmp_path):
    """Uploaded and generated files go to a per-test folder."""
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture(autouse=True)
def _clear_cache():
    from django.core.cache import cache

    from housingmix.core import fragments

    cache.clear()
    fragments.clear()
    yield
    cache.clear()


@pytest.fixture(autouse=True)
def _eager_celery(settings):
    """Unit tests run tasks in-process; tests marked ``worker`` use a real worker instead."""
    from housingmix.celery import app

    app.conf.task_always_eager = True
    app.conf.task_eager_propagates = True
    yield


@pytest.fixture(autouse=True)
def _italian_by_default():
    """A request in English leaves English active in the thread: start every test in Italian."""
    from django.utils import translation

    translation.activate("it")
    yield
    translation.activate("it")


@pytest.fixture(autouse=True)
def _fast_password_hasher(settings):
    """Every test user has a password: hashing it with the production hasher (PBKDF2, hundreds of
    thousands of rounds) cost a third of a second each. Production keeps the strong one
    (tests/accounts/test_password.py checks it)."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture
def login(client):
    """``login(user)``: the test client logged in as ``user`` and returned. Through the portal's
    backend (accounts.backends, allauth's), as a real login: django-axes' backend, first in the
    list, only guards the logins."""

    def _login(user):
        client.force_login(user, backend="housingmix.accounts.backends.AuthenticationBackend")
        return client

    return _login


@pytest.fixture
def committing_client(client, django_capture_on_commit_callbacks):
    """A test client whose requests commit as real ones do: what a request leaves to the outbox
    (e-mails, PDFs) runs when the request ends, as the worker would run it."""
    original = client.request

    def request(**kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return original(**kwargs)

    client.request = request
    return client


@pytest.fixture(autouse=True)
def _second_factor_on_force_login(monkeypatch):
    """``client.force_login(user)`` stands for a whole login: for accounts that need a second factor
    (accounts.two_factor) it also gives the session a verified authenticator app, as a real login
    followed by the code would. Tests of the second factor itself log in through the login form."""
    from django.test import Client

    original = Client.force_login

    def force_login(self, user, backend=None):
        original(self, user, backend)
        from housingmix.accounts.two_factor import requires_two_factor
        from tests.accounts.two_factor_helpers import session_verify

        if requires_two_factor(user):
            session = self.session
            session_verify(session, user)
            session.save()

    monkeypatch.setattr(Client, "force_login", force_login)
