"""The project's own settings, routed to a single constant view.

The bare server must differ from the portal only in its URLconf: same middleware, same
cache, same DEBUG, same database. Its throughput is then the ceiling that Django plus
gunicorn reach on this machine, and the pages are judged against it.
"""

from housingmix.settings import *  # noqa: F403

ROOT_URLCONF = "bench.bare_urls"
