"""Everything done before measuring: wrk on the PATH, a fresh database with demo data."""

import json
import os
import shutil
import subprocess

from .common import (
    DB_PATH,
    LOG_DIR,
    MANAGE,
    MEDIA_ROOT,
    PAGES_DB,
    PG_BASE,
    PYTHON,
    WORK,
    BenchError,
    log,
    on_postgres,
    run_checked,
)

WRK_HINT = "wrk is missing: install it with: sudo apt-get install wrk"


def _apt(*args: str) -> bool:
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    done = subprocess.run(["apt-get", *args], env=env, stdin=subprocess.DEVNULL, capture_output=True, timeout=300)
    return done.returncode == 0


def ensure_wrk() -> str:
    """Path of wrk, installing the Debian package when we are root (as `make system-deps` does)."""
    found = shutil.which("wrk")
    if found:
        return found
    if os.geteuid() != 0 or not shutil.which("apt-get"):
        raise BenchError(WRK_HINT)
    log("installing wrk (apt-get install -y wrk)")
    if not _apt("install", "-y", "-qq", "wrk"):
        # The package lists may be empty on a fresh container: refresh them and try once more.
        _apt("update", "-qq")
        _apt("install", "-y", "-qq", "wrk")
    found = shutil.which("wrk")
    if not found:
        raise BenchError(WRK_HINT)
    return found


def fresh_workdir() -> None:
    """A new database and media folder on every run: results never depend on leftovers."""
    for suffix in ("", "-journal", "-wal", "-shm"):
        path = DB_PATH.with_name(DB_PATH.name + suffix)
        path.unlink(missing_ok=True)
    shutil.rmtree(MEDIA_ROOT, ignore_errors=True)
    shutil.rmtree(LOG_DIR, ignore_errors=True)
    for folder in (WORK, MEDIA_ROOT, LOG_DIR):
        folder.mkdir(parents=True, exist_ok=True)


def _has_command(name: str) -> bool:
    listing = run_checked([PYTHON, str(MANAGE), "help", "--commands"], what="manage.py help", timeout_s=60)
    return name in listing.split()


def _psql(sql: str) -> None:
    done = subprocess.run(
        ["psql", "%s/postgres" % PG_BASE, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if done.returncode != 0:
        raise BenchError("psql failed: %s" % done.stderr.strip()[-500:])


def fresh_pages_database(template: str | None = None) -> None:
    """A new PostgreSQL database for the pages, cloned from the review stage's migrated template
    when there is one (migrate then has nothing left to do)."""
    if not on_postgres():
        return
    _psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % PAGES_DB)
    _psql("CREATE DATABASE %s%s" % (PAGES_DB, " TEMPLATE %s" % template if template else ""))


def seed() -> str:
    """Migrate, load the demo data and return the slug of the notice whose detail page is measured."""
    log("migrating the bench database %s", PAGES_DB if on_postgres() else DB_PATH)
    run_checked([PYTHON, str(MANAGE), "migrate", "--noinput", "-v", "0"], what="manage.py migrate", timeout_s=180)
    if _has_command("seed_demo"):
        log("loading demo data (manage.py seed_demo)")
        run_checked([PYTHON, str(MANAGE), "seed_demo"], what="manage.py seed_demo", timeout_s=180)
    else:
        # The demo command is being written elsewhere; bench.fixture then creates the data itself.
        log("manage.py seed_demo not found: bench.fixture creates the demo notice")
    out = WORK / "fixture.json"
    run_checked([PYTHON, "-m", "bench.fixture", str(out)], what="bench.fixture", timeout_s=180)
    data = json.loads(out.read_text())
    log("detail page: notice %r (%s)", data["slug"], data["source"])
    return data["slug"]
