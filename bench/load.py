"""A bounded load run: 50 clients mixing public reads, logins, draft saves and submissions.

`python -m bench.load` (also the last stage of `make bench`, or `make bench-load`). On a fresh
PostgreSQL database (bench/submissions.py's, dropped and recreated) with an open notice and
offerers who each own a complete draft and a password (bench/submissions_seed.py), gunicorn
serves the portal on 127.0.0.1 with Redis as cache and broker (no worker: receipts stay queued).

Each client (aiohttp, keep-alive, its own cookies) takes offerers in turn and for each does the
four kinds of request: a public read (home page, then the notices list), a login (POST of the
login form with the offerer's e-mail and password), a draft save (POST of the offerer step) and
the submission (POST of the summary). The same four are also made one at a time, by one client,
before and after the load phase of every round (interleaved in the same run): the ratio of each
kind's p95 under load to its p95 alone is what the run reports. Bounded: at most
``BENCH_LOAD_SECONDS`` (default 110, at most 120) of load and a fixed number of requests.
Any status outside 2xx/3xx is an error, and so is a login that opens no session (status 0); the
goal is 0.
"""

import asyncio
import json
import os
import socket
import statistics
import subprocess
import sys
import time
from datetime import datetime
from pathlib import Path
from urllib.parse import urlencode

sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import submissions  # noqa: E402
from bench.common import (  # noqa: E402
    HOST,
    LOG_DIR,
    MEDIA_ROOT,
    PYTHON,
    WORK,
    BenchError,
    _int_env,
    cpu_count,
    log,
    run_checked,
)

KINDS = ("public", "login", "draft", "submit")
CACHE_URL = os.environ.get("BENCH_LOAD_CACHE_URL", "redis://127.0.0.1:6379/14")
CSRF = submissions.CSRF_SECRET


async def _request(http, base: str, kind: str, offerer: dict, cookies: dict, step: int) -> tuple[str, int, float]:
    """One request of ``kind`` for ``offerer``: (kind, status, seconds)."""
    headers = {
        "Host": HOST,
        "Cookie": "; ".join("%s=%s" % item for item in cookies.items()),
        "X-Forwarded-For": offerer["address"],
    }
    if kind == "public":
        method, path, data = "GET", ("/", "/avvisi/")[step % 2], None
    elif kind == "login":
        method, path = "POST", "/account/login/"
        data = {"login": offerer["email"], "password": offerer["password"]}
    elif kind == "draft":
        method, path, data = "POST", offerer["offerer_url"], {**offerer["offerer_form"], "save": "1"}
    else:
        method, path, data = "POST", offerer["summary_url"], {}
    if data is not None:
        headers.update({"Content-Type": "application/x-www-form-urlencoded", "Referer": "http://%s%s" % (HOST, path)})
        data = urlencode({**data, "csrfmiddlewaretoken": CSRF})
    started = time.perf_counter()
    async with http.request(method, base + path, data=data, headers=headers, allow_redirects=False) as response:
        await response.read()
        status = response.status
        if kind == "login" and "sessionid" in response.cookies:
            cookies["sessionid"] = response.cookies["sessionid"].value
    return kind, status, time.perf_counter() - started


async def _client(http, base: str, offerers: list[dict], deadline: float) -> list[tuple[str, int, float]]:
    timings = []
    for step, offerer in enumerate(offerers):
        # The login comes without a session (a logged-in visitor is only redirected); the draft
        # and the submission then use the session it opened.
        cookies = {"csrftoken": CSRF}
        for kind in KINDS:
            if time.monotonic() > deadline:
                return timings
            timing = await _request(http, base, kind, offerer, cookies, step)
            if kind == "login" and "sessionid" not in cookies:
                timing = (kind, 0, timing[2])  # no session: the login was refused (status 0 in the report)
                cookies["sessionid"] = offerer["session"]
            timings.append(timing)
    return timings


async def _phase(base: str, shares: list[list[dict]], deadline: float) -> list[tuple[str, int, float]]:
    import aiohttp

    # Idle connections are dropped by the client before gunicorn drops them (its keep-alive is 2 s):
    # a request written on a connection the server is closing fails with "Cannot write to closing
    # transport", which no browser would report (it opens another), and a POST is not retried.
    connector = aiohttp.TCPConnector(limit=0, keepalive_timeout=1)
    timeout = aiohttp.ClientTimeout(total=60)
    async with aiohttp.ClientSession(connector=connector, timeout=timeout, cookie_jar=aiohttp.DummyCookieJar()) as http:
        results = await asyncio.gather(*(_client(http, base, share, deadline) for share in shares))
    return [timing for result in results for timing in result]


def measure(*, clients: int, per_client: int, serial: int, rounds: int, seconds: int, workers: int, threads: int):
    per_round = clients * per_client + 2 * serial
    offerers = submissions.seed_database(per_round * rounds + workers * threads)
    submissions.redis_flush()
    redis_cache_flush()
    # Every visitor has an address of its own behind the (simulated) reverse proxy, as in
    # production: from one address, 50 logins a minute would rightly meet allauth's rate limit
    # (30 a minute per address) and the lockout's throttle.
    for index, offerer in enumerate(offerers):
        offerer["address"] = "10.77.%d.%d" % divmod(index + 1, 250)
    extra = {"REDIS_CACHE_URL": CACHE_URL, "DJANGO_BEHIND_PROXY": "true"}
    process, port = submissions.start_server(workers, threads, extra_env=extra, name="load")
    base = "http://%s:%d" % (HOST, port)
    alone, loaded = [], []
    started = time.monotonic()
    deadline = started + seconds
    try:
        # Warm-up (not counted): every worker thread imports and connects once.
        asyncio.run(_phase(base, [[o] for o in offerers[: workers * threads]], time.monotonic() + 30))
        offerers = offerers[workers * threads :]
        for round_ in range(rounds):
            chunk = offerers[round_ * per_round : (round_ + 1) * per_round]
            before, load, after = chunk[:serial], chunk[serial:-serial], chunk[-serial:]
            log("round %d: %d requests one at a time, then %d clients", round_ + 1, 4 * serial, clients)
            alone += asyncio.run(_phase(base, [before], deadline))
            shares = [load[i::clients] for i in range(clients)]
            loaded += asyncio.run(_phase(base, shares, deadline))
            alone += asyncio.run(_phase(base, [after], deadline))
    finally:
        process.terminate()
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            process.kill()
        submissions.redis_flush()
        redis_cache_flush()
    register = json.loads(
        run_checked(
            [PYTHON, "-m", "bench.submissions_seed", "--register"],
            what="register",
            timeout_s=120,
            env=submissions.server_env(),
        )
    )
    return {
        "numbers": register["numbers"],
        "clients": clients,
        "workers": workers,
        "threads": threads,
        "rounds": rounds,
        "elapsed_s": time.monotonic() - started,
        "alone": alone,
        "loaded": loaded,
    }


def redis_cache_flush() -> None:
    import redis

    redis.Redis.from_url(CACHE_URL, socket_connect_timeout=2).flushdb()


def render(result: dict) -> str:
    from bench.report import cpu_model

    ms = lambda seconds: "%.1f" % (seconds * 1000)  # noqa: E731
    every = result["alone"] + result["loaded"]
    errors = [t for t in every if not 200 <= t[1] < 400]
    now = datetime.now().astimezone().isoformat(timespec="seconds")
    lines = [
        "## Load: %d clients mixing reads, logins, drafts and submissions, %s on %s"
        % (result["clients"], now, socket.gethostname()),
        "",
        "- Machine: nproc %d, %s, load average %.2f; PostgreSQL and Redis (cache %s, broker %s) on 127.0.0.1"
        % (cpu_count(), cpu_model(), os.getloadavg()[0], CACHE_URL.rsplit("/", 1)[-1], submissions.REDIS_URL),
        "- Server: gunicorn, %d gthread workers x %d threads, DJANGO_DEBUG=false; %d rounds, each: the four "
        "kinds one at a time, %d clients (aiohttp, keep-alive), the four kinds one at a time again"
        % (result["workers"], result["threads"], result["rounds"], result["clients"]),
        "- %d requests in %.1f s; errors (status outside 2xx/3xx): **%d** %s"
        % (len(every), result["elapsed_s"], len(errors), sorted({t[1] for t in errors}) or ""),
        "",
        "| Kind | requests under load | p50 ms | p95 ms under load | p95 ms one at a time | ratio p95 |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for kind in KINDS:
        loaded = [t[2] for t in result["loaded"] if t[0] == kind]
        alone = [t[2] for t in result["alone"] if t[0] == kind]
        if not loaded or not alone:
            lines.append("| %s | %d | - | - | - | - |" % (kind, len(loaded)))
            continue
        ratio = submissions.p95(loaded) / submissions.p95(alone)
        lines.append(
            "| %s | %d | %s | %s | %s | %.1f |"
            % (
                kind,
                len(loaded),
                ms(statistics.median(loaded)),
                ms(submissions.p95(loaded)),
                ms(submissions.p95(alone)),
                ratio,
            )
        )
    submits = [t for t in every if t[0] == "submit" and t[1] == 302]
    numbers = result["numbers"]
    lines += [
        "",
        "- Submissions answered 302: %d (warm-up excluded); protocol numbers registered: %d, %s"
        % (
            len(submits),
            len(numbers),
            "distinct and gapless" if numbers == list(range(1, len(numbers) + 1)) else "NOT gapless",
        ),
        "- Goal: 0 errors: **%s**" % ("met" if not errors else "missed"),
    ]
    return "\n".join(lines)


def main() -> int:
    try:
        clients = _int_env("BENCH_LOAD_CLIENTS", 50, 1, 100)
        # One offerer per client and round: a login costs a PBKDF2 hash (about a second of CPU
        # here), so 50 logins a round already fill the two minutes' budget on two cores.
        per_client = _int_env("BENCH_LOAD_PER_CLIENT", 1, 1, 10)
        serial = _int_env("BENCH_LOAD_SERIAL", 5, 2, 20)
        rounds = _int_env("BENCH_LOAD_ROUNDS", 2, 1, 4)
        seconds = _int_env("BENCH_LOAD_SECONDS", 110, 10, 120)
        workers = _int_env("BENCH_LOAD_WORKERS", min(cpu_count(), 4), 1, 16)
        threads = _int_env("BENCH_LOAD_THREADS", 4, 1, 16)
        for folder in (WORK, MEDIA_ROOT, LOG_DIR):
            folder.mkdir(parents=True, exist_ok=True)
        result = measure(
            clients=clients, per_client=per_client, serial=serial, rounds=rounds, seconds=seconds,
            workers=workers, threads=threads,
        )  # fmt: skip
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
