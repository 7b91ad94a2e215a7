"""Exports: a registry of kinds (``register``/``ExportSpec``), the CSV/XLSX writers, and recorded
exports built at once or by the worker (``export_request``)."""

from .models import ExportJob, ExportStatus  # noqa: F401
from .registry import ExportSpec, register, spec, specs  # noqa: F401
from .services import export_permitted, export_request  # noqa: F401
