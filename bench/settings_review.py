"""The project's settings plus one trivial view, for the in-process review benchmark.

Same middleware, cache and database as the portal pages measured beside it; the trivial
view (a constant page) is the baseline of the ratios.
"""

from housingmix.settings import *  # noqa: F403

ROOT_URLCONF = "bench.review_urls"
