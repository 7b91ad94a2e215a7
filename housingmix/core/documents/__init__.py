"""Generated documents: one model (``GeneratedDocument``, any owner) and one way to store them."""

from .models import GeneratedDocument  # noqa: F401
from .services import document_store, documents_of, kind_label, register_kinds, same_source, version_add  # noqa: F401
