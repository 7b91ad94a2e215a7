"""The project's settings with a cache that stores nothing.

settings.py has no switch to turn the page cache off, so the "uncached" configuration
is this module: every public page is rendered from the database on every request.
"""

from housingmix.settings import *  # noqa: F403

CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
