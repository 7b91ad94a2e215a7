"""The review pages (queue, registry list, manifestation detail) at 100 and 10,000
manifestations: queries, median and p95 time, ratio to a trivial view of the same run.

Each size gets its own fresh SQLite database (migrate + ``manage.py seed_bench``); the
timing itself runs in a subprocess (``bench.review_timing``) with ``DJANGO_DEBUG=false``
and the project's middleware. See bench/README.md, section 3.
"""

import json
import os
from dataclasses import dataclass
from datetime import datetime

from .common import MANAGE, PYTHON, WORK, BenchError, bench_env, log, run_checked

PAGES = [
    ("review_queue", "review queue (list)"),
    ("registry_list", "unit registry (list)"),
    ("review_detail", "manifestation (detail)"),
]
QUERY_GOALS = {"review_queue": 12, "registry_list": 12, "review_detail": 15}
RATIO_GOALS = {"review_queue": 100, "registry_list": 100, "review_detail": 60}
SCALING_GOAL = 1.5


@dataclass(frozen=True)
class ReviewResults:
    by_size: dict[int, dict]

    def ratio(self, size: int, page: str) -> float:
        data = self.by_size[size]
        return data["median"][page] / data["median"]["trivial"]


def _sizes() -> list[int]:
    raw = os.environ.get("BENCH_REVIEW_SIZES", "100,10000")
    try:
        sizes = [int(x) for x in raw.split(",") if x.strip()]
    except ValueError:
        raise BenchError("BENCH_REVIEW_SIZES=%r is not a list of integers" % raw)
    if not sizes or any(not 1 <= s <= 50000 for s in sizes):
        raise BenchError("BENCH_REVIEW_SIZES must list sizes between 1 and 50000")
    return sizes


def _requests() -> int:
    value = int(os.environ.get("BENCH_REVIEW_REQUESTS", "40") or 40)
    if not 30 <= value <= 1000:
        raise BenchError("BENCH_REVIEW_REQUESTS must be between 30 and 1000")
    return value


def measure() -> ReviewResults:
    results = {}
    requests = _requests()
    for size in _sizes():
        db = WORK / ("review-%d.sqlite3" % size)
        for suffix in ("", "-journal", "-wal", "-shm"):
            db.with_name(db.name + suffix).unlink(missing_ok=True)
        env = bench_env("bench.settings_review")
        env["DATABASE_URL"] = "sqlite:///%s" % db
        log("review bench: migrating and seeding %d manifestations", size)
        run_checked([PYTHON, str(MANAGE), "migrate", "--noinput", "-v", "0"], what="migrate", timeout_s=300, env=env)
        run_checked(
            [PYTHON, str(MANAGE), "seed_bench", "--count", str(size)], what="seed_bench", timeout_s=1200, env=env
        )
        out = WORK / ("review-%d.json" % size)
        log("review bench: timing %d requests per page at %d manifestations", requests, size)
        run_checked(
            [PYTHON, "-m", "bench.review_timing", str(requests), str(out)],
            what="bench.review_timing",
            timeout_s=1200,
            env=env,
        )
        results[size] = json.loads(out.read_text())
    return ReviewResults(results)


def _verdict(met: bool) -> str:
    return "**met**" if met else "**missed**"


def render(results: ReviewResults) -> str:
    sizes = sorted(results.by_size)
    first = results.by_size[sizes[0]]
    lines = [
        "## Review pages, %s" % datetime.now().astimezone().isoformat(timespec="seconds"),
        "",
        "- In-process (`bench/review_timing.py`): Django test client, full middleware, `DJANGO_DEBUG=false`, "
        "logged in as Ambito staff (private pages, no page cache); SQLite; %d requests per page, interleaved, "
        "after 3 warm-up requests each; trivial view = a constant page through the same stack." % first["requests"],
        "- Data: `manage.py seed_bench --count N` (units, filed attachments, history, checklists, requests, "
        "visits, decisions, registry entries). Detail page: the newest eligible manifestation.",
        "",
        "| Page | Manifestations | Queries | Median ms | p95 ms | Median / trivial | Goal |",
        "|---|---:|---:|---:|---:|---:|---|",
    ]
    for size in sizes:
        data = results.by_size[size]
        lines.append(
            "| trivial view | %d | %d | %.2f | %.2f | 1 | |"
            % (size, data["queries"]["trivial"], data["median"]["trivial"] * 1000, data["p95"]["trivial"] * 1000)
        )
        for key, label in PAGES:
            ratio = results.ratio(size, key)
            lines.append(
                "| %s | %d | %d | %.2f | %.2f | %.1f | queries <= %d: %s; <= %dx: %s |"
                % (
                    label,
                    size,
                    data["queries"][key],
                    data["median"][key] * 1000,
                    data["p95"][key] * 1000,
                    ratio,
                    QUERY_GOALS[key],
                    _verdict(data["queries"][key] <= QUERY_GOALS[key]),
                    RATIO_GOALS[key],
                    _verdict(ratio <= RATIO_GOALS[key]),
                )
            )
    if len(sizes) > 1:
        small, large = results.by_size[sizes[0]], results.by_size[sizes[-1]]
        lines += [
            "",
            "Scaling, time at %d / time at %d (medians; goal <= %.1f):" % (sizes[-1], sizes[0], SCALING_GOAL),
            "",
        ]
        for key, label in PAGES:
            scale = large["median"][key] / small["median"][key]
            constant = large["queries"][key] == small["queries"][key]
            lines.append(
                "- %s: **%.2f** (%s); queries %d at both sizes: %s"
                % (
                    label,
                    scale,
                    _verdict(scale <= SCALING_GOAL),
                    small["queries"][key],
                    "constant" if constant else "**not constant** (%d)" % large["queries"][key],
                )
            )
    return "\n".join(lines) + "\n"
