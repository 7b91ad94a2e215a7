"""Italian is the source language of every string; the English catalogue must be complete and current."""

import shutil
from pathlib import Path

import polib
import pytest
from django.core.management import call_command

REPO = Path(__file__).resolve().parents[2]
# Folders that hold no translatable source of the portal (as `make messages-update` ignores them).
SKIP = {".git", ".venv", "staticfiles", "bench", "tests", "test-artifacts", "media", "static", "node_modules"}


@pytest.fixture
def fresh_catalogue(tmp_path, settings, monkeypatch):
    """Extract the messages of the current sources into a copy of the committed English catalogue.

    makemessages writes into the ``locale`` folder that contains the sources it reads, so it
    runs on a copy of the sources: the committed catalogue is never touched.
    """
    copy = tmp_path / "src"
    copy.mkdir()
    for child in REPO.iterdir():
        if child.is_dir() and child.name not in SKIP and not child.name.startswith("."):
            shutil.copytree(child, copy / child.name, ignore=shutil.ignore_patterns("__pycache__", "*.mo"))
    settings.LOCALE_PATHS = [copy / "locale"]
    monkeypatch.chdir(copy)
    call_command("makemessages", locale=["en"], no_obsolete=True, verbosity=0)
    return polib.pofile(str(copy / "locale" / "en" / "LC_MESSAGES" / "django.po"))


def test_english_catalogue_covers_every_string(fresh_catalogue):
    missing = [entry.msgid for entry in fresh_catalogue.untranslated_entries()]
    fuzzy = [entry.msgid for entry in fresh_catalogue.fuzzy_entries()]
    assert not missing, "Untranslated (run make messages-update): %s" % missing[:20]
    assert not fuzzy, "Fuzzy translations to review: %s" % fuzzy[:20]


def test_committed_catalogue_is_up_to_date(fresh_catalogue):
    committed = polib.pofile(str(REPO / "locale" / "en" / "LC_MESSAGES" / "django.po"))
    assert {e.msgid for e in committed if not e.obsolete} >= {e.msgid for e in fresh_catalogue}
