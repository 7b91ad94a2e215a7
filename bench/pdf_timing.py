"""Time the notice PDF task against a bare WeasyPrint render of the same HTML.

Run by bench/run.py as ``python -m bench.pdf_timing SLUG ROUNDS OUT.json`` with the bench
environment; writes the per-round timings (seconds) to OUT.json.

Three measurements, interleaved in a rotating order so a slow spell of the machine
spreads over all of them:

- task: ``outbox_job_run_task.apply()`` (eager, in-process) on a fresh render job (the outbox),
  after deleting the notice's generated PDFs so that the task really renders instead of
  finding a PDF with the same source hash. It includes what the product pays for: the
  HTML rendering, the PDF/UA-1 tagging, storing the file, the audit event, the job row.
- raw: ``weasyprint.HTML(string=html, base_url="/").write_pdf()`` on the HTML the task
  renders (documents.notice_html), computed once outside the timing. This is the goal's
  baseline.
- raw_same_options: documents.render_pdf(html), the same WeasyPrint call with the task's
  PDF/UA-1 options. Not part of the goal: it splits the task's overhead into "tagging"
  (raw_same_options - raw) and the rest (task - raw_same_options).
- html: documents.notice_html() alone, the template rendering the task does before
  WeasyPrint. Not part of the goal either: with it, the rest splits into "HTML" and
  "storage, database and Celery bookkeeping".
"""

import gc
import json
import os
import sys
import time
from collections.abc import Callable
from pathlib import Path

import django


def _fresh_job(notice) -> int:
    """Delete the notice's generated notice PDFs (so the job renders: the same source would give
    the existing version back) and return a new pending render job for it: the outbox row a
    publication writes (notices.services.document_jobs_request), without the send after commit
    that, with tasks run in-process, would render it here, in the set-up."""
    from django.contrib.contenttypes.models import ContentType
    from django.utils import timezone

    from housingmix.core.documents.services import documents_of
    from housingmix.core.outbox import Job
    from housingmix.notices.models import DocumentKind
    from housingmix.notices.services import RENDER_JOBS

    for document in documents_of(notice, kinds=[DocumentKind.NOTICE_PDF]):
        document.file.delete(save=False)
        document.delete()
    now = timezone.now()
    job = Job.objects.create(
        kind=RENDER_JOBS[DocumentKind.NOTICE_PDF],
        target_type=ContentType.objects.get_for_model(notice),
        target_id=str(notice.pk),
        requested_at=now,
        next_attempt_at=now,
    )
    return job.pk


def _run_task(notice) -> float:
    """The worker's task for one render job (outbox_job_run_task, run in this process)."""
    from housingmix.core.documents.services import documents_of
    from housingmix.core.outbox import Job, JobStatus
    from housingmix.core.outbox.tasks import outbox_job_run_task
    from housingmix.notices.models import DocumentKind

    job_id = _fresh_job(notice)  # outside the timing: it is the benchmark's set-up, not the task
    start = time.perf_counter()
    result = outbox_job_run_task.apply(kwargs={"job_id": job_id})
    elapsed = time.perf_counter() - start
    # A task that failed, or rendered nothing, would look fast: refuse the measurement.
    rendered = documents_of(notice, kinds=[DocumentKind.NOTICE_PDF]).exists()
    done = Job.objects.filter(pk=job_id, status=JobStatus.DONE).exists()
    if not result.successful() or result.result is not True or not rendered or not done:
        raise RuntimeError("outbox_job_run_task rendered no PDF: state %s, %r" % (result.state, result.result))
    return elapsed


def _timed_pdf(render: Callable[[], bytes]) -> float:
    start = time.perf_counter()
    pdf = render()
    elapsed = time.perf_counter() - start
    if not pdf.startswith(b"%PDF"):
        raise RuntimeError("WeasyPrint returned no PDF")
    return elapsed


def _timed_html(notice) -> float:
    from housingmix.notices import documents

    start = time.perf_counter()
    documents.notice_html(notice=notice)
    return time.perf_counter() - start


def measure(*, slug: str, rounds: int) -> dict:
    from weasyprint import HTML
    from weasyprint import __version__ as weasyprint_version

    from housingmix.notices import documents
    from housingmix.notices.models import Notice

    notice = Notice.objects.get(slug=slug)
    html, _title = documents.notice_html(notice=notice)
    runs: dict[str, Callable[[], float]] = {
        "task": lambda: _run_task(notice),
        "raw": lambda: _timed_pdf(lambda: HTML(string=html, base_url="/").write_pdf()),
        "raw_same_options": lambda: _timed_pdf(lambda: documents.render_pdf(html)),
        "html": lambda: _timed_html(notice),
    }
    # Warm-up, not recorded: the first render loads fonts and WeasyPrint's own modules.
    for run in runs.values():
        run()
    names = list(runs)
    timings: dict[str, list[float]] = {name: [] for name in names}
    for round_no in range(rounds):
        order = names[round_no % len(names) :] + names[: round_no % len(names)]
        for name in order:
            # Collect now, outside the timing: a collection of the previous render's garbage
            # would otherwise land inside whichever measurement happens to trigger it.
            gc.collect()
            timings[name].append(runs[name]())
    return {"timings": timings, "html_bytes": len(html.encode("utf-8")), "weasyprint": weasyprint_version}


def main(argv: list[str]) -> int:
    if len(argv) != 4:
        print("usage: python -m bench.pdf_timing SLUG ROUNDS OUT.json", file=sys.stderr)
        return 2
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "housingmix.settings")
    django.setup()
    result = measure(slug=argv[1], rounds=int(argv[2]))
    Path(argv[3]).write_text(json.dumps(result))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
