"""The portal's roles (DOMAIN.md, "Actors and roles"), kept as Django groups.

Group names are stable slugs; their labels are translated for display.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFERER = "offerer", _("Offerente")
    ETS_OPERATOR = "ets_operator", _("Operatore ETS")
    SOCIAL_WORKER = "social_worker", _("Assistente sociale")
    # Coordinates the social workers of their comune (User.comune): sees their households.
    SOCIAL_SUPERVISOR = "social_supervisor", _("Coordinatore del servizio sociale")
    STAFF = "ambito_staff", _("Ufficio di Piano")
    COMMISSION = "commission_member", _("Componente della commissione")
    DPO = "dpo", _("Responsabile della protezione dei dati")
    ADMINISTRATOR = "administrator", _("Amministratore di sistema")


# Model permissions each role gets in the Django admin (app_label.codename).
ROLE_PERMISSIONS = {
    Role.STAFF: [
        "accounts.view_user",
        "accounts.view_organisation",
        "accounts.change_organisation",
        "accounts.view_membership",
        "territory.view_ambito",
        "territory.view_comune",
        "territory.change_comune",
        "notices.add_notice",
        "notices.change_notice",
        "notices.view_notice",
        "notices.add_noticedocument",
        "notices.view_noticedocument",
        "notices.add_faqentry",
        "notices.change_faqentry",
        "notices.delete_faqentry",
        "notices.view_faqentry",
        "notices.add_faqtopic",
        "notices.change_faqtopic",
        "notices.view_faqtopic",
        "core.view_protocolentry",
        "core.view_job",
        "core.change_job",
        # Unlocking an account or an address: deleting its failed-login records (django-axes).
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
        # The municipal model's pages (housingmix.portal).
        *(
            "portal.%s_%s" % (action, model)
            for model in ("topic", "service", "servicemilestone", "news", "event")
            for action in ("add", "change", "delete", "view")
        ),
        "portal.add_office",
        "portal.change_office",
        "portal.view_office",
        "portal.add_availabilityslot",
        "portal.change_availabilityslot",
        "portal.view_availabilityslot",
        "portal.change_appointment",
        "portal.view_appointment",
        "portal.view_feedback",
        # Co-design (projects.admin): looked up by support staff; protocolled acts read-only there.
        *(
            "projects.view_%s" % model
            for model in (
                "codesigncall",
                "proposal",
                "score",
                "jointscore",
                "conflictdeclaration",
                "tablesession",
                "finalproject",
                "agreement",
                "report",
            )
        ),
        "projects.change_codesigncall",
        "projects.change_proposal",
        "projects.change_tablesession",
    ],
    Role.ADMINISTRATOR: [
        "accounts.add_user",
        "accounts.change_user",
        "accounts.view_user",
        "accounts.add_organisation",
        "accounts.change_organisation",
        "accounts.view_organisation",
        "accounts.add_membership",
        "accounts.change_membership",
        "accounts.view_membership",
        "territory.add_ambito",
        "territory.change_ambito",
        "territory.view_ambito",
        "territory.add_comune",
        "territory.change_comune",
        "territory.view_comune",
        "auth.view_group",
        "core.view_job",
        "core.change_job",
        "axes.view_accessattempt",
        "axes.delete_accessattempt",
    ],
    Role.DPO: ["auditlog.view_logentry", "core.view_auditevent", "core.view_protocolentry"],
}

# Roles whose holders work in the back office (Django admin).
BACK_OFFICE_ROLES = {Role.STAFF, Role.ADMINISTRATOR, Role.DPO}
