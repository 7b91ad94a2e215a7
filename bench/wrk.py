"""One bounded wrk measurement against 127.0.0.1, parsed into numbers."""

import re
import subprocess
from dataclasses import dataclass
from urllib.parse import urlsplit

from .common import HOST, BenchError, Knobs

_REQS_PER_S = re.compile(r"^Requests/sec:\s+([\d.]+)", re.MULTILINE)
_NON_2XX = re.compile(r"Non-2xx or 3xx responses:\s+(\d+)")
_SOCKET_ERRORS = re.compile(r"Socket errors: connect (\d+), read (\d+), write (\d+), timeout (\d+)")


@dataclass(frozen=True)
class Measurement:
    requests_per_s: float
    socket_errors: int


def parse(output: str) -> Measurement:
    """Numbers from wrk's text report; a response outside 2xx/3xx invalidates the measurement
    (an error page is cheap to serve and would flatter the ratio)."""
    reqs = _REQS_PER_S.search(output)
    if reqs is None:
        raise BenchError("unexpected wrk output:\n%s" % output)
    non_2xx = _NON_2XX.search(output)
    if non_2xx and int(non_2xx.group(1)) > 0:
        raise BenchError("wrk saw %s responses outside 2xx/3xx:\n%s" % (non_2xx.group(1), output))
    errors = _SOCKET_ERRORS.search(output)
    return Measurement(
        requests_per_s=float(reqs.group(1)),
        socket_errors=sum(int(n) for n in errors.groups()) if errors else 0,
    )


def measure(
    wrk: str, url: str, knobs: Knobs, *, duration_s: int | None = None, headers: list[str] | None = None
) -> Measurement:
    """Load ``url`` for ``duration_s`` (default: the knobs' duration) and return what wrk saw."""
    if urlsplit(url).hostname != HOST:
        raise BenchError("refusing to load %s: the benchmark only loads %s" % (url, HOST))
    duration = duration_s or knobs.duration_s
    command = [
        wrk,
        "-t%d" % knobs.threads,
        "-c%d" % knobs.connections,
        "-d%ds" % duration,
        "--timeout",
        "10s",
        *[arg for header in headers or [] for arg in ("-H", header)],
        url,
    ]
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=duration + 30)
    except subprocess.TimeoutExpired:
        raise BenchError("wrk on %s did not finish" % url)
    if done.returncode != 0:
        raise BenchError("wrk on %s failed (exit %d): %s" % (url, done.returncode, done.stderr.strip()))
    return parse(done.stdout)
