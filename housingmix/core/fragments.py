"""Rendered pieces of the page chrome, kept per process (the ``fragments`` cache, LocMem).

``templates/base.html`` renders the same header, footer and rating band on every page; with
about twenty ``{% url %}``, a dozen ``{% static %}`` and forty translations they cost more than
many pages' own content. The pieces that depend only on the language, the settings and the
Ambito's name and contacts are wrapped in ``{% cache TIMEOUT name vary... using="fragments" %}``
with everything they show that can change in their key: the language and the Ambito's fields.
What varies per request (the user's menu and CSRF token, the current page's links) stays outside.

The cache is the process's own: nothing in it is private, and a deploy starts empty processes.
The Ambito the chrome shows is kept there too (core/context_processors.py), for five minutes.
It is emptied when a setting changes (tests override URLs, static storage, the accessibility
statement), so a piece rendered under other settings is never served.
"""

from django.core.cache import caches
from django.core.signals import setting_changed

ALIAS = "fragments"


def local_cache():
    """The process's own cache: the chrome's pieces and the Ambito they show on every page."""
    return caches[ALIAS]


def clear(**kwargs) -> None:
    if ALIAS in caches.settings:
        caches[ALIAS].clear()


setting_changed.connect(clear, dispatch_uid="core_fragments_clear")
