"""Point the Celery app at a real broker (or an unreachable one) for a test, then restore it."""

import contextlib
import os
import subprocess
import sys
import time
import uuid
from pathlib import Path

from django.conf import settings
from kombu import pools

from housingmix.celery import app

REPO = Path(__file__).resolve().parent.parent


def redis_test_url() -> str:
    return os.environ.get("REDIS_TEST_URL", "redis://127.0.0.1:6379/15")


def _reset_producer_pool() -> None:
    """Drop connections made with the previous broker URL (app.close() would unregister the app)."""
    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    pools.reset()


@contextlib.contextmanager
def broker(url: str, queue: str = "celery"):
    """Send tasks to ``url`` (not eagerly) on ``queue`` for the duration of the block."""
    saved = {k: app.conf[k] for k in ("broker_url", "task_always_eager", "task_default_queue")}
    app.conf.update(broker_url=url, task_always_eager=False, task_default_queue=queue)
    _reset_producer_pool()
    try:
        yield
    finally:
        app.conf.update(saved)
        _reset_producer_pool()


def database_url() -> str:
    """The URL of the test database this process uses, for a worker process to share it."""
    db = settings.DATABASES["default"]
    if db["ENGINE"].endswith("sqlite3"):
        return "sqlite:///%s" % db["NAME"]
    return "postgres://%s:%s@%s:%s/%s" % (
        db.get("USER") or "postgres",
        db.get("PASSWORD") or "",
        db.get("HOST") or "127.0.0.1",
        db.get("PORT") or 5432,
        db["NAME"],
    )


@contextlib.contextmanager
def worker_process(*, media_root: Path):
    """A real ``celery worker`` process on Redis, sharing the test database and media folder."""
    queue = "test-%s" % uuid.uuid4().hex[:12]
    env = {
        **os.environ,
        "DATABASE_URL": database_url(),
        "CELERY_BROKER_URL": redis_test_url(),
        # Jobs the worker itself queues (the receipt's e-mail) go to the queue it reads.
        "CELERY_TASK_DEFAULT_QUEUE": queue,
        "MEDIA_ROOT": str(media_root),
        "DJANGO_SETTINGS_MODULE": "housingmix.settings",
    }
    log = open(media_root.parent / ("worker-%s.log" % queue), "w")  # noqa: SIM115
    proc = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "housingmix",
            "worker",
            "-P",
            "solo",
            "-Q",
            queue,
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "INFO",
            "-n",
            "%s@localhost" % queue,
        ],
        cwd=REPO,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
    )
    try:
        with broker(redis_test_url(), queue=queue):
            yield proc
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            proc.kill()
        log.close()
        _forget_queue(queue)


def _forget_queue(queue: str) -> None:
    """Remove the test queue's keys (kombu bindings) so the test Redis database stays clean."""
    import redis

    client = redis.Redis.from_url(redis_test_url())
    keys = [key for key in client.scan_iter(match="*%s*" % queue)]
    if keys:
        client.delete(*keys)


def wait_for(predicate, *, timeout: float = 60.0, interval: float = 0.25):
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        result = predicate()
        if result:
            return result
        time.sleep(interval)
    return predicate()
