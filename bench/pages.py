"""Requests/s of the Avvisi pages against a bare Django view, in alternating rounds."""

from dataclasses import dataclass

from . import servers, wrk
from .common import BenchError, Knobs, log

# One server per configuration, all running at once (idle ones cost almost nothing), so a
# round can alternate between them without restarts. Same settings and middleware for all;
# only the URLconf (bare) or the cache backend (uncached) differs.
SERVER_SETTINGS = {
    "bare": "bench.settings_bare",
    "cached": "housingmix.settings",
    "uncached": "bench.settings_uncached",
}
WARMUP_S = 1


@dataclass(frozen=True)
class Target:
    key: str
    label: str
    server: str
    path: str

    @property
    def is_bare(self) -> bool:
        return self.server == "bare"


@dataclass
class PageResults:
    targets: list[Target]
    runs: dict[str, list[wrk.Measurement]]  # by Target.key, one per round
    probes: dict[str, servers.Probe]  # by Target.key


def targets_for(slug: str) -> list[Target]:
    """The order of a round: the bare view first, then each page in each configuration."""
    detail = "/avvisi/%s/" % slug
    return [
        Target("bare", "bare view", "bare", "/"),
        Target("list-cached", "list", "cached", "/avvisi/"),
        Target("detail-cached", "detail", "cached", detail),
        Target("list-uncached", "list", "uncached", "/avvisi/"),
        Target("detail-uncached", "detail", "uncached", detail),
    ]


def _check_pages(running: dict[str, servers.Server], targets: list[Target]) -> dict[str, servers.Probe]:
    """Every target must answer 200 before it is loaded: a redirect, a 404 or a 500 is cheap
    to serve and would make a broken page look fast. The second GET is kept, so the cached
    configuration shows the headers of a page that the cache has already seen."""
    probes = {}
    for target in targets:
        server = running[target.server]
        servers.probe(server, target.path)
        result = servers.probe(server, target.path)
        if result.status != 200:
            raise BenchError("%s answered %d on %s; see %s" % (target.key, result.status, target.path, server.log_path))
        probes[target.key] = result
    return probes


def measure(wrk_path: str, knobs: Knobs, slug: str) -> PageResults:
    targets = targets_for(slug)
    with servers.running(SERVER_SETTINGS, workers=knobs.workers) as running:
        probes = _check_pages(running, targets)
        # Warm-up, not recorded: imports, template loading and the first cache fill per worker.
        for target in targets:
            wrk.measure(wrk_path, running[target.server].url(target.path), knobs, duration_s=WARMUP_S)
        runs: dict[str, list[wrk.Measurement]] = {target.key: [] for target in targets}
        for round_no in range(1, knobs.rounds + 1):
            for target in targets:
                result = wrk.measure(wrk_path, running[target.server].url(target.path), knobs)
                runs[target.key].append(result)
                log("round %d %-16s %8.1f req/s", round_no, target.key, result.requests_per_s)
    return PageResults(targets=targets, runs=runs, probes=probes)
