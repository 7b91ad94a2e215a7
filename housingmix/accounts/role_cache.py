"""A user's role names (group names) from the cache: one query less on every back-office page.

On only with a cache every worker shares (``ROLE_CACHE_SECONDS`` > 0, the default when
REDIS_CACHE_URL is set): a per-process cache could not forget a revoked role in the other
workers. Any change of a membership or of a group replaces the version every cached entry is
checked against, so a role granted or revoked counts on the next request. On a cache outage the
roles are read from the database (django-redis IGNORE_EXCEPTIONS); the short lifetime bounds
how long an entry written before an outage, and not replaced during it, can outlive a change.
"""

import uuid

from django.conf import settings
from django.core.cache import cache
from django.db import transaction

VERSION_KEY = "accounts:roles:version"


def _key(user_pk: int) -> str:
    return "accounts:roles:user:%d" % user_pk


def role_names(user) -> set[str]:
    seconds = getattr(settings, "ROLE_CACHE_SECONDS", 0)
    if not seconds or user.pk is None:
        return set(user.groups.values_list("name", flat=True))
    key = _key(user.pk)
    found = cache.get_many([VERSION_KEY, key])
    version, entry = found.get(VERSION_KEY), found.get(key)
    if version is not None and entry is not None and entry[0] == version:
        return set(entry[1])
    names = set(user.groups.values_list("name", flat=True))
    if version is None:
        cache.add(VERSION_KEY, uuid.uuid4().hex, None)
        version = cache.get(VERSION_KEY)
    if version is not None:
        cache.set(key, (version, sorted(names)), seconds)
    return names


def _new_version() -> None:
    cache.set(VERSION_KEY, uuid.uuid4().hex, None)


def roles_changed(**kwargs) -> None:
    """Receiver of membership and group changes: every cached entry is stale at once, and again
    when the change commits (a request that read the old rows meanwhile cached them under the
    version of the first change)."""
    if getattr(settings, "ROLE_CACHE_SECONDS", 0):
        _new_version()
        transaction.on_commit(_new_version)
