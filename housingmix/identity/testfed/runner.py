"""Set up and start the local test federation's processes (used by ``testfed_setup``,
``testfed_serve`` and the test fixtures). Loopback only; nothing downloaded."""

import json
import os
import secrets
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

REPO = Path(__file__).resolve().parents[3]
SETTINGS = "housingmix.identity.testfed.settings"


def process_env(*, role: str, url: str, ta_url: str, state_dir: Path) -> dict:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "DATABASE_URL"))}
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": SETTINGS,
            "TESTFED_ROLE": role,
            "TESTFED_URL": url.rstrip("/"),
            "TESTFED_TA_URL": ta_url,
            "TESTFED_DIR": str(state_dir),
            "PYTHONPATH": str(REPO),
        }
    )
    secret = state_dir / "secret.txt"
    if secret.exists():
        env["TESTFED_SECRET_KEY"] = secret.read_text().strip()
    return env


def init(*, spid_url: str, cie_url: str, state_dir: Path, rp: dict) -> list[dict]:
    """Rebuild both processes' databases with fresh keys; the trust marks issued to the RP."""
    state_dir.mkdir(parents=True, exist_ok=True)
    (state_dir / "secret.txt").write_text(secrets.token_urlsafe(40))
    (state_dir / "rp.json").write_text(json.dumps(rp))
    ta_url = spid_url.rstrip("/") + "/"
    for role, url in (("cie", cie_url), ("spid", spid_url)):
        subprocess.run(
            [sys.executable, "-m", "django", "testfed_init"],
            cwd=REPO,
            env=process_env(role=role, url=url, ta_url=ta_url, state_dir=state_dir),
            check=True,
        )
    return json.loads((state_dir / "rp-trust-marks.json").read_text())


def start(*, spid_url: str, cie_url: str, state_dir: Path, stdout=None) -> list[subprocess.Popen]:
    """Start the two processes (Django's development server, threaded) and wait until both answer."""
    ta_url = spid_url.rstrip("/") + "/"
    procs = []
    for role, url in (("spid", spid_url), ("cie", cie_url)):
        hostport = url.split("://", 1)[1].rstrip("/")
        procs.append(
            subprocess.Popen(
                [sys.executable, "-m", "django", "runserver", "--noreload", "--insecure", hostport],
                cwd=REPO,
                env=process_env(role=role, url=url, ta_url=ta_url, state_dir=state_dir),
                stdout=stdout,
                stderr=subprocess.STDOUT if stdout else None,
            )
        )
    deadline = time.monotonic() + 30
    # The probes read the test federation on the loopback address, over http.
    for url in (spid_url, cie_url):
        probe = url.rstrip("/") + "/oidc/op/.well-known/openid-federation"
        while True:
            try:
                with urllib.request.urlopen(probe, timeout=2) as response:  # noqa: S310  # nosec B310
                    if response.status == 200:
                        break
            except OSError:
                pass
            if time.monotonic() > deadline or any(p.poll() is not None for p in procs):
                stop(procs)
                raise RuntimeError("The test federation did not start (%s)." % probe)
            time.sleep(0.3)
    return procs


def stop(procs: list[subprocess.Popen]) -> None:
    for proc in procs:
        if proc.poll() is None:
            proc.terminate()
    for proc in procs:
        try:
            proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            proc.kill()
