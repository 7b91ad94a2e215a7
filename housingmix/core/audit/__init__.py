"""The business audit trail and its one vocabulary.

Every workflow transition and business event writes one ``AuditEvent`` in the caller's
transaction (``record``). Each app registers the verbs it writes in ``AppConfig.ready()``
(``register``): the label shown in histories and whether the owner of the record sees it
(``public``). ``history`` is the one reader: the full history for staff, the public part for
the owner, reads of personal data never in either (they are for the DPO).
"""

from dataclasses import dataclass
from typing import Any

from django.contrib.contenttypes.models import ContentType
from django.db.models import Model, QuerySet

from .models import AuditEvent


@dataclass(frozen=True)
class Verb:
    label: Any
    public: bool = False
    is_read: bool = False


_VERBS: dict[str, Verb] = {}


def register(verbs: dict[str, Verb]) -> None:
    """Add ``verbs`` to the registry (called from ``AppConfig.ready``); a verb is defined once."""
    for name, verb in verbs.items():
        if name in _VERBS and _VERBS[name] != verb:
            raise ValueError("audit verb %s registered twice" % name)
        _VERBS[name] = verb


def verb(name: str) -> Verb | None:
    return _VERBS.get(name)


def verbs() -> dict[str, Verb]:
    return dict(_VERBS)


def public_verbs(prefix: str = "") -> list[str]:
    """The verbs the owner of a record sees in its history (optionally of one app: ``prefix``)."""
    return sorted(name for name, v in _VERBS.items() if v.public and name.startswith(prefix))


def read_verbs() -> list[str]:
    return sorted(name for name, v in _VERBS.items() if v.is_read)


def label(name: str) -> str:
    v = _VERBS.get(name)
    return str(v.label) if v else name


def record(
    *,
    target: Model,
    verb: str,
    by: Any = None,
    from_state: str = "",
    to_state: str = "",
    reason: str = "",
    data: dict | None = None,
) -> AuditEvent:
    """Write one AuditEvent for ``target``; anonymous or system actors are stored as null.

    ``data`` holds ids, numbers and hashes, never personal data.
    """
    actor = by if getattr(by, "is_authenticated", False) else None
    return AuditEvent.objects.create(
        actor=actor,
        verb=verb,
        content_type=ContentType.objects.get_for_model(target),
        object_id=str(target.pk),
        from_state=from_state or "",
        to_state=to_state or "",
        reason=reason or "",
        data=data or {},
    )


def events_for(target: Model) -> QuerySet[AuditEvent]:
    """Every event of one object, newest first, actors loaded in the same query (reads included)."""
    return AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(target), object_id=str(target.pk)
    ).select_related("actor")


def history(
    target: Model, *, public_only: bool, states: dict[str, Any] | None = None, limit: int | None = None
) -> list[AuditEvent]:
    """The history of ``target`` as a page shows it, newest first.

    ``public_only``: only the verbs registered as public (what the owner sees). Reads are never
    part of a history. Each event gets ``verb_label`` and, with ``states`` (value → label),
    ``from_label`` and ``to_label``.
    """
    queryset = events_for(target)
    if public_only:
        queryset = queryset.filter(verb__in=public_verbs())
    else:
        queryset = queryset.exclude(verb__in=read_verbs())
    rows = list(queryset[:limit] if limit else queryset)
    states = states or {}
    for event in rows:
        event.verb_label = label(event.verb)
        event.from_label = states.get(event.from_state, "")
        event.to_label = states.get(event.to_state, "")
    return rows
