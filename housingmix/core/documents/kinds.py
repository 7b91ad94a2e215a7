"""Labels of the kinds of generated documents, registered by the apps that generate them."""

_KIND_LABELS: dict[str, object] = {}


def register_kinds(labels: dict[str, object]) -> None:
    """Register the labels of the document kinds an app generates (from ``AppConfig.ready``)."""
    _KIND_LABELS.update(labels)


def kind_label(kind: str) -> str:
    return str(_KIND_LABELS.get(kind, kind))
