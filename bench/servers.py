"""gunicorn servers on 127.0.0.1: started side by side, checked before loading, always stopped."""

import contextlib
import http.client
import os
import signal
import socket
import subprocess
import time
from collections.abc import Iterator
from dataclasses import dataclass, field

from .common import GUNICORN, HOST, LOG_DIR, ROOT, BenchError, bench_env, log

START_TIMEOUT_S = 30.0
STOP_TIMEOUT_S = 10.0


@dataclass
class Server:
    """One gunicorn master and its workers, in a process group of its own."""

    name: str
    settings_module: str
    port: int
    root: str = str(ROOT)  # the code tree served (another one for a before/after comparison)
    process: subprocess.Popen | None = field(default=None, repr=False)

    @property
    def log_path(self):
        return LOG_DIR / ("gunicorn-%s.log" % self.name)

    def url(self, path: str) -> str:
        return "http://%s:%d%s" % (HOST, self.port, path)


@dataclass(frozen=True)
class Probe:
    """What one GET returned: enough to see that the measured page is the right one."""

    status: int
    size: int
    cache_control: str
    sets_cookie: bool


def free_port() -> int:
    """A port the kernel reports free on 127.0.0.1 (gunicorn binds it a moment later)."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind((HOST, 0))
        return sock.getsockname()[1]


def _start(server: Server, workers: int, env: dict[str, str] | None = None) -> None:
    command = [
        str(GUNICORN),
        "--chdir",
        server.root,
        "--bind",
        "%s:%d" % (HOST, server.port),
        "--workers",
        str(workers),
        "--worker-class",
        "sync",
        "--timeout",
        "30",
        "--log-level",
        "warning",
        "housingmix.wsgi:application",
    ]
    with open(server.log_path, "ab") as log_file:
        # A new session: the master and its workers form one process group we can stop by id.
        server.process = subprocess.Popen(
            command,
            cwd=server.root,
            env=env or bench_env(server.settings_module),
            stdin=subprocess.DEVNULL,
            stdout=log_file,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def probe(server: Server, path: str) -> Probe:
    """One GET without following redirects: a 3xx or 500 must not be benchmarked as a page."""
    connection = http.client.HTTPConnection(HOST, server.port, timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        return Probe(
            status=response.status,
            size=len(body),
            cache_control=response.getheader("Cache-Control", ""),
            sets_cookie=response.getheader("Set-Cookie") is not None,
        )
    finally:
        connection.close()


def _wait_ready(server: Server) -> None:
    """Wait until the server answers at all (any status): the paths are checked separately."""
    deadline = time.monotonic() + START_TIMEOUT_S
    while time.monotonic() < deadline:
        if server.process is not None and server.process.poll() is not None:
            raise BenchError("gunicorn %s exited at start; see %s" % (server.name, server.log_path))
        try:
            probe(server, "/")
            return
        except OSError:
            time.sleep(0.2)
    raise BenchError("gunicorn %s not answering after %ds; see %s" % (server.name, START_TIMEOUT_S, server.log_path))


def _stop(server: Server) -> None:
    """TERM to the master (graceful), then KILL to its own process group if it lingers."""
    process = server.process
    if process is None or process.poll() is not None:
        return
    process.send_signal(signal.SIGTERM)
    try:
        process.wait(timeout=STOP_TIMEOUT_S)
    except subprocess.TimeoutExpired:
        log("gunicorn %s did not stop in %ds: killing its process group", server.name, STOP_TIMEOUT_S)
        with contextlib.suppress(ProcessLookupError):
            os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=STOP_TIMEOUT_S)


@contextlib.contextmanager
def running(
    specs: dict[str, str],
    *,
    workers: int,
    envs: dict[str, dict[str, str]] | None = None,
    roots: dict[str, str] | None = None,
) -> Iterator[dict[str, Server]]:
    """Start one server per {name: settings module}, all with the same number of workers;
    every one started is stopped on exit, whatever happened in between."""
    servers: dict[str, Server] = {}
    try:
        for name, settings_module in specs.items():
            server = Server(
                name=name, settings_module=settings_module, port=free_port(), root=(roots or {}).get(name, str(ROOT))
            )
            servers[name] = server
            _start(server, workers, (envs or {}).get(name))
        for server in servers.values():
            _wait_ready(server)
            log("gunicorn %s (%s) ready on port %d", server.name, server.settings_module, server.port)
        yield servers
    finally:
        for server in servers.values():
            _stop(server)
