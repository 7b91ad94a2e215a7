"""The Markdown section appended to bench/RESULTS.md and printed on stdout."""

import platform
import subprocess
from dataclasses import dataclass

from .common import RESULTS, Knobs, bench_env, median
from .pages import PageResults, Target

PAGE_GOAL = 0.60  # each page, cached: at least 60 % of the bare view's requests/s
UNCACHED_GOAL = 0.25  # each page, uncached (issue 13): at least 25 % of the bare view
PDF_GOAL = 1.25  # the task: at most 1.25 times a raw WeasyPrint render
NOISY = 1.25  # max/min of a series across rounds above which the report warns

HEADER = (
    "# Benchmark results\n\nWritten by `make bench` (bench/run.py): the latest run; earlier ones are in the git "
    "history of this file. See bench/README.md for how to read them.\n"
)
_RESULTS_HEADER = HEADER


@dataclass(frozen=True)
class PdfResults:
    timings: dict[str, list[float]]  # task, raw, raw_same_options, html: seconds per round
    html_bytes: int
    weasyprint: str

    def median_of(self, name: str) -> float:
        return median(self.timings[name])

    @property
    def ratio(self) -> float:
        return self.median_of("task") / self.median_of("raw")


def cpu_model() -> str:
    try:
        with open("/proc/cpuinfo") as cpuinfo:
            for line in cpuinfo:
                if line.lower().startswith(("model name", "hardware", "cpu model")):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def _wrk_version(wrk_path: str) -> str:
    # `wrk -v` prints "wrk 4.1.0 [epoll] Copyright ..." and exits non-zero.
    done = subprocess.run([wrk_path, "-v"], capture_output=True, text=True, timeout=10)
    words = (done.stdout or done.stderr).split()
    return words[1] if len(words) > 1 else "unknown"


def _verdict(met: bool) -> str:
    return "**met**" if met else "**missed**"


def _percent(value: float) -> str:
    return "%.0f %%" % (value * 100)


def page_ratio(pages: PageResults, key: str) -> float:
    return median(_rates(pages, key)) / median(_rates(pages, "bare"))


def _rates(pages: PageResults, key: str) -> list[float]:
    return [m.requests_per_s for m in pages.runs[key]]


def _config_label(target: Target) -> str:
    return "-" if target.is_bare else target.server


def _page_goal_cell(pages: PageResults, target: Target) -> str:
    if target.is_bare:
        return ""
    met = page_ratio(pages, target.key) >= PAGE_GOAL
    if target.server == "cached":
        return _verdict(met)
    return "%s (>= %s)" % (_verdict(page_ratio(pages, target.key) >= UNCACHED_GOAL), _percent(UNCACHED_GOAL))


def _round_ratios(pages: PageResults, key: str) -> str:
    """Each round's page/bare ratio: the two ran seconds apart, so their spread shows the noise."""
    pairs = zip(_rates(pages, key), _rates(pages, "bare"), strict=True)
    return " / ".join("%.0f" % (page / bare * 100) for page, bare in pairs) + " %"


def noise_warning(label: str, values: list[float]) -> str | None:
    """A sentence when a series varies by more than NOISY between rounds, else None."""
    spread = max(values) / min(values)
    if spread <= NOISY:
        return None
    return (
        "**Noisy machine**: %s varied by x%.2f between rounds; the medians resist some of it, "
        "but rerun on a quiet machine before trusting a borderline verdict." % (label, spread)
    )


def _pages_table(pages: PageResults, knobs: Knobs) -> list[str]:
    rounds = " | ".join("Round %d" % n for n in range(1, knobs.rounds + 1))
    lines = [
        "| Page | Config | %s | Median | vs bare | Round ratios | Goal >= %s |" % (rounds, _percent(PAGE_GOAL)),
        "|---|---|%s---:|---:|---:|---|" % ("---:|" * knobs.rounds),
    ]
    for target in pages.targets:
        rates = _rates(pages, target.key)
        lines.append(
            "| %s `%s` | %s | %s | %.1f | %s | %s | %s |"
            % (
                target.label,
                target.path,
                _config_label(target),
                " | ".join("%.1f" % r for r in rates),
                median(rates),
                _percent(page_ratio(pages, target.key)),
                "" if target.is_bare else _round_ratios(pages, target.key),
                _page_goal_cell(pages, target),
            )
        )
    warning = noise_warning("the bare view", _rates(pages, "bare"))
    return lines + (["", warning] if warning else [])


def _probes_table(pages: PageResults) -> list[str]:
    lines = [
        "Responses before loading (second GET of each target):",
        "",
        "| Page | Config | Status | Bytes | Cache-Control | Sets a cookie |",
        "|---|---|---:|---:|---|---|",
    ]
    for target in pages.targets:
        probe = pages.probes[target.key]
        lines.append(
            "| %s | %s | %d | %d | %s | %s |"
            % (
                target.label,
                _config_label(target),
                probe.status,
                probe.size,
                probe.cache_control or "-",
                "yes" if probe.sets_cookie else "no",
            )
        )
    errors = [
        "%s round %d: %d" % (key, n, m.socket_errors)
        for key, runs in pages.runs.items()
        for n, m in enumerate(runs, start=1)
        if m.socket_errors
    ]
    if errors:
        lines += ["", "wrk socket errors (connect/read/write/timeout): " + "; ".join(errors)]
    return lines


_PDF_ROWS = [
    ("task", "task: `outbox_job_run_task.apply()`"),
    ("raw", 'raw: `HTML(string=html, base_url="/").write_pdf()`'),
    ("raw_same_options", "raw with the task's PDF/UA-1 options (info)"),
    ("html", "`documents.notice_html()` alone (info)"),
]


def _pdf_breakdown(pdf: PdfResults) -> str:
    """Where the task's extra time goes; differences of medians, so only approximate."""
    tagging = pdf.median_of("raw_same_options") - pdf.median_of("raw")
    html = pdf.median_of("html")
    rest = pdf.median_of("task") - pdf.median_of("raw_same_options") - html
    return (
        "Task minus raw, approximately: PDF/UA-1 tagging %.1f ms, HTML rendering %.1f ms, "
        "storage, database and Celery bookkeeping %.1f ms. HTML: %d bytes."
        % (tagging * 1000, html * 1000, rest * 1000, pdf.html_bytes)
    )


def _pdf_table(pdf: PdfResults, knobs: Knobs) -> list[str]:
    rounds = " | ".join("Round %d" % n for n in range(1, knobs.pdf_rounds + 1))
    lines = ["| Measurement | %s | Median |" % rounds, "|---|%s---:|" % ("---:|" * knobs.pdf_rounds)]
    for name, label in _PDF_ROWS:
        values = pdf.timings[name]
        lines.append("| %s | %s | %.3f |" % (label, " | ".join("%.3f" % v for v in values), pdf.median_of(name)))
    warnings = [noise_warning("the %s timing" % name, pdf.timings[name]) for name in ("task", "raw")]
    paragraphs = [w for w in warnings if w] + [
        "Ratio task/raw (medians): **%.2f** (goal <= %.2f: %s)."
        % (pdf.ratio, PDF_GOAL, _verdict(pdf.ratio <= PDF_GOAL)),
        _pdf_breakdown(pdf),
    ]
    for paragraph in paragraphs:
        lines += ["", paragraph]
    return lines


def render_pages(*, pages: PageResults, knobs: Knobs, wrk_path: str, slug: str) -> str:
    cached = {t.label: page_ratio(pages, t.key) for t in pages.targets if t.server == "cached"}
    uncached = {t.label: page_ratio(pages, t.key) for t in pages.targets if t.server == "uncached"}
    lines = [
        "### Public pages: requests/s against a bare view",
        "",
        "- Servers: gunicorn, %d sync workers each, DJANGO_DEBUG=false, persistent connections, %s, project "
        "settings and middleware; bare = `bench.settings_bare` (same middleware, one constant view), cached = "
        "`housingmix.settings` (LocMem page cache), uncached = `bench.settings_uncached` (page cache off: `PUBLIC_PAGE_CACHE_SECONDS = 0`, the other caches on); wrk %s"
        % (knobs.workers, "PostgreSQL" if "postgres" in bench_env()["DATABASE_URL"] else "SQLite",
           _wrk_version(wrk_path)),
        "- Load: `wrk %s --timeout 10s` on 127.0.0.1; %d rounds, each one: bare, list and detail cached, "
        "list and detail uncached; a 1 s warm-up of each first; detail page `/avvisi/%s/`"
        % (knobs.wrk_args, knobs.rounds, slug),
        "",
        *_pages_table(pages, knobs),
        "",
        *_probes_table(pages),
        "",
        "- Cached >= %s of bare: %s (%s)" % (_percent(PAGE_GOAL), _verdict(all(r >= PAGE_GOAL for r in cached.values())),
            ", ".join("%s %s" % (k, _percent(v)) for k, v in cached.items())),
        "- Uncached >= %s of bare: %s (%s)" % (_percent(UNCACHED_GOAL),
            _verdict(all(r >= UNCACHED_GOAL for r in uncached.values())),
            ", ".join("%s %s" % (k, _percent(v)) for k, v in uncached.items())),
        "",
    ]  # fmt: skip
    return "\n".join(lines)


def render_pdf(pdf: PdfResults, knobs: Knobs) -> str:
    lines = [
        "### Notice PDF: seconds per call (%d rounds, interleaved, after one warm-up each), WeasyPrint %s"
        % (knobs.pdf_rounds, pdf.weasyprint),
        "",
        *_pdf_table(pdf, knobs),
        "",
    ]
    return "\n".join(lines)


def append(section: str) -> None:
    """Add the section at the end of bench/RESULTS.md (created with a header on first use)."""
    existing = RESULTS.read_text() if RESULTS.exists() else _RESULTS_HEADER
    RESULTS.write_text(existing.rstrip("\n") + "\n\n" + section)
