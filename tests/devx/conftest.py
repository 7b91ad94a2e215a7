"""Helpers for the tests of the developer set-up: the Makefile and scripts/check_system.py."""

import importlib.util
import os
import socket
import socketserver
import threading
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
CHECK_SCRIPT = REPO / "scripts" / "check_system.py"


def clean_env(**extra: str) -> dict:
    """This process's environment without what an outer ``make`` or the test run put there."""
    env = {k: v for k, v in os.environ.items() if k not in {"MAKEFLAGS", "MFLAGS", "MAKELEVEL", "MAKEFILES"}}
    for name in ("PG_URL_BASE", "REDIS_URL", "SITE_URL", "HOST", "PORT"):
        env.pop(name, None)
    env.update(extra)
    return env


def closed_port() -> int:
    """A port on 127.0.0.1 where nothing listens (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture(scope="session")
def check_system():
    """scripts/check_system.py as a module (it is a script, not a package)."""
    spec = importlib.util.spec_from_file_location("check_system", CHECK_SCRIPT)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture
def fake_server():
    """Start a one-connection-at-a-time TCP server on 127.0.0.1 answering with ``handle(request)``;
    returns its port."""
    servers = []

    def start(handle) -> int:
        class Handler(socketserver.BaseRequestHandler):
            def handle(self):
                self.request.settimeout(5)
                handle(self.request)

        server = socketserver.ThreadingTCPServer(("127.0.0.1", 0), Handler)
        server.daemon_threads = True
        threading.Thread(target=server.serve_forever, daemon=True).start()
        servers.append(server)
        return server.server_address[1]

    yield start
    for server in servers:
        server.shutdown()
        server.server_close()
