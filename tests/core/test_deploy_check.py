import os
import secrets
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]

PRODUCTION_ENV = {
    "DJANGO_DEBUG": "false",
    "DJANGO_ALLOWED_HOSTS": "housingmix.example.org",
    "DJANGO_SECURE_SSL_REDIRECT": "true",
    "DJANGO_SECURE_HSTS_SECONDS": "31536000",
    "DJANGO_SECURE_HSTS_PRELOAD": "true",
    "DJANGO_SESSION_COOKIE_SECURE": "true",
    "DJANGO_CSRF_COOKIE_SECURE": "true",
    "DJANGO_BEHIND_PROXY": "true",
    "CELERY_BROKER_URL": "redis://127.0.0.1:6379/0",
    "REDIS_CACHE_URL": "redis://127.0.0.1:6379/1",
    "DATABASE_URL": "postgres://housingmix@127.0.0.1:5432/housingmix",
    "SITE_URL": "https://housingmix.example.org",
    # A valid Fernet key (core.encryption); generated with `manage.py encryption_rotate --generate-key`.
    "FIELD_ENCRYPTION_KEYS": "Zm9yLXRoZS1kZXBsb3ktY2hlY2stb25seS0wMTIzNDU=",
}


def _check(env_overrides: dict) -> subprocess.CompletedProcess:
    env = {**os.environ, **env_overrides}
    # Set by the browser tests for Playwright's event loop; never present in a deployment.
    env.pop("DJANGO_ALLOW_ASYNC_UNSAFE", None)
    return subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=REPO,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_deploy_check_passes_with_production_values():
    result = _check({**PRODUCTION_ENV, "DJANGO_SECRET_KEY": secrets.token_urlsafe(50)})
    assert result.returncode == 0, result.stdout + result.stderr


def test_deploy_check_fails_with_development_defaults():
    result = _check({"DJANGO_DEBUG": "true"})
    assert result.returncode != 0
    assert "security.W018" in result.stdout + result.stderr  # DEBUG on
