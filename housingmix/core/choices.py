"""Choice lists built once and cached, dropped when their rows change.

A list page's filter shows the same selects on every request (the notices, the Ambito's comuni,
the reviewers): querying and labelling them each time is a good share of the page. A
``CachedChoices`` builds ``[(value, label), ...]`` once, keeps it in the default cache and
deletes it on ``post_save`` / ``post_delete`` of the models it depends on (and ``m2m_changed``
of the relations named), so a change shows on the next request. With a cache per process
(LocMem) another worker's copy lives on until ``timeout``: the lists are not permissions, only
what a select offers; the filter still validates a value against the database.
"""

from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.db.models.signals import m2m_changed, post_delete, post_save

_PREFIX = "choices:"


class CachedChoices:
    def __init__(
        self,
        name: str,
        build: Callable[[], Iterable[tuple]],
        *,
        models: Iterable[type] = (),
        relations: Iterable[type] = (),
        timeout: int = 300,
    ):
        self.key = _PREFIX + name
        self.build = build
        self.timeout = timeout
        for model in models:
            post_save.connect(self.invalidate, sender=model, weak=False, dispatch_uid=self.key + ":s:%s" % model)
            post_delete.connect(self.invalidate, sender=model, weak=False, dispatch_uid=self.key + ":d:%s" % model)
        for through in relations:
            m2m_changed.connect(self.invalidate, sender=through, weak=False, dispatch_uid=self.key + ":m:%s" % through)

    def get(self) -> list[tuple]:
        """The (value, label) list, from the cache or built now (labels as plain strings)."""
        choices = cache.get(self.key)
        if choices is None:
            choices = [(value, str(label)) for value, label in self.build()]
            cache.set(self.key, choices, self.timeout)
        return choices

    def invalidate(self, *args, **kwargs) -> None:
        cache.delete(self.key)


def get_many(*lists: CachedChoices) -> list[list[tuple]]:
    """Several lists in one cache round trip (a page's selects); the missing ones are built."""
    found = cache.get_many([choices.key for choices in lists])
    return [found[c.key] if c.key in found else c.get() for c in lists]


def with_empty(choices: list[tuple], empty_label) -> list[tuple]:
    """The list a select shows: the empty choice first."""
    return [("", empty_label), *choices]
