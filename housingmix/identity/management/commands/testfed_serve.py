"""Serve the local test federation (trust anchor + SPID provider, CIE provider) until stopped."""

import signal
import time

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from housingmix.identity.testfed import runner


class Command(BaseCommand):
    help = "Serve the local SPID/CIE test federation built by testfed_setup."

    def handle(self, *args, **options):
        if not settings.SPID_CIE_TEST_FEDERATION:
            raise CommandError("Set SPID_CIE_TEST_FEDERATION=true: the test federation is for development only.")
        procs = runner.start(
            spid_url=settings.SPID_CIE_TESTFED_SPID_URL,
            cie_url=settings.SPID_CIE_TESTFED_CIE_URL,
            state_dir=settings.SPID_CIE_TESTFED_DIR,
        )
        self.stdout.write(
            "Test federation: trust anchor and SPID provider on %s, CIE provider on %s"
            % (settings.SPID_CIE_TESTFED_SPID_URL, settings.SPID_CIE_TESTFED_CIE_URL)
        )
        signal.signal(signal.SIGTERM, lambda *a: (_ for _ in ()).throw(KeyboardInterrupt()))
        try:
            while all(p.poll() is None for p in procs):
                time.sleep(1)
        except KeyboardInterrupt:
            pass
        finally:
            runner.stop(procs)
