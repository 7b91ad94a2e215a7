"""The registry of exports: each app registers what it exports in ``AppConfig.ready()``.

    exports.register(ExportSpec(kind="review_queue", label=_("Manifestazioni in istruttoria"),
                                permission="applications.review_workspace", name="istruttorie",
                                queryset=queue_for_export, rows=queue_rows))

``queryset(user, data)`` returns the rows the user would see on the page with the filters of
``data`` (a QueryDict); ``rows(queryset)`` returns (header, rows) of plain values.
"""

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class ExportSpec:
    kind: str
    label: Any
    permission: str
    name: str
    queryset: Callable[[Any, Any], Any]
    rows: Callable[[Any], tuple[Sequence[Any], list[Sequence[Any]]]]


_SPECS: dict[str, ExportSpec] = {}


def register(spec: ExportSpec) -> None:
    if spec.kind in _SPECS and _SPECS[spec.kind] != spec:
        raise ValueError("export %s registered twice" % spec.kind)
    _SPECS[spec.kind] = spec


def spec(kind: str) -> ExportSpec | None:
    return _SPECS.get(kind)


def specs() -> dict[str, ExportSpec]:
    return dict(_SPECS)
