"""The development e-mail backend prints messages as people read them: no MIME, no base64."""

import base64
import io
import os
import subprocess
import sys

from django.core.mail import EmailMultiAlternatives, get_connection

REPO = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
PDF = b"%PDF-1.7\n" + bytes(range(256)) * 40


def test_console_backend_prints_headers_body_and_attachments_by_name_and_size():
    stream = io.StringIO()
    message = EmailMultiAlternatives(
        subject="Housing Mix - ricevuta, protocollo n. 0000001/2026",
        body="Gentile Marco Rossi,\n\nla trova qui: http://127.0.0.1:8123/area/\n",
        from_email="Housing Mix <noreply@housingmix.localhost>",
        to=["offerente@housingmix.demo"],
        cc=["ufficio@ambito-lodi.example.org"],
    )
    message.attach_alternative("<p>Gentile Marco Rossi</p>", "text/html")
    message.attach("ricevuta-0000001-2026.pdf", PDF, "application/pdf")
    connection = get_connection("housingmix.core.mail_console.EmailBackend", stream=stream)
    assert connection.send_messages([message]) == 1
    printed = stream.getvalue()
    assert printed.splitlines()[:5] == [
        "Subject: Housing Mix - ricevuta, protocollo n. 0000001/2026",
        "From: Housing Mix <noreply@housingmix.localhost>",
        "To: offerente@housingmix.demo",
        "Cc: ufficio@ambito-lodi.example.org",
        "",
    ]
    assert "la trova qui: http://127.0.0.1:8123/area/" in printed
    assert "Alternative: text/html, 26 bytes (not shown)" in printed
    assert "Attachment: ricevuta-0000001-2026.pdf (application/pdf, %d bytes)" % len(PDF) in printed
    assert base64.b64encode(PDF)[:40].decode() not in printed
    assert "Content-Transfer-Encoding" not in printed
    assert printed.endswith("-" * 79 + "\n")


def test_console_backend_is_the_default_without_configuration():
    env = {k: v for k, v in os.environ.items() if k not in ("DJANGO_EMAIL_BACKEND", "CELERY_BROKER_URL")}
    result = subprocess.run(
        [
            sys.executable,
            "-c",
            "import django; django.setup(); from django.conf import settings; "
            "print(settings.EMAIL_BACKEND); print(settings.CELERY_BROKER_URL, settings.CELERY_TASK_ALWAYS_EAGER)",
        ],
        cwd=REPO,
        env={**env, "DJANGO_SETTINGS_MODULE": "housingmix.settings"},
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    assert result.stdout.splitlines() == ["housingmix.core.mail_console.EmailBackend", "memory://localhost/ True"]


def test_demo_e_mails_link_to_the_site_url_without_base64_or_kombu_warning(tmp_path):
    """What `make run PORT=8123` prints while seeding: a fresh database, the default settings."""
    env = {k: v for k, v in os.environ.items() if not k.startswith(("DJANGO_", "CELERY_"))}
    env.update(
        DATABASE_URL="sqlite:///%s" % (tmp_path / "demo.sqlite3"),
        MEDIA_ROOT=str(tmp_path / "media"),
        SITE_URL="http://127.0.0.1:8123",
    )
    manage = [sys.executable, "manage.py"]
    subprocess.run([*manage, "migrate", "-v", "0"], cwd=REPO, env=env, check=True, timeout=300)
    seeded = subprocess.run(
        [*manage, "seed_demo"], cwd=REPO, env=env, capture_output=True, text=True, timeout=300, check=True
    )
    printed = seeded.stdout + seeded.stderr
    assert "Attachment: ricevuta-0000001-2026.pdf (application/pdf, " in printed
    links = [line for line in printed.splitlines() if line.startswith("http")]
    assert links, printed
    assert all(link.startswith("http://127.0.0.1:8123/") for link in links)
    assert "base64" not in printed
    assert "JVBERi" not in printed  # "%PDF" in base64
    assert "No hostname was supplied" not in printed
