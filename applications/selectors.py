"""Reads of manifestations of interest, scoped to who is asking."""

from django.contrib.contenttypes.models import ContentType
from django.db.models import CharField, Count, Exists, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery
from django.db.models.functions import Cast

from housingmix.accounts.models import User
from housingmix.core import audit, outbox
from housingmix.core.documents import GeneratedDocument, documents_of
from properties.models import HousingUnit

from .models import RECEIPT_JOB, Application, ApplicationStatus, Attachment, AttachmentKind, CommunicationRead
from .rules import is_application_owner


def _owned_by(user: User) -> Q:
    return Q(created_by=user) | Q(organisation__memberships__user=user)


def application_list_for_offerer(*, user: User) -> QuerySet[Application]:
    """The manifestations the user made or that their organisations made, newest first,
    with notice, protocol and unit count in one query."""
    ids = Application.objects.filter(_owned_by(user)).values("pk")
    return (
        Application.objects.filter(pk__in=ids)
        .select_related("notice", "protocol", "organisation")
        .annotate(unit_count=Count("units", distinct=True))
        .order_by("-created_at", "-pk")
    )


def application_get_for_user(*, user: User, reference) -> Application | None:
    """The manifestation if ``user`` may see it, else None (the caller answers 404 either way)."""
    application = (
        Application.objects.select_related("notice", "protocol", "organisation", "created_by")
        .filter(reference=reference)
        .first()
    )
    if application is None or not _readable(user, application, "applications.view_record"):
        return None
    return application


def _readable(user: User, application: Application, perm: str) -> bool:
    """``perm`` on ``application``; a draft only for its owner, whatever the account (a superuser's
    ``has_perm`` answers True to everything, so the draft rule is checked here as well)."""
    if application.is_draft and not is_application_owner(user, application):
        return False
    return user.has_perm(perm, application)


def application_units(*, application: Application) -> QuerySet[HousingUnit]:
    """Units with their comune and photos (two queries in all)."""
    photos = Attachment.objects.filter(kind=AttachmentKind.PHOTO).order_by("created_at", "pk")
    return (
        application.units.select_related("comune")
        .prefetch_related(Prefetch("attachments", queryset=photos, to_attr="photos"))
        .order_by("position", "pk")
    )


def application_attachments(*, application: Application) -> QuerySet[Attachment]:
    return application.attachments.select_related("unit").order_by("kind", "created_at", "pk")


def application_generated_documents(*, application: Application) -> QuerySet[GeneratedDocument]:
    return documents_of(application)


def application_draft_for_notice(*, user: User, notice) -> Application | None:
    """The user's own draft for ``notice``, if any (to resume instead of starting again)."""
    return (
        Application.objects.filter(created_by=user, notice=notice, status=ApplicationStatus.DRAFT)
        .order_by("-created_at")
        .first()
    )


def application_public_history(*, application: Application) -> list:
    """The manifestation's history as the offerer may see it, newest first (the one definition
    of "public": the verbs registered as public in ``applications.apps``)."""
    return audit.history(application, public_only=True, states=dict(ApplicationStatus.choices))


def application_receipt_pending(*, application: Application) -> bool:
    """True while the receipt of a submitted manifestation is still being prepared."""
    return outbox.pending_for(application, kinds=[RECEIPT_JOB])


def generated_document_get_for_user(*, user: User, reference, pk: int) -> GeneratedDocument | None:
    """A generated document (e.g. the receipt) of the manifestation ``reference``, if ``user``
    may download its files (owner, their organisation, Ambito staff); else None, so the
    caller answers 404 both for a document that does not exist and for one of someone else."""
    application = Application.objects.select_related("protocol").filter(reference=reference).first()
    if application is None or not _readable(user, application, "applications.download_files"):
        return None
    return documents_of(application).filter(pk=pk).first()


def inbox_for_user(*, user: User) -> QuerySet[GeneratedDocument]:
    """Every communication (receipt, request, visit report, preavviso, outcome) of the user's
    manifestations and their organisations', newest first, each with ``is_read``,
    ``application_reference`` and ``application_protocol``: one query per page."""
    owned = (
        Application.objects.filter(_owned_by(user))
        .exclude(status=ApplicationStatus.DRAFT)
        .annotate(key=Cast("pk", CharField()))
        .values("key")
    )
    application = Application.objects.filter(pk=Cast(OuterRef("owner_id"), IntegerField()))
    return (
        GeneratedDocument.objects.filter(owner_type=ContentType.objects.get_for_model(Application), owner_id__in=owned)
        .annotate(
            is_read=Exists(CommunicationRead.objects.filter(user=user, document=OuterRef("pk"))),
            application_reference=Subquery(application.values("reference")[:1]),
            application_protocol=Subquery(application.values("protocol__number")[:1]),
            application_year=Subquery(application.values("protocol__year")[:1]),
        )
        .order_by("-created_at", "-pk")
    )


def inbox_unread_count(*, user: User) -> int:
    return inbox_for_user(user=user).filter(is_read=False).count()
