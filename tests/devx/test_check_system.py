"""scripts/check_system.py services: PostgreSQL and Redis are checked before the suite starts,
and a missing one is reported on one line naming what to run, within seconds."""

import struct
import subprocess
import sys
import time

from tests.devx.conftest import CHECK_SCRIPT, REPO, clean_env, closed_port


def _services(pg_url: str, redis_url: str, *extra: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, str(CHECK_SCRIPT), "services", "--pg-url", pg_url, "--redis-url", redis_url, *extra],
        cwd=REPO,
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=30,
    )


def _pg_message(kind: bytes, payload: bytes) -> bytes:
    return kind + struct.pack("!I", len(payload) + 4) + payload


def _read_pg_startup(sock) -> None:
    (length,) = struct.unpack("!I", sock.recv(4))
    sock.recv(length - 4)


def _pg_trusting(sock) -> None:
    """A PostgreSQL server letting anyone in (trust): AuthenticationOk, ReadyForQuery."""
    _read_pg_startup(sock)
    sock.sendall(_pg_message(b"R", struct.pack("!I", 0)) + _pg_message(b"Z", b"I"))
    sock.recv(16)


def _pg_asking_password(sock) -> None:
    """A PostgreSQL server asking for a clear-text password, accepting only "secret"."""
    _read_pg_startup(sock)
    sock.sendall(_pg_message(b"R", struct.pack("!I", 3)))
    kind, (length,) = sock.recv(1), struct.unpack("!I", sock.recv(4))
    password = sock.recv(length - 4).rstrip(b"\0")
    if kind == b"p" and password == b"secret":
        sock.sendall(_pg_message(b"R", struct.pack("!I", 0)) + _pg_message(b"Z", b"I"))
    else:
        error = b'SFATAL\0C28P01\0Mpassword authentication failed for user "postgres"\0\0'
        sock.sendall(_pg_message(b"E", error))


def _redis_answering(answer: bytes):
    def handle(sock) -> None:
        while sock.recv(1024):
            sock.sendall(answer)

    return handle


def test_closed_ports_stop_at_once_with_one_line_per_service():
    pg_port, redis_port = closed_port(), closed_port()
    started = time.monotonic()
    # --install as the Makefile passes it: a non-default port is never "repaired", even as root.
    result = _services("postgres://postgres@127.0.0.1:%d" % pg_port, "redis://127.0.0.1:%d" % redis_port, "--install")
    assert time.monotonic() - started < 5
    assert result.returncode == 1
    lines = result.stderr.splitlines()
    assert lines == [
        "make test needs PostgreSQL at postgres://postgres@127.0.0.1:%d: nothing answers on 127.0.0.1:%d "
        "(connection refused); start it, or set PG_URL_BASE to a running server." % (pg_port, pg_port),
        "make test needs Redis at redis://127.0.0.1:%d: nothing answers on 127.0.0.1:%d "
        "(connection refused); start it, or set REDIS_URL to a running server." % (redis_port, redis_port),
    ]
    assert "Traceback" not in result.stdout + result.stderr
    assert "Installing" not in result.stdout


def test_postgres_down_alone_is_the_one_line(fake_server):
    pg_port, redis_port = closed_port(), fake_server(_redis_answering(b"+PONG\r\n"))
    result = _services("postgres://postgres@127.0.0.1:%d" % pg_port, "redis://127.0.0.1:%d" % redis_port)
    assert result.returncode == 1
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith("make test needs PostgreSQL at postgres://postgres@127.0.0.1:%d" % pg_port)
    assert "Redis: ready on 127.0.0.1:%d." % redis_port in result.stdout


def test_services_answering_pass(fake_server):
    pg_port, redis_port = fake_server(_pg_trusting), fake_server(_redis_answering(b"+PONG\r\n"))
    result = _services("postgres://postgres@127.0.0.1:%d" % pg_port, "redis://127.0.0.1:%d" % redis_port)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines() == [
        "PostgreSQL: ready on 127.0.0.1:%d." % pg_port,
        "Redis: ready on 127.0.0.1:%d." % redis_port,
    ]


def test_a_password_asked_for_and_not_given_is_reported(fake_server):
    pg_port, redis_port = fake_server(_pg_asking_password), fake_server(_redis_answering(b"+PONG\r\n"))
    result = _services("postgres://postgres@127.0.0.1:%d" % pg_port, "redis://127.0.0.1:%d" % redis_port)
    assert result.returncode == 1
    assert result.stderr == (
        "make test needs PostgreSQL at postgres://postgres@127.0.0.1:%d: it asks user postgres for a password "
        "and the URL has none; check PG_URL_BASE.\n" % pg_port
    )


def test_the_password_in_the_url_is_used_and_never_shown(fake_server):
    pg_port, redis_port = fake_server(_pg_asking_password), fake_server(_redis_answering(b"+PONG\r\n"))
    good = _services("postgres://postgres:secret@127.0.0.1:%d" % pg_port, "redis://127.0.0.1:%d" % redis_port)
    assert good.returncode == 0, good.stderr
    wrong = _services("postgres://postgres:wrong@127.0.0.1:%d" % pg_port, "redis://127.0.0.1:%d" % redis_port)
    assert wrong.returncode == 1
    assert 'password authentication failed for user "postgres"' in wrong.stderr
    assert "postgres://postgres:***@127.0.0.1:%d" % pg_port in wrong.stderr
    assert "wrong" not in wrong.stderr


def test_redis_wanting_a_password_is_reported(fake_server):
    pg_port = fake_server(_pg_trusting)
    redis_port = fake_server(_redis_answering(b"-NOAUTH Authentication required.\r\n"))
    result = _services("postgres://postgres@127.0.0.1:%d" % pg_port, "redis://127.0.0.1:%d" % redis_port)
    assert result.returncode == 1
    assert result.stderr == (
        "make test needs Redis at redis://127.0.0.1:%d: it answered PING with: NOAUTH Authentication required; "
        "check REDIS_URL.\n" % redis_port
    )


def test_the_default_local_address_names_sudo_make_services(check_system):
    address = check_system.Address("postgres://postgres@127.0.0.1:5432", check_system.PG_DEFAULT_PORT)
    down = check_system.Unavailable("nothing answers", fixable="down")
    locked = check_system.Unavailable("it asks user postgres for a password", fixable="auth")
    assert check_system.how_to_fix("PostgreSQL", "PG_URL_BASE", address, down) == (
        "run: sudo make services (installs and starts PostgreSQL), or set PG_URL_BASE to a running server"
    )
    assert check_system.how_to_fix("PostgreSQL", "PG_URL_BASE", address, locked).startswith(
        "run: sudo make services (lets user postgres in from this machine without a password)"
    )
    elsewhere = check_system.Address("postgres://postgres@db.example.org:5432", check_system.PG_DEFAULT_PORT)
    assert not elsewhere.local_default
    assert check_system.how_to_fix("PostgreSQL", "PG_URL_BASE", elsewhere, down).startswith("start it")


def test_scram_proof_matches_rfc_7677(check_system):
    # The test vector of RFC 7677 section 3 (user "user", password "pencil").
    final = check_system.scram_client_final(
        "pencil",
        "n=user,r=rOprNGfwEbeRWgbNEkqO",
        "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
    )
    assert final == (
        "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,p=dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ="
    )
