"""The one way a record changes state: lock, check, transition, validate, save, audit.

    locked = workflow.lock(application, expected_status=form_status)      # stale page → StaleTransition
    workflow.transition_run(locked, "declare_eligible", by=user, verb="application.declared_eligible",
                            reason=reasons)

Transitions are django-fsm-2 methods with an explicit source, target and a ``rules`` permission.
Views ask ``available`` which transitions a user may run now, so the page offers exactly what the
service will accept. Permissions are checked with django-rules for both (``permitted``), not with
``user.has_perm``: a superuser's blanket permission must not let an IT administrator decide a case.
"""

from typing import Any

import rules
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django_fsm import FSMFieldMixin, can_proceed

from . import audit


class StaleTransition(ValidationError):
    """The record changed since the page was loaded (somebody else acted first): nothing was done."""


def state_field(model: type[models.Model] | models.Model) -> FSMFieldMixin:
    """The model's FSM field (each workflow model has exactly one)."""
    for field in model._meta.fields:
        if isinstance(field, FSMFieldMixin):
            return field
    raise TypeError("%s has no FSM field" % model._meta.label)


def state_label(instance: models.Model) -> str:
    field = state_field(instance)
    return str(dict(field.flatchoices).get(getattr(instance, field.attname), getattr(instance, field.attname)))


def lock(
    instance: models.Model, *, expected_status: str | None = None, select_related: tuple[str, ...] = ()
) -> models.Model:
    """The row of ``instance`` locked for the rest of the transaction (SELECT … FOR UPDATE of this
    table only; SQLite transactions here take the write lock when they begin).

    With ``expected_status`` (the state the user's page showed), raise StaleTransition if the
    state has changed since: two people acting at once are serialised and the second is told.
    """
    queryset = type(instance).objects.select_for_update(of=("self",)).select_related(*select_related)
    locked = queryset.get(pk=instance.pk)
    field = state_field(locked)
    if expected_status and getattr(locked, field.attname) != expected_status:
        raise StaleTransition(
            _(
                "Nel frattempo la pratica è stata modificata da un altro utente (ora è «%(state)s»): "
                "ricarica la pagina e verifica prima di procedere."
            )
            % {"state": state_label(locked)}
        )
    return locked


def _available_now(instance: models.Model) -> dict[str, Any]:
    """The transitions legal from the current state with their conditions met, by name (django-fsm's
    public ``get_available_<field>_transitions``)."""
    field = state_field(instance)
    return {t.name: t for t in getattr(instance, "get_available_%s_transitions" % field.name)()}


def _transition(instance: models.Model, name: str):
    return _available_now(instance).get(name)


def permitted(instance: models.Model, name: str, user) -> bool:
    """Whether ``user`` may run transition ``name`` on ``instance`` now: legal from the current
    state, its conditions met, and its ``rules`` permission granted for this object."""
    transition = _transition(instance, name)
    if transition is None:
        return False
    permission = transition.permission
    if not permission:
        return True
    if callable(permission):
        return bool(permission(instance, user))
    return rules.has_perm(permission, user, instance)


def available(instance: models.Model, user, names: list[str] | None = None) -> dict[str, bool]:
    """{transition name: whether ``user`` may run it now} for ``names`` (default: every transition
    available from the current state); for views and templates (``actions.declare_eligible``)."""
    now = _available_now(instance)
    result = {}
    for name in names if names is not None else list(now):
        transition = now.get(name)
        if transition is None:
            result[name] = False
        elif not transition.permission:
            result[name] = True
        elif callable(transition.permission):
            result[name] = bool(transition.permission(instance, user))
        else:
            result[name] = rules.has_perm(transition.permission, user, instance)
    return result


def transition_run(
    locked: models.Model,
    name: str,
    *,
    by: Any,
    verb: str,
    reason: str = "",
    data: dict | None = None,
    system: bool = False,
    clean: bool = True,
    clean_exclude: tuple[str, ...] = (),
    **kwargs: Any,
) -> models.Model:
    """Run transition ``name`` on a row locked by ``lock``; save it and audit it.

    Raises ValidationError if the current state does not allow it (nothing changed) and
    PermissionDenied if ``by`` may not run it. ``system`` is for the scheduler acting without a
    user (state rules still apply). ``kwargs`` go to the transition method.
    """
    method = getattr(locked, name)
    if not can_proceed(method):
        raise ValidationError(
            _("Operazione non consentita: la pratica è nello stato «%(state)s».") % {"state": state_label(locked)}
        )
    if not system and not permitted(locked, name, by):
        raise PermissionDenied(_("Non hai i permessi per questa operazione su questa pratica."))
    field = state_field(locked)
    from_state = getattr(locked, field.attname)
    method(**kwargs)
    if clean:
        locked.full_clean(exclude=[field.name, *clean_exclude])  # the FSM field is protected
    locked.save()
    audit.record(
        target=locked,
        verb=verb,
        by=None if system else by,
        from_state=from_state,
        to_state=getattr(locked, field.attname),
        reason=reason,
        data=data,
    )
    return locked
