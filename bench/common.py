"""Paths, knobs and the environment shared by every step of the benchmark."""

import os
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
WORK = ROOT / "bench" / ".work"  # gitignored: database, media, logs, intermediate JSON
DB_PATH = WORK / "bench.sqlite3"
MEDIA_ROOT = WORK / "media"
LOG_DIR = WORK / "logs"
RESULTS = ROOT / "bench" / "RESULTS.md"
PYTHON = sys.executable
MANAGE = ROOT / "manage.py"
GUNICORN = Path(PYTHON).with_name("gunicorn")

# Only this host is ever loaded: the benchmark must not send traffic anywhere else.
HOST = "127.0.0.1"
# PostgreSQL first (production's database); BENCH_DATABASE=sqlite measures the pages on SQLite instead.
PG_BASE = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PAGES_DB = "housingmix_bench_pages"


def on_postgres() -> bool:
    return os.environ.get("BENCH_DATABASE", "postgres").strip().lower() != "sqlite"


def pages_database_url() -> str:
    return "%s/%s" % (PG_BASE, PAGES_DB) if on_postgres() else "sqlite:///%s" % DB_PATH


class BenchError(RuntimeError):
    """A step could not run; the message says which and how to look into it."""


@dataclass(frozen=True)
class Knobs:
    """What a run measures; the defaults keep a whole run under about three minutes."""

    workers: int
    rounds: int
    threads: int
    connections: int
    duration_s: int
    pdf_rounds: int

    @property
    def wrk_args(self) -> str:
        return "-t%d -c%d -d%ds" % (self.threads, self.connections, self.duration_s)


def _int_env(name: str, default: int, low: int, high: int) -> int:
    """An integer knob from the environment, refused outside [low, high] so a run stays bounded."""
    raw = os.environ.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise BenchError("%s=%r is not an integer" % (name, raw))
    if not low <= value <= high:
        raise BenchError("%s=%d is outside %d..%d" % (name, value, low, high))
    return value


def cpu_count() -> int:
    """CPUs this process may run on (what `nproc` prints), not the host's total."""
    return len(os.sched_getaffinity(0))


def knobs_from_env() -> Knobs:
    # One gunicorn worker per CPU, at most 4: the machine also runs wrk and two idle servers.
    workers = min(cpu_count(), 4)
    return Knobs(
        workers=_int_env("BENCH_WORKERS", workers, 1, 16),
        rounds=_int_env("BENCH_ROUNDS", 3, 1, 10),
        threads=_int_env("BENCH_THREADS", 2, 1, 8),
        connections=_int_env("BENCH_CONNECTIONS", 16, 2, 256),
        duration_s=_int_env("BENCH_DURATION", 5, 1, 30),
        pdf_rounds=_int_env("BENCH_PDF_ROUNDS", 5, 1, 20),
    )


def bench_env(settings_module: str = "housingmix.settings") -> dict[str, str]:
    """Production-like environment on the throw-away bench database.

    Values that a developer's shell or .env might set (a Redis cache, a broker, DEBUG)
    are pinned here, so every run measures the same configuration.
    """
    env = dict(os.environ)
    # Each code tree's own default (persistent connections since issue 13), not a bench override.
    env.pop("DJANGO_CONN_MAX_AGE", None)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": settings_module,
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": pages_database_url(),
            "MEDIA_ROOT": str(MEDIA_ROOT),
            "DJANGO_ALLOWED_HOSTS": HOST,
            "REDIS_CACHE_URL": "",  # the default LocMem cache, as the brief measures
            "CELERY_BROKER_URL": "",  # tasks run in-process: no broker traffic during seeding
            "CELERY_TASK_ALWAYS_EAGER": "true",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def run_checked(
    args: Sequence[str], *, what: str, timeout_s: float, env: dict[str, str] | None = None, cwd=None
) -> str:
    """Run a command from the project root (or ``cwd``) and return its stdout; a failure becomes a
    BenchError carrying the tail of stderr, so the report says what went wrong without a traceback hunt."""
    try:
        done = subprocess.run(
            list(args),
            cwd=cwd or ROOT,
            env=env if env is not None else bench_env(),
            stdin=subprocess.DEVNULL,
            capture_output=True,
            text=True,
            timeout=timeout_s,
        )
    except subprocess.TimeoutExpired:
        raise BenchError("%s did not finish within %ds" % (what, timeout_s))
    if done.returncode != 0:
        tail = "\n".join((done.stderr or done.stdout).strip().splitlines()[-15:])
        raise BenchError("%s failed (exit %d):\n%s" % (what, done.returncode, tail))
    return done.stdout


def median(values: Sequence[float]) -> float:
    return statistics.median(values)


def log(message: str, *args: object) -> None:
    """Progress on stderr; stdout carries only the final report."""
    print("[bench] " + (message % args if args else message), file=sys.stderr, flush=True)


def interleaved_medians(functions: dict[str, Callable[[], object]], rounds: int, warmup: int = 3) -> dict[str, float]:
    """Median seconds of each function, measured in turns (a, b, a, b, ...): on a noisy machine a
    burst of load hits every measurement alike, so their ratio holds."""
    for _ in range(warmup):
        for function in functions.values():
            function()
    samples: dict[str, list[float]] = {name: [] for name in functions}
    for _ in range(rounds):
        for name, function in functions.items():
            started = time.perf_counter()
            function()
            samples[name].append(time.perf_counter() - started)
    return {name: statistics.median(values) for name, values in samples.items()}


def analyse() -> None:
    """ANALYZE after seeding, on PostgreSQL: the planner has statistics before anything is timed."""
    from django.db import connection

    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")


def client_environment() -> None:
    """What the in-process benchmarks need of Django's test environment: the test client's host
    (``testserver``) allowed. Not ``setup_test_environment()``: it also instruments the template
    engine (a signal and a copy of the context for every template rendered, which the test client
    collects), a cost production never pays, and one that grows with the templates of a page (the
    review page: about a tenth of its time), so the ratios against the trivial view grew too."""
    from django.conf import settings

    if "testserver" not in settings.ALLOWED_HOSTS and "*" not in settings.ALLOWED_HOSTS:
        settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "testserver"]


def login_backend() -> str:
    """The backend a real login goes through, read from the settings of the tree being measured
    (a baseline tree may name another): the first one that is neither axes' guard nor rules'."""
    from django.conf import settings

    return next(b for b in settings.AUTHENTICATION_BACKENDS if not b.startswith(("axes.", "rules.")))


def login_verified(client, user) -> None:
    """Log ``user`` into the test ``client`` as a whole login does, second factor included: staff
    pass django-otp's check with an authenticator app (accounts.two_factor), as in production."""
    import django_otp
    from django_otp.plugins.otp_totp.models import TOTPDevice

    client.force_login(user, backend=login_backend())
    device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
    device = device or TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    session = client.session
    session[django_otp.DEVICE_ID_SESSION_KEY] = device.persistent_id
    session.save()
