"""Reads of the review: the queue, one manifestation with everything its page shows,
the dashboard figures. Scoped to who asks; querysets are built here, never in views."""

import rules
from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Exists, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from housingmix.accounts.models import User
from housingmix.accounts.roles import Role
from housingmix.core.models import AuditEvent
from properties.models import HousingUnit

from .filters import ReviewQueueFilter, overdue_requests
from .fitness import unit_fit
from .models import (
    Application,
    ApplicationStatus,
    Attachment,
    CheckItem,
    GeneratedDocument,
    InfoRequest,
    OffererReply,
    ReviewCheck,
)
from .review import PUBLIC_VERBS


def reviewer_choices() -> QuerySet[User]:
    """Active staff and social workers, with their comune (for the assignment form and filter)."""
    return (
        User.objects.filter(is_active=True, groups__name__in=[Role.SOCIAL_WORKER, Role.STAFF])
        .select_related("comune")
        .distinct()
        .order_by("last_name", "first_name", "pk")
    )


REVIEWER_CHOICES_KEY = "review:reviewer_choices"


def reviewer_choice_list() -> list[tuple[int, str]]:
    """(pk, label) of the assignable users, cached for five minutes: the review page shows
    the list on every view, and accounts change rarely (a new social worker shows up
    within five minutes)."""
    from django.core.cache import cache

    choices = cache.get(REVIEWER_CHOICES_KEY)
    if choices is None:
        choices = [
            (u.pk, "%s%s" % (u.get_full_name() or u.email, " (%s)" % u.comune.name if u.comune_id else ""))
            for u in reviewer_choices()
        ]
        cache.set(REVIEWER_CHOICES_KEY, choices, 300)
    return choices


def review_queue_base(*, user: User) -> QuerySet[Application]:
    """Submitted manifestations ``user`` reviews (staff: all; social worker: assigned to them)."""
    queryset = Application.objects.exclude(status=ApplicationStatus.DRAFT)
    if not rules.has_perm("applications.view_review_dashboard", user):
        queryset = queryset.filter(assigned_to=user)
    units = HousingUnit.objects.select_related("comune").only(
        "pk", "application_id", "comune__name", "availability_form", "position"
    )
    return (
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
        .annotate(is_overdue=Exists(overdue_requests()))
        .prefetch_related(Prefetch("units", queryset=units.order_by("position", "pk"), to_attr="unit_list"))
        .order_by("-submitted_at", "-pk")
    )


def review_queue_filterset(*, user: User, data) -> ReviewQueueFilter:
    """The review queue with the django-filter FilterSet of the request applied (``.qs``)."""
    return ReviewQueueFilter(data=data, queryset=review_queue_base(user=user), reviewers=reviewer_choices())


def review_application_get(*, user: User, reference) -> Application | None:
    """The manifestation if ``user`` may review it, else None (the view answers 404)."""
    application = (
        Application.objects.select_related("notice", "protocol", "assigned_to", "created_by", "organisation")
        .filter(reference=reference)
        .exclude(status=ApplicationStatus.DRAFT)
        .first()
    )
    if application is None or not rules.has_perm("applications.review_record", user, application):
        return None
    return application


def review_units(*, application: Application) -> list[HousingUnit]:
    """Units with comune, checklist rows (``checks`` by item) and the fit rule computed."""
    units = list(
        application.units.select_related("comune")
        .prefetch_related(Prefetch("review_checks", queryset=ReviewCheck.objects.all(), to_attr="check_list"))
        .order_by("position", "pk")
    )
    for unit in units:
        unit.checks = {c.item: c for c in unit.check_list}
        unit.fit = unit_fit(unit)
        unit.checklist = [(value, label, unit.checks.get(value)) for value, label in CheckItem.choices]
    return units


def application_history(*, application: Application, public_only: bool) -> QuerySet[AuditEvent]:
    """The events of a manifestation, newest first; ``public_only``: what the offerer may see.

    Reads ("application.viewed") are kept for the DPO, not shown in the history.
    """
    queryset = AuditEvent.objects.filter(
        content_type=ContentType.objects.get_for_model(Application), object_id=str(application.pk)
    ).select_related("actor")
    if public_only:
        return queryset.filter(verb__in=PUBLIC_VERBS)
    return queryset.exclude(verb="application.viewed")


VERB_LABELS = {
    "application.started": _("Bozza avviata"),
    "application.submitted": _("Presentata e protocollata"),
    "application.review_started": _("Istruttoria avviata"),
    "application.reassigned": _("Istruttoria riassegnata"),
    "application.info_requested": _("Richiesta di integrazione"),
    "application.info_answered": _("Integrazione presentata"),
    "application.review_resumed": _("Istruttoria ripresa"),
    "application.info_request_overdue": _("Termine dell'integrazione scaduto"),
    "application.site_visit_started": _("Sopralluogo"),
    "application.site_visit_recorded": _("Sopralluogo registrato"),
    "application.checks_recorded": _("Verifiche registrate"),
    "application.note_added": _("Nota interna"),
    "application.refusal_notified": _("Preavviso di diniego"),
    "application.observations_filed": _("Osservazioni presentate"),
    "application.reconsidered": _("Istruttoria riaperta"),
    "application.declared_eligible": _("Dichiarata idonea"),
    "application.declared_not_eligible": _("Dichiarata non idonea"),
    "application.withdrawn": _("Ritirata"),
    "application.receipt_generated": _("Ricevuta generata"),
    "application.receipt_emailed": _("Ricevuta inviata per e-mail"),
    "application.unit_added": _("Alloggio aggiunto alla bozza"),
    "application.unit_duplicated": _("Alloggio duplicato nella bozza"),
    "application.unit_removed": _("Alloggio tolto dalla bozza"),
    "application.attachment_added": _("Documento caricato"),
    "application.attachment_removed": _("Documento tolto dalla bozza"),
    "application.viewed": _("Consultazione"),
    "application.file_downloaded": _("Documento scaricato"),
}


def history_rows(events) -> list[AuditEvent]:
    """The events with display labels for verb and states."""
    states = dict(ApplicationStatus.choices)
    rows = list(events)
    for event in rows:
        event.verb_label = VERB_LABELS.get(event.verb, event.verb)
        event.from_label = states.get(event.from_state, "")
        event.to_label = states.get(event.to_state, "")
    return rows


def review_detail_context(*, application: Application) -> dict:
    """Everything the review page shows, in a fixed number of queries."""
    return {
        "units": review_units(application=application),
        "attachments": list(application.attachments.select_related("unit").order_by("is_integration", "kind", "pk")),
        "history": history_rows(application_history(application=application, public_only=False)[:100]),
        "notes": list(application.internal_notes.select_related("author")[:100]),
        "info_requests": list(application.info_requests.select_related("protocol")),
        "replies": list(
            OffererReply.objects.filter(application=application)
            .select_related("protocol")
            .prefetch_related("attachments")
        ),
        "visits": site_visits_with_photos(application=application),
        "decisions": list(application.decisions.select_related("protocol", "decided_by")),
        "documents": list(application.generated_documents.order_by("kind", "-version")),
    }


def site_visits_with_photos(*, application: Application) -> list[dict]:
    """Visits with their photo ids, in one query (a LEFT JOIN instead of a prefetch)."""
    visits: dict[int, dict] = {}
    rows = (
        application.site_visits.order_by("-visit_date", "-pk")
        .values("pk", "visit_date", "attendees", "summary", "photos__pk")
        .order_by("-visit_date", "-pk", "photos__pk")
    )
    for row in rows:
        visit = visits.setdefault(row["pk"], {**{k: v for k, v in row.items() if k != "photos__pk"}, "photo_ids": []})
        if row["photos__pk"] is not None:
            visit["photo_ids"].append(row["photos__pk"])
    return list(visits.values())


def offerer_review_context(*, application: Application) -> dict:
    """What the offerer sees of the review: public history, requests, decisions, communications."""
    return {
        "history": history_rows(application_history(application=application, public_only=True)),
        "open_request": application.info_requests.filter(closed_at__isnull=True).order_by("-created_at").first(),
        "requests": list(application.info_requests.select_related("protocol")),
        "replies": list(application.replies.select_related("protocol").prefetch_related("attachments")),
        "refusal_notice": application.decisions.filter(kind="refusal_notice").order_by("-decided_at").first(),
        "decisions": list(application.decisions.select_related("protocol")),
        "documents": list(application.generated_documents.order_by("kind", "-version")),
    }


def generated_document_get(*, application: Application, pk: int) -> GeneratedDocument | None:
    return application.generated_documents.filter(pk=pk).first()


def attachment_get(*, application: Application, pk: int) -> Attachment | None:
    return application.attachments.filter(pk=pk).first()


def site_visit_photo_get(*, application: Application, pk: int):
    from .models import SiteVisitPhoto

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
            open=Count(
                "pk", filter=Q(status__in=["under_review", "info_requested", "site_visit", "notice_of_refusal"])
            ),
            decided=Count("pk", filter=Q(status__in=["eligible", "not_eligible"])),
        )
        .order_by("-total")
    )
    return {"by_state": by_state, "by_comune": by_comune, "overdue": overdue, "per_reviewer": per_reviewer}
