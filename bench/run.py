"""`make bench`: the Avvisi pages against a bare Django view, and the notice PDF task
against a raw WeasyPrint render. See bench/README.md.

Exit status: 0 when everything was measured (even if a goal is missed: this is a
measurement, not a test), 1 when a step could not run.
"""

import json
import signal
import subprocess
import sys
from pathlib import Path

# Run as a script, sys.path[0] is bench/ itself, where module names could shadow the
# standard library; the project root goes there instead, so `bench` is a package.
sys.path[0] = str(Path(__file__).resolve().parent.parent)

from bench import pages, prepare, report, review_bench  # noqa: E402
from bench.common import PYTHON, ROOT, WORK, BenchError, Knobs, knobs_from_env, log, run_checked  # noqa: E402


def _exit_on_sigterm() -> None:
    """Turn SIGTERM into SystemExit, so the finally blocks stop the servers."""

    def handler(signum: int, frame: object) -> None:
        raise SystemExit(128 + signum)

    signal.signal(signal.SIGTERM, handler)


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


def main_review() -> int:
    """Only the review pages (``bench/run.py --review``): no wrk, no gunicorn."""
    try:
        prepare.fresh_workdir()
        section = review_bench.render(review_bench.measure())
    except BenchError as error:
        print("bench: %s" % error, file=sys.stderr)
        return 1
    report.append(section)
    print(section)
    return 0


def main() -> int:
    _exit_on_sigterm()
    if "--review" in sys.argv[1:]:
        return main_review()
    try:
        knobs = knobs_from_env()
        wrk_path = prepare.ensure_wrk()
        prepare.fresh_workdir()
        slug = prepare.seed()
        page_results = pages.measure(wrk_path, knobs, slug)
        pdf_results = measure_pdf(slug, knobs)
        review_results = review_bench.measure()
    except BenchError as error:
        print("bench: %s" % error, file=sys.stderr)
        return 1
    section = report.render(pages=page_results, pdf=pdf_results, knobs=knobs, wrk_path=wrk_path, slug=slug)
    section += "\n" + review_bench.render(review_results).replace("## Review pages", "### Review pages", 1)
    report.append(section)
    print(section)
    log("appended to %s", report.RESULTS)
    # Submissions on PostgreSQL: a process of its own (its own database, server and report section).
    log("submissions benchmark (bench/submissions.py)")
    return subprocess.run([PYTHON, "-m", "bench.submissions"], cwd=ROOT, check=False).returncode


if __name__ == "__main__":
    sys.exit(main())
