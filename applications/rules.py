"""Who may do what on a manifestation of interest (object-level, via django-rules).

Each predicate is a plain function wrapped by ``rules.predicate`` (not decorated), so that
mutation testing (`make mutation`) reaches its body."""

import rules
from django.db.models import Exists, OuterRef, Q
from django.db.models.functions import Upper

from housingmix.accounts.models import Membership
from housingmix.accounts.rules import is_ambito_staff


def _is_application_owner(user, application):
    """The account that started it, or a member of the organisation it is made for."""
    if not user.is_authenticated or application is None:
        return False
    if application.created_by_id == user.pk:
        return True
    if application.organisation_id is None:
        return False
    # Asked by several rules on one page: kept on the manifestation for this user and body (one
    # query a page; none when the selector read it with the record, see reader_remember).
    memo = application.__dict__.setdefault("_member_memo", {})
    key = (user.pk, application.organisation_id)
    if key not in memo:
        memo[key] = user.memberships.filter(organisation_id=application.organisation_id).exists()
    return memo[key]


is_application_owner = rules.predicate(_is_application_owner, name="is_application_owner")


def _has_stake_in(user, application):
    """The owner (see above), or the person or body the manifestation is made for or signed by,
    matched by codice fiscale: a manifestation filed by a delegate on someone's behalf, or for
    a body the user belongs to, is theirs too. Such a user never reviews or decides on it."""
    if is_application_owner(user, application):
        return True
    if not user.is_authenticated or application is None:
        return False
    codes = _stake_codes(application)
    if not codes:
        return False
    if (user.tax_code or "").upper() in codes:
        return True
    # Asked by several rules on one page: the answer is kept on the manifestation for this user
    # and these codes (a page costs one query, not one per rule; none when the selector read it
    # with the record, see stake_remember).
    memo = application.__dict__.setdefault("_stake_memo", {})
    key = (user.pk, frozenset(codes))
    if key not in memo:
        memo[key] = user.memberships.filter(organisation__tax_code__in=codes).exists()
    return memo[key]


def _stake_codes(application) -> set[str]:
    return {code.upper() for code in (application.offerer_tax_code, application.signatory_tax_code) if code}


def stake_exists(user_pk: int):
    """As an annotation of a manifestation queryset: whether user ``user_pk`` belongs to a body
    whose codice fiscale is the offerer's or the signatory's (what ``_has_stake_in`` asks of the
    memberships), read in the same query as the record."""
    return Exists(
        Membership.objects.filter(user_id=user_pk)
        .filter(
            Q(organisation__tax_code=Upper(OuterRef("offerer_tax_code")))
            | Q(organisation__tax_code=Upper(OuterRef("signatory_tax_code")))
        )
        .exclude(organisation__tax_code="")
    )


def stake_remember(user, application, found: bool) -> None:
    """Keep ``found`` (a ``stake_exists`` annotation) as the memberships' answer for ``user``."""
    codes = _stake_codes(application)
    if codes:
        application.__dict__.setdefault("_stake_memo", {})[(user.pk, frozenset(codes))] = bool(found)


def member_exists(user_pk: int):
    """As an annotation of a manifestation queryset: whether user ``user_pk`` is a member of the
    body it is made for (what ``_is_application_owner`` asks of the memberships)."""
    return Exists(Membership.objects.filter(user_id=user_pk, organisation_id=OuterRef("organisation_id")))


def reader_annotations(user_pk: int) -> dict:
    """The reader's relation to each manifestation, read with the records: ``reader_stake`` and
    ``reader_member`` (see ``reader_remember``)."""
    return {"reader_stake": stake_exists(user_pk), "reader_member": member_exists(user_pk)}


def reader_remember(user, application) -> None:
    """Keep a record's ``reader_annotations`` as the memberships' answers for ``user``: the page's
    rules then ask the database nothing more."""
    stake_remember(user, application, application.reader_stake)
    if application.organisation_id is not None:
        application.__dict__.setdefault("_member_memo", {})[(user.pk, application.organisation_id)] = bool(
            application.reader_member
        )


has_stake_in = rules.predicate(_has_stake_in, name="has_stake_in")


def _is_draft(user, application):
    return application is not None and application.is_draft


is_draft = rules.predicate(_is_draft, name="is_draft")


def _is_submitted(user, application):
    return application is not None and not application.is_draft


is_submitted = rules.predicate(_is_submitted, name="is_submitted")


# A draft is the offerer's alone until it is submitted: nobody else reads it or its files, staff
# included (there is no back-office way to open a draft either). Once presented, the Ambito's
# staff read the record, and each reading is audited.
rules.add_perm("applications.view_record", is_application_owner | (is_ambito_staff & is_submitted))
rules.add_perm("applications.edit_draft", is_application_owner & is_draft)
rules.add_perm("applications.submit", is_application_owner & is_draft)
rules.add_perm("applications.withdraw_application", is_application_owner)
rules.add_perm("applications.download_files", is_application_owner | (is_ambito_staff & is_submitted))


# --- Review (istruttoria) -------------------------------------------------------
# A social worker acts only on the manifestations assigned to them; Ambito staff assign,
# review and decide on every one. Reviewers and staff never act as the offerer, and an
# offerer (even one who is also a reviewer) never reviews their own manifestation, nor one made
# for them or their organisation by someone else (``has_stake_in``).


def _is_social_worker(user, _application=None):
    from housingmix.accounts.roles import Role

    return user.is_authenticated and user.has_role(Role.SOCIAL_WORKER)


is_social_worker = rules.predicate(_is_social_worker, name="is_social_worker")


def _is_assigned_reviewer(user, application):
    return (
        user.is_authenticated
        and application is not None
        and application.assigned_to_id is not None
        and application.assigned_to_id == user.pk
    )


is_assigned_reviewer = rules.predicate(_is_assigned_reviewer, name="is_assigned_reviewer")


is_reviewer = is_ambito_staff | (is_social_worker & is_assigned_reviewer)

rules.add_perm("applications.review_workspace", is_ambito_staff | is_social_worker)
rules.add_perm("applications.review_record", is_submitted & is_reviewer & ~has_stake_in)
rules.add_perm("applications.assign_reviewer", is_ambito_staff & ~has_stake_in)
rules.add_perm("applications.review", is_reviewer & ~has_stake_in)
# The Ufficio di Piano decides (eligible, preavviso di diniego, final refusal); an assigned social
# worker carries out the review and proposes an outcome.
rules.add_perm("applications.decide", is_ambito_staff & ~has_stake_in)
rules.add_perm("applications.propose_outcome", is_reviewer & ~has_stake_in)
rules.add_perm("applications.answer_request", is_application_owner)
rules.add_perm("applications.view_review_dashboard", is_ambito_staff)
