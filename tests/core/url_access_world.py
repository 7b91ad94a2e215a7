"""The accounts and objects the URL × role tests read: one of each role, the objects of each kind
filled in by factories, and the value of every URL parameter for every pattern."""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import Group

from housingmix.accounts.roles import Role
from housingmix.territory.models import Comune
from tests.accounts.factories import MembershipFactory, UserFactory
from tests.applications.factories import ApplicationFactory, OffererFactory, in_comune, social_worker
from tests.notices.factories import FaqEntryFactory
from tests.portal.factories import EventFactory, NewsFactory, OfficeFactory, ServiceFactory, TopicFactory
from tests.url_patterns import Pattern

# The columns of the table, in its order.
ROLES = (
    "anonymous",
    "offerer_a",
    "offerer_b",
    "ets_operator",
    "social_worker_other",
    "social_worker_assigned",
    "staff",
    "commission",
    "dpo",
    "administrator",
)


@dataclass
class World:
    users: dict  # role -> user (None for anonymous)
    values: dict  # parameter -> value, for every pattern
    by_name: dict = field(default_factory=dict)  # pattern name -> {parameter: value} overriding ``values``
    objects: dict = field(default_factory=dict)

    def values_for(self, pattern: Pattern) -> dict:
        values = dict(self.values)
        values.update(self.by_name.get(pattern.name, {}))
        if (
            pattern.route.startswith("backoffice/")
            and "object_id" in pattern.params
            and "app_label" not in pattern.params
        ):
            values["object_id"] = self.admin_object_id(pattern.route)
        return values

    def admin_object_id(self, route: str) -> str:
        """The back office's change, delete and history pages of a model open an existing row:
        offerer A's account for users, the first row of any other model (``0`` when it has none)."""
        app_label, model_name = route.split("/")[1:3]
        try:
            model = apps.get_model(app_label, model_name)
        except LookupError:  # the "view on site" shortcut, backoffice/r/<content type>/<id>/
            return self.values["object_id"]
        if model is apps.get_model("accounts", "user"):
            return str(self.users["offerer_a"].pk)
        first = model._default_manager.order_by("pk").values_list("pk", flat=True).first()
        return str(first) if first is not None else "0"


def add_receipt(world: World) -> World:
    """The receipt's id, for the pages that download it (generated on commit, after build_world)."""
    from applications import selectors

    receipt = selectors.application_generated_documents(application=world.objects["application"]).get()
    for name in ("applications:generated", "review:document", "review:offerer_document"):
        world.by_name[name] = {"pk": str(receipt.pk)}
    return world


def build_world() -> World:
    lodi = Comune.objects.get(name="Lodi")
    other_comune = Comune.objects.exclude(pk=lodi.pk).order_by("name").first()
    offerer_a = OffererFactory()
    assigned = social_worker("Lodi")
    ets = UserFactory(roles=[Role.ETS_OPERATOR, Role.OFFERER])
    users = {
        "anonymous": None,
        "offerer_a": offerer_a,
        "offerer_b": OffererFactory(),
        "ets_operator": ets,
        "social_worker_other": social_worker(other_comune.name),
        "social_worker_assigned": assigned,
        "staff": UserFactory(staff=True),
        "commission": UserFactory(roles=[Role.COMMISSION]),
        "dpo": UserFactory(is_staff=True, roles=[Role.DPO]),
        "administrator": UserFactory(is_staff=True, roles=[Role.ADMINISTRATOR]),
    }
    assert Group.objects.filter(name__in=[Role.COMMISSION, Role.DPO, Role.ADMINISTRATOR]).count() == 3
    # Offerer A's manifestation under review, assigned to the social worker of its units' comune.
    application = ApplicationFactory(
        created_by=offerer_a, under_review=True, lifecycle__reviewer=assigned, **in_comune("Lodi")
    )
    draft_b = ApplicationFactory(created_by=users["offerer_b"], complete=True)
    membership = MembershipFactory(user=offerer_a)
    notice = application.notice
    FaqEntryFactory(notice=notice)
    unit = application.units.order_by("pk").first()
    attachment = application.attachments.order_by("pk").first()
    TopicFactory()
    office = OfficeFactory()
    service = ServiceFactory(office=office)
    news = NewsFactory()
    event = EventFactory()
    notice_document = notice.documents.order_by("pk").first()
    values = {
        "ref": str(application.reference),
        "unit": str(unit.pk),
        "pk": str(attachment.pk),
        "filename": attachment.filename,
        "slug": notice.slug,
        "number": "1",
        "fmt": "csv",
        "object_id": "0",
        "app_label": "accounts",
        "content_type_id": "1",
        "id": "1",
        "key": "chiave-di-prova",
        "uidb36": "1",
        "metadata_type": "openid_relying_party",
        "category": service.category,
        "token": "token-di-prova",
    }
    by_name = {
        "accounts:organisation_detail": {"pk": str(membership.organisation_id)},
        "portal:office": {"slug": office.slug},
        "portal:service": {"slug": service.slug},
        "portal:news_detail": {"slug": news.slug},
        "portal:event": {"slug": event.slug},
        "portal:topic": {"slug": "assistenza-sociale"},
        "notices:document": {"pk": str(notice_document.pk) if notice_document else "0", "filename": "x.pdf"},
        "notices:generated": {"pk": "0", "filename": "x.pdf"},
        "registry:detail": {"pk": "0"},
        "review:export_download": {"pk": "0"},
    }
    return World(
        users=users,
        values=values,
        by_name=by_name,
        objects={"application": application, "draft_b": draft_b, "organisation": membership.organisation},
    )
