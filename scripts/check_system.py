#!/usr/bin/env python3
"""What housingmix needs from the machine: check it, and install it when allowed.

    check_system.py system   [--install]   Pango and its libraries (WeasyPrint), GNU gettext
    check_system.py browser  [--install]   Chromium, for the browser tests
    check_system.py services [--install] --pg-url URL --redis-url URL
                                           PostgreSQL and Redis, for ``make test``

The Makefile runs this with the system's python3 before the virtualenv exists, so it uses the
standard library only, and it never depends on ``PATH`` holding /usr/sbin (Debian keeps
ldconfig there, out of a normal user's reach): libraries are found the way WeasyPrint finds
them, by asking the dynamic loader. Each problem is printed on one line naming the command
that fixes it, and the exit status is 1 while anything is missing. With ``--install``, run as
root on a system with apt-get, missing Debian/Ubuntu packages are installed and local services
started (see ``services``); nothing is ever installed for a non-local address or port.
"""

from __future__ import annotations

import argparse
import base64
import ctypes
import ctypes.util
import glob
import hashlib
import hmac
import os
import shutil
import socket
import struct
import subprocess
import sys
import time
import urllib.parse

# (label, Linux soname, generic name for ctypes.util.find_library, Debian/Ubuntu package);
# the same libraries WeasyPrint opens in weasyprint/text/ffi.py.
LIBRARIES = [
    ("Pango", "libpango-1.0.so.0", "pango-1.0", "libpango-1.0-0"),
    ("PangoFT2", "libpangoft2-1.0.so.0", "pangoft2-1.0", "libpangoft2-1.0-0"),
    ("HarfBuzz", "libharfbuzz.so.0", "harfbuzz", "libharfbuzz0b"),
    ("HarfBuzz subset", "libharfbuzz-subset.so.0", "harfbuzz-subset", "libharfbuzz-subset0"),
    ("fontconfig", "libfontconfig.so.1", "fontconfig", "libfontconfig1"),
    ("GObject", "libgobject-2.0.so.0", "gobject-2.0", "libglib2.0-0"),
]
PANGO_MINIMUM = (1, 44)  # WeasyPrint's requirement
CHROMIUM = os.environ.get("PLAYWRIGHT_CHROMIUM_EXECUTABLE", "/usr/bin/chromium")
BROWSER_PACKAGES = ["chromium", "chromium-driver", "fonts-dejavu-core"]
LOOPBACK = {"127.0.0.1", "localhost", "::1"}
PG_DEFAULT_PORT = 5432
REDIS_DEFAULT_PORT = 6379
HBA_MARKER = "# housingmix (make services):"
TIMEOUT = 3.0


def say(line: str) -> None:
    print(line, flush=True)


def complain(line: str) -> None:
    print(line, file=sys.stderr, flush=True)


def can_install() -> bool:
    return os.geteuid() == 0 and shutil.which("apt-get") is not None


def apt_install(packages: list[str]) -> bool:
    """Install Debian packages quietly; False (with apt's own error shown) if that failed."""
    say("Installing system packages: %s" % " ".join(packages))
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    quiet = {"env": env, "stdout": subprocess.DEVNULL}
    ok = subprocess.run(["apt-get", "update", "-qq"], **quiet).returncode == 0
    return ok and subprocess.run(["apt-get", "install", "-y", "-qq", *packages], **quiet).returncode == 0


# --- system: Pango and gettext ------------------------------------------------------------


def load_library(soname: str, name: str) -> ctypes.CDLL | None:
    """Open a shared library as WeasyPrint's loader does: by soname, else by generic name."""
    for candidate in (soname, ctypes.util.find_library(name)):
        if candidate:
            try:
                return ctypes.CDLL(candidate)
            except OSError:
                continue
    return None


def pango_version(pango: ctypes.CDLL) -> tuple[int, int, int]:
    pango.pango_version.restype = ctypes.c_int
    number = pango.pango_version()
    return number // 10000, number // 100 % 100, number % 100


def system_problems() -> tuple[list[str], list[str], str]:
    """Return (missing packages, other problems, a summary of what was found)."""
    missing, problems, found = [], [], []
    for label, soname, name, package in LIBRARIES:
        library = load_library(soname, name)
        if library is None:
            missing.append(package)
        elif label == "Pango":
            version = pango_version(library)
            found.append("Pango %d.%d.%d" % version)
            if version[:2] < PANGO_MINIMUM:
                problems.append(
                    "Pango %d.%d.%d is too old for WeasyPrint (needs %d.%d or later): upgrade the system's Pango."
                    % (*version, *PANGO_MINIMUM)
                )
    if shutil.which("msgfmt"):
        found.append("GNU gettext")
    else:
        missing.append("gettext")
    return missing, problems, " and ".join(found)


def check_system(install: bool) -> int:
    missing, problems, found = system_problems()
    if missing and install and can_install():
        if apt_install(missing):
            missing, problems, found = system_problems()
    if missing:
        if shutil.which("apt-get"):
            complain(
                "Missing system packages: %s. Install them with: sudo apt-get install %s (or run: sudo make system-deps)"
                % (" ".join(missing), " ".join(missing))
            )
        else:
            complain(
                "Missing system libraries or tools: %s (Debian names). Install Pango >= 1.44 and GNU gettext "
                "with the system's package manager." % " ".join(missing)
            )
    for problem in problems:
        complain(problem)
    if missing or problems:
        return 1
    say("System packages: %s found." % found)
    return 0


# --- browser: Chromium ----------------------------------------------------------------------


def check_browser(install: bool) -> int:
    if not os.access(CHROMIUM, os.X_OK) and install and can_install() and CHROMIUM == "/usr/bin/chromium":
        apt_install(BROWSER_PACKAGES)
    if not os.access(CHROMIUM, os.X_OK):
        complain(
            "Chromium (for the browser tests) is missing at %s. Install it with: sudo apt-get install %s "
            "(or run: sudo make browser-deps), or set PLAYWRIGHT_CHROMIUM_EXECUTABLE."
            % (CHROMIUM, " ".join(BROWSER_PACKAGES))
        )
        return 1
    say("Chromium found at %s." % CHROMIUM)
    return 0


# --- services: PostgreSQL and Redis ------------------------------------------------------------


class Unavailable(Exception):
    """A service does not answer as the tests need; ``str()`` says what it answered."""

    def __init__(self, reason: str, *, fixable: str = ""):
        super().__init__(reason)
        # What root could repair on a local server: "down" (install/start) or "auth" (trust the user).
        self.fixable = fixable


class Address:
    """Host, port and credentials of a service URL."""

    def __init__(self, url: str, default_port: int):
        parts = urllib.parse.urlsplit(url)
        self.host = parts.hostname or "127.0.0.1"
        self.port = parts.port or default_port
        self.user = urllib.parse.unquote(parts.username or "")
        self.password = urllib.parse.unquote(parts.password) if parts.password is not None else None
        self.default_port = default_port
        # The URL as shown in messages: never with its password.
        netloc = "%s:***@%s" % (parts.username, parts.netloc.rsplit("@", 1)[1]) if parts.password else parts.netloc
        self.shown = urllib.parse.urlunsplit(parts._replace(netloc=netloc))

    @property
    def where(self) -> str:
        return "[%s]:%d" % (self.host, self.port) if ":" in self.host else "%s:%d" % (self.host, self.port)

    @property
    def local_default(self) -> bool:
        """True for the address Debian's own package serves: the only one --install repairs."""
        return self.host in LOOPBACK and self.port == self.default_port


def connect(address: Address) -> socket.socket:
    try:
        return socket.create_connection((address.host, address.port), timeout=TIMEOUT)
    except ConnectionRefusedError:
        raise Unavailable("nothing answers on %s (connection refused)" % address.where, fixable="down")
    except TimeoutError:
        raise Unavailable("no answer from %s within %d s" % (address.where, TIMEOUT))
    except OSError as error:
        raise Unavailable("cannot reach %s (%s)" % (address.where, error.strerror or error))


def _receive(sock: socket.socket, size: int) -> bytes:
    data = b""
    while len(data) < size:
        chunk = sock.recv(size - len(data))
        if not chunk:
            raise Unavailable("the server closed the connection")
        data += chunk
    return data


def _pg_message(sock: socket.socket) -> tuple[bytes, bytes]:
    kind = _receive(sock, 1)
    (length,) = struct.unpack("!I", _receive(sock, 4))
    return kind, _receive(sock, length - 4)


def _pg_send(sock: socket.socket, kind: bytes, payload: bytes) -> None:
    sock.sendall(kind + struct.pack("!I", len(payload) + 4) + payload)


def _pg_error(payload: bytes) -> str:
    fields = {item[:1]: item[1:].decode("utf-8", "replace") for item in payload.split(b"\0") if item}
    return fields.get(b"M", "error")


def scram_client_final(password: str, client_first_bare: str, server_first: str) -> str:
    """The SCRAM-SHA-256 client-final message (RFC 5802 section 3, RFC 7677) proving ``password``."""
    attributes = dict(item.split("=", 1) for item in server_first.split(","))
    salted = hashlib.pbkdf2_hmac("sha256", password.encode(), base64.b64decode(attributes["s"]), int(attributes["i"]))
    client_key = hmac.new(salted, b"Client Key", "sha256").digest()
    final_bare = "c=biws,r=%s" % attributes["r"]
    message = ",".join((client_first_bare, server_first, final_bare)).encode()
    signature = hmac.new(hashlib.sha256(client_key).digest(), message, "sha256").digest()
    proof = (int.from_bytes(client_key, "big") ^ int.from_bytes(signature, "big")).to_bytes(len(signature), "big")
    return "%s,p=%s" % (final_bare, base64.b64encode(proof).decode())


def _pg_scram(sock: socket.socket, password: str) -> None:
    """SCRAM-SHA-256 as PostgreSQL asks for it (the user name is the startup one, so ``n=`` stays empty)."""
    first_bare = "n=,r=%s" % base64.b64encode(os.urandom(18)).decode()
    first = ("n,," + first_bare).encode()
    _pg_send(sock, b"p", b"SCRAM-SHA-256\0" + struct.pack("!I", len(first)) + first)
    kind, payload = _pg_message(sock)
    if kind == b"E":
        raise Unavailable("it refused the login: %s" % _pg_error(payload))
    if kind != b"R" or struct.unpack("!I", payload[:4])[0] != 11:
        raise Unavailable("unexpected answer to SCRAM authentication")
    _pg_send(sock, b"p", scram_client_final(password, first_bare, payload[4:].decode()).encode())


def probe_postgres(address: Address) -> None:
    """Log in to the ``postgres`` database as the tests will; raise Unavailable if that fails."""
    user = address.user or "postgres"
    sock = connect(address)
    try:
        params = b"user\0%s\0database\0postgres\0\0" % user.encode()
        sock.sendall(struct.pack("!II", len(params) + 8, 196608) + params)  # protocol 3.0
        while True:
            kind, payload = _pg_message(sock)
            if kind == b"E":
                reason = _pg_error(payload)
                # Root may let a password-less test user in; a wrong password given in the URL is not "fixed".
                refused = "pg_hba.conf" in reason or "authentication" in reason or reason.startswith("role ")
                fixable = "auth" if refused and address.password is None else ""
                raise Unavailable("it refused user %s: %s" % (user, reason), fixable=fixable)
            if kind == b"Z":  # ready for query: logged in
                _pg_send(sock, b"X", b"")
                return
            if kind != b"R":
                continue
            (code,) = struct.unpack("!I", payload[:4])
            if code in (0, 12):  # authenticated / SCRAM final message
                continue
            if address.password is None:
                raise Unavailable("it asks user %s for a password and the URL has none" % user, fixable="auth")
            if code == 3:
                _pg_send(sock, b"p", address.password.encode() + b"\0")
            elif code == 5:
                inner = hashlib.md5((address.password + user).encode()).hexdigest()
                digest = hashlib.md5(inner.encode() + payload[4:8]).hexdigest()
                _pg_send(sock, b"p", b"md5" + digest.encode() + b"\0")
            elif code == 10 and b"SCRAM-SHA-256\0" in payload[4:]:
                _pg_scram(sock, address.password)
            else:
                raise Unavailable("it asks for an authentication method this check does not speak (%d)" % code)
    except (TimeoutError, OSError) as error:
        raise Unavailable("it did not complete a login on %s (%s)" % (address.where, error))
    finally:
        sock.close()


def _redis_command(sock: socket.socket, *words: str) -> str:
    parts = [b"*%d\r\n" % len(words)]
    for word in words:
        data = word.encode()
        parts.append(b"$%d\r\n%s\r\n" % (len(data), data))
    sock.sendall(b"".join(parts))
    line = b""
    while not line.endswith(b"\r\n"):
        chunk = sock.recv(1)
        if not chunk:
            raise Unavailable("the server closed the connection")
        line += chunk
    return line[:-2].decode("utf-8", "replace")


def probe_redis(address: Address) -> None:
    """Authenticate if the URL says so, then PING; raise Unavailable unless the answer is PONG."""
    sock = connect(address)
    try:
        if address.password is not None:
            words = [address.user, address.password] if address.user else [address.password]
            answer = _redis_command(sock, "AUTH", *words)
            if not answer.startswith("+"):
                raise Unavailable("it refused the credentials in the URL: %s" % answer.lstrip("-").rstrip("."))
        answer = _redis_command(sock, "PING")
        if answer != "+PONG":
            raise Unavailable("it answered PING with: %s" % answer.lstrip("-").rstrip("."))
    except (TimeoutError, OSError) as error:
        raise Unavailable("it did not answer PING on %s (%s)" % (address.where, error))
    finally:
        sock.close()


def wait_until_up(probe, address: Address, seconds: float = 20.0) -> Unavailable | None:
    deadline = time.monotonic() + seconds
    while True:
        try:
            probe(address)
            return None
        except Unavailable as error:
            if error.fixable != "down" or time.monotonic() > deadline:
                return error
            time.sleep(0.5)


def run_quietly(*command: str) -> str:
    """Run a command; its output, or "" if it failed or does not exist here."""
    try:
        done = subprocess.run(list(command), capture_output=True, text=True, timeout=120)
    except (OSError, subprocess.TimeoutExpired):
        return ""
    return done.stdout.strip() if done.returncode == 0 else ""


def postgres_repair(address: Address, problem: Unavailable) -> Unavailable | None:
    """As root on Debian: install and start PostgreSQL, then let the test user in from loopback."""
    if problem.fixable == "down":
        if not glob.glob("/usr/lib/postgresql/*/bin/postgres") and not apt_install(["postgresql"]):
            return problem
        say("Starting PostgreSQL (service postgresql start)")
        run_quietly("service", "postgresql", "start")
        if not run_quietly("pg_lsclusters", "--no-header"):
            # Installed once, its cluster since removed: Debian's tools make a new one on 5432.
            versions = [path.split("/")[4] for path in glob.glob("/usr/lib/postgresql/*/bin/postgres")]
            version = max(versions, key=lambda text: [int(part) for part in text.split(".") if part.isdigit()])
            say("Creating the PostgreSQL cluster %s/main" % version)
            run_quietly("pg_createcluster", version, "main", "--start")
        problem = wait_until_up(probe_postgres, address)
        if problem is None or problem.fixable != "auth":
            return problem
    user = address.user or "postgres"
    # Debian's postgres account reaches its own server through the Unix socket (peer authentication).
    psql = ["runuser", "-u", "postgres", "--", "psql", "-XAtq", "-p", str(address.port), "-d", "postgres", "-c"]
    hba = run_quietly(*psql, "SHOW hba_file")
    if not hba or not os.path.isfile(hba):
        return problem
    if user != "postgres":
        exists = run_quietly(*psql, "SELECT 1 FROM pg_roles WHERE rolname = '%s'" % user.replace("'", "''"))
        if exists != "1":
            say("Creating the PostgreSQL role %s (LOGIN CREATEDB) for the tests" % user)
            run_quietly(*psql, 'CREATE ROLE "%s" LOGIN CREATEDB' % user.replace('"', '""'))
    with open(hba, encoding="utf-8") as handle:
        current = handle.read()
    rule = "host all %s %%s trust" % user
    if rule % "127.0.0.1/32" not in current:
        say("Letting PostgreSQL user %s in without a password from this machine only (%s)" % (user, hba))
        lines = [
            "%s the test user, from this machine only, without a password" % HBA_MARKER,
            rule % "127.0.0.1/32",
            rule % "::1/128",
            "",
        ]
        # pg_hba.conf is read top-down, first match wins: the rule goes before Debian's password rules.
        with open(hba, "w", encoding="utf-8") as handle:
            handle.write("\n".join(lines) + current)
    run_quietly(*psql, "SELECT pg_reload_conf()")
    return wait_until_up(probe_postgres, address, seconds=5)


def redis_repair(address: Address, problem: Unavailable) -> Unavailable | None:
    """As root on Debian: install and start Redis (Debian's listens on 127.0.0.1 and ::1 only)."""
    if problem.fixable != "down":
        return problem
    if not shutil.which("redis-server") and not apt_install(["redis-server"]):
        return problem
    say("Starting Redis (service redis-server start)")
    run_quietly("service", "redis-server", "start")
    return wait_until_up(probe_redis, address)


def how_to_fix(name: str, variable: str, address: Address, problem: Unavailable, *, tried: bool = False) -> str:
    """The advice closing the one line about ``problem``."""
    if tried:
        return "installing or starting it here did not help (see above); or set %s to a running server" % variable
    if address.local_default and problem.fixable == "down":
        return "run: sudo make services (installs and starts %s), or set %s to a running server" % (name, variable)
    if address.local_default and problem.fixable == "auth":
        user = address.user or "postgres"
        return "run: sudo make services (lets user %s in from this machine without a password), " % user + (
            "or put the password in %s" % variable
        )
    if problem.fixable == "down":
        return "start it, or set %s to a running server" % variable
    return "check %s" % variable


def check_services(pg_url: str, redis_url: str, install: bool) -> int:
    failed = 0
    services = [
        ("PostgreSQL", "PG_URL_BASE", Address(pg_url, PG_DEFAULT_PORT), probe_postgres, postgres_repair),
        ("Redis", "REDIS_URL", Address(redis_url, REDIS_DEFAULT_PORT), probe_redis, redis_repair),
    ]
    for name, variable, address, probe, repair in services:
        try:
            probe(address)
        except Unavailable as problem:
            remaining = problem
            tried = bool(install and can_install() and address.local_default and problem.fixable)
            if tried:
                remaining = repair(address, problem)
            if remaining is None:
                say("%s: ready on %s." % (name, address.where))
                continue
            failed = 1
            advice = how_to_fix(name, variable, address, remaining, tried=tried)
            complain("make test needs %s at %s: %s; %s." % (name, address.shown, remaining, advice))
        else:
            say("%s: ready on %s." % (name, address.where))
    return failed


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n", 1)[0])
    parser.add_argument("what", choices=["system", "browser", "services"])
    parser.add_argument("--install", action="store_true", help="as root with apt-get: install what is missing")
    parser.add_argument("--pg-url", default=os.environ.get("PG_URL_BASE", "postgres://postgres@127.0.0.1:5432"))
    parser.add_argument("--redis-url", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379"))
    args = parser.parse_args(argv)
    if args.what == "system":
        return check_system(args.install)
    if args.what == "browser":
        return check_browser(args.install)
    return check_services(args.pg_url, args.redis_url, args.install)


if __name__ == "__main__":
    sys.exit(main())
