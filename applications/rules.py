"""Who may do what on a manifestation of interest (object-level, via django-rules)."""

import rules

from housingmix.accounts.rules import is_ambito_staff


@rules.predicate
def is_application_owner(user, application):
    """The account that started it, or a member of the organisation it is made for."""
    if not user.is_authenticated or application is None:
        return False
    if application.created_by_id == user.pk:
        return True
    return (
        application.organisation_id is not None
        and user.memberships.filter(organisation_id=application.organisation_id).exists()
    )


@rules.predicate
def is_draft(user, application):
    return application is not None and application.is_draft


rules.add_perm("applications.view_record", is_application_owner | is_ambito_staff)
rules.add_perm("applications.edit_draft", is_application_owner & is_draft)
rules.add_perm("applications.submit", is_application_owner & is_draft)
rules.add_perm("applications.withdraw_application", is_application_owner)
rules.add_perm("applications.download_files", is_application_owner | is_ambito_staff)
