"""The one outbox (see ``services``): ``request``, ``run``, ``step``, ``sweep``, ``retry``, ``register``."""

from .models import Job, JobStatus  # noqa: F401
from .services import handlers, kind_label, pending_for, pending_kinds, register, request, retry, run, send, step, sweep  # noqa: F401
