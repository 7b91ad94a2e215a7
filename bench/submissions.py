"""Submissions under load on PostgreSQL: protocol numbers stay distinct and gapless.

`python -m bench.submissions` (also run by `make bench`). On a fresh PostgreSQL database,
N offerers (default 200) each own a complete draft. 20 client threads (default) each take
N/20 offerers in turn and, for each, POST the "save draft" of the offerer step, then POST
the submission, over keep-alive HTTP to gunicorn on 127.0.0.1, as a browser would (session
and CSRF cookies). Celery has a real Redis broker and no worker, as in production where
the worker runs elsewhere: the submission's cost includes queueing the receipt, not
rendering it.

Measured: every request's latency; then the register is read back. Goals: N distinct,
gapless numbers; 0 errors; p95(submit) / p95(draft save) <= 3, both taken in the same run.
"""

import json
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from datetime import datetime
from http.client import HTTPConnection
from pathlib import Path

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench.common import (  # noqa: E402
    GUNICORN,
    HOST,
    LOG_DIR,
    MANAGE,
    MEDIA_ROOT,
    PYTHON,
    ROOT,
    WORK,
    BenchError,
    _int_env,
    cpu_count,
    log,
    run_checked,
)
from bench.servers import free_port  # noqa: E402

PG_BASE = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
DB_NAME = "housingmix_bench_submissions"
REDIS_URL = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
GOAL_RATIO = 3.0
CSRF_SECRET = "b" * 32  # the same value in the cookie and the form: Django's double-submit check


def server_env() -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "housingmix.settings",
            "DJANGO_DEBUG": "false",
            "DATABASE_URL": "%s/%s" % (PG_BASE, DB_NAME),
            "DJANGO_CONN_MAX_AGE": "60",
            "MEDIA_ROOT": str(MEDIA_ROOT),
            "DJANGO_ALLOWED_HOSTS": HOST,
            "REDIS_CACHE_URL": "",
            "CELERY_BROKER_URL": REDIS_URL,
            "CELERY_TASK_ALWAYS_EAGER": "false",
            "PYTHONPATH": str(ROOT),
            "PYTHONUNBUFFERED": "1",
        }
    )
    return env


def _psql(sql: str) -> None:
    done = subprocess.run(
        ["psql", "%s/postgres" % PG_BASE, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql],
        capture_output=True,
        text=True,
        timeout=60,
    )
    if done.returncode != 0:
        raise BenchError("psql failed: %s" % done.stderr.strip()[-500:])


def redis_flush() -> None:
    import redis

    redis.Redis.from_url(REDIS_URL, socket_connect_timeout=2).flushdb()


@dataclass
class Timing:
    kind: str
    seconds: float
    status: int


def seed_database(count: int) -> list[dict]:
    """Fresh database, an open notice and ``count`` offerers with a complete draft each."""
    log("creating the PostgreSQL database %s", DB_NAME)
    _psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % DB_NAME)
    _psql("CREATE DATABASE %s" % DB_NAME)
    env = server_env()
    run_checked([PYTHON, str(MANAGE), "migrate", "--noinput", "-v", "0"], what="migrate", timeout_s=300, env=env)
    out = WORK / "submissions-seed.json"
    log("seeding %d complete drafts", count)
    run_checked([PYTHON, "-m", "bench.submissions_seed", str(count), str(out)], what="seed", timeout_s=600, env=env)
    return json.loads(out.read_text())


def start_server(workers: int, threads: int, *, extra_env: dict[str, str] | None = None, name: str = "submissions"):
    """gunicorn (gthread) on a free port of 127.0.0.1 with the bench environment (plus ``extra_env``)."""
    port = free_port()
    log_path = LOG_DIR / ("gunicorn-%s.log" % name)
    command = [
        str(GUNICORN), "--chdir", str(ROOT), "--bind", "%s:%d" % (HOST, port), "--workers", str(workers),
        "--worker-class", "gthread", "--threads", str(threads), "--timeout", "60", "--log-level", "warning",
        "housingmix.wsgi:application",
    ]  # fmt: skip
    with open(log_path, "ab") as log_file:
        process = subprocess.Popen(
            command, cwd=ROOT, env={**server_env(), **(extra_env or {})}, stdin=subprocess.DEVNULL, stdout=log_file, stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise BenchError("gunicorn exited at start; see %s" % log_path)
        try:
            with socket.create_connection((HOST, port), timeout=1):
                return process, port
        except OSError:
            time.sleep(0.2)
    process.kill()
    raise BenchError("gunicorn not answering; see %s" % log_path)


def _post(connection: HTTPConnection, path: str, cookies: str, fields: dict[str, str]) -> tuple[int, float]:
    from urllib.parse import urlencode

    body = urlencode({**fields, "csrfmiddlewaretoken": CSRF_SECRET})
    headers = {
        "Content-Type": "application/x-www-form-urlencoded",
        "Cookie": cookies,
        "Referer": "http://%s%s" % (HOST, path),
        "Host": HOST,
    }
    started = time.perf_counter()
    connection.request("POST", path, body=body, headers=headers)
    response = connection.getresponse()
    response.read()
    return response.status, time.perf_counter() - started


def _client(port: int, offerers: list[dict], timings: list[Timing], lock: threading.Lock) -> None:
    connection = HTTPConnection(HOST, port, timeout=60)
    try:
        for offerer in offerers:
            cookies = "sessionid=%s; csrftoken=%s" % (offerer["session"], CSRF_SECRET)
            status, seconds = _post(
                connection, offerer["offerer_url"], cookies, {**offerer["offerer_form"], "save": "1"}
            )
            with lock:
                timings.append(Timing("draft", seconds, status))
            status, seconds = _post(connection, offerer["summary_url"], cookies, {})
            with lock:
                timings.append(Timing("submit", seconds, status))
    finally:
        connection.close()


def p95(values: list[float]) -> float:
    return statistics.quantiles(values, n=20, method="inclusive")[18] if len(values) > 1 else values[0]


def measure(*, count: int, clients: int, workers: int, threads: int) -> dict:
    offerers = seed_database(count)
    redis_flush()
    process, port = start_server(workers, threads)
    timings: list[Timing] = []
    lock = threading.Lock()
    try:
        # Warm-up: each worker thread serves the home page and a draft's page (read-only) first,
        # so imports and connections are not counted against either measured request.
        for offerer in offerers[: workers * threads * 2]:
            warm = HTTPConnection(HOST, port, timeout=30)
            cookies = "sessionid=%s; csrftoken=%s" % (offerer["session"], CSRF_SECRET)
            for path in ("/", offerer["offerer_url"], offerer["summary_url"]):
                warm.request("GET", path, headers={"Host": HOST, "Cookie": cookies})
                warm.getresponse().read()
            warm.close()
        log("%d clients submitting %d manifestations", clients, count)
        shares = [offerers[i::clients] for i in range(clients)]
        started = time.perf_counter()
        threads_ = [threading.Thread(target=_client, args=(port, share, timings, lock)) for share in shares]
        for thread in threads_:
            thread.start()
        for thread in threads_:
            thread.join(timeout=600)
        elapsed = time.perf_counter() - started
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
    register = json.loads(
        run_checked(
            [PYTHON, "-m", "bench.submissions_seed", "--register"], what="register", timeout_s=120, env=server_env()
        )
    )
    redis_flush()
    drafts = [t.seconds for t in timings if t.kind == "draft"]
    submits = [t.seconds for t in timings if t.kind == "submit"]
    errors = [t for t in timings if t.status != 302]
    return {
        "count": count,
        "clients": clients,
        "workers": workers,
        "threads": threads,
        "elapsed_s": elapsed,
        "requests": len(timings),
        "errors": len(errors),
        "error_statuses": sorted({t.status for t in errors}),
        "draft_p50": statistics.median(drafts),
        "draft_p95": p95(drafts),
        "submit_p50": statistics.median(submits),
        "submit_p95": p95(submits),
        **register,
    }


def render(result: dict) -> str:
    from bench.report import cpu_model

    ratio = result["submit_p95"] / result["draft_p95"]
    gapless = result["numbers"] == list(range(1, result["count"] + 1))
    met = gapless and result["errors"] == 0 and result["submitted"] == result["count"] and ratio <= GOAL_RATIO
    now = datetime.now().astimezone().isoformat(timespec="seconds")
    ms = lambda seconds: "%.1f" % (seconds * 1000)  # noqa: E731
    return "\n".join(
        [
            "## Submissions on PostgreSQL, %s on %s" % (now, socket.gethostname()),
            "",
            "- Machine: nproc %d, %s, PostgreSQL at %s, Redis broker %s (no worker: receipts stay queued)"
            % (cpu_count(), cpu_model(), PG_BASE.rsplit("@", 1)[-1], REDIS_URL.rsplit("@", 1)[-1]),
            "- Server: gunicorn on 127.0.0.1, %d gthread workers x %d threads, DJANGO_DEBUG=false, CONN_MAX_AGE=60"
            % (result["workers"], result["threads"]),
            "- Load: %d clients (threads, keep-alive), %d offerers with a complete draft each; per offerer: "
            "POST save draft (offerer step), then POST submit; %d requests in %.1f s"
            % (result["clients"], result["count"], result["requests"], result["elapsed_s"]),
            "",
            "| Request | p50 ms | p95 ms |",
            "|---|---:|---:|",
            "| save draft (baseline) | %s | %s |" % (ms(result["draft_p50"]), ms(result["draft_p95"])),
            "| submit (protocol, freeze, outbox) | %s | %s |" % (ms(result["submit_p50"]), ms(result["submit_p95"])),
            "",
            "- Submitted: %d of %d; errors (status other than 302): %d %s"
            % (result["submitted"], result["count"], result["errors"], result["error_statuses"] or ""),
            "- Protocol numbers: %d distinct, %s (min %s, max %s)"
            % (
                len(set(result["numbers"])),
                "gapless 1..%d" % result["count"] if gapless else "NOT gapless",
                min(result["numbers"], default="-"),
                max(result["numbers"], default="-"),
            ),
            "- Ratio p95 submit / p95 save draft: **%.2f** (goal <= %.0f)" % (ratio, GOAL_RATIO),
            "- Goals (distinct gapless numbers, 0 errors, ratio): **%s**" % ("met" if met else "missed"),
        ]
    )


def main() -> int:
    try:
        count = _int_env("BENCH_SUBMISSIONS", 200, 20, 2000)
        clients = _int_env("BENCH_SUBMIT_CLIENTS", 20, 1, 64)
        workers = _int_env("BENCH_SUBMIT_WORKERS", min(cpu_count(), 4), 1, 16)
        threads = _int_env("BENCH_SUBMIT_THREADS", 4, 1, 16)
        for folder in (WORK, MEDIA_ROOT, LOG_DIR):
            folder.mkdir(parents=True, exist_ok=True)
        result = measure(count=count, clients=clients, workers=workers, threads=threads)
    except BenchError as error:
        print("bench: %s" % error, file=sys.stderr)
        return 1
    from bench.report import append

    section = render(result)
    append(section)
    print(section)
    return 0


if __name__ == "__main__":
    sys.exit(main())
