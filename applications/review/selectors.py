"""Reads of the review: the queue, one manifestation with everything its page shows,
the dashboard figures. Scoped to who asks; querysets are built here, never in views."""

import rules
from django.contrib.auth.models import Group
from django.db.models import Count, JSONField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import JSONObject
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from housingmix.accounts.models import User
from housingmix.accounts.roles import Role
from housingmix.core import audit
from housingmix.core.choices import CachedChoices
from housingmix.core.documents import GeneratedDocument, documents_of
from housingmix.core.queries import JSONList
from housingmix.territory.models import Comune
from properties.fitness import unit_fit
from properties.models import HousingUnit

from .. import rules as application_rules
from ..models import (
    OPEN_REVIEW_STATUSES,
    Application,
    ApplicationStatus,
    Attachment,
    CheckItem,
    CheckOutcome,
    DecisionKind,
    InfoRequest,
    OffererReply,
    ReviewCheck,
    UnitOutcome,
    VisitCheckItem,
)
from .filters import ReviewQueueFilter, is_overdue, overdue_conditions


def reviewer_choices() -> QuerySet[User]:
    """Active staff and social workers, with their comune (for the assignment form and filter)."""
    return (
        User.objects.filter(is_active=True, groups__name__in=[Role.SOCIAL_WORKER, Role.STAFF])
        .select_related("comune")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


def _reviewer_labels():
    return (
        (u.pk, "%s%s" % (u.get_full_name() or u.email, " (%s)" % u.comune.name if u.comune_id else ""))
        for u in reviewer_choices()
    )


# (pk, label) of the assignable users, with their comune: the review page shows the list on every
# view; dropped when a user, a role or a comune changes (core.choices).
REVIEWER_CHOICES = CachedChoices(
    "review:assignable", _reviewer_labels, models=[User, Group, Comune], relations=[User.groups.through]
)


def reviewer_choice_list() -> list[tuple[int, str]]:
    return REVIEWER_CHOICES.get()


def review_queue_base(*, user: User, for_export: bool = True) -> QuerySet[Application]:
    """Submitted manifestations ``user`` reviews (staff: all; social worker: assigned to them);
    ``for_export``: each with its units and their comune (``unit_list``) and whether it is overdue
    (``is_overdue``), for every row the export writes. A page of the queue needs only the comuni's
    names and the overdue flags of its own rows: see ``queue_comune_names`` and
    ``queue_overdue_ids`` (the flag as a column costs PostgreSQL a hashed subplan over every
    overdue request at each page, 1.5 ms at 100,000 manifestations)."""
    queryset = Application.objects.exclude(status=ApplicationStatus.DRAFT)
    if not rules.has_perm("applications.view_review_dashboard", user):
        queryset = queryset.filter(assigned_to=user)
    units = HousingUnit.objects.select_related("comune").only(
        "pk", "application_id", "comune__name", "availability_form", "position"
    )
    queryset = (
        queryset.select_related("notice", "protocol", "assigned_to")
        .only(
            "pk",
            "reference",
            "status",
            "submitted_at",
            "offerer_name",
            "offerer_type",
            "created_at",
            "notice__title",
            "protocol__number",
            "protocol__year",
            "assigned_to__first_name",
            "assigned_to__last_name",
            "assigned_to__email",
        )
        .order_by("-submitted_at", "-pk")
    )
    if for_export:
        queryset = queryset.annotate(is_overdue=is_overdue()).prefetch_related(
            Prefetch("units", queryset=units.order_by("position", "pk"), to_attr="unit_list")
        )
    return queryset


def review_queue_filterset(*, user: User, data, for_export: bool = True) -> ReviewQueueFilter:
    """The review queue with the django-filter FilterSet of the request applied (``.qs``)."""
    return ReviewQueueFilter(
        data=data, queryset=review_queue_base(user=user, for_export=for_export), reviewers=reviewer_choices()
    )


def queue_overdue_ids(applications) -> set[int]:
    """Which of ``applications`` (a page of the queue) are overdue, as ``is_overdue`` says for a
    row: waiting for an integration whose open request is past its deadline. One query on the
    requests of the page's rows."""
    waiting = [a.pk for a in applications if a.status == ApplicationStatus.INFO_REQUESTED]
    if not waiting:
        return set()
    return set(
        InfoRequest.objects.filter(application_id__in=waiting, **overdue_conditions()).values_list(
            "application_id", flat=True
        )
    )


def queue_comune_names(application_ids) -> dict[int, list[str]]:
    """The comuni of each manifestation's units, each once, in the units' order: what
    ``Application.comune_names`` gives, for a page of the queue in one query of two columns."""
    names: dict[int, list[str]] = {}
    rows = (
        HousingUnit.objects.filter(application_id__in=application_ids, comune__isnull=False)
        .order_by("application_id", "position", "pk")
        .values_list("application_id", "comune__name")
    )
    for application_id, name in rows:
        found = names.setdefault(application_id, [])
        if name not in found:
            found.append(name)
    return names


def review_application_get(*, user: User, reference) -> Application | None:
    """The manifestation if ``user`` may review it, else None (the view answers 404)."""
    # What the page shows with the record; the author and the body (read by the acts' services,
    # which lock and read the record again) would double the columns and the planning of the join.
    queryset = Application.objects.select_related("notice", "protocol", "assigned_to")
    if user.is_authenticated:
        # The reader's stake in it and membership of its body (every rule of the page asks) in the same query.
        queryset = queryset.annotate(**application_rules.reader_annotations(user.pk))
    application = queryset.filter(reference=reference).exclude(status=ApplicationStatus.DRAFT).first()
    if application is not None and user.is_authenticated:
        application_rules.reader_remember(user, application)
    if application is None or not rules.has_perm("applications.review_record", user, application):
        return None
    return application


def _latest_outcome():
    """The latest outcome of the outer unit, in its manifestation's acts, as one JSON object (a
    column of the units' query; its fields are what ``unit_outcomes_current`` would give)."""
    return Subquery(
        UnitOutcome.objects.filter(unit=OuterRef("pk"), decision__application=OuterRef("application_id"))
        .order_by("-decision__decided_at", "-decision__pk")
        .values(
            data=JSONObject(pk="pk", decision_id="decision_id", outcome="outcome", reasons="reasons", carried="carried")
        )[:1],
        output_field=JSONField(),
    )


def _checks():
    """The outer unit's checklist rows (item, outcome, note) as one JSON array: a column of the
    units' query instead of a second query. NULL for a unit without checks."""
    return Subquery(
        ReviewCheck.objects.filter(unit=OuterRef("pk"))
        .order_by()
        .values("unit")
        .annotate(rows=JSONList(JSONObject(pk="pk", item="item", outcome="outcome", note="note")))
        .values("rows"),
        output_field=JSONField(),
    )


def review_units(*, application: Application) -> list[HousingUnit]:
    """Units with comune, checklist rows (``checks`` by item), their latest outcome
    (``current_outcome``) and the fit rule computed: one query, the outcome and the checks
    read as columns of the units' rows."""
    units = list(
        application.units.select_related("comune")
        .annotate(latest_outcome=_latest_outcome(), check_rows=_checks())
        .order_by("position", "pk")
    )
    for unit in units:
        data = unit.latest_outcome
        unit.current_outcome = UnitOutcome(unit_id=unit.pk, **data) if data else None
        unit.checks = {
            row["item"]: ReviewCheck(application_id=unit.application_id, unit_id=unit.pk, **row)
            for row in unit.check_rows or ()
        }
        unit.fit = unit_fit(unit)
        unit.checklist = [(value, label, unit.checks.get(value)) for value, label in CheckItem.choices]
    return units


def unit_outcomes_current(application: Application) -> dict:
    """The latest outcome of each unit of ``application`` (unit pk -> UnitOutcome), from its acts; one query."""
    current = {}
    rows = UnitOutcome.objects.filter(decision__application=application).select_related("decision__protocol")
    for row in rows.order_by("decision__decided_at", "decision__pk"):
        current[row.unit_id] = row
    return current


def offerer_units(*, application: Application) -> list[HousingUnit]:
    """The offerer's units, each with its latest outcome (``current_outcome``)."""
    outcomes = unit_outcomes_current(application)
    units = list(application.units.select_related("comune").order_by("position", "pk"))
    for unit in units:
        unit.current_outcome = outcomes.get(unit.pk)
    return units


def application_history(*, application: Application, public_only: bool, limit: int | None = None) -> list:
    """The manifestation's history, newest first, with labels: everything for the reviewers, the
    public events for the offerer (``public_only``). Reads are never part of it (they are for the DPO)."""
    return audit.history(application, public_only=public_only, states=dict(ApplicationStatus.choices), limit=limit)


PROPOSAL_VERB = "application.outcome_proposed"


def latest_proposal(*, application: Application, history: list | None = None, limit: int | None = None):
    """The reviewer's latest proposed outcome (an AuditEvent with ``outcome_label``), or None.

    ``history``: the newest ``limit`` events already read for the page; the proposal is taken
    from them, and only looked up when the history was cut short before one appeared."""
    event = next((e for e in history if e.verb == PROPOSAL_VERB), None) if history is not None else None
    if event is None and (history is None or (limit is not None and len(history) >= limit)):
        event = audit.events_for(application).filter(verb=PROPOSAL_VERB).first()
    if event is not None:
        event.outcome_label = dict(DecisionKind.choices).get(event.data.get("outcome"), "")
    return event


HISTORY_LIMIT = 100


def review_detail_context(*, application: Application) -> dict:
    """Everything the review page shows, in a fixed number of queries."""
    history = application_history(application=application, public_only=False, limit=HISTORY_LIMIT)
    units = review_units(application=application)
    visits = site_visits_with_photos(application=application, units=units)
    attachments = list(application.attachments.select_related("unit").order_by("is_integration", "kind", "pk"))
    return {
        "units": units,
        "visit_findings": visit_findings(visits),
        "attachments": attachments,
        "history": history,
        "proposal": latest_proposal(application=application, history=history, limit=HISTORY_LIMIT),
        "notes": list(application.internal_notes.select_related("author")[:100]),
        "info_requests": list(application.info_requests.select_related("protocol")),
        "replies": replies_with_attachments(application=application, attachments=attachments),
        "visits": visits,
        "decisions": list(application.decisions.select_related("protocol", "decided_by")),
        "documents": list(documents_of(application)),
    }


def replies_with_attachments(*, application: Application, attachments: list[Attachment]) -> list[OffererReply]:
    """The offerer's replies, each with its files (``attachment_list``) taken from ``attachments``
    (the manifestation's, already read for the page): the files' ids come as a JSON column of the
    replies' query instead of a prefetch query. A reply's files are its manifestation's (the
    reply service files them so, and the page's download link serves no other)."""
    through = OffererReply.attachments.through
    ids = Subquery(
        through.objects.filter(offererreply_id=OuterRef("pk"))
        .order_by()
        .values("offererreply_id")
        .annotate(ids=JSONList("attachment_id"))
        .values("ids"),
        output_field=JSONField(),
    )
    replies = list(
        OffererReply.objects.filter(application=application).select_related("protocol").annotate(attachment_ids=ids)
    )
    by_pk = {attachment.pk: attachment for attachment in attachments}
    for reply in replies:
        reply.attachment_list = [by_pk[pk] for pk in sorted(reply.attachment_ids or ()) if pk in by_pk]
    return replies


def site_visits_with_photos(*, application: Application, units: list[HousingUnit] | None = None) -> list[dict]:
    """Visits with their photo ids and their checklist of each unit (``checklists``, see
    ``visit_checklists``; ``units``: the manifestation's units, if already loaded), in one query
    (a LEFT JOIN instead of a prefetch)."""
    if units is None:
        units = list(application.units.order_by("position", "pk"))
    visits: dict[int, dict] = {}
    rows = (
        application.site_visits.order_by("-visit_date", "-pk")
        .values("pk", "visit_date", "attendees", "summary", "outcomes", "photos__pk")
        .order_by("-visit_date", "-pk", "photos__pk")
    )
    for row in rows:
        visit = visits.get(row["pk"])
        if visit is None:
            visit = visits[row["pk"]] = {
                **{k: v for k, v in row.items() if k not in ("photos__pk", "outcomes")},
                "photo_ids": [],
                "checklists": visit_checklists(row["outcomes"], units),
            }
        if row["photos__pk"] is not None:
            visit["photo_ids"].append(row["photos__pk"])
    return list(visits.values())


def visit_checklists(rows: list[dict], units: list[HousingUnit]) -> list[dict]:
    """The stored rows of a visit grouped by unit, in the order of ``units``, with labels:
    ``[{"unit": HousingUnit or None, "rows": [(item, label, outcome, outcome_label, note)]}]``.
    Rows of before the per-unit checklist (no unit) form a group with ``unit`` None."""
    labels = {**dict(CheckItem.choices), **dict(VisitCheckItem.choices)}
    outcome_labels = dict(CheckOutcome.choices)
    groups: dict = {}
    for row in rows:
        groups.setdefault(row.get("unit"), []).append(
            (
                row["item"],
                str(labels.get(row["item"], row["item"])),
                row.get("outcome", ""),
                str(outcome_labels.get(row.get("outcome"), "")),
                row.get("note", ""),
            )
        )
    ordered = [{"unit": None, "rows": groups.pop(None)}] if None in groups else []
    ordered += [{"unit": u, "rows": groups[u.pk]} for u in units if u.pk in groups]
    return ordered


def visit_findings(visits: list[dict]) -> dict[int, str]:
    """What the latest visit of each unit found wrong (items missing or not compliant), as a
    draft of that unit's outcome reasons: unit pk -> text. ``visits``: newest first, as
    ``site_visits_with_photos`` gives them."""
    findings: dict[int, str] = {}
    seen: set[int] = set()
    for visit in visits:
        for group in visit["checklists"]:
            unit = group["unit"]
            if unit is None or unit.pk in seen:
                continue
            seen.add(unit.pk)
            lines = [
                "%s: %s%s" % (label, outcome_label.lower(), " (%s)" % note if note else "")
                for _item, label, outcome, outcome_label, note in group["rows"]
                if outcome in (CheckOutcome.MISSING, CheckOutcome.NOT_OK)
            ]
            if lines:
                findings[unit.pk] = "\n".join(
                    [_("Sopralluogo del %(date)s:") % {"date": date_format(visit["visit_date"], "d/m/Y")}] + lines
                )
    return findings


def offerer_review_context(*, application: Application) -> dict:
    """What the offerer sees of the review: public history, requests, decisions, communications."""
    return {
        "history": application_history(application=application, public_only=True),
        "units": offerer_units(application=application),
        "visit_plans": list(application.visit_plans.prefetch_related("units")),
        "open_request": application.info_requests.filter(closed_at__isnull=True).order_by("-created_at").first(),
        "requests": list(application.info_requests.select_related("protocol")),
        "replies": list(application.replies.select_related("protocol").prefetch_related("attachments")),
        "refusal_notice": application.decisions.filter(kind="refusal_notice").order_by("-decided_at").first(),
        "decisions": list(application.decisions.select_related("protocol")),
        "documents": list(documents_of(application)),
    }


def generated_document_get(*, application: Application, pk: int) -> GeneratedDocument | None:
    return documents_of(application).filter(pk=pk).first()


def attachment_get(*, application: Application, pk: int) -> Attachment | None:
    return application.attachments.filter(pk=pk).first()


def site_visit_photo_get(*, application: Application, pk: int):
    from ..models import SiteVisitPhoto

    return SiteVisitPhoto.objects.filter(pk=pk, visit__application=application).first()


def review_dashboard(*, today=None) -> dict:
    """Counts by state, by comune, overdue requests and reviews per reviewer."""
    today = today or timezone.localdate()
    submitted = Application.objects.exclude(status=ApplicationStatus.DRAFT)
    labels = dict(ApplicationStatus.choices)
    by_state = [
        {"status": row["status"], "label": labels[row["status"]], "count": row["n"]}
        for row in submitted.values("status").annotate(n=Count("pk")).order_by("status")
    ]
    by_comune = list(
        HousingUnit.objects.filter(application__in=submitted)
        .values("comune__name")
        .annotate(units=Count("pk"), applications=Count("application", distinct=True))
        .order_by("-applications", "comune__name")[:20]
    )
    overdue = list(
        InfoRequest.objects.filter(
            closed_at__isnull=True, deadline__lt=today, application__status=ApplicationStatus.INFO_REQUESTED
        )
        .select_related("application__protocol", "application__assigned_to")
        .order_by("deadline")[:50]
    )
    per_reviewer = list(
        submitted.filter(assigned_to__isnull=False)
        .values("assigned_to__first_name", "assigned_to__last_name", "assigned_to__email")
        .annotate(
            total=Count("pk"),
            open=Count("pk", filter=Q(status__in=OPEN_REVIEW_STATUSES)),
            decided=Count("pk", filter=Q(status__in=[ApplicationStatus.ELIGIBLE, ApplicationStatus.NOT_ELIGIBLE])),
        )
        .order_by("-total")
    )
    return {"by_state": by_state, "by_comune": by_comune, "overdue": overdue, "per_reviewer": per_reviewer}


def visit_plan_get(*, application: Application, pk: int):
    return application.visit_plans.filter(pk=pk).first()
