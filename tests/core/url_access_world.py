"""The accounts and objects the URL × role tests read: one of each role, the objects of each kind
filled in by factories, and the value of every URL parameter for every pattern."""

from dataclasses import dataclass, field

from django.apps import apps
from django.contrib.auth.models import Group

from housingmix.accounts.models import Membership, MembershipRole, OrganisationType
from housingmix.accounts.roles import Role
from housingmix.territory.models import Comune
from tests.accounts.factories import MembershipFactory, OrganisationFactory, UserFactory
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
    "social_supervisor",
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
    return _add_codesign_documents(world)


def _add_codesign_documents(world: World) -> World:
    """The co-design documents generated on commit: the proposal's receipt, the ranking, the agreement."""
    from housingmix.core.documents import documents_of

    def first(obj) -> str:
        pk = documents_of(obj).order_by("pk").values_list("pk", flat=True).first()
        return str(pk) if pk is not None else "0"

    objects = world.objects
    world.by_name["projects:proposal_document"].update(doc=first(objects["proposal"]))
    world.by_name["projects:ranking_pdf"].update(doc=first(objects["call"]))
    world.by_name["projects:agreement_document"].update(doc=first(objects["agreement"]))
    return world


def build_codesign(users: dict, ets_organisation) -> dict:
    """A co-design call all the way: the ETS operator's proposal submitted, admitted and scored by
    the commission member (who declared no conflict), ranked; its final project with an agreement,
    a session of the table and a report; a second ETS's proposal the operator must not see."""
    from datetime import date

    from projects import services
    from tests.applications.conftest import pdf_upload
    from tests.projects import factories as pf

    staff = users["staff"]
    call = pf.codesign_call(by=staff)
    proposal = pf.submitted_proposal(call, operator=users["ets_operator"], organisation=ets_organisation)
    other = pf.submitted_proposal(call)
    pf.close_window(call)
    services.call_start_evaluation(call=call, by=staff)
    for each in (proposal, other):
        services.proposal_admissibility(proposal=each, by=staff, admitted=True, reason="Requisiti presenti")
    member = users["commission"]
    services.commission_appoint(
        call=call, by=staff, act_number="55/2026", act_date=date(2026, 3, 1), members=[member], president=member
    )
    pf.score(proposal, member, [30, 15, 10, 10, 8])
    pf.score(other, member, [20, 10, 8, 8, 6])
    services.ranking_publish(call=call, by=staff)
    call, proposal = pf.fresh(call), pf.fresh(proposal)
    project, agreement = pf.active_project(call, proposal)
    proposal.operator = users["ets_operator"]
    session = pf.schedule_session(call, proposal, public=staff)
    services.agreement_sign(agreement=agreement, by=staff, upload=pdf_upload("firmata.pdf"))
    services.agreement_activate(agreement=agreement, by=staff)
    report = services.report_create(
        project=project, by=users["ets_operator"], period_start=date(2026, 4, 1), period_end=date(2026, 6, 30)
    )
    member_row = proposal.members.order_by("pk").first()
    return {
        "call": call,
        "proposal": proposal,
        "other_proposal": other,
        "project": project,
        "agreement": agreement,
        "session": session,
        "report": report,
        "by_name": {
            "projects:call_detail": {"pk": str(call.pk)},
            "projects:ranking_pdf": {"pk": str(call.pk), "doc": "0"},
            "projects:call_manage": {"pk": str(call.pk)},
            "projects:call_action": {"pk": str(call.pk), "action": "publish"},
            "projects:commission_appoint": {"pk": str(call.pk)},
            "projects:session_create": {"pk": str(call.pk)},
            "projects:export": {"kind": "codesign_proposals", "fmt": "csv"},
            "projects:proposal_start": {"call": str(call.pk)},
            "projects:proposal_detail": {"pk": str(proposal.pk)},
            "projects:proposal_step": {"pk": str(proposal.pk), "step": "body"},
            "projects:member_confirm": {
                "pk": str(proposal.pk),
                "member": str(member_row.pk) if member_row else "0",
            },
            "projects:proposal_document": {"pk": str(proposal.pk), "doc": "0"},
            "projects:proposal_admissibility": {"pk": str(proposal.pk)},
            "projects:project_create": {"pk": str(proposal.pk)},
            "projects:conflict_declare": {"pk": str(proposal.pk)},
            "projects:score": {"pk": str(proposal.pk)},
            "projects:session_detail": {"pk": str(session.pk)},
            "projects:session_move": {"pk": str(session.pk)},
            "projects:session_cancel": {"pk": str(session.pk)},
            "projects:session_document": {"pk": str(session.pk), "doc": "0"},
            "projects:project_detail": {"pk": str(project.pk)},
            "projects:agreement_action": {"pk": str(project.pk), "action": "activate"},
            "projects:agreement_document": {"pk": str(project.pk), "doc": "0"},
            "projects:report_create": {"pk": str(project.pk)},
            "projects:report_detail": {"pk": str(report.pk)},
        },
    }


def build_beneficiaries(users: dict, ets_organisation, application) -> dict:
    """A household referred by the assigned social worker (Lodi), managed by the ETS operator's
    organisation, with a unit of offerer A proposed, accepted by both sides and a lease recorded;
    a second unit free for a proposal."""
    from beneficiaries import services
    from tests.beneficiaries import factories as bf
    from tests.beneficiaries.test_matching_placement import LEASE

    worker = users["social_worker_assigned"]
    household = bf.household(by=worker, organisation=ets_organisation)
    entry = bf.registry_entry(unit__application=application)
    free = bf.registry_entry()
    match = services.match_propose(household=household, entry=entry, by=users["staff"])
    services.match_decide(match=match, by=users["offerer_a"], side="owner", decision="accepted")
    match = services.match_decide(match=match, by=worker, side="worker", decision="accepted")
    placement = services.placement_create(match=match, by=worker, **LEASE)
    pk = {"pk": str(household.pk)}
    by_name = {
        "beneficiaries:" + name: pk
        for name in (
            "detail",
            "goal_add",
            "action_add",
            "review_add",
            "outcome_add",
            "units",
            "pact_generate",
            "pact_download",
            "pact_upload",
            "signed_pact_download",
            "erase",
            "reads",
            "export",
            "export_pdf",
            "project_link",
        )
    }
    by_name["beneficiaries:plan_transition"] = {"pk": str(household.pk), "name": "start_assessment"}
    by_name["beneficiaries:match_propose"] = {"pk": str(household.pk), "entry_pk": str(free.pk)}
    by_name["beneficiaries:match_decide"] = {"pk": str(match.pk)}
    by_name["beneficiaries:placement_create"] = {"pk": str(match.pk)}
    by_name["beneficiaries:placement_register"] = {"pk": str(placement.pk)}
    by_name["beneficiaries:placement_move_in"] = {"pk": str(placement.pk)}
    return {"household": household, "match": match, "placement": placement, "by_name": by_name}


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
        "social_supervisor": UserFactory(roles=[Role.SOCIAL_SUPERVISOR], comune=assigned.comune),
    }
    # The ETS operator acts for an ETS (co-design proposals, the households it manages).
    ets_organisation = OrganisationFactory(type=OrganisationType.ETS)
    Membership.objects.create(user=ets, organisation=ets_organisation, role=MembershipRole.LEGAL_REPRESENTATIVE)
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
    codesign = build_codesign(users, ets_organisation)
    beneficiaries = build_beneficiaries(users, ets_organisation, application)
    by_name.update(codesign.pop("by_name"))
    by_name.update(beneficiaries.pop("by_name"))
    # Pages of one row by its id: the world's own rows, whatever ids the database handed out (on
    # PostgreSQL the sequences go on across tests, so a fixed "1" names nothing or another row).
    by_name["admin:auth_user_password_change"] = {"id": str(users["offerer_a"].pk)}
    for name in ("admin:notices_notice_publish", "admin:notices_notice_upload", "admin:notices_notice_withdraw"):
        by_name[name] = {"pk": str(notice.pk)}
    return World(
        users=users,
        values=values,
        by_name=by_name,
        objects={
            "application": application,
            "draft_b": draft_b,
            "organisation": membership.organisation,
            **codesign,
            **beneficiaries,
        },
    )
