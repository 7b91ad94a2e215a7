"""The test database of a run with workers (`make test`: ``-n 2`` per leg) is migrated once and
cloned by each worker (conftest.py ``django_db_setup``); a run without workers migrates its own."""

import os
from pathlib import Path

import pytest
from django.db import connection

import conftest
from housingmix.territory.models import Comune

pytestmark = pytest.mark.django_db


def test_a_worker_uses_its_clone_of_the_migrated_template(request):
    worker = getattr(request.config, "workerinput", {}).get("workerid")
    template = os.environ.get(conftest.TEMPLATE_ENV)
    name = connection.settings_dict["NAME"]
    if worker is None:
        assert template is None or not name.startswith(str(template))
    else:
        assert template, "a worker of a run with workers finds the template named by the controller"
        if connection.vendor == "sqlite":
            root, ext = os.path.splitext(template)
            assert name == "%s_%s%s" % (root, worker, ext)
        else:
            assert name == "%s_%s" % (template, worker)
        built, _lock = conftest._template_files(template)
        assert built.exists()
    # What the data migrations load is in the clone: the Ambito's comuni.
    assert Comune.objects.exists()


def test_the_template_is_named_only_by_the_controller_of_a_run_with_workers():
    class Options:
        def __init__(self, **options):
            self.options = options

        def getoption(self, name, default=None):
            return self.options.get(name, default)

    assert conftest._template_name(Options()) is None
    assert conftest._template_name(Options(numprocesses=2, reuse_db=True)) is None
    named = conftest._template_name(Options(numprocesses=2))
    assert named and named != connection.settings_dict["NAME"]
    if connection.vendor == "sqlite":
        assert Path(named).parent.name == "test-artifacts" and str(os.getpid()) in named
    worker_config = Options(numprocesses=2)
    worker_config.workerinput = {"workerid": "gw0"}
    assert conftest._template_name(worker_config) is None
