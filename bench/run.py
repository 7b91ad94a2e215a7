"""`make bench`: every stage's figures as ratios to a baseline measured in the same run, written to
bench/RESULTS.md with the date and the machine. See bench/README.md.

Stages (``BENCH_STAGES``, default ``review,pages,pdf,codesign,beneficiaries,submissions,load``), PostgreSQL
first:
- review: the review pages at two sizes on PostgreSQL, interleaved, against a bare and a trivial
  view (bench/review_bench.py), then a wrk load stage logged in;
- pages: the public Avvisi pages, cached and uncached, against a bare view (wrk, gunicorn);
- pdf: the notice PDF task against raw WeasyPrint;
- codesign: the ranking and the co-design lists at 10 and 1,000 proposals/reports (bench/codesign_bench.py);
- beneficiaries: matching over 10,000 units against the bare indexed query, the households list at
  100 and 10,000 (bench/beneficiaries_bench.py);
- submissions: 200 concurrent submissions on PostgreSQL (its own process and section);
- load: 50 clients mixing public reads, logins, draft saves and submissions, each kind's p95
  against the same requests one at a time (bench/load.py, its own process and section).

Exit status: 0 when everything was measured (even if a goal is missed: this is a
measurement, not a test), 1 when a step could not run.
"""

import json
import os
import platform
import signal
import socket
import subprocess
import sys
from datetime import datetime
from importlib.metadata import version
from pathlib import Path

# Run as a script, sys.path[0] is bench/ itself, where module names could shadow the
# standard library; the project root goes there instead, so `bench` is a package.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import pages, prepare, report, review_bench  # noqa: E402
from bench.common import (  # noqa: E402
    PG_BASE,
    PYTHON,
    RESULTS,
    ROOT,
    WORK,
    BenchError,
    Knobs,
    bench_env,
    cpu_count,
    knobs_from_env,
    log,
    on_postgres,
    run_checked,
)

STAGES = ("review", "pages", "pdf", "codesign", "beneficiaries", "submissions", "load")
# In-process stages: a module that migrates and seeds its own fresh database, measures and prints
# its Markdown section.
IN_PROCESS = {"codesign": "bench.codesign_bench", "beneficiaries": "bench.beneficiaries_bench"}


def _exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so the finally blocks stop the servers."""

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


def _stages() -> list[str]:
    raw = os.environ.get("BENCH_STAGES", ",".join(STAGES))
    chosen = [s.strip() for s in raw.split(",") if s.strip()]
    unknown = set(chosen) - set(STAGES)
    if unknown or not chosen:
        raise BenchError("BENCH_STAGES=%r: choose among %s" % (raw, ", ".join(STAGES)))
    return [s for s in STAGES if s in chosen]


def measure_pdf(slug: str, knobs: Knobs) -> report.PdfResults:
    """In a subprocess of its own, after the servers have stopped: nothing else competes for the CPU."""
    out = WORK / "pdf.json"
    log("timing the notice PDF task against raw WeasyPrint (%d rounds)", knobs.pdf_rounds)
    run_checked(
        [PYTHON, "-m", "bench.pdf_timing", slug, str(knobs.pdf_rounds), str(out)],
        what="bench.pdf_timing",
        timeout_s=240,
    )
    return report.PdfResults(**json.loads(out.read_text()))


def measure_in_process(stage: str) -> str:
    """A fresh database of its own (PostgreSQL first), then the stage's module in a subprocess."""
    name = "housingmix_bench_%s" % stage
    if on_postgres():
        prepare._psql("DROP DATABASE IF EXISTS %s WITH (FORCE)" % name)
        prepare._psql("CREATE DATABASE %s" % name)
        url = "%s/%s" % (PG_BASE, name)
    else:
        path = WORK / ("%s.sqlite3" % name)
        path.unlink(missing_ok=True)
        url = "sqlite:///%s" % path
    env = bench_env()
    env["DATABASE_URL"] = url
    log("%s benchmark (%s) on %s", stage, IN_PROCESS[stage], "PostgreSQL" if on_postgres() else "SQLite")
    out = run_checked([PYTHON, "-m", IN_PROCESS[stage]], what=IN_PROCESS[stage], timeout_s=900, env=env)
    section = out[out.index("#") :] if "#" in out else out
    return "### " + section.lstrip("#").lstrip()


def _machine(stages: list[str], started: datetime) -> str:
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True)
    return "\n".join(
        [
            "## %s on %s" % (started.isoformat(timespec="seconds"), socket.gethostname()),
            "",
            "- Machine: host `%s`, nproc %d, %s, Python %s, Django %s, load average %.2f at the start"
            % (
                socket.gethostname(),
                cpu_count(),
                report.cpu_model(),
                platform.python_version(),
                version("django"),
                os.getloadavg()[0],
            ),
            "- Code: commit `%s`; stages: %s; database: %s"
            % (commit.stdout.strip() or "?", ", ".join(stages), "PostgreSQL" if on_postgres() else "SQLite"),
            "",
        ]
    )


def main() -> int:
    _exit_on_sigterm()
    started = datetime.now().astimezone()
    sections = []
    try:
        stages = ["review"] if "--review" in sys.argv[1:] else _stages()
    except BenchError as error:
        print("bench: %s" % error, file=sys.stderr)
        return 1
    header = _machine(stages, started)
    try:
        prepare.fresh_workdir()
        if "review" in stages:
            review_results = review_bench.measure()
            sections.append(review_bench.render(review_results).replace("## ", "### ", 1))
        if "pages" in stages or "pdf" in stages:
            knobs = knobs_from_env()
            prepare.fresh_pages_database(review_bench.template_if_made())
            slug = prepare.seed()
            if "pages" in stages:
                wrk_path = prepare.ensure_wrk()
                page_results = pages.measure(wrk_path, knobs, slug)
                sections.append(report.render_pages(pages=page_results, knobs=knobs, wrk_path=wrk_path, slug=slug))
            if "pdf" in stages:
                sections.append(report.render_pdf(measure_pdf(slug, knobs), knobs))
        for stage in IN_PROCESS:
            if stage in stages:
                sections.append(measure_in_process(stage))
    except BenchError as error:
        print("bench: %s" % error, file=sys.stderr)
        failed = str(error)
    else:
        failed = ""
    took = (datetime.now().astimezone() - started).total_seconds()
    log("bench took %.0f s", took)
    if failed:  # what was measured is still written, with the step that could not run
        sections.append("### A step could not run\n\n```\n%s\n```\n" % failed)
    text = report.HEADER + "\n" + header + "\n" + "\n".join(sections) + "\nRun time: %.0f s.\n" % took
    RESULTS.write_text(text)
    print(text)
    log("wrote %s", RESULTS)
    if failed:
        return 1
    codes = []
    if "submissions" in stages:
        # Submissions on PostgreSQL: a process of its own (its own database, server and report section).
        log("submissions benchmark (bench/submissions.py)")
        codes.append(subprocess.run([PYTHON, "-m", "bench.submissions"], cwd=ROOT, check=False).returncode)
    if "load" in stages:
        log("load run (bench/load.py)")
        codes.append(subprocess.run([PYTHON, "-m", "bench.load"], cwd=ROOT, check=False).returncode)
    return max(codes, default=0)


if __name__ == "__main__":
    sys.exit(main())
