"""Who may do what with households (DOMAIN.md, "Beneficiaries"; GDPR art. 9 and 32).

- the reference social worker, and the supervisors of the worker's comune: everything on
  their households, special categories included;
- programme staff (Ufficio di Piano): every household; special categories only with the
  explicit ``beneficiaries.view_special_category`` permission (a superuser's blanket
  permission does not count: an IT administrator is not a reader of health data);
- the DPO: every household, its reads and its export; special categories not on the pages;
- ETS operators of the managing organisation, or of the household's co-design project (lead
  or ATS member, while the agreement is active): their households and their actions, never
  the special categories;
- anybody else: nothing.
"""

import rules
from django.contrib.auth.models import Permission
from django.db.models import Q

from applications.rules import is_application_owner
from housingmix.accounts.roles import Role
from housingmix.accounts.rules import is_ambito_staff, is_dpo
from projects.models import Agreement, AgreementStatus
from projects.rules import is_project_party

SPECIAL_CATEGORY_PERMISSION = ("beneficiaries", "view_special_category")


def _household(obj):
    """The household of a household, plan, match, placement or action."""
    for path in ("household", "plan.household"):
        current = obj
        for attr in path.split("."):
            current = getattr(current, attr, None)
        if current is not None:
            return current
    return obj


@rules.predicate
def is_social_worker(user):
    return user.is_authenticated and user.has_role(Role.SOCIAL_WORKER) and user.comune_id is not None


@rules.predicate
def is_supervisor(user):
    return user.is_authenticated and user.has_role(Role.SOCIAL_SUPERVISOR) and user.comune_id is not None


@rules.predicate
def is_ets_operator(user):
    return user.is_authenticated and user.has_role(Role.ETS_OPERATOR)


@rules.predicate
def is_reference_worker(user, obj):
    household = _household(obj)
    return user.is_authenticated and household is not None and household.social_worker_id == user.pk


@rules.predicate
def is_comune_supervisor(user, obj):
    household = _household(obj)
    return household is not None and is_supervisor(user) and household.social_worker.comune_id == user.comune_id


@rules.predicate
def is_project_ets_operator(user, obj):
    """An ETS operator of the managing organisation, or of the lead or an ATS member of the
    household's co-design project while that project's agreement is active."""
    household = _household(obj)
    if household is None or not is_ets_operator(user):
        return False
    if household.managing_organisation_id is not None and (
        user.memberships.filter(organisation_id=household.managing_organisation_id).exists()
    ):
        return True
    project = household.project
    return (
        project is not None
        and Agreement.objects.filter(project=project, status=AgreementStatus.ACTIVE).exists()
        and is_project_party(user, project)
    )


@rules.predicate
def holds_special_category_permission(user):
    """Granted explicitly to the user or one of their groups; never implied by is_superuser."""
    if not user.is_authenticated or not user.is_active:
        return False
    app_label, codename = SPECIAL_CATEGORY_PERMISSION
    return (
        Permission.objects.filter(content_type__app_label=app_label, codename=codename)
        .filter(Q(user=user) | Q(group__user=user))
        .exists()
    )


@rules.predicate
def is_unit_owner(user, match):
    return match is not None and is_application_owner(user, match.entry.application)


is_case_worker = is_reference_worker | is_comune_supervisor

rules.add_perm(
    "beneficiaries.list_households", is_social_worker | is_supervisor | is_ambito_staff | is_dpo | is_ets_operator
)
rules.add_perm("beneficiaries.refer_household", is_social_worker)
rules.add_perm("beneficiaries.view_household", is_case_worker | is_ambito_staff | is_dpo | is_project_ets_operator)
rules.add_perm("beneficiaries.view_special", is_case_worker | (is_ambito_staff & holds_special_category_permission))
rules.add_perm("beneficiaries.change_household", is_case_worker | is_ambito_staff)
rules.add_perm("beneficiaries.manage_plan", is_case_worker | is_ambito_staff)
rules.add_perm("beneficiaries.record_action", is_case_worker | is_ambito_staff | is_project_ets_operator)
rules.add_perm("beneficiaries.propose_match", is_ambito_staff)
rules.add_perm("beneficiaries.find_units", is_case_worker | is_ambito_staff)
rules.add_perm("beneficiaries.decide_match_owner", is_unit_owner)
rules.add_perm("beneficiaries.decide_match_worker", is_case_worker)
rules.add_perm("beneficiaries.manage_placement", is_case_worker | is_ambito_staff)
rules.add_perm("beneficiaries.audit_reads", is_dpo)
rules.add_perm("beneficiaries.view_processing_record", is_dpo)
rules.add_perm("beneficiaries.export_subject", is_dpo)
rules.add_perm("beneficiaries.view_dashboard", is_ambito_staff)
