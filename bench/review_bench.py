"""The review pages (queue, registry list, manifestation detail) on PostgreSQL at two sizes,
measured interleaved in one run, each figure a ratio to a baseline of the same rounds.

1. Seeding: for each size in ``BENCH_REVIEW_SIZES`` (default ``100,10000``) a PostgreSQL
   database ``housingmix_bench_review_<N>`` (dropped and recreated), migrated, filled by
   ``manage.py seed_bench --count N``, then ``ANALYZE``d so the planner has statistics before
   the first request (autovacuum would get there minutes later). All sizes are seeded before
   anything is measured.
2. In-process: one ``bench.review_timing`` process per size, all started at once; the parent
   sends each target to every size in turn, request by request, rotating which size goes
   first. Baselines of the same rounds: ``bare`` (a constant view, no middleware) and
   ``trivial`` (the same view through the full middleware, logged in).
3. Load (``wrk``, when present): gunicorn on 127.0.0.1 with persistent connections, logged in
   (the session cookie of step 2), against the largest size: bare server, trivial view, queue,
   detail, in rounds. See bench/README.md, section 3.
"""

import json
import os
import select
import subprocess
import time
from dataclasses import dataclass, field
from datetime import datetime
from statistics import median

from .common import MANAGE, PYTHON, ROOT, BenchError, bench_env, log, run_checked

PG_BASE = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
PAGES = [
    ("review_queue", "review queue (list)"),
    ("registry_list", "unit registry (list)"),
    ("review_detail", "manifestation (detail)"),
]
TARGETS = ["bare", "trivial", *(key for key, _ in PAGES)]
# Issue 13's goals: queries per page, and the page's median over the trivial view's, at the largest size.
QUERY_GOALS = {"review_queue": 7, "registry_list": 7, "review_detail": 12}
RATIO_GOALS = {"review_queue": 8, "registry_list": 8, "review_detail": 8}
SCALING_GOAL = 1.5
FLOOR_GOAL = 0.60  # trivial view, logged in, under gunicorn: share of the bare server's req/s
WORKER_TIMEOUT_S = 120


def _int_env(name: str, default: int, low: int, high: int) -> int:
    raw = os.environ.get(name, "").strip()
    try:
        value = int(raw) if raw else default
    except ValueError:
        raise BenchError("%s=%r is not an integer" % (name, raw))
    if not low <= value <= high:
        raise BenchError("%s=%d is outside %d..%d" % (name, value, low, high))
    return value


def _sizes() -> list[int]:
    raw = os.environ.get("BENCH_REVIEW_SIZES", "100,10000")
    try:
        sizes = sorted({int(x) for x in raw.split(",") if x.strip()})
    except ValueError:
        raise BenchError("BENCH_REVIEW_SIZES=%r is not a list of integers" % raw)
    if not sizes or any(not 1 <= s <= 100000 for s in sizes):
        raise BenchError("BENCH_REVIEW_SIZES must list sizes between 1 and 100000")
    return sizes


def db_name(size: int) -> str:
    return "housingmix_bench_review_%d" % size


# As in production: a Redis cache (so sessions are cached_db, see settings.py). Flushed at the start.
CACHE_URL = os.environ.get("BENCH_REVIEW_CACHE_URL", "redis://127.0.0.1:6379/12")


def _env(size: int, settings_module: str = "bench.settings_review") -> dict[str, str]:
    env = bench_env(settings_module)
    env["DATABASE_URL"] = "%s/%s" % (PG_BASE, db_name(size))
    env["REDIS_CACHE_URL"] = CACHE_URL
    return env


def _flush_cache() -> None:
    import redis

    redis.Redis.from_url(CACHE_URL, socket_connect_timeout=2).flushdb()


def _psql(sql: str, *, database: str = "postgres", timeout_s: float = 300) -> str:
    done = subprocess.run(
        ["psql", "%s/%s" % (PG_BASE, database), "-v", "ON_ERROR_STOP=1", "-q", "-t", "-A", "-c", sql],
        capture_output=True,
        text=True,
        timeout=timeout_s,
    )
    if done.returncode != 0:
        raise BenchError("psql failed: %s" % done.stderr.strip()[-500:])
    return done.stdout.strip()


def _seeded_count(size: int) -> int | None:
    """Manifestations already in the size's database (BENCH_REVIEW_REUSE=1), None if unusable."""
    if not _psql("SELECT 1 FROM pg_database WHERE datname = '%s'" % db_name(size)):
        return None
    try:
        return int(_psql("SELECT count(*) FROM applications_application", database=db_name(size)))
    except (BenchError, ValueError):
        return None


TEMPLATE_DB = "housingmix_bench_template"


_TEMPLATE_MADE = []


def template_if_made() -> str | None:
    """The template database if this run migrated one (the pages stage clones it too)."""
    return TEMPLATE_DB if _TEMPLATE_MADE else None


def migrated_template() -> str:
    """A freshly migrated empty database to clone each size from (CREATE DATABASE ... TEMPLATE):
    the migrations run once per run, not once per size."""
    log("review bench: migrating the template database %s", TEMPLATE_DB)
    _psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % TEMPLATE_DB)
    _psql("CREATE DATABASE %s" % TEMPLATE_DB)
    env = bench_env("bench.settings_review")
    env["DATABASE_URL"] = "%s/%s" % (PG_BASE, TEMPLATE_DB)
    run_checked([PYTHON, str(MANAGE), "migrate", "--noinput", "-v", "0"], what="migrate", timeout_s=900, env=env)
    _TEMPLATE_MADE.append(TEMPLATE_DB)
    return TEMPLATE_DB


def seed(size: int, template: str | None) -> None:
    """The size's database: cloned from the template and seeded, or (BENCH_REVIEW_REUSE=1) the one
    a previous run left, migrated to the current code. ANALYZE in both cases."""
    env = _env(size)
    reuse = os.environ.get("BENCH_REVIEW_REUSE") == "1" and (_seeded_count(size) or 0) >= size
    if reuse:
        log("review bench: reusing the seeded %s (BENCH_REVIEW_REUSE=1)", db_name(size))
        run_checked([PYTHON, str(MANAGE), "migrate", "--noinput", "-v", "0"], what="migrate", timeout_s=600, env=env)
    else:
        template = template or migrated_template()
        log("review bench: %s from the template, seeding %d manifestations", db_name(size), size)
        _psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % db_name(size))
        _psql("CREATE DATABASE %s TEMPLATE %s" % (db_name(size), template))
        run_checked(
            [PYTHON, str(MANAGE), "seed_bench", "--count", str(size)], what="seed_bench", timeout_s=1800, env=env
        )
    # Planner statistics now, not when autovacuum gets there: the first figures must not be a worst case.
    _psql("ANALYZE", database=db_name(size))


@dataclass
class Worker:
    label: str
    size: int
    process: subprocess.Popen
    ready: dict = field(default_factory=dict)

    def _line(self) -> dict:
        readable, _, _ = select.select([self.process.stdout], [], [], WORKER_TIMEOUT_S)
        line = self.process.stdout.readline() if readable else ""
        if not line:
            raise BenchError("bench.review_timing (%s) stopped; its stderr is in bench/.work/logs" % self.label)
        return json.loads(line)

    def request(self, target: str) -> float:
        self.process.stdin.write(target + "\n")
        self.process.stdin.flush()
        return self._line()["t"]

    def stop(self) -> None:
        if self.process.poll() is None:
            try:
                self.process.stdin.write("quit\n")
                self.process.stdin.flush()
                self.process.wait(timeout=10)
            except (OSError, subprocess.TimeoutExpired):
                self.process.kill()
                self.process.wait(timeout=10)


def _start_worker(label: str, size: int, root) -> Worker:
    """``root``: the code tree the worker runs (this one; or, for a before/after comparison,
    BENCH_REVIEW_BASELINE_TREE, a checkout of an older commit with this bench/ copied in)."""
    from .common import LOG_DIR

    LOG_DIR.mkdir(parents=True, exist_ok=True)
    env = _env(size)
    env["PYTHONPATH"] = str(root)
    with open(LOG_DIR / ("review-%s.log" % label.replace(" ", "-")), "ab") as stderr:
        process = subprocess.Popen(
            [PYTHON, "-m", "bench.review_timing"],
            cwd=root,
            env=env,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=stderr,
            text=True,
        )
    return Worker(label=label, size=size, process=process)


def _p95(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(0.95 * (len(ordered) - 1))))]


def measure_in_process(sizes: list[int], requests: int) -> dict:
    specs = [(str(size), size, ROOT) for size in sizes]
    baseline = os.environ.get("BENCH_REVIEW_BASELINE_TREE", "").strip()
    if baseline:
        specs += [("%d baseline" % size, size, baseline) for size in sizes]
    workers = [_start_worker(*spec) for spec in specs]
    try:
        for worker in workers:
            worker.ready = worker._line()["ready"]
        log("review bench: %d interleaved rounds over %s", requests, ", ".join(w.label for w in workers))
        timings = {w.label: {t: [] for t in TARGETS} for w in workers}
        for round_no in range(requests):
            order = workers[round_no % len(workers) :] + workers[: round_no % len(workers)]
            for target in TARGETS:
                for worker in order:
                    timings[worker.label][target].append(worker.request(target))
        return {
            "requests": requests,
            "baseline_tree": baseline,
            "by_label": {
                w.label: {
                    **w.ready,
                    "size": w.size,
                    "median": {t: median(v) for t, v in timings[w.label].items()},
                    "p95": {t: _p95(v) for t, v in timings[w.label].items()},
                }
                for w in workers
            },
        }
    finally:
        for worker in workers:
            worker.stop()


def _session_cookie(size: int, root: str | None = None) -> str:
    """A session of the bench staff member in the size's database, for wrk's Cookie header, made
    by the code tree ``root`` serves (the project's, or a baseline's: its backend may differ)."""
    code = (
        "import django; django.setup()\n"
        "from django.contrib.auth import login\n"
        "from django.test import Client\n"
        "from demo.management.commands.seed_bench import STAFF_EMAIL\n"
        "from housingmix.accounts.models import User\n"
        "from bench.common import client_environment, login_verified\n"
        "client_environment()\n"
        "c = Client(); login_verified(c, User.objects.get(email=STAFF_EMAIL))\n"
        "print(c.cookies['sessionid'].value)\n"
    )
    env = _env(size)
    if root:
        env["PYTHONPATH"] = root
    return run_checked([PYTHON, "-c", code], what="session", timeout_s=120, env=env, cwd=root).strip()


def _answers_200(url: str, cookie: str | None) -> None:
    """A load target must answer its page: a redirect (to the login or the second factor) would
    be measured as a fast page."""
    import urllib.error
    import urllib.request

    class _NoRedirect(urllib.request.HTTPRedirectHandler):
        def redirect_request(self, *args, **kwargs):
            return None

    request = urllib.request.Request(url, headers={"Cookie": cookie} if cookie else {})  # noqa: S310
    try:
        status = urllib.request.build_opener(_NoRedirect).open(request, timeout=30).status  # nosec B310
    except urllib.error.HTTPError as error:
        status = error.code
    if status != 200:
        raise BenchError("load target %s answered %d, not its page (is the session logged in there?)" % (url, status))


def measure_load(size: int, *, duration_s: int, rounds: int, workers: int) -> dict | None:
    """wrk against gunicorn (sync workers, persistent DB connections), logged in, in rounds."""
    from . import prepare, servers, wrk
    from .common import Knobs

    try:
        # Installed when we are root, as the public pages' stage does (which runs after this one:
        # on a fresh machine the review's load stage was skipped on the first run).
        wrk_path = prepare.ensure_wrk()
    except BenchError as error:
        log("review bench: %s; load stage skipped", error)
        return None
    specs = {"bare": "bench.settings_floor", "portal": "bench.settings_review"}
    baseline = os.environ.get("BENCH_REVIEW_BASELINE_TREE", "").strip()
    cookies = {"portal": "sessionid=%s" % _session_cookie(size)}
    if baseline:
        cookies["baseline"] = "sessionid=%s" % _session_cookie(size, baseline)
    knobs = Knobs(workers=workers, rounds=rounds, threads=1, connections=4, duration_s=duration_s, pdf_rounds=1)
    plan = [
        ("bare", "bare", "/__bench_trivial__/", False),
        ("trivial", "portal", "/__bench_trivial__/", True),
        ("review_queue", "portal", "/istruttoria/", True),
        ("review_detail", "portal", None, True),
    ]
    roots = {}
    if baseline:
        specs["baseline"] = "bench.settings_review"
        roots["baseline"] = baseline
        plan += [
            ("trivial baseline", "baseline", "/__bench_trivial__/", True),
            ("review_queue baseline", "baseline", "/istruttoria/", True),
            ("review_detail baseline", "baseline", None, True),
        ]
    detail = json.loads(
        run_checked([PYTHON, "-c", _DETAIL_URL_CODE], what="detail url", timeout_s=120, env=_env(size)).strip()
    )
    envs = {name: _env(size, module) for name, module in specs.items()}
    for name, root in roots.items():
        envs[name]["PYTHONPATH"] = root
    with servers.running(specs, workers=workers, envs=envs, roots=roots) as running:
        results = {key: [] for key, *_ in plan}
        for _key, server, path, logged in plan:  # checked, then warmed up (not recorded)
            url = running[server].url(path or detail)
            _answers_200(url, cookies[server] if logged else None)
            wrk.measure(wrk_path, url, knobs, duration_s=1, headers=["Cookie: " + cookies[server]] if logged else [])
        for _ in range(rounds):
            for key, server, path, logged in plan:
                url = running[server].url(path or detail)
                headers = ["Cookie: " + cookies[server]] if logged else []
                result = wrk.measure(wrk_path, url, knobs, headers=headers)
                results[key].append(result.requests_per_s)
                log("review load %-14s %8.1f req/s", key, result.requests_per_s)
    return {
        "size": size,
        "workers": workers,
        "wrk": knobs.wrk_args,
        "rounds": rounds,
        "rps": {k: median(v) for k, v in results.items()},
        "series": results,
    }


_DETAIL_URL_CODE = (
    "import django, json; django.setup()\n"
    "from django.urls import reverse\n"
    "from applications.models import Application, ApplicationStatus\n"
    "a = Application.objects.filter(status=ApplicationStatus.ELIGIBLE).order_by('-pk').first()\n"
    "print(json.dumps(reverse('review:detail', kwargs={'ref': a.reference})))\n"
)


@dataclass(frozen=True)
class ReviewResults:
    in_process: dict
    load: dict | None
    seconds: float


def measure() -> ReviewResults:
    started = time.monotonic()
    sizes = _sizes()
    requests = _int_env("BENCH_REVIEW_REQUESTS", 30, 10, 1000)
    template = None
    for size in sizes:  # every size seeded before anything is measured
        reusable = os.environ.get("BENCH_REVIEW_REUSE") == "1" and (_seeded_count(size) or 0) >= size
        if not reusable and template is None:
            template = migrated_template()
        seed(size, template)
    _flush_cache()
    in_process = measure_in_process(sizes, requests)
    load = None
    if os.environ.get("BENCH_REVIEW_LOAD", "1") != "0":
        load = measure_load(
            sizes[-1],
            duration_s=_int_env("BENCH_REVIEW_LOAD_DURATION", 3, 1, 30),
            rounds=_int_env("BENCH_REVIEW_LOAD_ROUNDS", 2, 1, 10),
            workers=_int_env("BENCH_WORKERS", 2, 1, 16),
        )
    return ReviewResults(in_process=in_process, load=load, seconds=time.monotonic() - started)


def _verdict(met: bool) -> str:
    return "**met**" if met else "**missed**"


def baseline_tree(results: ReviewResults) -> str:
    return results.in_process.get("baseline_tree") or ""


def render(results: ReviewResults) -> str:
    by_label = results.in_process["by_label"]
    data = {v["size"]: v for k, v in by_label.items() if "baseline" not in k}
    sizes = sorted(data)
    largest = sizes[-1]
    rows = [(str(size), data[size]) for size in sizes]
    rows += [(label, row) for label, row in by_label.items() if "baseline" in label]
    lines = [
        "## Review pages on PostgreSQL, %s" % datetime.now().astimezone().isoformat(timespec="seconds"),
        "",
        "- Databases: `housingmix_bench_review_<N>` on %s, `manage.py seed_bench --count N`, `ANALYZE` "
        "after seeding; all sizes seeded before measuring. Stage time %.0f s."
        % (PG_BASE.rsplit("@", 1)[-1], results.seconds),
        "- In-process: one process per size (Django test client, `DJANGO_DEBUG=false`, the settings' own "
        "connection defaults, Redis cache `%s` so sessions are cached_db where the code says so), "
        "logged in as Ambito staff; %d rounds, each sending every target to every size in turn (rotating "
        "which size goes first), after 3 warm-up requests each. bare = a constant view with no middleware; "
        "trivial = the same view through the full middleware, logged in." % (CACHE_URL, results.in_process["requests"]),
        *(
            [
                "- Rows `N baseline`: the same databases served by the code tree `%s`, interleaved with the others "
                "(a before/after comparison in one run)." % baseline_tree(results)
            ]
            if baseline_tree(results)
            else []
        ),  # fmt: skip
        "",
        "| Page | Manifestations | Queries | Median ms | p95 ms | / trivial | / bare | Goal (at %d) |" % largest,
        "|---|---:|---:|---:|---:|---:|---:|---|",
    ]
    for label, row in rows:
        med = row["median"]
        for key in ["bare", "trivial"]:
            lines.append(
                "| %s view | %s | %d | %.2f | %.2f | %.2f | %.1f | |"
                % (key, label, row["queries"][key], med[key] * 1000, row["p95"][key] * 1000,
                   med[key] / med["trivial"], med[key] / med["bare"])
            )  # fmt: skip
        for key, page_label in PAGES:
            ratio = med[key] / med["trivial"]
            goal = ""
            if label == str(largest):
                goal = "queries <= %d: %s; <= %dx trivial: %s" % (
                    QUERY_GOALS[key],
                    _verdict(row["queries"][key] <= QUERY_GOALS[key]),
                    RATIO_GOALS[key],
                    _verdict(ratio <= RATIO_GOALS[key]),
                )
            lines.append(
                "| %s | %s | %d | %.2f | %.2f | %.1f | %.1f | %s |"
                % (page_label, label, row["queries"][key], med[key] * 1000, row["p95"][key] * 1000, ratio,
                   med[key] / med["bare"], goal)
            )  # fmt: skip
    if len(sizes) > 1:
        small, large = data[sizes[0]], data[largest]
        # Raw medians: the sizes ran interleaved, request by request, so noise hit both alike; dividing
        # each by its own trivial view (a few ms) would add that view's noise to the ratio.
        lines += ["", "Scaling, median time at %d / median time at %d (interleaved; goal <= %.1f):" % (
            largest, sizes[0], SCALING_GOAL), ""]  # fmt: skip
        for key, label in PAGES:
            scale = large["median"][key] / small["median"][key]
            constant = large["queries"][key] == small["queries"][key]
            lines.append(
                "- %s: **%.2f** (%s); queries %s"
                % (label, scale, _verdict(scale <= SCALING_GOAL),
                   "%d at every size" % small["queries"][key] if constant
                   else "**not constant** (%d, %d)" % (small["queries"][key], large["queries"][key]))
            )  # fmt: skip
    load = results.load
    if load:
        rps = load["rps"]
        lines += [
            "",
            "Load at %d manifestations: gunicorn on 127.0.0.1, %d sync workers each, the settings' own "
            "connection defaults (persistent since issue 13), "
            "`wrk %s`, %d rounds (bare server, trivial, queue, detail in turn), logged in except bare "
            "(bare = `bench.settings_floor`: no middleware but allauth's)."
            % (load["size"], load["workers"], load["wrk"], load["rounds"]),
            "",
            "| Target | req/s (median) | rounds | / bare | / trivial |",
            "|---|---:|---|---:|---:|",
        ]
        for key in rps:
            lines.append(
                "| %s | %.1f | %s | %.2f | %.3f |"
                % (key, rps[key], ", ".join("%.0f" % v for v in load["series"][key]), rps[key] / rps["bare"],
                   rps[key] / rps[key.replace(key.split()[0], "trivial")])
            )  # fmt: skip
        floor = rps["trivial"] / rps["bare"]
        lines += ["", "- Stack floor: trivial / bare = **%.0f %%** (goal >= %.0f %%: %s)" % (
            floor * 100, FLOOR_GOAL * 100, _verdict(floor >= FLOOR_GOAL))]  # fmt: skip
        if "trivial baseline" in rps:
            lines.append("- Baseline tree (`%s`): trivial / bare = %.0f %%" % (
                os.path.basename(str(baseline_tree(results))), rps["trivial baseline"] / rps["bare"] * 100))  # fmt: skip
    return "\n".join(lines) + "\n"
