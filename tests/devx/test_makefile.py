"""The Makefile's own checks and the address of `make run`, run as a newcomer would run them."""

import os
import pwd
import shutil
import stat
import subprocess
import tempfile
import time
from pathlib import Path

import pytest

from tests.devx.conftest import REPO, clean_env, closed_port

# A normal user's PATH on Debian and Ubuntu: no /usr/sbin, where ldconfig lives.
USER_PATH = "/usr/local/bin:/usr/bin:/bin"


@pytest.fixture
def makefile_copy():
    """The Makefile and scripts/ in a folder every user can read (the checkout may not be)."""
    folder = Path(tempfile.mkdtemp(prefix="housingmix-make-"))
    for name in ("Makefile", *(p.name for p in REPO.glob("requirements*.txt"))):
        shutil.copy(REPO / name, folder / name)
    shutil.copytree(REPO / "scripts", folder / "scripts", ignore=shutil.ignore_patterns("__pycache__"))
    for path in [folder, *folder.rglob("*")]:
        path.chmod(path.stat().st_mode | stat.S_IROTH | stat.S_IRGRP | (stat.S_IXOTH if path.is_dir() else 0))
    yield folder
    shutil.rmtree(folder)


def _as_normal_user(command: list[str]) -> list[str]:
    """``command`` run as a user without root (nobody, when this test runs as root)."""
    if os.geteuid() != 0:
        return command
    nobody = pwd.getpwnam("nobody")
    # Found on root's PATH: the command then runs with a normal user's PATH, without /usr/sbin.
    if runuser := shutil.which("runuser"):
        return [runuser, "-u", nobody.pw_name, "--", *command]
    setpriv = shutil.which("setpriv")
    return [setpriv, "--reuid=%d" % nobody.pw_uid, "--regid=%d" % nobody.pw_gid, "--clear-groups", *command]


def test_system_checks_find_pango_as_a_normal_user(makefile_copy):
    env = {"PATH": USER_PATH, "HOME": str(makefile_copy), "LC_ALL": "C.UTF-8"}
    assert shutil.which("python3", path=USER_PATH), "python3 must be on a normal user's PATH (%s)" % USER_PATH
    whoami = subprocess.run(_as_normal_user(["id", "-u"]), env=env, capture_output=True, text=True, check=True)
    assert whoami.stdout.strip() != "0"
    result = subprocess.run(
        _as_normal_user(["make", "-s", "-C", str(makefile_copy), "system-deps"]),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.startswith("System packages: Pango 1.")
    assert "GNU gettext" in result.stdout
    assert "Missing" not in result.stdout + result.stderr


def test_make_services_stops_in_seconds_on_closed_ports(makefile_copy):
    pg_port, redis_port = closed_port(), closed_port()
    started = time.monotonic()
    result = subprocess.run(
        [
            "make",
            "-s",
            "-C",
            str(makefile_copy),
            "services",
            "PG_URL_BASE=postgres://postgres@127.0.0.1:%d" % pg_port,
            "REDIS_URL=redis://127.0.0.1:%d" % redis_port,
        ],
        env=clean_env(),
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert time.monotonic() - started < 5
    assert result.returncode != 0
    ours = [line for line in result.stderr.splitlines() if not line.startswith(("make:", "make["))]  # make's own
    assert ours[0].startswith(
        "make test needs PostgreSQL at postgres://postgres@127.0.0.1:%d: nothing answers" % pg_port
    )
    assert ours[1].startswith("make test needs Redis at redis://127.0.0.1:%d: nothing answers" % redis_port)
    assert len(ours) == 2
    assert "Traceback" not in result.stderr


def _dry_run(folder: Path, *args: str, **env: str) -> list[str]:
    result = subprocess.run(
        ["make", "-n", "-C", str(folder), "run", *args],
        env=clean_env(**env),
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    return result.stdout.splitlines()


def _commands(lines: list[str], managed: str) -> list[str]:
    """The shell commands running ``manage.py <managed>`` (a line may chain several with ``;``,
    as the one that serves the SPID/CIE test federation beside the portal)."""
    return [
        part.strip()
        for line in lines
        for part in line.split(";")
        if "manage.py %s" % managed in part and "&" not in part.split("manage.py", 1)[1]
    ]


def test_make_run_links_follow_port(makefile_copy):
    lines = _dry_run(makefile_copy, "PORT=8123")
    assert _commands(lines, "seed_demo") == ["SITE_URL=http://127.0.0.1:8123 .venv/bin/python manage.py seed_demo"]
    assert _commands(lines, "runserver") == [
        "SITE_URL=http://127.0.0.1:8123 .venv/bin/python manage.py runserver 127.0.0.1:8123"
    ]


def test_make_run_on_all_interfaces_links_to_loopback(makefile_copy):
    lines = _dry_run(makefile_copy, "HOST=0.0.0.0", "PORT=8124")
    assert _commands(lines, "runserver") == [
        "SITE_URL=http://127.0.0.1:8124 .venv/bin/python manage.py runserver 0.0.0.0:8124"
    ]


def test_make_run_keeps_a_site_url_that_is_set(makefile_copy):
    from_environment = _dry_run(makefile_copy, "PORT=8123", SITE_URL="https://portal.example.org")
    assert _commands(from_environment, "seed_demo") == [".venv/bin/python manage.py seed_demo"]
    (makefile_copy / ".env").write_text("DJANGO_DEBUG=false\nSITE_URL=http://portal.lan:8123\n")
    from_dotenv = _dry_run(makefile_copy, "PORT=8123")
    assert _commands(from_dotenv, "runserver") == [".venv/bin/python manage.py runserver 127.0.0.1:8123"]


def test_a_missing_tool_is_named_with_the_command_that_installs_it(makefile_copy):
    # A PATH holding make, python3 and apt-get but no msgfmt: gettext looks uninstalled.
    bin_dir = makefile_copy / "bin"
    bin_dir.mkdir()
    for tool in ("make", "python3", "apt-get"):
        if found := shutil.which(tool, path=USER_PATH):
            (bin_dir / tool).symlink_to(found)
    bin_dir.chmod(0o755)
    env = {"PATH": str(bin_dir), "HOME": str(makefile_copy), "LC_ALL": "C.UTF-8"}
    result = subprocess.run(
        _as_normal_user([str(bin_dir / "make"), "-s", "-C", str(makefile_copy), "system-deps"]),
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert result.returncode != 0
    first = result.stderr.splitlines()[0]
    if (bin_dir / "apt-get").exists():
        assert first == (
            "Missing system packages: gettext. Install them with: sudo apt-get install gettext "
            "(or run: sudo make system-deps)"
        )
    else:
        assert first.startswith("Missing system libraries or tools: gettext")
    assert "Installing" not in result.stdout
