"""The project's settings with the page cache off (issue 13's "uncached public pages").

Every public page is rendered from the database on every request, as for the first visitor after
a publication or any visitor with a session; the other caches (the Ambito, the filter choices,
the page chrome's rendered pieces of core/fragments.py, which a publication does not change) stay
on, as they are in production. core.caching.public_page stores nothing with a timeout of 0.
"""

from housingmix.settings import *  # noqa: F403

PUBLIC_PAGE_CACHE_SECONDS = 0
